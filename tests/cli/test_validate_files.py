"""`validate FILE` loads the files into an in-memory store and validates them there: the same
report as `validate --store` on the same data, from N-Triples, Turtle, gzip and standard input."""

from __future__ import annotations

import gzip
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph

from mktgraph.validate import report_rows

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scale"))


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> Path:
    """Generated data shaped like a real export (blank-node amounts, decimals as written,
    xsd:int values, mixed time zones) with violations of every (shape, constraint) pair."""
    from scalecheck import generator_module

    module = generator_module()
    path = tmp_path_factory.mktemp("company") / "company.nt"
    module.write(path, module.Generator(6_000, 0.05, 7, realistic=True))
    return path


def _report(result, path: Path) -> Graph:
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    return Graph().parse(path, format="turtle")


def _same(one: Graph, other: Graph) -> bool:
    """Whether two reports hold the same results (blank nodes compared as blank)."""
    return _results(one) == _results(other)


def _results(report: Graph) -> Counter:
    def plain(term):
        return "_:blank" if isinstance(term, BNode) else term

    return Counter(
        (plain(r.focus), r.path, plain(r.value), r.severity, r.message, r.shape, r.component)
        for r in report_rows(report)
    )


@pytest.mark.slow
def test_validate_file_gives_the_report_of_validate_store(run_cli, company, tmp_path):
    store = tmp_path / "store"
    assert run_cli("load", str(company), "--store", str(store)).exit_code == 0
    files = run_cli("validate", str(company), "--format", "turtle", "-o", str(tmp_path / "f.ttl"))
    store_report = tmp_path / "store.ttl"
    stored = run_cli(
        "validate", "--store", str(store), "--format", "turtle", "-o", str(store_report)
    )
    from_store = _report(stored, store_report)
    from_file = _report(files, tmp_path / "f.ttl")
    assert len(_results(from_file)) > 100  # violations of many kinds: not a vacuous comparison
    assert _same(from_file, from_store)
    assert files.stderr == stored.stderr  # the same summary line (and no other)


@pytest.mark.slow
def test_turtle_gzip_and_standard_input_give_the_same_report(run_cli, company, tmp_path):
    reference = tmp_path / "nt.ttl"
    first = _report(
        run_cli("validate", str(company), "--format", "turtle", "-o", str(reference)), reference
    )
    turtle = tmp_path / "company.ttl"
    Graph().parse(company, format="nt").serialize(turtle, format="turtle")
    packed = tmp_path / "company.nt.gz"
    packed.write_bytes(gzip.compress(company.read_bytes()))
    for args, stdin in (
        ((str(turtle),), None),
        ((str(packed),), None),
        (("-", "--input-format", "nt"), company.read_bytes()),
    ):
        out = tmp_path / "out.ttl"
        result = run_cli("validate", *args, "--format", "turtle", "-o", str(out), input=stdin)
        assert _same(_report(result, out), first), args


def test_a_malformed_line_is_one_line_naming_the_file_and_line(run_cli, tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text(
        '<https://example.org/a> <https://schema.org/name> "A" .\n'
        '<https://example.org/b> <https://schema.org/name> "B .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {bad}:2: malformed N-Triples: ")
    assert result.stderr.count("\n") == 1
    assert "store" not in result.stderr  # nothing is kept to complete later


def test_unknown_mktgraph_terms_are_still_named(run_cli, tmp_path):
    data = tmp_path / "typo.nt"
    data.write_text(
        "<https://example.org/c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/mktgraph/def/Campaign> .\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(data))
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: mkt:Campaign is not a term of mktgraph (a typo?): no shape checks what "
        "uses it; see `mktgraph lint`\n"
    )


@pytest.mark.slow
def test_the_turtle_report_is_the_same_bytes_each_time_and_the_same_graph(
    run_cli, company, tmp_path
):
    from mktgraph.export import report_turtle, serialize

    first, second = tmp_path / "1.ttl", tmp_path / "2.ttl"
    run_cli("validate", str(company), "--format", "turtle", "-o", str(first))
    run_cli("validate", str(company), "--format", "turtle", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    report = Graph().parse(first, format="turtle")
    assert report_turtle(report) == first.read_text(encoding="utf-8")
    by_rdflib = Graph().parse(data=serialize(report, "turtle"), format="turtle")
    assert _same(report, by_rdflib) and len(report) == len(by_rdflib)


def test_a_language_tag_with_capitals_is_left_to_rdflib():
    from rdflib import Literal, URIRef

    from mktgraph.export import report_turtle

    report = Graph()
    report.add((BNode(), URIRef("http://www.w3.org/ns/shacl#value"), Literal("x", lang="en-US")))
    assert report_turtle(report) is None  # Oxigraph would write en-us
    report = Graph()
    report.add((BNode(), URIRef("http://www.w3.org/ns/shacl#value"), Literal("x", lang="en")))
    assert '"x"@en' in report_turtle(report)
