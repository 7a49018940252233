"""Issue 12's stretch: at 10M triples, load, validate and every named query complete here.

    python benchmarks/stretch.py --triples 10m

``generate.py --realistic`` (1 % violations, seed 1) writes the graph; then, through the CLI as
a user runs it, each a process of its own bounded by ``--timeout``: `mktgraph load FILE --store
DIR`, `mktgraph validate --store DIR`, and `mktgraph query NAME --store DIR --format csv -o
FILE` for every named query (sample values for required parameters). Wall-clock and CPU time,
peak memory (benchmarks/versus_jena.run). The section between the markers in
docs/benchmarks.md is replaced.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402
import versus_jena  # noqa: E402

START = "<!-- stretch:start -->"
END = "<!-- stretch:end -->"
SAMPLE_PARAMS = {"framework": "mkt:FourPs"}


def _queries() -> dict[str, list[str]]:
    """Each named query with the -p options its required parameters need."""
    from mktgraph.queries import named_queries

    found = {}
    for name, query in sorted(named_queries().items()):
        options = []
        for parameter in query.parameters:
            if parameter.required:
                options += ["-p", f"{parameter.name}={SAMPLE_PARAMS[parameter.name]}"]
        found[name] = options
    return found


def _rows(path: Path) -> int:
    """Rows of a CSV file (quoted line breaks stay inside their row), its header left out."""
    import csv

    if not path.exists():
        return 0
    with path.open(newline="", encoding="utf-8") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def measure(triples: int, work: Path, timeout: float) -> dict:
    data = work / f"company-{triples}.nt"
    began = time.perf_counter()
    generator = generate.Generator(triples, 0.01, 1, realistic=True)
    generate.write(data, generator)
    generated = time.perf_counter() - began
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    python = [sys.executable, "-m", "mktgraph"]
    steps = {"load": versus_jena.run([*python, "load", str(data), "--store", str(store)], timeout)}
    report = work / "report.csv"
    steps["validate"] = versus_jena.run(
        [*python, "validate", "--store", str(store), "--format", "csv", "-o", str(report)],
        timeout,
        ok=(0, 1),
    )
    rows = {"validate": _rows(report)}
    for name, options in _queries().items():
        out = work / f"{name}.csv"
        command = [*python, "query", name, *options, "--store", str(store), "--format", "csv"]
        steps[f"query {name}"] = versus_jena.run([*command, "-o", str(out)], timeout)
        rows[f"query {name}"] = max(0, len(out.read_text().splitlines()) - 1) if out.exists() else 0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit,
        "triples": generator.count,
        "bytes": data.stat().st_size,
        "generated_s": generated,
        "steps": steps,
        "rows": rows,
        "load_average": os.getloadavg(),
    }


def table(result: dict, timeout: float) -> str:
    lines = [
        START,
        f"## Stretch: {result['triples']:,} triples (issue 12)",
        "",
        "Written by `python benchmarks/stretch.py` (generate.py --realistic, 1% violations, seed "
        f"1; {result['bytes'] / 1e9:.2f} GB of N-Triples) at commit {result.get('commit', '?')}. "
        "Each step through the CLI, a process of its own, killed after "
        f"{timeout:.0f} s. Load average {result['load_average'][1]:.1f} over the last 5 minutes "
        "of the run (2 cores, shared). Peak memory is the process's ru_maxrss, which on Linux "
        "starts from the benchmark process's size at fork: for the light queries it is an "
        "upper bound (the benchmark's own few hundred MB), not their use.",
        "",
        "| step | wall s | CPU s | peak MB | rows | completed |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for name, run in result["steps"].items():
        done = run.wall is not None
        wall = f"{run.wall:.1f}" if done else f"> {timeout:.0f}"
        lines.append(
            f"| {name} | {wall} | {run.cpu:.1f} | {run.rss_mb:.0f} | "
            f"{result['rows'].get(name, '') if done else ''} | {'yes' if done else '**no**'} |"
        )
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_section(text: str, path: Path) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        pattern = re.escape(START) + r".*?" + re.escape(END) + r"\n?"
        new = re.sub(pattern, lambda _: text, old, flags=re.S)
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=generate.parse_size, default=10_000_000)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per step")
    parser.add_argument("--work", type=Path, help="a folder for data and the store")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="mktgraph-stretch-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = measure(args.triples, work, args.timeout)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = table(result, args.timeout)
    write_section(text, args.output)
    print(text)
    return 0 if all(run.wall is not None for run in result["steps"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
