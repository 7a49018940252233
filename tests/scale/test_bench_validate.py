"""The validation-step benchmark runs end to end on a small graph (the real run is not part of
the tests: its figures go to docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_validate.py"


@pytest.mark.slow
def test_a_small_run_times_both_steps_and_writes_the_report(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_validate", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "2k", "--runs", "1", "--folder", str(tmp_path)]) == 0
    table = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| 2k |")]
    assert [line.split(" | ")[1] for line in table] == ["validate", "bulk load"]
    assert table[1].endswith("| 1.00x |")  # the bulk load is the unit
    header, *rows = (tmp_path / "report-2k.csv").read_text().splitlines()
    assert rows, "the generated graph has violations, so the report has rows"


def test_the_costliest_queries_are_timed_and_ranked(tmp_path):
    # --queries: every compiled query of validating the data in memory, timed alone.
    spec = importlib.util.spec_from_file_location("bench_validate", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = tmp_path / "data.ttl"
    data.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n"
        "<https://example.org/lead-1> a mkt:Lead ; mkt:contactEmail 'not an address' .\n"
    )
    found = module.costliest_queries(data, 5)
    assert len(found) == 5
    assert [cpu for cpu, _rows, _text in found] == sorted((c for c, _r, _t in found), reverse=True)
    assert all(text.lstrip().startswith("SELECT") for _cpu, _rows, text in found)
