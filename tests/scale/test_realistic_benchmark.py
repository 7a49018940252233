"""The benchmark that cannot flatter us (issue 12): generate.py --realistic writes the shapes of
real exports and violates every (shape, constraint) pair of the shapes, and
benchmarks/versus_jena.py measures mktgraph, Jena SHACL and pySHACL and compares their results."""

from __future__ import annotations

import re
import sys
from argparse import Namespace
from collections import Counter

import pytest
from scalecheck import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402
import jena  # noqa: E402
import report_diff  # noqa: E402
import shape_pairs  # noqa: E402
import versus_jena  # noqa: E402

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def realistic(tmp_path_factory):
    path = tmp_path_factory.mktemp("realistic") / "company.nt"
    generator = generate.Generator(20_000, 0.02, 1, realistic=True)
    generate.write(path, generator)
    return path.read_text(encoding="utf-8"), generator


def test_realistic_data_has_the_shapes_of_real_exports(realistic):
    text, generator = realistic
    assert generator.count >= 20_000
    amounts = re.findall(r"<https://w3id.org/mktgraph/def/(?:budget|amount)> (\S+) \.", text)
    blank = sum(node.startswith("_:") for node in amounts)
    assert 0.6 < blank / len(amounts) < 0.8  # about 70% of money amounts as blank nodes
    assert re.search(rf'"\d+\.\d0"\^\^<{XSD}decimal>', text)  # as written: 490.00, 12.50
    assert re.search(rf'"\d+"\^\^<{XSD}integer> \.\n', text)
    assert re.search(rf'"0\d+"\^\^<{XSD}integer>', text)  # a padded whole number
    assert f"^^<{XSD}int>" in text and f"^^<{XSD}long>" in text
    stamps = re.findall(rf'"(\d{{4}}-\d\d-\d\dT[\d:]+)(Z|[+-]\d\d:\d\d)?"\^\^<{XSD}dateTime>', text)
    assert {zone for _, zone in stamps} >= {"Z", "+01:00", "-05:00", ""}
    for language in ("en", "de", "fr"):
        assert f'"@{language} .\n' in text
    descriptions = re.findall(r'<https://schema.org/description> "(.*)"@en \.', text)
    assert descriptions and max(map(len, descriptions)) > 500
    assert any("\\n" in d and '\\"' in d and "ü" in d for d in descriptions)


def test_the_pairs_come_from_the_shapes():
    pairs = shape_pairs.shape_pairs()
    assert len(pairs) == 150
    assert {
        ("Lead-contactEmail", "Pattern"), ("WonDealShape", "Or"), ("ChannelShape", "In"),
        ("ServqualScore-hasScoreOf", "MinCount"), ("Deal-worksLead-generatedBy", "Class"),
        ("PriceDecision-addressesElement-price", "HasValue"),
        ("MarketingCampaign-startDate-order", "LessThanOrEquals"),
    } <= pairs  # fmt: skip
    # The anonymous shapes inside sh:or are their parent's Or, not pairs of their own.
    assert all(shape[0].isupper() for shape, _ in pairs)


def test_realistic_data_violates_every_pair_and_conforms_at_rate_zero(tmp_path):
    found = shape_pairs.coverage(20_000, 0.02, 1, tmp_path)
    assert found["missing"] == [] and found["unexpected"] == []
    assert len(found["violated"]) == found["pairs"] == 150
    clean = tmp_path / "clean"
    clean.mkdir()
    data = clean / "company.nt"
    generate.write(data, generate.Generator(20_000, 0.0, 1, realistic=True))
    assert shape_pairs.violated_pairs(data, clean) == Counter()


def test_report_keys_count_results_and_differences_say_which_engine():
    key = ("<https://example.org/a>", "mkt:x", "MinCount", "", "Violation")
    value = ("_:", "schema:value", "Or", f'"490.00"^^<{XSD}decimal>', "Violation")
    canonical = ("_:", "schema:value", "Or", f'"490"^^<{XSD}decimal>', "Violation")
    engines = {"one": Counter({key: 1, value: 2}), "two": Counter({key: 1, canonical: 2})}
    rows = report_diff.differences(engines)
    assert [(row["value"], row["counts"], row["other values"]) for row in rows] == [
        (canonical[3], {"one": 0, "two": 2}, [value[3]]),
        (value[3], {"one": 2, "two": 0}, [canonical[3]]),
    ]
    assert report_diff.literal_equal(value[3], canonical[3])
    assert not report_diff.literal_equal(value[3], f'"490.5"^^<{XSD}decimal>')
    assert report_diff.differences({"one": engines["one"], "same": engines["one"]}) == []


def test_report_keys_of_a_report_graph(tmp_path):
    report = tmp_path / "report.ttl"
    report.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
[] a sh:ValidationReport ; sh:conforms false ; sh:result [
    a sh:ValidationResult ; sh:focusNode [] ; sh:resultPath schema:value ;
    sh:value "1500"^^<http://www.w3.org/2001/XMLSchema#int> ;
    sh:sourceConstraintComponent sh:OrConstraintComponent ; sh:resultSeverity sh:Violation ;
    sh:detail [ a sh:ValidationResult ; sh:focusNode [] ;
        sh:sourceConstraintComponent sh:DatatypeConstraintComponent ] ] , [
    a sh:ValidationResult ;
    sh:focusNode <https://w3id.org/mktgraph/.well-known/genid/b1x2> ;
    sh:resultPath schema:value ; sh:value "1500"^^<http://www.w3.org/2001/XMLSchema#int> ;
    sh:sourceConstraintComponent sh:OrConstraintComponent ; sh:resultSeverity sh:Violation ] .
"""
    )
    key = ("_:", "schema:value", "Or", f'"1500"^^<{XSD}int>', "Violation")
    assert report_diff.file_keys(report) == Counter({key: 2})  # the sh:detail is not counted


def test_differences_from_values_that_cannot_be_compared_are_labelled_known(tmp_path):
    """The shared case of such values (tests/fastshacl/incomparable_values.py): each result
    mktgraph gives and pySHACL does not is labelled, with the value it cannot be compared with;
    a difference of another kind is not."""
    from rdflib import Graph

    from mktgraph.fastshacl import validate_runner
    from mktgraph.fastshacl.runner import MemoryRunner
    from mktgraph.validate import validate_graph

    sys.path.insert(0, str(ROOT / "tests" / "fastshacl"))
    from incomparable_values import DATA, PYSHACL_MISSES, SHAPES

    data = tmp_path / "case.ttl"
    data.write_text(DATA)
    graph, shapes = Graph().parse(data), Graph().parse(data=SHAPES, format="turtle")
    fast = validate_runner(MemoryRunner.from_graph(graph), shapes, inference="none").report
    engines = {
        "mktgraph": report_diff.report_keys(fast),
        "pySHACL": report_diff.report_keys(validate_graph(graph, shapes, "none").report),
    }
    rows = report_diff.label_known(report_diff.differences(engines), [data], shapes)
    assert len(rows) == len(PYSHACL_MISSES) == 21
    assert all(row["counts"] == {"mktgraph": 1, "pySHACL": 0} for row in rows)
    assert all(row["known"].startswith("cannot be compared with ") for row in rows), rows
    by_focus = {(row["focus"], row["component"]): row["known"] for row in rows}
    ex = "https://example.org/dates/"
    assert by_focus[(f"<{ex}date-then-utc>", "LessThan")].startswith(
        f'cannot be compared with "2022-04-01T10:00:00+00:00"^^<{XSD}dateTime>: '
    )
    assert by_focus[(f"<{ex}dates-in-order>", "MaxInclusive")].startswith(
        f'cannot be compared with "2023-01-01T00:00:00+00:00"^^<{XSD}dateTime>: '
    )
    # Two equal dates under sh:lessThan: comparable, so a difference there is not a known one.
    engines["mktgraph"][(f"<{ex}dates-equal>", "<https://example.org/dates/start>", "LessThan",
                          f'"2022-05-05"^^<{XSD}date>', "Violation")] += 1  # fmt: skip
    rows = report_diff.label_known(report_diff.differences(engines), [data], shapes)
    assert [row["focus"] for row in rows if not row["known"]] == [f"<{ex}dates-equal>"]


@pytest.mark.slow
@pytest.mark.integration
def test_a_small_run_measures_every_engine_and_their_results_agree(tmp_path):
    assert jena.available(), "Debian's libapache-jena-java and Java are needed (.ci/run)"
    args = Namespace(
        violations=0.02, seed=1, runs=1, timeout=300, pyshacl_max=5_000, no_jena=False,
        jena_heap=None, sizes="5k", data_dir=None,
    )  # fmt: skip
    row = versus_jena.bench_size(5_000, args, tmp_path)
    # mktgraph and Jena agree; pySHACL lacks only results from values that cannot be compared
    # (README, "How values are compared"), each labelled as a known difference.
    for diff in row["differences"]:
        assert diff["known"], diff
        assert diff["counts"] == {"mktgraph": 1, "mktgraph --store": 1, "Jena": 1,
                                  "Jena (step)": 1, "pySHACL": 0}, diff  # fmt: skip
    counts = row["results"]
    assert set(counts) == {"mktgraph", "mktgraph --store", "Jena", "Jena (step)", "pySHACL"}
    assert counts["pySHACL"] == counts["mktgraph"] - len(row["differences"])
    assert len({n for name, n in counts.items() if name != "pySHACL"}) == 1
    assert counts["mktgraph"] > row["injected"] > 50
    tasks = row["tasks"]
    for name in ("mktgraph validate FILE", "mktgraph end to end", "Jena end to end",
                 "pyoxigraph bulk load", "mktgraph validation step", "Jena validation step",
                 "pySHACL"):  # fmt: skip
        assert len(tasks[name]) == 1 and tasks[name][0].wall > 0, name
    assert tasks["Jena validation step"][0].facts["results"] == counts["Jena (step)"]
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nold text\n")
    for _ in range(2):  # replaced, not added twice
        versus_jena.write_section(versus_jena.table([row], args), out)
    text = out.read_text()
    assert text.count(versus_jena.START) == 1 and "old text" in text
    assert f"| {row['triples']:,} | {row['injected']:,} | mktgraph {counts['mktgraph']:,}," in text


@pytest.mark.slow
def test_the_stretch_run_takes_every_step_through_the_cli(tmp_path):
    import stretch

    result = stretch.measure(3_000, tmp_path, timeout=120)
    steps = result["steps"]
    from mktgraph.queries import named_queries

    assert list(steps) == ["load", "validate", *(f"query {n}" for n in sorted(named_queries()))]
    assert all(run.wall is not None and run.rss_mb > 0 for run in steps.values())
    assert result["rows"]["validate"] > 50 and result["rows"]["query open-leads"] > 50
    text = stretch.table(result, 120)
    assert text.count("| yes |") == len(steps) and "**no**" not in text
