"""An xsd:date and an xsd:dateTime are incomparable (XSD, SHACL, Jena): mktgraph's validator
reports the pair in both orders, on files and in the embedded store, with the same results;
where pySHACL validates (--inference owlrl, an rdflib Graph) it keeps its own reading.
Servers: tests/integration/test_server_dates.py."""

from __future__ import annotations

import pytest
from incomparable_dates import DATA, EXPECTED, PYSHACL_MISSES, SHAPES, rows
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from mktgraph.fastshacl import checks, validate_runner
from mktgraph.fastshacl.runner import MemoryRunner
from mktgraph.validate import load_shapes, result_of


@pytest.fixture
def files(tmp_path):
    data = tmp_path / "periods.ttl"
    data.write_text(DATA)
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES)
    return data, shapes


def _result_rows(result) -> list[tuple[str, ...]]:
    keys = ("focus", "path", "value", "message", "shape", "component")
    return sorted(tuple(row.as_dict()[k] for k in keys) for row in result.rows)


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_the_fast_validator_on_files_reports_both_orders(files, inference):
    data, shapes = files
    shapes_graph = load_shapes([shapes])  # as the commands read --shapes (no prefixes kept)
    from_files = validate_runner(MemoryRunner.from_files([data]), shapes_graph, inference=inference)
    assert from_files.fallback == []
    assert _result_rows(result_of(from_files.report, from_files.conforms, inference)) == EXPECTED
    graph = Graph().parse(data)
    from_graph = validate_runner(MemoryRunner.from_graph(graph), shapes_graph, inference=inference)
    assert _result_rows(result_of(from_graph.report, from_graph.conforms, inference)) == EXPECTED


def test_validate_files_reports_both_orders(run_cli, files):
    data, shapes = files
    result = run_cli("validate", str(data), "--shapes", str(shapes), "--format", "csv")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == "13 results: 13 violations, 0 warnings, 0 infos\n"
    assert rows(result.stdout) == EXPECTED


def test_validate_store_reports_both_orders(run_cli, files, tmp_path):
    data, shapes = files
    store = str(tmp_path / "store")
    loaded = run_cli("load", str(data), "--store", store)
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("validate", "--store", store, "--shapes", str(shapes), "--format", "csv")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == "13 results: 13 violations, 0 warnings, 0 infos\n"
    assert rows(result.stdout) == EXPECTED


def test_pyshacl_keeps_its_reading_where_it_validates(run_cli, files, tmp_path):
    # --inference owlrl is pySHACL's on every path: a date before a date-time passes there.
    data, shapes = files
    store = str(tmp_path / "store")
    assert run_cli("load", str(data), "--store", store).exit_code == 0
    expected = sorted(set(EXPECTED) - set(PYSHACL_MISSES))
    assert len(expected) == 6 and len(PYSHACL_MISSES) == 7
    for where in ([str(data)], ["--store", store]):
        result = run_cli(
            "validate", *where, "--shapes", str(shapes), "--inference", "owlrl", "--format", "csv"
        )
        assert result.exit_code == 1, result.stderr
        assert rows(result.stdout) == expected


def test_pyshacl_keeps_its_reading_on_an_rdflib_graph(files):
    # The Python API validates an rdflib Graph with pySHACL (mktgraph.validate_data).
    from mktgraph import validate_data

    data, shapes = files
    result = validate_data(Graph().parse(data), [shapes])
    assert _result_rows(result) == sorted(set(EXPECTED) - set(PYSHACL_MISSES))


@pytest.mark.parametrize(
    ("one", "other", "meet"),
    [
        (Literal("2022-03-01", datatype=XSD.date), Literal("2022-03-01T00:00:00Z", datatype=XSD.dateTime), True),  # noqa: E501
        (Literal("2022-03-01T00:00:00", datatype=XSD.dateTimeStamp), Literal("2022-03-01", datatype=XSD.date), True),  # noqa: E501
        (Literal("2022-02-30", datatype=XSD.date), Literal("2022-03-01T00:00:00", datatype=XSD.dateTime), True),  # noqa: E501
        (Literal("2022-03-01", datatype=XSD.date), Literal("2022-03-02", datatype=XSD.date), False),
        (Literal("2022-03-01T00:00:00", datatype=XSD.dateTime), Literal("2022-03-01T00:00:00Z", datatype=XSD.dateTime), False),  # noqa: E501
        (Literal("2022-03-01", datatype=XSD.date), Literal("2022-03-01"), False),
    ],
)  # fmt: skip
def test_which_pairs_are_a_date_and_a_date_time(one, other, meet):
    assert checks.dates_meet_date_times(one, other) is meet
    assert checks.dates_meet_date_times(other, one) is meet
