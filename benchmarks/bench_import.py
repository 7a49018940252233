"""Benchmark of `mktgraph import`: CSV rows into an embedded store (and a file) against
morph-kgc run directly on the same mapping and data.

    python benchmarks/bench_import.py --rows 100000 1000000 [--write-docs]

Each size: a deals.csv in mktgraph's template (about 9 triples a row), then, each in a
process of its own (time and peak memory from the kernel):
- morph-kgc alone: `python -m morph_kgc` with the `mktgraph` mapping, N-Triples to a file;
- `mktgraph import deals.csv --store DIR` (checks and normalises every cell, runs the same
  rules, bulk-loads the store, writes the provenance side table);
- `mktgraph import deals.csv -o deals.nt`.
The target (issue 15): the import into a store within 1.5 times morph-kgc alone, with memory
bounded whatever the size. With --write-docs the table goes into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench_import: begin -->", "<!-- bench_import: end -->"
TARGET = 1.5


def write_deals(path: Path, rows: int, seed: int = 15) -> None:
    rng = random.Random(seed)
    stages = ["OpenStage", "WonStage", "LostStage"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["id", "name", "deal_stage", "works_lead_id", "amount", "amount_currency", "close_date"]
        )
        for n in range(rows):
            out.writerow(
                [
                    f"deal-{n}",
                    f"Deal {n}",
                    stages[n % 3],
                    f"lead-{n}",
                    f"{rng.randrange(100, 100000)}.{rng.randrange(1, 99)}".rstrip("0"),
                    "EUR",
                    f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
                ]
            )


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``command``; (seconds, peak resident memory of the process tree in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def peak_of(command: list[str], cwd: Path) -> tuple[float, float]:
    """Like ``timed``, but the peak of this one run (GNU time), not of the whole session."""
    wrapped = ["/usr/bin/time", "-f", "%M", *command]
    start = time.monotonic()
    completed = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr[-2000:]}")
    kilobytes = int(completed.stderr.strip().splitlines()[-1])
    return seconds, kilobytes / 1024


def run_size(rows: int, work: Path) -> dict:
    from ruamel.yaml import YAML

    from mktgraph.resources import mapping_files

    # The shipped `mktgraph` mapping's rules for deals (morph-kgc alone needs every source
    # a mapping names to exist).
    shipped = next(p for p in mapping_files() if p.stem == "mktgraph")
    yaml = YAML()
    document = yaml.load(shipped.read_text(encoding="utf-8"))
    document["mappings"] = {k: v for k, v in document["mappings"].items() if k.startswith("deal")}
    mapping = work / "deals.yml"
    with mapping.open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle)
    data = work / "deals.csv"
    write_deals(data, rows)
    config = work / "morph.ini"
    config.write_text(
        "[CONFIGURATION]\noutput_file: morph.nt\nlogging_level: WARNING\n"
        f"[DataSource]\nmappings: {mapping}\n",
        encoding="utf-8",
    )
    python = sys.executable
    env_cwd = work
    # the mapping's source is deals.csv, relative to the working folder
    morph_seconds, morph_mb = peak_of([python, "-m", "morph_kgc", str(config)], env_cwd)
    triples = sum(1 for _ in (work / "morph.nt").open("rb"))
    mktgraph = [python, "-m", "mktgraph", "import", str(data), "--mapping", str(mapping)]
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    store_seconds, store_mb = peak_of([*mktgraph, "--store", str(work / "store")], ROOT)
    file_seconds, file_mb = peak_of([*mktgraph, "-o", str(work / "out.nt")], ROOT)
    return {
        "rows": rows,
        "triples": triples,
        "morph": (morph_seconds, morph_mb),
        "store": (store_seconds, store_mb),
        "file": (file_seconds, file_mb),
    }


def table(results: list[dict]) -> str:
    lines = [
        "| rows | triples | morph-kgc alone | import into --store | ratio | rows/s "
        "| import -o file.nt | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m, s, f = r["morph"], r["store"], r["file"]
        lines.append(
            f"| {r['rows']:,} | {r['triples']:,} | {m[0]:.1f} s, {m[1]:,.0f} MB | "
            f"{s[0]:.1f} s, {s[1]:,.0f} MB | {s[0] / m[0]:.2f} | {r['rows'] / s[0]:,.0f} | "
            f"{f[0]:.1f} s, {f[1]:,.0f} MB | {f[0] / m[0]:.2f} |"
        )
    return "\n".join(lines)


def verdict(results: list[dict]) -> str:
    largest = max(results, key=lambda r: r["rows"])
    ratio = largest["store"][0] / largest["morph"][0]
    met = "met" if ratio <= TARGET else "not met"
    return (
        f"Target (import into a store at most {TARGET}x morph-kgc alone, at "
        f"{largest['rows']:,} rows): {met} ({ratio:.2f}x)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    results = []
    for rows in args.rows:
        work = Path(tempfile.mkdtemp(prefix="bench-import-"))
        try:
            results.append(run_size(rows, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(table(results[-1:]), flush=True)
    text = table(results) + "\n\n" + verdict(results)
    print(text)
    if args.write_docs:
        section = (
            f"{BEGIN}\n## Import (`mktgraph import`, issue 15)\n\n"
            "`python benchmarks/bench_import.py --rows ... --write-docs`: a deals.csv in "
            "mktgraph's template, imported with the `mktgraph` mapping; morph-kgc alone is "
            "`python -m morph_kgc` on the same mapping and file, writing N-Triples. Times are "
            "wall-clock on this machine (2 cores, shared); memory is the peak resident size "
            "of the process and its workers.\n\n"
            f"{text}\n{END}"
        )
        doc = DOCS.read_text(encoding="utf-8")
        if BEGIN in doc:
            doc = doc[: doc.index(BEGIN)] + section + doc[doc.index(END) + len(END) :]
        else:
            doc = doc.rstrip("\n") + "\n\n" + section + "\n"
        DOCS.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
