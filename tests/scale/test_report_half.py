"""The report-half benchmark runs end to end on a shape case (the real runs are not part of
the tests: their figures go to docs/benchmarks.md), and leaves mktgraph as it found it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import mktgraph.fastshacl.report as report_module
import mktgraph.validate as validate_module
from mktgraph.api import validate_data

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "report_half.py"


def test_a_run_on_a_shape_case_times_each_step(capsys):
    spec = importlib.util.spec_from_file_location("report_half", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = ROOT / "tests" / "shapes" / "cases" / "deals" / "invalid.ttl"
    builder, sorted_rows = report_module.ReportBuilder, validate_module.sorted_rows
    assert module.main([str(data)]) == 0
    assert (report_module.ReportBuilder, validate_module.sorted_rows) == (builder, sorted_rows)
    first, steps = capsys.readouterr().out.splitlines()
    results = len(validate_data([data]).rows)
    assert results > 0
    assert re.fullmatch(
        rf"{results} results; validate_data [\d.]+ s CPU, of which the report [\d.]+ s and the "
        r"rows [\d.]+ s; Turtle [\d.]+ s; report half [\d.]+ s",
        first,
    )
    names = re.findall(r"(\w+) [\d.]+ s", steps)
    assert names == ["quads", "dataset", "canonicalize", "sort", "write"]
