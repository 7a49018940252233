"""Every named query, run by Oxigraph and Virtuoso on the sample graph, gives the local rows."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from sparql_servers import PASSWORD_VARIABLE, VIRTUOSO_PASSWORD, Oxigraph

from mktgraph import api, resources, stores
from mktgraph.queries import named_queries
from mktgraph.sources import SourceSpec

pytestmark = pytest.mark.integration

SAMPLE_GRAPH = "https://example.org/test-graph/sample"
DERIVED_INTEGERS = {
    XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong,
    XSD.unsignedShort, XSD.unsignedByte,
}  # fmt: skip
# Values for the required parameters of named queries.
PARAMETERS: dict[str, dict[str, str]] = {"framework-components": {"framework": "mkt:SevenPs"}}
# Named queries that a server answers wrongly or refuses, with why. Strict: once a query is
# made portable the test passes, which fails the run until its entry here is removed.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {}


def value(term):
    """A term compared exactly: IRIs, and literals by lexical form and datatype (so 1 is not
    true, and 20.0 is not 20). Two allowances, both documented store behaviour: the integer
    types derived from xsd:integer compare as xsd:integer (Oxigraph keeps them so), and
    language tags are left out (engines differ on GROUP_CONCAT of tagged strings: Oxigraph keeps
    a tag all of them share, rdflib drops it)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("blank",)
    assert isinstance(term, Literal)
    datatype = None if term.datatype in (None, XSD.string) else term.datatype
    if datatype in DERIVED_INTEGERS:
        datatype = XSD.integer
    return ("literal", str(term), str(datatype) if datatype else None)


def rows(result) -> Counter:
    return Counter(tuple(value(term) for term in row) for row in result)


@cache
def local(name: str):
    return api.run_query(name, (), PARAMETERS.get(name, {}), example=True)


@pytest.fixture(scope="module")
def sample_servers(tmp_path_factory, virtuoso):
    """The sample graph and the ontology: in the default graph of an Oxigraph server of this
    module's own, and in a named graph of the session's Virtuoso."""
    assert resources.example_files(), "the sample knowledge graph (examples/*.ttl) is missing"
    oxigraph = Oxigraph(tmp_path_factory.mktemp("oxigraph-sample") / "db").start()
    oxigraph_spec = stores.endpoint_spec(oxigraph.url, server="oxigraph")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PASSWORD_VARIABLE, VIRTUOSO_PASSWORD)
        virtuoso_spec = stores.endpoint_spec(
            virtuoso.url, server="virtuoso", user="dba", password_env=PASSWORD_VARIABLE
        )
    for spec, graph in ((oxigraph_spec, None), (virtuoso_spec, SAMPLE_GRAPH)):
        target = SourceSpec(endpoint=spec, graph=graph)
        api.load_data(target, example=True, with_ontology=True, replace=True)
    yield {
        "oxigraph": (oxigraph, oxigraph_spec, None),
        "virtuoso": (virtuoso, virtuoso_spec, SAMPLE_GRAPH),
    }
    oxigraph.stop()


def _cases():
    for name in sorted(named_queries()):
        for server in ("oxigraph", "virtuoso"):
            reason = KNOWN_DIFFERENCES.get((name, server))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, server, id=f"{name}-{server}", marks=marks)


@pytest.mark.parametrize(("name", "server"), list(_cases()))
def test_named_query_gives_the_local_rows(sample_servers, server, name):
    _process, spec, graph = sample_servers[server]
    expected = local(name)
    answer = api.run_query(name, SourceSpec(endpoint=spec, graph=graph), PARAMETERS.get(name, {}))
    assert answer.type == expected.type
    if expected.type == "ASK":
        assert answer.askAnswer == expected.askAnswer
    elif expected.type in ("CONSTRUCT", "DESCRIBE"):
        assert isomorphic(answer.graph, expected.graph)
    else:
        assert [str(v) for v in answer.vars] == [str(v) for v in expected.vars]
        assert rows(answer) == rows(expected)
        assert len(expected) > 0, f"{name} gives no rows on the sample graph: a vacuous test"


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_remote_results_print_like_local_ones(run_cli, sample_servers, server, fmt):
    process, _spec, graph = sample_servers[server]
    options = process.options() + (["--graph", graph] if graph else [])
    remote = run_cli("query", "sales-vs-marketing", "--format", fmt, *options)
    here = run_cli("query", "sales-vs-marketing", "--format", fmt, "--example")
    assert remote.exit_code == 0, remote.stderr
    assert remote.stderr == ""
    assert remote.stdout == here.stdout


def test_a_construct_query_runs_remotely(run_cli, sample_servers, tmp_path):
    process, _spec, _graph = sample_servers["oxigraph"]
    query = tmp_path / "kinds.rq"
    query.write_text(
        "PREFIX mkt: <https://w3id.org/mktgraph/def/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "CONSTRUCT { ?kind rdfs:subClassOf mkt:MarketingActivity } "
        "WHERE { ?kind rdfs:subClassOf mkt:MarketingActivity }\n"
    )
    remote = run_cli("query", str(query), "--format", "nt", *process.options())
    here = run_cli("query", str(query), "--format", "nt", "--example")
    assert remote.exit_code == 0, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(here.stdout.splitlines())
    assert len(here.stdout.splitlines()) >= 5


def test_query_options_that_need_local_files_are_refused(run_cli, sample_servers):
    process, _spec, _graph = sample_servers["oxigraph"]
    result = run_cli("query", "open-leads", "--example", *process.options())
    assert result.exit_code == 2
    assert "with --endpoint the data are the server's" in result.stderr


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """The sample graph in an embedded store (the ontology comes with it)."""
    from click.testing import CliRunner

    from mktgraph.cli import cli

    folder = tmp_path_factory.mktemp("sample-store") / "store"
    result = CliRunner().invoke(cli, ["load", "--example", "--store", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _csv(run_cli, name: str, *options: str) -> str:
    arguments = [f"{k}={v}" for k, v in PARAMETERS.get(name, {}).items()]
    params = [flag for argument in arguments for flag in ("-p", argument)]
    result = run_cli("query", name, "--format", "csv", *params, *options)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_csv_is_byte_identical_everywhere(run_cli, sample_servers, sample_store, name):
    """Booleans, numbers and dates in their W3C canonical form: locally, in the store, on
    Oxigraph and on Virtuoso, the same bytes."""
    here = _csv(run_cli, name, "--example")
    assert len(here.splitlines()) > 1, f"{name} gives no rows on the sample graph"
    oxigraph, _spec, _graph = sample_servers["oxigraph"]
    virtuoso, _spec, graph = sample_servers["virtuoso"]
    answers = {
        "store": _csv(run_cli, name, "--store", str(sample_store)),
        "oxigraph": _csv(run_cli, name, *oxigraph.options()),
        "virtuoso": _csv(run_cli, name, *virtuoso.options(), "--graph", graph),
    }
    different = {where: text for where, text in answers.items() if text != here}
    if different:
        import difflib

        report = "".join(
            f"--- {where}\n" + "".join(list(difflib.unified_diff(
                here.splitlines(True), text.splitlines(True), n=0))[2:12])
            for where, text in different.items()
        )  # fmt: skip
        pytest.fail(f"{name}: differs from the local answer:\n{report}")
