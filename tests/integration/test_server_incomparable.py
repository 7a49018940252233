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
    assert result.stderr == "40 results: 40 violations, 0 warnings, 0 infos\n"
    assert rows(result.stdout) == EXPECTED
    owlrl = run_cli(
        "validate", *target, "--shapes", str(shapes), "--inference", "owlrl", "--format", "csv"
    )
    assert owlrl.exit_code == 1, owlrl.stderr
    assert rows(owlrl.stdout) == sorted(set(EXPECTED) - set(PYSHACL_MISSES))
