"""Values of two kinds (an xsd:date and an xsd:dateTime, a number and a string...) cannot be
compared (SPARQL, XPath, SHACL, Jena): mktgraph's validator reports such a pair in both orders,
on files and in the embedded store, with the same results; where pySHACL validates
(--inference owlrl, an rdflib Graph) it keeps its own reading.
Servers: tests/integration/test_server_incomparable.py."""

from __future__ import annotations

import pytest
from incomparable_values import DATA, EXPECTED, PYSHACL_MISSES, SHAPES, rows
from rdflib import BNode, Graph, Literal, URIRef
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
    assert result.stderr == "42 results: 42 violations, 0 warnings, 0 infos\n"
    assert rows(result.stdout) == EXPECTED


def test_validate_store_reports_both_orders(run_cli, files, tmp_path):
    data, shapes = files
    store = str(tmp_path / "store")
    loaded = run_cli("load", str(data), "--store", store)
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("validate", "--store", store, "--shapes", str(shapes), "--format", "csv")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == "42 results: 42 violations, 0 warnings, 0 infos\n"
    assert rows(result.stdout) == EXPECTED


def test_pyshacl_keeps_its_reading_where_it_validates(run_cli, files, tmp_path):
    # --inference owlrl is pySHACL's on every path: a date before a date-time passes there.
    data, shapes = files
    store = str(tmp_path / "store")
    assert run_cli("load", str(data), "--store", store).exit_code == 0
    expected = sorted(set(EXPECTED) - set(PYSHACL_MISSES))
    assert len(expected) == 21 and len(PYSHACL_MISSES) == 21
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


def _l(lexical: str, datatype: str | None = None, lang: str | None = None) -> Literal:
    return Literal(lexical, datatype=XSD[datatype] if datatype else None, lang=lang)


@pytest.mark.parametrize(
    ("one", "other", "order"),
    [
        # numbers of any numeric datatype, among themselves
        (_l("1", "integer"), _l("2.5", "decimal"), -1),
        (_l("1", "int"), _l("1.0", "double"), 0),
        (_l("3", "byte"), _l("2.5", "float"), 1),
        (_l("1.5", "decimal"), _l("NaN", "double"), None),  # NaN is unordered
        (_l("abc", "integer"), _l("5", "integer"), None),  # ill-typed
        (_l("1", "integer"), _l("1"), None),
        (_l("1", "integer"), _l("true", "boolean"), None),
        # strings, plain or of a type derived from xsd:string; tagged strings by language
        (_l("a"), _l("b", "string"), -1),
        (_l("b", "normalizedString"), _l("a", "token"), 1),
        (_l("a", lang="en"), _l("b", lang="EN"), -1),
        (_l("a", lang="en"), _l("b", lang="fr"), None),
        (_l("a", lang="en"), _l("b"), None),
        (_l("http://a", "anyURI"), _l("http://b", "anyURI"), None),
        (_l("0A", "hexBinary"), _l("0B", "hexBinary"), None),
        # booleans
        (_l("false", "boolean"), _l("true", "boolean"), -1),
        # dates, date-times, times, each among its own kind
        (_l("2022-03-01", "date"), _l("2022-03-01T00:00:00Z", "dateTime"), None),
        (_l("2022-03-01T00:00:00Z", "dateTimeStamp"), _l("2022-03-01", "date"), None),
        (_l("2022-02-30", "date"), _l("2022-03-01T00:00:00", "dateTime"), None),
        (_l("2022-03-01", "date"), _l("2022-03-02", "date"), -1),
        (_l("2022-03-01T10:00:00Z", "dateTimeStamp"), _l("2022-03-01T11:00:00Z", "dateTime"), -1),
        (_l("2022-03-01T10:00:00", "dateTime"), _l("2022-03-01T10:00:00Z", "dateTime"), None),
        (_l("2022-03-01T10:00:00", "dateTime"), _l("2022-03-03T10:00:00Z", "dateTime"), -1),
        (_l("2022-03-01T10:00:00", "dateTime"), _l("2022-02-27T10:00:00Z", "dateTime"), 1),
        (_l("10:00:00", "time"), _l("11:00:00", "time"), -1),
        (_l("10:00:00", "time"), _l("2022-03-01T11:00:00", "dateTime"), None),
        (_l("10:00:00", "time"), _l("2022-03-01", "date"), None),
        # the Gregorian types, each among its own kind, in one time zone
        (_l("2021", "gYear"), _l("2022", "gYear"), -1),
        (_l("2021", "gYear"), _l("2021Z", "gYear"), None),
        (_l("2021-05", "gYearMonth"), _l("2021-04", "gYearMonth"), 1),
        (_l("2021", "gYear"), _l("2021-01-01", "date"), None),
        (_l("2021", "gYear"), _l("2021", "integer"), None),
        (_l("---01", "gDay"), _l("---02", "gDay"), -1),
        # durations: months against months, days and times against days and times
        (_l("P1D", "duration"), _l("P2D", "duration"), -1),
        (_l("PT36H", "dayTimeDuration"), _l("P1D", "duration"), 1),
        (_l("P1M", "yearMonthDuration"), _l("P1Y", "yearMonthDuration"), -1),
        (_l("P1M", "duration"), _l("P30D", "duration"), None),
        # IRIs, blank nodes and unknown datatypes are not ordered
        (URIRef("https://example.org/a"), URIRef("https://example.org/b"), None),
        (URIRef("https://example.org/a"), _l("a"), None),
        (BNode(), _l("a"), None),
        (Literal("a", datatype=URIRef("https://example.org/dt")),
         Literal("b", datatype=URIRef("https://example.org/dt")), None),
    ],
)  # fmt: skip
def test_which_values_compare(one, other, order):
    assert checks.compare(one, other) == order
    assert checks.compare(other, one) == (None if order is None else -order)
    assert checks.comparable(one, other) is (order is not None)
    with checks.quiet_rdflib():
        assert checks.pair_fails(one, other, or_equal=True) is (order is None or order > 0)
        assert checks.pair_fails(one, other, or_equal=False) is (order is None or order >= 0)
        if isinstance(other, Literal):
            assert checks.range_ok(one, other, ">=") is (order is not None and order >= 0)
            assert checks.range_ok(one, other, "<") is (order is not None and order < 0)


def test_a_blank_node_in_a_pair_is_a_result_not_an_error(run_cli, tmp_path):
    # pySHACL stops ("Cannot use sh:lessThan to compare a BlankNode"); SPARQL cannot compare
    # a blank node, so SHACL asks for a result, and Jena gives it.
    data = tmp_path / "blank.ttl"
    data.write_text(
        "@prefix ex: <https://example.org/dates/> .\n"
        'ex:blank a ex:Period ; ex:start "a" ; ex:end [] .\n'
    )
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES)
    store = str(tmp_path / "store")
    assert run_cli("load", str(data), "--store", store).exit_code == 0
    for where in ([str(data)], ["--store", store]):
        result = run_cli("validate", *where, "--shapes", str(shapes), "--format", "csv")
        assert result.exit_code == 1, result.stderr
        found = sorted((row[0], row[2], row[5]) for row in rows(result.stdout))
        assert found == [
            ("https://example.org/dates/blank", "a", "sh:LessThanConstraintComponent"),
            ("https://example.org/dates/blank", "a", "sh:LessThanOrEqualsConstraintComponent"),
        ]
