"""`mktgraph query --format csv|tsv|json|xml` on files and on an embedded store: every answer
is read back by rdflib's and Oxigraph's parsers to the values in the data.

The values (tests/output/awkward-results.ttl) are the ones writers get wrong: zero, 0.0 and
false (rdflib's XML writer wrote them empty), tabs and newlines (rdflib's TSV, as mktgraph
used it, wrote them raw), carriage returns (Oxigraph's XML writer writes them raw, and XML
parsers read a newline), a negative decimal (rdflib's TSV parser fails on ``-1.50``),
quotes, language tags, blank nodes, an unbound value, non-ASCII text.
The server is tested in tests/integration/test_server_results.py.
"""

from __future__ import annotations

import pytest
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

SOURCES = ("files", "store")
ASK_TEXT = {
    "csv": "true\n",
    "tsv": "true\n",
    "json": '{"head":{},"boolean":true}\n',
    "xml": '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
    "<head></head><boolean>true</boolean></sparql>\n",
}


@pytest.fixture(params=SOURCES)
def source(request, run_cli, tmp_path) -> list[str]:
    """The options that make `mktgraph query` read the awkward data from a source."""
    if request.param == "files":
        return ["--data", str(AWKWARD_DATA)]
    store = tmp_path / "store"
    loaded = run_cli("load", str(AWKWARD_DATA), "--store", str(store))
    assert loaded.exit_code == 0, loaded.stderr
    return ["--store", str(store)]


def _stdout(result) -> str:
    # Not ``result.stdout``: Click's test runner turns "\r\n" into "\n" there.
    return result.stdout_bytes.decode("utf-8")


def _query_file(tmp_path, text: str) -> str:
    path = tmp_path / "question.rq"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("fmt", ["tsv", "json", "xml"])
def test_both_parsers_read_back_every_value(run_cli, tmp_path, source, fmt):
    result = run_cli("query", _query_file(tmp_path, AWKWARD_QUERY), *source, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert _stdout(result).endswith("\n")
    assert read_oxigraph(_stdout(result), fmt, exact=False) == awkward_answer()
    assert read_rdflib(_stdout(result), fmt, exact=False) == awkward_answer()


def test_csv_holds_every_value(run_cli, tmp_path, source):
    result = run_cli("query", _query_file(tmp_path, AWKWARD_QUERY), *source, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert numbers(read_csv(_stdout(result))) == numbers(awkward_csv())


def test_zero_and_false_are_not_empty_in_xml(run_cli, tmp_path, source):
    result = run_cli("query", _query_file(tmp_path, AWKWARD_QUERY), *source, "--format", "xml")
    for written in (
        '#integer">0</literal>',
        '#decimal">0',  # "0.0" from files, "0" from the store (canonical form)
        '#double">0',
        '#boolean">false</literal>',
    ):
        assert written in _stdout(result)
    assert "></literal>" not in _stdout(result).replace("<literal></literal>", "")


def test_tsv_escapes_tabs_and_newlines(run_cli, tmp_path, source):
    result = run_cli("query", _query_file(tmp_path, AWKWARD_QUERY), *source, "--format", "tsv")
    lines = _stdout(result).split("\n")
    assert len(lines) == 1 + 17 + 1  # header, rows, and "" after the final newline
    assert all(line.count("\t") == 1 for line in lines[:-1])
    assert '"tab\\there"' in lines[9]
    assert '"line\\nbreak\\r\\nand a Windows one"' in lines[10]


@pytest.mark.parametrize("fmt", list(ASK_TEXT))
def test_ask_answers_end_with_a_newline(run_cli, tmp_path, source, fmt):
    query = "PREFIX ex: <https://example.org/awkward/>\nASK { ex:r01 ex:value 0 }\n"
    result = run_cli("query", _query_file(tmp_path, query), *source, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert _stdout(result) == ASK_TEXT[fmt]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_a_solution_binding_nothing_is_kept(run_cli, tmp_path, source, fmt):
    # rdflib's Result drops such a row when iterated; the answer has one solution.
    query = "SELECT ?x WHERE { OPTIONAL { <https://example.org/nothing> ?p ?x } }\n"
    result = run_cli("query", _query_file(tmp_path, query), *source, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "csv":
        assert _stdout(result) == "x\r\n\r\n"
    else:
        assert read_oxigraph(_stdout(result), fmt).rows == [(None,)]


def test_a_character_xml_cannot_carry_is_one_line_and_exit_2(run_cli, tmp_path):
    data = tmp_path / "control.ttl"
    data.write_text('<https://example.org/s> <https://example.org/p> "a\\u0001b" .\n')
    query = "SELECT ?o WHERE { <https://example.org/s> ?p ?o }\n"
    result = run_cli("query", _query_file(tmp_path, query), "--data", str(data), "--format", "xml")
    assert result.exit_code == 2
    assert _stdout(result) == ""
    assert result.stderr == (
        "error: the answer holds the character U+0001, which XML cannot carry; "
        "use --format json or tsv\n"
    )
    for fmt in ("json", "tsv"):
        result = run_cli(
            "query", _query_file(tmp_path, query), "--data", str(data), "--format", fmt
        )
        assert result.exit_code == 0, result.stderr
        assert read_oxigraph(_stdout(result), fmt).rows == [(("literal", "a\x01b", "", ""),)]


def test_a_blank_node_label_ntriples_cannot_write_gets_one_fresh_label():
    from rdflib import BNode, Variable
    from rdflib.query import Result

    from mktgraph.output import render_result

    result = Result("SELECT")
    result.vars = [Variable("a"), Variable("b")]
    odd, plain = BNode("made up: by a server"), BNode("b1")
    result.bindings = [{Variable("a"): odd, Variable("b"): plain}, {Variable("a"): odd}]
    for fmt in ("tsv", "json", "xml"):
        text = render_result(result, fmt)
        assert read_oxigraph(text, fmt).rows == [
            (("bnode", 0), ("bnode", 1)),
            (("bnode", 0), None),
        ]
        assert "b1" in text
