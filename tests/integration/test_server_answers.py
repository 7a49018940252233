"""Whole answers from servers: Virtuoso's 10,000-row cap paged through, in the query's own
order; no paging where a server has no cap; a cut answer that cannot be paged is an error."""

from __future__ import annotations

import pytest
from sparql_servers import write

from mktgraph import stores
from mktgraph.api import load_data
from mktgraph.sources import SourceSpec

pytestmark = pytest.mark.integration

ROWS = 25_000
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
ORDERED = """\
PREFIX ex: <https://example.org/big/>
# the items, latest first
SELECT ?item ?n WHERE { ?item ex:n ?n } ORDER BY DESC(?n)
"""


@pytest.fixture(scope="module")
def big_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("answers")
    lines = "".join(
        f'<https://example.org/big/s{i}> <https://example.org/big/n> "{i}"^^<{INTEGER}> .\n'
        for i in range(ROWS)
    )
    return write(folder / "big.nt", lines)


@pytest.fixture(scope="module")
def virtuoso_big(virtuoso, big_data):
    graph = "https://example.org/test-graph/answers"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MKTGRAPH_TEST_PASSWORD", "dba")
        spec = stores.endpoint_spec(
            virtuoso.url, server="virtuoso", user="dba", password_env="MKTGRAPH_TEST_PASSWORD"
        )
    load_data(SourceSpec(endpoint=spec, graph=graph), [big_data], replace=True)
    return [*virtuoso.options(), "--graph", graph]


def _local(run_cli, query, big_data):
    result = run_cli("query", str(query), "--format", "csv", "--data", str(big_data))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_virtuoso_answers_beyond_its_row_cap_whole_and_in_order(
    run_cli, virtuoso_big, big_data, tmp_path
):
    query = write(tmp_path / "ordered.rq", ORDERED)
    result = run_cli("query", str(query), "--format", "csv", *virtuoso_big)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == ROWS + 1
    assert lines[1] == f"https://example.org/big/s{ROWS - 1},{ROWS - 1}"
    assert result.stdout == _local(run_cli, query, big_data)


def test_a_limit_beyond_the_cap_and_an_offset_are_kept(run_cli, virtuoso_big, big_data, tmp_path):
    query = write(tmp_path / "sliced.rq", ORDERED.rstrip() + " LIMIT 12000 OFFSET 5\n")
    result = run_cli("query", str(query), "--format", "csv", *virtuoso_big)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 12_001
    assert result.stdout == _local(run_cli, query, big_data)


def test_an_unordered_answer_is_whole_too(run_cli, virtuoso_big, tmp_path):
    query = write(
        tmp_path / "unordered.rq",
        "SELECT ?item WHERE { ?item <https://example.org/big/n> ?n }\n",
    )
    result = run_cli("query", str(query), "--format", "csv", *virtuoso_big)
    assert result.exit_code == 0, result.stderr
    items = result.stdout.splitlines()[1:]
    assert len(items) == ROWS
    assert len(set(items)) == ROWS


def test_a_cut_answer_that_cannot_be_paged_is_an_error(run_cli, virtuoso_big, tmp_path):
    query = write(
        tmp_path / "values.rq",
        "SELECT ?item ?n WHERE { ?item <https://example.org/big/n> ?n } VALUES ?item { UNDEF }\n",
    )
    result = run_cli("query", str(query), "--format", "csv", *virtuoso_big)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {query}: the server cut its answer at 10000 rows (its own limit, such as "
        "Virtuoso's ResultSetMaxRows), and its text cannot be paged (VALUES after the WHERE "
        "clause); --allow-partial accepts the partial answer\n"
    )
    result = run_cli("query", str(query), "--format", "csv", "--allow-partial", *virtuoso_big)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 10_001
    assert result.stderr == (
        f"warning: {query}: the server cut its answer at 10000 rows (its own limit, such as "
        "Virtuoso's ResultSetMaxRows), and its text cannot be paged (VALUES after the WHERE "
        "clause): the answer is partial\n"
    )


def test_a_cut_construct_answer_is_an_error(run_cli, virtuoso_big, tmp_path):
    query = write(tmp_path / "all.rq", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n")
    result = run_cli("query", str(query), "--format", "nt", *virtuoso_big)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {query}: the server cut its answer at 10000 triples (its own limit, such as "
        "Virtuoso's ResultSetMaxRows), and a CONSTRUCT answer cannot be paged; ask for fewer "
        "triples; --allow-partial accepts the partial answer\n"
    )


def test_no_paging_where_the_server_has_no_cap(oxigraph, big_data):
    """Oxigraph returns whole answers: one request, however many rows."""
    spec = stores.endpoint_spec(oxigraph.url, server="oxigraph")
    with stores.open_store(spec) as store:
        store.load([big_data])
        asked = []
        send = store._query

        def counted(text, *args, **kwargs):
            asked.append(text)
            return send(text, *args, **kwargs)

        store._query = counted
        answer = store.query(ORDERED)
    assert len(answer) == ROWS
    assert asked == [ORDERED]


AWKWARD = """\
@prefix ex: <https://example.org/awkward/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:decimal "6500.00"^^xsd:decimal , "-007.50"^^xsd:decimal ;
    ex:dateTime "2024-01-01T08:40:00+00:00"^^xsd:dateTime ,
        "2024-03-01T08:40:00.500+01:00"^^xsd:dateTime ;
    ex:double "1.50E2"^^xsd:double ;
    ex:integer "007"^^xsd:integer ;
    ex:boolean "1"^^xsd:boolean ;
    ex:date "2024-01-01"^^xsd:date .
"""
AWKWARD_QUERY = """\
PREFIX ex: <https://example.org/awkward/>
SELECT ?p ?o (?o = ?o AS ?same) WHERE { ex:a ?p ?o } ORDER BY ?p STR(?o)
"""


def test_numbers_booleans_and_dates_are_written_alike_everywhere(
    run_cli, oxigraph, virtuoso, new_graph, tmp_path
):
    """Values as the data writes them (6500.00, +00:00, 1.50E2, 007, "1"): the same CSV and
    JSON from files, an embedded store, Oxigraph and Virtuoso."""
    data = write(tmp_path / "awkward.ttl", AWKWARD)
    query = write(tmp_path / "awkward.rq", AWKWARD_QUERY)
    store = tmp_path / "store"
    places = {
        "files": ["--data", str(data)],
        "store": ["--store", str(store)],
        "oxigraph": oxigraph.options(),
        "virtuoso": [*virtuoso.options(), "--graph", new_graph],
    }
    for name in ("store", "oxigraph", "virtuoso"):
        result = run_cli("load", str(data), *places[name])
        assert result.exit_code == 0, result.stderr
    for fmt in ("csv", "json"):
        answers = {}
        for name, options in places.items():
            result = run_cli("query", str(query), "--format", fmt, *options)
            assert result.exit_code == 0, result.stderr
            answers[name] = result.stdout
        assert answers["store"] == answers["files"], fmt
        assert answers["oxigraph"] == answers["files"], fmt
        assert answers["virtuoso"] == answers["files"], fmt
    assert answers["files"].count('"value":"6500"') == 1
    rows = run_cli("query", str(query), "--format", "csv", *places["files"]).stdout
    assert "https://example.org/awkward/dateTime,2024-01-01T08:40:00Z,true" in rows
    assert "https://example.org/awkward/double,150,true" in rows
