"""benchmarks/endpoint_bytes.py at a small size: it measures every source (the embedded store,
Oxigraph and Virtuoso servers, Jena), the reports of the store and the Oxigraph server agree on
the plain generator's data, and its section of docs/benchmarks.md survives benchmarks/run.py
rewriting the file."""

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
@pytest.mark.slow
def test_a_small_run_measures_every_source(tmp_path):
    bench = _module("endpoint_bytes")
    row = bench.measure(5_000, tmp_path)
    engines = row["engines"]
    assert set(engines) == {"--store", "oxigraph", "virtuoso", "Jena"}
    assert engines["--store"]["same as Jena"]
    assert engines["--store"]["results"] == engines["Jena"]["results"] > 50
    for server in ("oxigraph", "virtuoso"):
        assert 0 < engines[server]["received"] < row["nt_bytes"]
        assert engines[server]["rss_mb"] > 0 and engines[server]["results"] > 0
    # Each difference names the engines whose count differs (the server paths' known gaps
    # are listed in docs/benchmarks.md from these rows).
    for diff in row["differences"]:
        assert len(set(diff["counts"].values())) > 1
    plain = bench.measure(
        5_000, tmp_path / "plain", servers=("oxigraph",), use_jena=False, realistic=False
    )
    assert plain["engines"]["oxigraph"]["same as --store"]
    assert plain["differences"] == []
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nold text\n")
    bench.write_section(bench.table([row]), out)
    bench.write_section(bench.table([row]), out)  # replaced, not added twice
    text = out.read_text()
    assert text.count(bench.START) == 1 and "old text" in text
    assert "| 5,000 | " in text and "--endpoint virtuoso" in text


def test_run_keeps_the_marked_sections(tmp_path):
    run = _module("run")
    old = tmp_path / "benchmarks.md"
    old.write_text("report\n<!-- endpoint-bytes:start -->\nrows\n<!-- endpoint-bytes:end -->\n")
    assert run.kept_sections(old) == (
        "\n<!-- endpoint-bytes:start -->\nrows\n<!-- endpoint-bytes:end -->\n"
    )
    assert run.kept_sections(tmp_path / "none.md") == ""
