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
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench-import:start -->", "<!-- bench-import:end -->"
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


def peak_of(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run ``command``: (wall seconds, CPU seconds of it and its workers, peak resident MB of
    the largest of them), from GNU time."""
    wrapped = ["/usr/bin/time", "-f", "%e %U %S %M", *command]
    completed = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr[-2000:]}")
    wall, user, system, kilobytes = completed.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(kilobytes) / 1024


def run_size(rows: int, work: Path, with_file: bool) -> dict:
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
    morph = peak_of([python, "-m", "morph_kgc", str(config)], env_cwd)
    triples = sum(1 for _ in (work / "morph.nt").open("rb"))
    mktgraph = [python, "-m", "mktgraph", "import", str(data), "--mapping", str(mapping)]
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    store = peak_of([*mktgraph, "--store", str(work / "store")], ROOT)
    to_file = peak_of([*mktgraph, "-o", str(work / "out.nt")], ROOT) if with_file else None
    return {"rows": rows, "triples": triples, "morph": morph, "store": store, "file": to_file}


def table(results: list[dict]) -> str:
    lines = [
        "| rows | triples | morph-kgc alone: wall, CPU, memory | import --store: wall, CPU, "
        "memory | ratio wall | ratio CPU | rows/s | import -o file.nt: wall, CPU | ratio wall |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m, s, f = r["morph"], r["store"], r["file"]
        to_file = f"{f[0]:.1f} s, {f[1]:.1f} s | {f[0] / m[0]:.2f}" if f else "- | -"
        lines.append(
            f"| {r['rows']:,} | {r['triples']:,} | {m[0]:.1f} s, {m[1]:.1f} s, {m[2]:,.0f} MB | "
            f"{s[0]:.1f} s, {s[1]:.1f} s, {s[2]:,.0f} MB | {s[0] / m[0]:.2f} | "
            f"{s[1] / m[1]:.2f} | {r['rows'] / s[0]:,.0f} | {to_file} |"
        )
    return "\n".join(lines)


def verdict(results: list[dict]) -> str:
    largest = max(results, key=lambda r: r["rows"])
    wall = largest["store"][0] / largest["morph"][0]
    cpu = largest["store"][1] / largest["morph"][1]
    met = "met" if wall <= TARGET else "not met"
    return (
        f"Target (import into a store at most {TARGET}x morph-kgc alone, at "
        f"{largest['rows']:,} rows): {met} in wall-clock time ({wall:.2f}x); in CPU time "
        f"{cpu:.2f}x."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--file-up-to",
        type=int,
        default=100_000,
        help="Also time `import -o file.nt` up to this many rows (default 100000).",
    )
    args = parser.parse_args()
    results = []
    for rows in args.rows:
        work = Path(tempfile.mkdtemp(prefix="bench-import-"))
        try:
            results.append(run_size(rows, work, rows <= args.file_up_to))
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
            "wall-clock and CPU (user + system, workers included) on this machine: 2 cores "
            "shared with other work, so wall-clock times vary from run to run and CPU time is "
            "the steadier comparison; memory is the peak resident size of the largest "
            "process.\n\n"
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
