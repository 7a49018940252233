"""Inputs that used to end in a traceback with exit 1 ("violations"): one line, exit 2."""

from __future__ import annotations

import pytest

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
LEAD_SHAPE = "<http://e/S> a sh:NodeShape ; sh:targetClass <https://w3id.org/mktgraph/def/Lead> ; "


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    from mktgraph.api import load_data
    from mktgraph.sources import SourceSpec

    path = tmp_path_factory.mktemp("store") / "sample"
    load_data(SourceSpec(store=path), example=True)
    return path


def one_line_error(result, start: str) -> None:
    assert result.exit_code == 2, result.output
    *warnings, last = result.stderr.splitlines()
    assert last.startswith(f"error: {start}"), result.stderr
    assert all(line.startswith("warning: ") for line in warnings), result.stderr


def test_a_parameter_that_is_no_iri(run_cli):
    result = run_cli("query", "framework-components", "-p", "framework=<x y>")
    one_line_error(result, "-p value '<x y>' is not a valid IRI: it holds ' '")


def test_a_query_with_a_bad_regex_fails_before_writing(run_cli, tmp_path):
    query = tmp_path / "regex.rq"
    query.write_text('SELECT ?x WHERE { BIND("a" AS ?x) FILTER(REGEX(?x, "(")) }\n')
    result = run_cli("query", str(query), "--format", "csv")
    one_line_error(result, f"{query}: query failed: missing ), unterminated subpattern")
    assert result.stdout == ""


BROKEN_SHAPES = {
    "min-count": (LEAD_SHAPE + 'sh:property [ sh:path <http://e/p> ; sh:minCount "x" ] .', ""),
    "pattern": (
        LEAD_SHAPE + 'sh:property [ sh:path <http://e/p> ; sh:pattern "(" ] .',
        "missing ), unterminated subpattern at position 0",
    ),
    "sparql": (
        LEAD_SHAPE + 'sh:sparql [ sh:select "SELECT nonsense" ] .',
        "Expected SelectQuery, found 'nonsense'",
    ),
}


@pytest.mark.parametrize("where", ["files", "store"])
@pytest.mark.parametrize("case", sorted(BROKEN_SHAPES))
@pytest.mark.slow
def test_unusable_shapes_are_one_line(run_cli, tmp_path, sample_store, where, case):
    text, message = BROKEN_SHAPES[case]
    shapes = tmp_path / f"{case}.ttl"
    shapes.write_text(SH + text + "\n")
    source = ["--example"] if where == "files" else ["--store", str(sample_store)]
    result = run_cli("validate", *source, "--shapes", str(shapes))
    one_line_error(result, f"{shapes}: unusable SHACL shapes: {message}")


@pytest.mark.parametrize("where", ["files", "store"])
@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("", "hold no shapes"),
        (
            SH
            + "<http://e/S> a sh:NodeShape ; sh:property [ sh:path <http://e/p> ; sh:minCount 1 ].",
            "have no shape with a target",
        ),
    ],
)
def test_shapes_that_check_nothing_are_an_error(
    run_cli, tmp_path, sample_store, where, content, what
):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(content)
    source = ["--example"] if where == "files" else ["--store", str(sample_store)]
    result = run_cli("validate", *source, "--shapes", str(shapes))
    one_line_error(result, f"{shapes}: {what} (sh:targetClass, ")
    assert result.stderr.endswith("validation would check nothing\n")


@pytest.mark.slow
def test_a_shape_that_is_a_class_targets_its_instances(run_cli, tmp_path):
    shapes = tmp_path / "implicit.ttl"
    shapes.write_text(
        SH + "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/mktgraph/def/Lead> a sh:NodeShape, rdfs:Class ;\n"
        "  sh:property [ sh:path <http://e/never> ; sh:minCount 1 ] .\n"
    )
    result = run_cli("validate", "--example", "--shapes", str(shapes), "--format", "json")
    assert result.exit_code == 1, result.stderr
    assert '"conforms": false' in result.stdout


def test_a_damaged_store_is_one_line(run_cli, tmp_path, sample_store):
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(sample_store, damaged)
    (damaged / "CURRENT").write_text("garbage\n")
    for command in (["query", "lead-to-deal"], ["validate"], ["export"]):
        result = run_cli(*command, "--store", str(damaged))
        one_line_error(result, f"{damaged}: cannot open the store (damaged?): Corruption: ")
