"""On a real Oxigraph server: every named query over the awkward corpus gives the exact rows
(as on files and the embedded store, tests/queries/test_awkward_data.py), and the result
writers' output of awkward values is read back by rdflib's and Oxigraph's parsers
(as in tests/output/test_result_writers.py)."""

from __future__ import annotations

import pytest
from awkward_support import AWKWARD, ONTOLOGY_QUERIES, expected_answers, run_every_query
from results_support import (
    AWKWARD_DATA,
    AWKWARD_QUERY,
    awkward_answer,
    awkward_csv,
    numbers,
    read_csv,
    read_oxigraph,
    read_rdflib,
)

pytestmark = pytest.mark.integration


def test_every_named_query_on_a_server(run_cli, oxigraph):
    loaded = run_cli("load", str(AWKWARD), "--with-ontology", *oxigraph.options())
    assert loaded.exit_code == 0, loaded.stderr
    answers = run_every_query(oxigraph.options())
    expected = expected_answers(run_every_query([], ONTOLOGY_QUERIES + ("frameworks",)))
    wrong = [name for name in expected if answers[name] != expected[name]]
    assert wrong == [], {name: (answers[name], expected[name]) for name in wrong}


@pytest.fixture
def awkward_server(run_cli, oxigraph):
    loaded = run_cli("load", str(AWKWARD_DATA), *oxigraph.options())
    assert loaded.exit_code == 0, loaded.stderr
    return oxigraph


def _query(run_cli, tmp_path, server, text: str, fmt: str) -> str:
    path = tmp_path / "question.rq"
    path.write_text(text)
    result = run_cli("query", str(path), "--format", fmt, *server.options())
    assert result.exit_code == 0, result.stderr
    # Not ``result.stdout``: Click's test runner turns "\r\n" into "\n" there.
    return result.stdout_bytes.decode("utf-8")


@pytest.mark.parametrize("fmt", ["tsv", "json", "xml"])
def test_both_parsers_read_back_every_value_from_a_server(run_cli, tmp_path, awkward_server, fmt):
    text = _query(run_cli, tmp_path, awkward_server, AWKWARD_QUERY, fmt)
    assert text.endswith("\n")
    assert read_oxigraph(text, fmt, exact=False) == awkward_answer()
    assert read_rdflib(text, fmt, exact=False) == awkward_answer()


def test_csv_from_a_server_holds_every_value(run_cli, tmp_path, awkward_server):
    text = _query(run_cli, tmp_path, awkward_server, AWKWARD_QUERY, "csv")
    assert numbers(read_csv(text)) == numbers(awkward_csv())


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "true\n"),
        ("tsv", "true\n"),
        ("json", '{"head":{},"boolean":true}\n'),
        (
            "xml",
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "<head></head><boolean>true</boolean></sparql>\n",
        ),
    ],
)
def test_ask_from_a_server_ends_with_a_newline(run_cli, tmp_path, awkward_server, fmt, expected):
    query = "PREFIX ex: <https://example.org/awkward/>\nASK { ex:r01 ex:value 0 }\n"
    assert _query(run_cli, tmp_path, awkward_server, query, fmt) == expected
