"""A 200,000-triple file loads with bounded memory, and shows progress on a terminal only."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sparql_servers import env_without_proxies

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# A server of each test's own: after 200,000 triples are replaced, the deleted entries slow
# the shared server's scans so much that a later test's queries take minutes (seen with
# the W3C shacl-shacl test in the full run).

TRIPLES = 200_000
# Run a command, then print the peak resident memory of that child (KiB on Linux).
PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stdout)\n"
    "sys.exit(code)\n"
)
# Parsing the same file into an rdflib graph takes about 350 MB; the stream takes a few MB.
GROWTH_LIMIT_KIB = 40 * 1024


def generate(path: Path, triples: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(triples):
            out.write(
                f"<https://example.org/big/lead-{i // 5}> <https://example.org/big/p{i % 5}> "
                f'"value {i} of the generated graph"@en .\n'
            )
    return path


def load_measured(data: Path, options: list[str], stderr) -> tuple[list[str], int]:
    """Run `mktgraph load` in a child process: its output lines and its peak RSS (KiB)."""
    command = [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "mktgraph", "load"]
    process = subprocess.run(
        [*command, str(data), *options],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        timeout=300,
        env=env_without_proxies(),
    )
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    return lines[:-1], int(lines[-1])


def read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_a_large_file_loads_with_bounded_memory(private_oxigraph, tmp_path, protocol):
    tiny = generate(tmp_path / "tiny.nt", 1)
    big = generate(tmp_path / "big.nt", TRIPLES)
    replace = ["--replace"] if protocol == "gsp" else []  # (a MOVE of 200k is slow on Oxigraph)
    options = [*private_oxigraph.options(), *replace, "--protocol", protocol]
    _lines, baseline = load_measured(tiny, options, subprocess.PIPE)
    # stderr on a terminal: progress shows there.
    controller, terminal = pty.openpty()
    try:
        lines, peak = load_measured(big, options, terminal)
    finally:
        os.close(terminal)
    shown = read_all(controller).decode()
    os.close(controller)
    if protocol == "gsp":
        assert lines == [
            f"replaced the default graph with {TRIPLES} triples (Graph Store Protocol, 1 request)",
            f"the default graph now holds {TRIPLES} triples",
        ]
    else:
        assert lines == [
            # The tiny file's one triple is the big file's first: the graph gains one less.
            f"added {TRIPLES - 1} triples to the default graph ({TRIPLES} sent, 1 of them there"
            " already or repeated; SPARQL Update, 20 requests)",
            f"the default graph now holds {TRIPLES} triples (before: 1)",
        ]
    assert private_oxigraph.count() == TRIPLES
    assert peak - baseline < GROWTH_LIMIT_KIB, f"peak {peak} KiB, baseline {baseline} KiB"
    progress = re.findall(r"\r([\d,]+) triples sent, ([\d,]+) triples/s", shown)
    assert progress, repr(shown)
    assert progress[-1][0] == f"{TRIPLES:,}"
    assert shown.endswith("\n")


def test_no_progress_when_stderr_is_not_a_terminal(private_oxigraph, tmp_path):
    data = generate(tmp_path / "data.nt", 20_000)
    process = subprocess.run(
        [sys.executable, "-m", "mktgraph", "load", str(data), *private_oxigraph.options()],
        capture_output=True,
        text=True,
        timeout=120,
        env=env_without_proxies(),
    )
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    assert process.stdout == (
        "added 20000 triples to the default graph (Graph Store Protocol, 1 request)\n"
        "the default graph now holds 20000 triples (before: 0)\n"
    )
