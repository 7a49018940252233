"""Benchmark of `mktgraph query NAME --store DIR` through the CLI against a pyoxigraph script.

    python benchmarks/bench_cli_query.py [--triples 100000] [--runs 21] [--write-docs]

The store holds the sample graph (`mktgraph load --example`), or with --triples a generated
graph of about that many triples (benchmarks/generate.py). For each named query, in alternating
runs (the order flips every round), each in a new interpreter, wall-clock time:
- the script: start Python, import pyoxigraph, open the store read-only, run the same query
  text (parameters bound), write the answer as CSV to stdout;
- the CLI: `python -m mktgraph query NAME --store DIR --format csv` (stdout a pipe).
Both outputs are checked to be the same bytes. Python runs as from an installed package:
with bytecode caches (kept in a temporary folder, PYTHONPYCACHEPREFIX, written by a first
run), not recompiling every module each start as PYTHONDONTWRITEBYTECODE would. Wall-clock
and CPU times (user + system) are both reported: the machine is shared. The target (issue 12,
item 4): the CLI within 2x the script for the light queries, those the store answers in under
50 ms in-process.
With --write-docs the table goes into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- cli-query:start -->", "<!-- cli-query:end -->"
TARGET = 2.0
LIGHT_SECONDS = 0.05
PARAMS = {"framework-components": {"framework": "mkt:SevenPs"}}

SCRIPT = """\
import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as handle:
    text = handle.read()
sys.stdout.buffer.write(store.query(text).serialize(format=ox.QueryResultsFormat.CSV))
"""


ENV = dict(os.environ)


def _timed(command: list[str]) -> tuple[float, float, bytes]:
    """(wall-clock seconds, CPU seconds, stdout) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, cwd=ROOT, check=False, env=ENV)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr.decode()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, done.stdout


def make_store(folder: Path, triples: int | None) -> Path:
    store = folder / "store"
    data = ["--example"]
    if triples:
        graph = folder / "graph.nt"
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--triples", str(triples)]
            + ["-o", str(graph)],
            check=True,
        )
        data = [str(graph)]
    subprocess.run(
        [sys.executable, "-m", "mktgraph", "-q", "load", *data, "--store", str(store)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return store


def in_process_seconds(store: Path, text: str) -> float:
    import pyoxigraph as ox

    opened = ox.Store.read_only(str(store))
    start = time.perf_counter()
    opened.query(text).serialize(format=ox.QueryResultsFormat.CSV)
    return time.perf_counter() - start


def bench(store: Path, runs: int, folder: Path) -> list[dict]:
    from mktgraph.queries import named_queries, prepare

    script = folder / "script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    python = sys.executable
    rows = []
    for name in named_queries():
        params = PARAMS.get(name, {})
        text, _source = prepare(name, params)
        query_file = folder / f"{name}.rq"
        query_file.write_text(text, encoding="utf-8")
        bound = [arg for key, value in params.items() for arg in ("-p", f"{key}={value}")]
        cli = [python, "-m", "mktgraph", "query", name, *bound, "--store", str(store)]
        cli += ["--format", "csv"]
        plain = [python, str(script), str(store), str(query_file)]
        wall: dict[str, list[float]] = {"script": [], "cli": []}
        cpu: dict[str, list[float]] = {"script": [], "cli": []}
        outputs = {}
        for round_ in range(runs):
            order = ("script", "cli") if round_ % 2 == 0 else ("cli", "script")
            for which in order:
                seconds, cpu_seconds, out = _timed(plain if which == "script" else cli)
                wall[which].append(seconds)
                cpu[which].append(cpu_seconds)
                outputs[which] = out
        if outputs["script"] != outputs["cli"]:
            raise SystemExit(f"{name}: the CLI's CSV differs from pyoxigraph's")
        row = {
            "query": name,
            "rows": outputs["cli"].count(b"\n") - 1,
            "in_process": in_process_seconds(store, text),
            **{f"{which}_wall": statistics.median(wall[which]) for which in wall},
            **{f"{which}_cpu": statistics.median(cpu[which]) for which in cpu},
        }
        row["ratio"] = row["cli_wall"] / row["script_wall"]
        row["cpu_ratio"] = row["cli_cpu"] / row["script_cpu"]
        rows.append(row)
        print(
            f"{name:26} {row['rows']:>6} rows  in-process {row['in_process']:.3f} s  script "
            f"{row['script_wall']:.3f} s  cli {row['cli_wall']:.3f} s  ratio {row['ratio']:.2f}  "
            f"(CPU {row['cpu_ratio']:.2f})",
            flush=True,
        )
    return rows


def bare_python(runs: int) -> float:
    return statistics.median(_timed([sys.executable, "-c", "pass"])[0] for _ in range(runs))


def installed_python(folder: Path) -> None:
    """Run Python as an installed package runs: with bytecode caches (in ``folder``)."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    _timed([sys.executable, "-m", "mktgraph", "--help"])  # writes the caches


def table(rows: list[dict], triples: str) -> str:
    lines = [
        f"Store: {triples}.",
        "",
        "| query | rows | in-process | script: wall, CPU | CLI: wall, CPU | ratio wall | "
        "ratio CPU | light |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        light = "yes" if row["in_process"] < LIGHT_SECONDS else "no"
        lines.append(
            f"| {row['query']} | {row['rows']:,} | {row['in_process'] * 1000:.1f} ms | "
            f"{row['script_wall'] * 1000:.0f} ms, {row['script_cpu'] * 1000:.0f} ms | "
            f"{row['cli_wall'] * 1000:.0f} ms, {row['cli_cpu'] * 1000:.0f} ms | "
            f"{row['ratio']:.2f} | {row['cpu_ratio']:.2f} | {light} |"
        )
    light = [row for row in rows if row["in_process"] < LIGHT_SECONDS]
    if light:
        walls = [row["ratio"] for row in light]
        cpus = [row["cpu_ratio"] for row in light]
        lines += [
            "",
            f"Light queries: wall-clock ratio median {statistics.median(walls):.2f}, worst "
            f"{max(walls):.2f}; CPU ratio median {statistics.median(cpus):.2f}, worst "
            f"{max(cpus):.2f} (target <= {TARGET:.0f}: "
            f"{'met' if statistics.median(walls) <= TARGET else 'not met'} by the median).",
        ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, nargs="*", default=[], help="generated sizes")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--commit", help="the commit measured (default: HEAD of the checkout)")
    args = parser.parse_args()
    commit = (
        args.commit
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    )
    sections = []
    cache = tempfile.TemporaryDirectory(prefix="mktgraph-cli-bench-pycache-")
    installed_python(Path(cache.name))
    for triples in [None, *args.triples]:
        with tempfile.TemporaryDirectory(prefix="mktgraph-cli-bench-") as tmp:
            folder = Path(tmp)
            store = make_store(folder, triples)
            what = f"about {triples:,} generated triples" if triples else "the sample graph"
            print(f"== {what}", flush=True)
            sections.append(table(bench(store, args.runs, folder), what + " plus the ontology"))
    baseline = bare_python(args.runs)
    load = os.getloadavg()[0]
    section = "\n\n".join(
        [
            "## `query NAME --store` through the CLI (issue 12, item 4)",
            f"`python benchmarks/bench_cli_query.py --runs {args.runs}"
            + (f" --triples {' '.join(map(str, args.triples))}" if args.triples else "")
            + "`: each named query, median of "
            f"{args.runs} alternating runs, each in a new interpreter. The script starts Python, "
            "imports pyoxigraph, opens the store read-only, runs the same query text and writes "
            "CSV; the CLI is `python -m mktgraph query NAME --store DIR --format csv`; both "
            "write the same bytes; both run with bytecode caches, as an installed package does. "
            "Light: answered in under 50 ms in-process. "
            f"A bare `python -c pass` takes {baseline * 1000:.0f} ms here. At commit {commit}, "
            f"2 cores shared with other sessions (load average {load:.1f} at the end).",
            *sections,
        ]
    )
    print(section)
    if args.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
