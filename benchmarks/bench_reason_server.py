"""`mktgraph reason --endpoint` on an Oxigraph server: OWL 2 RL computed inside the server.

For each size, benchmarks/generate.py writes a company graph, `mktgraph load --endpoint` sends
it (with the ontology) to a named graph of a fresh `oxigraph serve`, and `mktgraph reason
--endpoint` closes it there; the command runs under /usr/bin/time (wall-clock, CPU and peak
memory of mktgraph), and the server's own CPU time is read from /proc before and after. The
same file then goes through `load --store` and `reason --store`, and the two inferred counts are
compared. HermiT's check of the ontology is cached before the timed runs.

    python benchmarks/bench_reason_server.py                 # 100k
    python benchmarks/bench_reason_server.py --sizes 10k --out -
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reason_store import REPO, cell, generate, inferred_facts, mktgraph, parse_size, timed

START, END = (
    "<!-- server-results: written by benchmarks/bench_reason_server.py -->",
    "<!-- /server-results -->",
)
GRAPH = "https://example.org/company"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    executable = shutil.which("oxigraph") or "oxigraph"
    server = subprocess.Popen(
        [executable, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    assert server.stdout is not None
    deadline = time.monotonic() + 60
    while "Listening for requests at" not in server.stdout.readline():
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("oxigraph serve did not start")
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=parse_size, default=[100_000])
    parser.add_argument("--limit", type=float, default=1800.0, help="seconds per command")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks-reasoning.md"))
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="mktgraph-bench-") as tmp:
        folder = Path(tmp)
        warm = folder / "warm"
        subprocess.run(mktgraph("load", "--example", "--store", str(warm)), check=True,
                       capture_output=True, cwd=REPO)  # fmt: skip
        subprocess.run(
            mktgraph("reason", "--store", str(warm), "--reasoner", "rl"),
            check=True,
            capture_output=True,
            cwd=REPO,
        )  # fmt: skip  (HermiT cached)
        for size in args.sizes:
            data = generate(size, folder)
            server, url = start_server(folder / f"server-{size}")
            try:
                endpoint = ["--endpoint", url, "--server", "oxigraph", "--graph", GRAPH]
                load = timed(mktgraph("load", str(data), "--with-ontology", *endpoint), args.limit)
                before = cpu_seconds(server.pid)
                load_average = os.getloadavg()[0]
                reason = timed(
                    mktgraph("reason", *endpoint, "--timeout", str(args.limit)), args.limit + 60
                )
                server_cpu = cpu_seconds(server.pid) - before
            finally:
                server.terminate()
                server.wait(30)
            store = folder / f"store-{size}"
            subprocess.run(mktgraph("load", str(data), "--store", str(store)), check=True,
                           capture_output=True, cwd=REPO)  # fmt: skip
            kept = timed(mktgraph("reason", "--store", str(store), "--reasoner", "rl"),
                         args.limit + 60)  # fmt: skip
            rows.append([
                f"{size:,}", cell(load), cell(reason), f"{server_cpu:.1f} s",
                inferred_facts(reason["stdout"]), inferred_facts(kept["stdout"]),
                f"{load_average:.1f}",
            ])  # fmt: skip
            print(rows[-1], file=sys.stderr, flush=True)
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, oxigraph server from PyPI"
    )
    table = [
        "| triples generated | load --endpoint | reason --endpoint (mktgraph) | server CPU "
        "| inferred facts | reason --store: facts | load average |",
        "|---|---|---|---|---|---|---|",
    ]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    text = (
        f"Machine: {machine}. Wall-clock time, CPU time (user + system) and peak memory of\n"
        "each mktgraph command (/usr/bin/time); the server's CPU time during `reason` from /proc;\n"
        "the load average (1 minute) as `reason` started. One run.\n\n" + "\n".join(table) + "\n"
    )
    if args.out == "-":
        print(text)
        return
    path = Path(args.out)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START not in old:
        old = old.rstrip("\n") + f"\n\n{START}\n{END}\n"
    before_text, rest = old.split(START, 1)
    path.write_text(f"{before_text}{START}\n{text}{END}{rest.split(END, 1)[1]}", encoding="utf-8")


if __name__ == "__main__":
    main()
