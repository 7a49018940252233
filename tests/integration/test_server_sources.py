"""The same command on files, an embedded store and a real Oxigraph server gives the same
output: the source layer (mktgraph.sources) makes the three one."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mktgraph.graph import term_converter

pytestmark = pytest.mark.integration


# Data that breaks shapes, beside the sample graph: validation has results to compare.
BROKEN = """
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/lead-1> a mkt:Lead ; mkt:createdAt "yesterday" .
<https://example.org/deal-1> a mkt:Deal ; mkt:amount "-5.50"^^xsd:decimal .
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    path = tmp_path_factory.mktemp("broken") / "broken.ttl"
    path.write_text(BROKEN)
    return path


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory, broken):
    from mktgraph.api import load_data
    from mktgraph.sources import SourceSpec

    path = tmp_path_factory.mktemp("sources") / "sample.db"
    load_data(SourceSpec(store=path), [broken], example=True)
    return path


@pytest.fixture
def sources(oxigraph, sample_store, broken, run_cli):
    """The sample graph and broken data with the ontology: as files, in a store, and on an
    Oxigraph server."""
    loaded = run_cli(
        "load", "--example", str(broken), "--with-ontology", "--replace", *oxigraph.options()
    )
    assert loaded.exit_code == 0, loaded.stderr
    return {
        "files": ["--example", "--data", str(broken)],
        "store": ["--store", str(sample_store)],
        "server": oxigraph.options(),
    }


@pytest.mark.parametrize(
    "command",
    [
        ["query", "open-leads", "--format", "csv"],
        ["query", "lead-to-deal", "--format", "csv"],
        ["query", "sales-vs-marketing", "--format", "tsv"],
        ["validate", "--format", "csv"],
        ["validate", "--format", "json", "--inference", "none"],
        ["frameworks", "--format", "csv"],
        ["frameworks", "7ps", "--format", "json"],
        ["info", "--format", "json"],
    ],
    ids=" ".join,
)
def test_the_same_command_on_the_three_sources_gives_the_same_output(run_cli, sources, command):
    results = {kind: run_cli(*command, *options) for kind, options in sources.items()}
    for kind, result in results.items():
        assert result.exit_code in (0, 1), f"{kind}: {result.stderr}"
    outputs = {kind: (r.exit_code, r.stdout) for kind, r in results.items()}
    assert outputs["files"] == outputs["store"] == outputs["server"]
    assert len(outputs["files"][1].splitlines()) > 2


def test_info_counts_the_same_graph(run_cli, sources):
    facts = json.loads(run_cli("info", "--format", "json", *sources["server"]).stdout)
    assert facts["classes"] > 50 and facts["triples"] > 3000


def _as_oxigraph_keeps_it(text: str, fmt: ox.RdfFormat) -> Graph:
    """A graph with Oxigraph's literal forms (a store and a server write "6500", files
    "6500.00"): what is compared is the graph, not the spelling of its numbers."""
    store = ox.Store()
    store.load(text.encode(), format=fmt)
    convert = term_converter()
    graph = Graph()
    for quad in store:
        graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return graph


@pytest.mark.parametrize("fmt", ["nt", "turtle"])
def test_export_streams_the_same_graph_from_the_three_sources(run_cli, sources, fmt):
    ox_format = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
    graphs = {}
    for kind, options in sources.items():
        result = run_cli("export", "--format", fmt, *options)
        assert result.exit_code == 0, f"{kind}: {result.stderr}"
        graphs[kind] = _as_oxigraph_keeps_it(result.stdout, ox_format)
    assert len(graphs["files"]) == len(graphs["store"]) == len(graphs["server"]) > 3000
    assert isomorphic(graphs["files"], graphs["store"])
    assert isomorphic(graphs["store"], graphs["server"])


def test_export_of_a_server_without_the_ontology_adds_it_and_never_mixes(
    run_cli, oxigraph, sample_store, tmp_path
):
    data = tmp_path / "lead.ttl"
    data.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n<https://example.org/l1> a mkt:Lead .\n"
    )
    assert run_cli("load", str(data), "--replace", *oxigraph.options()).exit_code == 0
    only_data = run_cli("export", "--format", "nt", "--no-ontology", *oxigraph.options())
    assert (only_data.exit_code, only_data.stdout) == (
        0,
        "<https://example.org/l1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/mktgraph/def/Lead> .\n",
    )
    whole = run_cli("export", "--format", "nt", *oxigraph.options())
    here = run_cli("export", "--format", "nt", "--data", str(data))
    nt = ox.RdfFormat.N_TRIPLES
    assert isomorphic(
        _as_oxigraph_keeps_it(whole.stdout, nt), _as_oxigraph_keeps_it(here.stdout, nt)
    )
    # A server graph that holds the ontology among the data cannot give the data alone.
    run_cli("load", "--with-ontology", *oxigraph.options())
    refused = run_cli("export", "--no-ontology", *oxigraph.options())
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "error: --no-ontology: the server's graph holds the ontology among the data (loaded "
        "--with-ontology); load the data into a graph of its own (--graph IRI)\n"
    )
