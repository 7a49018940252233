"""The console script leaves `validate FILE`'s in-memory store to the process's exit (freeing
it costs seconds at millions of triples): the output, the exit status and the error lines are
those of a normal exit; a library caller's store is closed as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mktgraph import api, exiting

ROOT = Path(__file__).resolve().parents[2]
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
MKT = "https://w3id.org/mktgraph/def/"
DECIMAL = "<http://www.w3.org/2001/XMLSchema#decimal>"
VIOLATING = (
    f"<https://example.org/c1> {TYPE} <{MKT}MarketingCampaign> .\n"
    f'<https://example.org/c1> <{MKT}budget> "-5.00"^^{DECIMAL} .\n'
)


def _console_script(*args: str) -> subprocess.CompletedProcess:
    """mktgraph as its console script runs (python -m mktgraph calls the same main())."""
    return subprocess.run(
        [sys.executable, "-m", "mktgraph", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def violating(tmp_path) -> Path:
    path = tmp_path / "violating.nt"
    path.write_text(VIOLATING, encoding="utf-8")
    return path


def test_the_report_and_status_are_those_of_the_library_route(violating, run_cli):
    shortcut = _console_script("validate", str(violating), "--format", "csv")
    in_process = run_cli("validate", str(violating), "--format", "csv")
    assert (shortcut.returncode, in_process.exit_code) == (1, 1)
    assert shortcut.stdout == in_process.stdout
    assert shortcut.stdout.count("\n") > 1  # a header and at least one result, all flushed
    assert shortcut.stderr == in_process.stderr


def test_a_report_larger_than_a_pipe_buffer_arrives_whole(tmp_path, run_cli):
    lines = [f"<https://example.org/c{n}> {TYPE} <{MKT}MarketingCampaign> .\n" for n in range(600)]
    data = tmp_path / "many.nt"
    data.write_text("".join(lines), encoding="utf-8")
    shortcut = _console_script("validate", str(data), "--format", "turtle")
    assert shortcut.returncode == 1
    assert len(shortcut.stdout.encode()) > 1 << 16
    assert shortcut.stdout == run_cli("validate", str(data), "--format", "turtle").stdout


def test_a_syntax_error_is_still_one_line_and_exit_2(tmp_path):
    broken = tmp_path / "broken.nt"
    broken.write_text(VIOLATING + "<https://example.org/c2> <p> .\n", encoding="utf-8")
    shortcut = _console_script("validate", str(broken))
    assert shortcut.returncode == 2
    assert shortcut.stdout == ""
    assert shortcut.stderr.count("\n") == 1
    assert str(broken) in shortcut.stderr and ":3" in shortcut.stderr


def test_a_library_caller_keeps_nothing(violating):
    result = api.validate_data([violating])
    assert not result.conforms
    assert exiting._kept == []
