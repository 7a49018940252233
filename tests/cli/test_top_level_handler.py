"""The one top-level handler: exit codes for internal errors (70), a reader gone (141), a full
device (2), Ctrl-C (130) and SIGTERM (143, after cleaning up); -V, -q, -v and --debug."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def mktgraph(*args: str, **kwargs) -> subprocess.Popen:
    """mktgraph in a process of its own, run from this checkout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **kwargs.pop("env", {})}
    return subprocess.Popen([sys.executable, "-m", "mktgraph", *args], env=env, **kwargs)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    from mktgraph.api import load_data
    from mktgraph.sources import SourceSpec

    path = tmp_path_factory.mktemp("store") / "sample"
    load_data(SourceSpec(store=path), example=True)
    return path


def test_an_internal_error_is_one_line_naming_command_and_file_and_exit_70(
    run_cli, monkeypatch, tmp_path
):
    import mktgraph.api

    def broken(*_args, **_kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(mktgraph.api, "export_graph", broken)
    data = tmp_path / "data.ttl"
    data.write_text("")
    result = run_cli("export", "--data", str(data))
    assert result.exit_code == 70
    assert result.stderr == (
        f"error: internal error in `mktgraph export` (reading {data}): KeyError: 'a bug'; "
        "please report it (--debug shows the traceback)\n"
    )
    debug = run_cli("--debug", "export", "--data", str(data))
    assert debug.exit_code == 70
    assert debug.stderr.startswith("Traceback (most recent call last):\n")
    assert debug.stderr.endswith(
        f"error: internal error in `mktgraph export` (reading {data}): KeyError: 'a bug'; "
        "please report it\n"
    )


def test_a_reader_that_goes_away_is_exit_141_without_a_word(sample_store):
    process = mktgraph(
        "export", "--store", str(sample_store), "--format", "nt",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    first = process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    _out, err = process.communicate(timeout=120)
    assert first.startswith(b"<")
    assert (process.returncode, err) == (141, b"")


def test_a_full_device_on_stdout_is_one_line_and_exit_2(tmp_path):
    # /dev/full is opened for writing, as a shell's `> /dev/full` does; it is never replaced.
    with open("/dev/full", "wb") as full:
        process = mktgraph("export", "--format", "nt", stdout=full, stderr=subprocess.PIPE)
        _out, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (2, b"error: standard output: No space left on device\n")


def wait_for_file(folder: Path, pattern: str, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not any(folder.glob(pattern)):
        assert time.monotonic() < end, f"no {pattern} in {folder}"
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("number", "code", "word"),
    [(signal.SIGINT, 130, b"interrupted\n"), (signal.SIGTERM, 143, b"terminated\n")],
)
@pytest.mark.slow
def test_ctrl_c_and_sigterm_exit_with_their_codes(tmp_path, number, code, word):
    # A FIFO nobody writes to: opening it waits, so the signal comes while the command runs.
    fifo = tmp_path / "data.nt"
    os.mkfifo(fifo)
    process = mktgraph(
        "export", "--data", str(fifo), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    time.sleep(3)  # started, and waiting on the FIFO by now
    process.send_signal(number)
    _out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (code, word)


@pytest.mark.integration
def test_sigterm_during_reasoning_removes_its_temporary_folder(tmp_path):
    process = mktgraph(
        "reason", "--example", "--reasoner", "hermit",
        env={"TMPDIR": str(tmp_path)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    wait_for_file(tmp_path, "mktgraph-reason-*")
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (143, b"terminated\n")
    assert list(tmp_path.iterdir()) == []


def test_version_short_and_long(run_cli):
    from mktgraph import __version__

    for flag in ("-V", "--version"):
        result = run_cli(flag)
        assert (result.exit_code, result.stdout) == (0, f"mktgraph, version {__version__}\n")


@pytest.mark.slow
def test_quiet_drops_warnings_and_verbose_says_what_was_read(run_cli, tmp_path, sample_store):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://e/S> a sh:NodeShape ; sh:targetClass <https://w3id.org/mktgraph/def/Lead> ;\n"
        '  sh:property [ sh:path <http://e/p> ; sh:datatype "x" ] .\n'
    )
    args = ["validate", "--store", str(sample_store), "--shapes", str(shapes)]
    loud = run_cli(*args)
    assert loud.stderr.startswith("warning: fast validation does not cover")
    quiet = run_cli("-q", *args)
    assert (quiet.exit_code, quiet.stderr, quiet.stdout) == (0, "", loud.stdout)
    verbose = run_cli("-v", "export", "--no-ontology", "--example", "--format", "nt")
    assert verbose.stderr.endswith("examples/northwind.ttl: read as Turtle, 692 new triples\n")
    assert run_cli("-q", "-v", "info").exit_code == 2
