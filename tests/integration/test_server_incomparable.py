"""`validate --endpoint` on an Oxigraph server and on Virtuoso: values of two kinds (an xsd:date
and an xsd:dateTime, a number and a string...) cannot be compared and are reported in both
orders, with the results of the files and the store
(tests/fastshacl/test_incomparable_values.py); pySHACL (--inference owlrl) keeps its reading."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sparql_servers import write

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fastshacl"))

from incomparable_values import DATA, EXPECTED, PYSHACL_MISSES, SHAPES, rows  # noqa: E402

pytestmark = pytest.mark.integration


@pytest.fixture(params=["oxigraph", "virtuoso"])
def target(request, new_graph):
    """The options naming a server, and a graph of the test's own on it (Virtuoso)."""
    if request.param == "oxigraph":
        return request.getfixturevalue("oxigraph").options()
    return [*request.getfixturevalue("virtuoso").options(), "--graph", new_graph]


def test_values_of_two_kinds_are_reported_in_both_orders(run_cli, target, tmp_path):
    data = write(tmp_path / "periods.ttl", DATA)
    shapes = write(tmp_path / "shapes.ttl", SHAPES)
    loaded = run_cli("load", str(data), "--replace", *target)
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("validate", *target, "--shapes", str(shapes), "--format", "csv")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == "42 results: 42 violations, 0 warnings, 0 infos\n"
    assert rows(result.stdout) == EXPECTED
    owlrl = run_cli(
        "validate", *target, "--shapes", str(shapes), "--inference", "owlrl", "--format", "csv"
    )
    assert owlrl.exit_code == 1, owlrl.stderr
    assert rows(owlrl.stdout) == sorted(set(EXPECTED) - set(PYSHACL_MISSES))


def test_jena_gives_the_same_results(tmp_path):
    """Apache Jena's SHACL (Debian's 4.5) on the same case: the same results, pair by pair,
    values compared by value (Jena writes "Z" where rdflib writes "+00:00")."""
    import subprocess

    from rdflib import Graph, Literal
    from rdflib.namespace import SH

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import jena

    assert jena.available(), "Debian's libapache-jena-java and Java are needed (.ci/run)"
    data = write(tmp_path / "periods.ttl", DATA)
    shapes = write(tmp_path / "shapes.ttl", SHAPES)
    command = jena.shacl_command(shapes, data, tmp_path / "jena-cache", heap="512m")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    report = Graph().parse(data=done.stdout, format="turtle")

    def value_key(value: str | Literal):
        literal = value if isinstance(value, Literal) else None
        if literal is not None and literal.value is not None and not isinstance(literal.value, str):
            return literal.value
        return str(value)

    from_jena = sorted(
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1],
            str(value_key(report.value(r, SH.value))),
        )
        for r in report.subjects(SH.sourceConstraintComponent, None)
    )
    graph = Graph().parse(data=DATA, format="turtle")
    written = {str(o): o for o in graph.objects()}  # the literals of EXPECTED, as terms
    expected = sorted(
        (row[0], row[1], row[5].removeprefix("sh:"), str(value_key(written.get(row[2], row[2]))))
        for row in EXPECTED
    )
    assert len(expected) == 42
    assert from_jena == expected
