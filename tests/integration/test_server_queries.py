"""Every named query, run by Oxigraph and Virtuoso on the sample graph, gives the local rows."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from functools import cache

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from sparql_servers import PASSWORD_VARIABLE, VIRTUOSO_PASSWORD, Oxigraph

from mktgraph import api, resources, stores
from mktgraph.queries import named_queries

pytestmark = pytest.mark.integration

SAMPLE_GRAPH = "https://example.org/test-graph/sample"
NUMBERS = {
    XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short, XSD.byte,
    XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
    XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte,
}  # fmt: skip
# Values for the required parameters of named queries.
PARAMETERS: dict[str, dict[str, str]] = {"framework-components": {"framework": "mkt:SevenPs"}}
# Named queries that a server answers wrongly or refuses, with why. Strict: once a query is
# made portable the test passes, which fails the run until its entry here is removed.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {}


def value(term):
    """A term compared by value: numbers whatever their datatype and lexical form (stores
    canonicalise them), date-times as instants, other literals by text, language, datatype."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("blank",)
    assert isinstance(term, Literal)
    if term.datatype in NUMBERS:
        return ("number", Decimal(str(term)).normalize())
    if term.datatype == XSD.boolean:
        # Virtuoso 7 answers every boolean (even the constant true) as xsd:integer 1 or 0.
        return ("number", Decimal(1 if term.toPython() is True else 0))
    if term.datatype in (XSD.dateTime, XSD.date):
        parsed = term.toPython()
        if isinstance(parsed, (datetime.date, datetime.datetime)):
            return ("time", parsed)
    # Language tags are left out: engines differ on GROUP_CONCAT of tagged strings (Oxigraph
    # keeps a tag all of them share, rdflib drops it).
    datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
    return ("literal", str(term), datatype)


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
        stores.load((), spec, example=True, with_ontology=True, graph=graph, replace=True)
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
    answer = stores.run_query(name, spec, PARAMETERS.get(name, {}), graph=graph)
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
