"""benchmarks/endpoint_bytes.py at a small size: it measures, the two reports agree, and its
section of docs/benchmarks.md survives benchmarks/run.py rewriting the file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module(name: str):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.integration
def test_a_small_run_measures_and_agrees(tmp_path):
    bench = _module("endpoint_bytes")
    row = bench.measure(5_000, tmp_path)
    assert row["same"]
    assert row["endpoint"]["results"] == row["store"]["results"] > 0
    assert 0 < row["endpoint"]["received"] < row["nt_bytes"]
    assert row["endpoint"]["rss_mb"] > 0
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nold text\n")
    bench.write_section(bench.table([row]), out)
    bench.write_section(bench.table([row]), out)  # replaced, not added twice
    text = out.read_text()
    assert text.count(bench.START) == 1 and "old text" in text
    assert "| 5,000 |" in text


def test_run_keeps_the_marked_sections(tmp_path):
    run = _module("run")
    old = tmp_path / "benchmarks.md"
    old.write_text("report\n<!-- endpoint-bytes:start -->\nrows\n<!-- endpoint-bytes:end -->\n")
    assert run.kept_sections(old) == (
        "\n<!-- endpoint-bytes:start -->\nrows\n<!-- endpoint-bytes:end -->\n"
    )
    assert run.kept_sections(tmp_path / "none.md") == ""
