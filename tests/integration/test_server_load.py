"""`mktgraph load` into real Oxigraph and Virtuoso servers: add, replace, graphs, protocols."""

from __future__ import annotations

import math
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode
from sparql_servers import write

from mktgraph import resources
from mktgraph.graph import load as load_graph
from mktgraph.graph import load_ontology

pytestmark = pytest.mark.integration

PREFIXES = """\
@prefix ex: <https://example.org/acme/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix schema: <https://schema.org/> .
"""
# Two plain triples and two that share a blank node (the address).
ACME = (
    PREFIXES
    + """\
ex:acme a schema:Organization ;
    schema:name "Acme Retail GmbH" ;
    schema:address [ schema:addressLocality "Köln" ] .
"""
)
# Three plain triples, one of them also in ACME.
BETA = (
    PREFIXES
    + """\
ex:acme schema:name "Acme Retail GmbH" .
ex:beta a schema:Organization ;
    schema:name "Beta \\"Bücher\\" KG"@de .
"""
)


# How --replace swaps the new graph in: Oxigraph's Graph Store PUT is one transaction,
# Virtuoso's is not, so there a staging graph is filled and MOVEd in by one Update request.
SWAP = {"oxigraph": "", "virtuoso": ", swapped in by one MOVE"}


def _kept(sent: int, distinct: int) -> str:
    kept = sent - distinct
    return f"{sent} sent, {kept} of them there already or repeated; " if kept else ""


def merged_ontology(folder: Path) -> Path:
    """The bundled ontology as `load --with-ontology` sends it: one ontology, its modules
    merged (as files and stores hold it), in N-Triples."""
    from mktgraph.graph import load_ontology

    path = folder / "ontology.nt"
    load_ontology().serialize(path, format="nt", encoding="utf-8")
    return path


def facts(files: list[Path]) -> tuple[int, int, bool, bool]:
    """Triples sent (the ontology goes as one merged graph, as mktgraph reads it), distinct
    triples after merging, and whether some triples have a blank node and some have none."""
    ontology = set(resources.ontology_files())
    triples = list(load_ontology()) if ontology & set(files) else []
    for path in files:
        if path not in ontology:
            triples += [
                (q.subject, q.predicate, q.object)
                for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            ]
    sent = len(triples)
    blank = sum(
        isinstance(s, (ox.BlankNode, BNode)) or isinstance(o, (ox.BlankNode, BNode))
        for s, _p, o in triples
    )
    others = [path for path in files if path not in ontology]
    merged = load_graph(others) if others else load_graph([])
    if ontology & set(files):
        merged += load_ontology()
    assert any(isinstance(t, BNode) for triple in merged for t in triple) == bool(blank)
    return sent, len(merged), blank > 0, sent - blank > 0


@pytest.fixture
def acme(tmp_path) -> Path:
    return write(tmp_path / "acme.ttl", ACME)


@pytest.fixture
def beta(tmp_path) -> Path:
    return write(tmp_path / "beta.ttl", BETA)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request):
    return request.getfixturevalue("oxigraph_server" if request.param == "oxigraph" else "virtuoso")


def test_add_then_replace_the_default_graph(run_cli, oxigraph, acme, beta):
    result = run_cli("load", str(acme), *oxigraph.options())
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no progress when stderr is not a terminal
    assert result.stdout == (
        "added 4 triples to the default graph (Graph Store Protocol, 1 request)\n"
        "the default graph now holds 4 triples (before: 0)\n"
    )
    result = run_cli("load", str(beta), *oxigraph.options())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "added 2 triples to the default graph (3 sent, 1 of them there already or repeated; "
        "Graph Store Protocol, 1 request)\n"
        "the default graph now holds 6 triples (before: 4)\n"
    )
    result = run_cli("load", str(beta), "--replace", *oxigraph.options())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "replaced the default graph with 3 triples (Graph Store Protocol, 1 request)\n"
        "the default graph now holds 3 triples\n"
    )
    assert oxigraph.count() == 3
    # Plain and blank-node triples go in one PUT, replaced at once (Oxigraph's PUT is one
    # transaction, so no staging graph is needed).
    result = run_cli("load", str(acme), "--replace", *oxigraph.options())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "replaced the default graph with 4 triples (Graph Store Protocol, 1 request)\n"
        "the default graph now holds 4 triples\n"
    )
    assert oxigraph.count() == 4
    assert oxigraph.count("urn:x-none") == 0


@pytest.mark.parametrize("with_ontology", [False, True], ids=["data", "data+ontology"])
def test_load_into_a_named_graph(run_cli, server, new_graph, acme, beta, with_ontology):
    files = [merged_ontology(acme.parent), acme, beta] if with_ontology else [acme, beta]
    sent, distinct, _blank, _plain = facts(files)
    flags = ["--with-ontology"] if with_ontology else []
    result = run_cli("load", str(acme), str(beta), *flags, "--graph", new_graph, *server.options())
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        f"added {distinct} triples to graph <{new_graph}> ({sent} sent, {sent - distinct} of "
        "them there already or repeated; Graph Store Protocol, 1 request)\n"
        f"graph <{new_graph}> now holds {distinct} triples (before: 0)\n"
    )
    # The count mktgraph reports is the server's own.
    assert server.count(new_graph) == distinct
    # Replacing with less leaves exactly that.
    result = run_cli("load", str(beta), "--replace", "--graph", new_graph, *server.options())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"replaced graph <{new_graph}> with 3 triples (Graph Store Protocol, 1 request"
        f"{SWAP[server.kind]})\n"
        f"graph <{new_graph}> now holds 3 triples\n"
    )
    assert server.count(new_graph) == 3


def test_the_sample_graph_and_ontology_in_one_command(run_cli, server, new_graph, tmp_path):
    files = [merged_ontology(tmp_path), *resources.example_files()]
    assert resources.example_files(), "the sample knowledge graph (examples/*.ttl) is missing"
    sent, distinct, _blank, _plain = facts(files)
    result = run_cli(
        "load", "--example", "--with-ontology", "--replace", "--graph", new_graph,
        *server.options(),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"replaced graph <{new_graph}> with {sent} triples (Graph Store Protocol, 1 request"
        f"{SWAP[server.kind]})",
        f"graph <{new_graph}> now holds {distinct} triples",
    ]
    assert server.count(new_graph) == distinct


def test_virtuoso_has_no_default_graph_to_write_to(run_cli, virtuoso, acme):
    result = run_cli("load", str(acme), *virtuoso.options())
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: virtuoso has no default graph of its own (its queries see every graph): "
        "name a graph with --graph IRI\n"
    )


def test_update_protocol_in_chunks_on_virtuoso(run_cli, virtuoso, new_graph, tmp_path):
    """Virtuoso's SPARQL compiler takes about 5,000 triples per request: INSERT DATA goes in
    chunks of 1,000 (blank nodes are skolem IRIs, so any chunk stands alone)."""
    files = [merged_ontology(tmp_path), *resources.example_files()]
    sent, distinct, _blank, _plain = facts(files)
    requests = math.ceil(sent / 1000)
    assert requests > 2
    result = run_cli(
        "load", "--example", "--with-ontology", "--protocol", "update", "--graph", new_graph,
        *virtuoso.options(),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"added {distinct} triples to graph <{new_graph}> ({_kept(sent, distinct)}SPARQL Update, "
        f"{requests} requests)",
        f"graph <{new_graph}> now holds {distinct} triples (before: 0)",
    ]
    assert virtuoso.count(new_graph) == distinct
    # --replace by Update: into a staging graph, then one MOVE.
    result = run_cli(
        "load", "--example", "--with-ontology", "--protocol", "update", "--replace",
        "--graph", new_graph, *virtuoso.options(),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"replaced graph <{new_graph}> with {sent} triples (SPARQL Update, {requests} requests"
        ", swapped in by one MOVE)",
        f"graph <{new_graph}> now holds {distinct} triples",
    ]
    assert virtuoso.count(new_graph) == distinct


def test_a_store_without_graph_store_protocol_gets_sparql_update(run_cli, oxigraph, acme):
    generic = ["--endpoint", f"{oxigraph.url}/query", "--update-endpoint", f"{oxigraph.url}/update"]
    result = run_cli("load", str(acme), *generic)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        "added 4 triples to the default graph (SPARQL Update, 1 request)\n"
        "the default graph now holds 4 triples (before: 0)\n"
    )
    assert oxigraph.count() == 4


def test_falls_back_to_update_when_the_graph_store_is_not_there(run_cli, oxigraph, acme):
    result = run_cli(
        "load", str(acme), "--endpoint", f"{oxigraph.url}/query",
        "--gsp-endpoint", f"{oxigraph.url}/no-graph-store",
        "--update-endpoint", f"{oxigraph.url}/update",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"warning: POST {oxigraph.url}/no-graph-store: HTTP 404 Not Found: POST "
        "/no-graph-store is not supported by this server; sending the data by SPARQL Update "
        "instead\n"
    )
    assert result.stdout.splitlines()[0] == (
        "added 4 triples to the default graph (SPARQL Update, 1 request)"
    )
    assert oxigraph.count() == 4


def test_no_fallback_when_the_protocol_is_named(run_cli, oxigraph, acme):
    result = run_cli(
        "load", str(acme), "--protocol", "gsp", "--endpoint", f"{oxigraph.url}/query",
        "--gsp-endpoint", f"{oxigraph.url}/no-graph-store",
        "--update-endpoint", f"{oxigraph.url}/update",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: POST {oxigraph.url}/no-graph-store: HTTP 404 Not Found: POST /no-graph-store "
        "is not supported by this server; nothing was sent; the default graph is as it was: "
        "0 triples, by a count\n"
    )
    assert oxigraph.count() == 0


LABELLED = (
    PREFIXES
    + """\
ex:acme schema:name "Acme Retail GmbH" ; schema:address _:a .
_:a schema:addressLocality "Köln" .
"""
)
COUNT_ADDRESSES = """\
SELECT (COUNT(DISTINCT ?address) AS ?n)
WHERE { ?org <https://schema.org/address> ?address .
        ?address <https://schema.org/addressLocality> ?place }
"""


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_loading_a_file_again_adds_nothing_blank_nodes_included(
    run_cli, server, new_graph, tmp_path, protocol
):
    """Blank nodes go as skolem IRIs named from their file's content: the same file twice is
    the same triples (as with --store); two files using one label hold two nodes."""
    labelled = write(tmp_path / "labelled.ttl", LABELLED)
    other = write(tmp_path / "other.ttl", LABELLED + "# another file\n")
    options = ["--protocol", protocol, "--graph", new_graph, *server.options()]
    result = run_cli("load", str(labelled), str(labelled), *options)
    assert result.exit_code == 0, result.stderr
    assert server.count(new_graph) == 3
    result = run_cli("load", str(labelled), *options)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == (f"graph <{new_graph}> now holds 3 triples (before: 3)")
    result = run_cli("load", str(other), *options)
    assert result.exit_code == 0, result.stderr
    # The plain triple is the same triple; the other file adds its own address node.
    assert server.count(new_graph) == 5
    query = write(tmp_path / "addresses.rq", COUNT_ADDRESSES)
    result = run_cli("query", str(query), "--format", "csv", "--graph", new_graph,
                     *server.options())  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "n\n2\n"


QUADS = """\
<https://example.org/a> <https://schema.org/name> "A" <https://example.org/g1> .
<https://example.org/a> <https://schema.org/name> "A" <https://example.org/g2> .
<https://example.org/b> <https://schema.org/name> "B" .
"""


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_a_quad_file_reports_what_the_graph_gained(run_cli, server, new_graph, tmp_path, suffix):
    """Its graphs merge into the target graph: three quads sent, two triples gained."""
    quads = write(tmp_path / "quads.nq", QUADS)
    if suffix == ".trig":
        graph = load_graph([quads])
        assert len(graph) == 2
        quads = write(tmp_path / "quads.trig", ox.serialize(
            ox.parse(path=str(tmp_path / "quads.nq"), format=ox.RdfFormat.N_QUADS),
            format=ox.RdfFormat.TRIG,
        ).decode())  # fmt: skip
    result = run_cli("load", str(quads), "--graph", new_graph, *server.options())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"added 2 triples to graph <{new_graph}> (3 sent, 1 of them there already or repeated; "
        "Graph Store Protocol, 1 request)\n"
        f"graph <{new_graph}> now holds 2 triples (before: 0)\n"
    )
    assert server.count(new_graph) == 2
