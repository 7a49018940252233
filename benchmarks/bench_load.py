"""Load time of `mktgraph load --store` against pyoxigraph's bulk load, on blank-node-heavy data.

The data come from ``generate.py --realistic`` (about 70% of money amounts as blank nodes,
decimals as written, mixed time zones). Each run is a process of its own, the two engines in
turns; CPU time (user + system, from the process's own accounting) is reported beside wall time,
since on a shared machine the wall clock says more about the neighbours than about the code.

    python benchmarks/bench_load.py --sizes 100k,1m --runs 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PYOXIGRAPH = """
import sys, pyoxigraph as ox
from mktgraph import resources
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)
for path in resources.ontology_files():
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
store.flush()
"""


def measure(
    command: list[str], where: Path = ROOT, exit_codes: tuple[int, ...] = (0,)
) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, peak RSS in MB) of one process (its children included),
    run in the checkout ``where``; an exit code outside ``exit_codes`` stops the benchmark."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=where, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) not in exit_codes:
        raise SystemExit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss // 1024


def realistic_data(size: str, folder: Path) -> Path:
    """``generate.py --realistic`` data of ``size`` triples (1% violations) in ``folder``,
    made once."""
    data = folder / f"realistic-{size}.nt"
    if not data.exists():
        generate = [sys.executable, "benchmarks/generate.py", "--triples", size, "--realistic"]
        subprocess.run([*generate, "--violations", "0.01", "-o", str(data)], cwd=ROOT, check=True)
    return data


def run(
    size: str, runs: int, folder: Path, before: Path | None = None
) -> dict[str, list[tuple[float, float, int]]]:
    data = realistic_data(size, folder)
    found: dict[str, list[tuple[float, float, int]]] = {"mktgraph": [], "pyoxigraph": []}
    if before is not None:
        found["mktgraph before"] = []
    for _ in range(runs):
        for engine in found:
            with tempfile.TemporaryDirectory(dir=folder) as scratch:
                store = str(Path(scratch) / "store")
                if engine == "pyoxigraph":
                    command = [sys.executable, "-c", PYOXIGRAPH, str(data), store]
                else:
                    mktgraph = [sys.executable, "-m", "mktgraph", "load", str(data)]
                    command = [*mktgraph, "--store", store]
                where = before if engine == "mktgraph before" else ROOT
                found[engine].append(measure(command, where))
    return found


def arguments(
    doc: str, argv: list[str] | None, runs: int, *more: tuple[str, dict]
) -> argparse.Namespace:
    """The options of a benchmark (``doc``: its docstring) that times sizes of realistic data
    in alternating runs (``--sizes``, ``--runs``, ``--folder``), and ``more`` (name,
    add_argument keywords); the folder made (a new temporary one when not given)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m")
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--folder", type=Path, help="where data and stores go (default: a tmp)")
    for name, keywords in more:
        parser.add_argument(name, **keywords)
    args = parser.parse_args(argv)
    args.folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-"))
    args.folder.mkdir(parents=True, exist_ok=True)
    return args


def print_rows(size: str, found: dict[str, list[tuple[float, float, int]]], unit: str) -> None:
    """The table rows of one size: each engine's or step's runs, its CPU time as a multiple of
    ``unit``'s (the mean of the runs)."""
    base = sum(cpu for cpu, _w, _m in found[unit]) / len(found[unit])
    for engine, rows in found.items():
        cpu = sum(c for c, _w, _m in rows) / len(rows)
        print(
            f"| {size} | {engine} | {' / '.join(f'{c:.2f}' for c, _w, _m in rows)} | "
            f"{' / '.join(f'{w:.2f}' for _c, w, _m in rows)} | "
            f"{max(m for _c, _w, m in rows)} | {cpu / base:.2f}x |",
            flush=True,
        )


def print_header(what: str) -> None:
    """The commit, the load average, and the table's head (``what``: engine, step...)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    load = os.getloadavg()[0]
    print(f"commit {commit}; load average before: {load:.1f} on {os.cpu_count()} cores")
    print(f"| size | {what} | CPU s (each run) | wall s (each run) | peak MB | CPU ratio (mean) |")
    print("|---|---|---|---|---|---|", flush=True)


def main(argv: list[str] | None = None) -> int:
    before = {"type": Path, "help": "another checkout (an earlier commit) to run in turn too"}
    args = arguments(__doc__, argv, 2, ("--before", before))
    print_header("engine")
    for size in args.sizes.split(","):
        found = run(size, args.runs, args.folder, args.before)
        print(f"(load average after {size}: {os.getloadavg()[0]:.1f})")
        print_rows(size, found, "pyoxigraph")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
