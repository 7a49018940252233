"""Benchmark of `mktgraph import`: CSV rows into an embedded store (and a file) against
morph-kgc run directly on the same mapping and data.

    python benchmarks/bench_import.py --rows 100000 1000000 [--write-docs]

Each size: a deals.csv in mktgraph's template (9 triples a row), then, each in a process of
its own (time and peak memory from the kernel):
- morph-kgc into Oxigraph: `morph_kgc.materialize_oxigraph` on the mapping, morph-kgc's own
  route into an Oxigraph store: the baseline of `import --store` (the same engine into the
  same kind of target);
- morph-kgc to N-Triples: `python -m morph_kgc`, writing a file: the baseline of
  `import -o out.nt`;
- `mktgraph import deals.csv --store DIR` (checks and normalises every cell, runs the same
  rules, bulk-loads the store, writes the provenance side table);
- `mktgraph import deals.csv -o out.nt`.
The target (issue 15): the import at most 1.5 times morph-kgc run directly, with memory
bounded whatever the size. With --write-docs the tables go into docs/benchmarks.md.
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


def peak_of(command: list[str], cwd: Path) -> dict:
    """Run ``command``: wall seconds, CPU seconds of it and its workers, peak resident MB of
    the largest of them (from GNU time), and the load average just before and after."""
    before = os.getloadavg()[0]
    wrapped = ["/usr/bin/time", "-f", "%e %U %S %M", *command]
    completed = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr[-2000:]}")
    wall, user, system, kilobytes = completed.stderr.strip().splitlines()[-1].split()
    return {
        "wall": float(wall),
        "cpu": float(user) + float(system),
        "mb": int(kilobytes) / 1024,
        "load": (before, os.getloadavg()[0]),
    }


# morph-kgc's own route into an Oxigraph store (its library call materialize_oxigraph, which
# returns an in-memory pyoxigraph Store); the count printed proves the store was filled.
MORPH_OXIGRAPH = (
    "import sys, morph_kgc\n"
    "store = morph_kgc.materialize_oxigraph(open(sys.argv[1], encoding='utf-8').read())\n"
    "print(len(store))\n"
)


def run_size(rows: int, work: Path, with_file: bool, with_oxigraph: bool) -> dict:
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
    # the mapping's source is deals.csv, relative to the working folder
    morph = peak_of([python, "-m", "morph_kgc", str(config)], work)
    triples = sum(1 for _ in (work / "morph.nt").open("rb"))
    (work / "morph.nt").unlink()
    oxigraph = None
    if with_oxigraph:
        oxigraph = peak_of([python, "-c", MORPH_OXIGRAPH, str(config)], work)
    mktgraph = [python, "-m", "mktgraph", "import", str(data), "--mapping", str(mapping)]
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    store = peak_of([*mktgraph, "--store", str(work / "store")], ROOT)
    shutil.rmtree(work / "store", ignore_errors=True)
    to_file = peak_of([*mktgraph, "-o", str(work / "out.nt")], ROOT) if with_file else None
    return {
        "rows": rows,
        "triples": triples,
        "morph": morph,
        "oxigraph": oxigraph,
        "store": store,
        "file": to_file,
    }


def _run(m: dict | None) -> str:
    if m is None:
        return "-"
    return f"{m['wall']:.1f} s, {m['cpu']:.1f} s, {m['mb']:,.0f} MB"


def _ratio(a: dict | None, b: dict | None, key: str) -> str:
    return f"{a[key] / b[key]:.2f}" if a and b else "-"


def _load(*runs: dict | None) -> str:
    loads = [x for m in runs if m for x in m["load"]]
    return f"{min(loads):.1f}-{max(loads):.1f}"


def table(results: list[dict]) -> str:
    lines = [
        "Into a store (`import --store DIR`), against morph-kgc's own Oxigraph target "
        "(`materialize_oxigraph`) and against morph-kgc writing N-Triples:",
        "",
        "| rows | triples | morph-kgc into Oxigraph: wall, CPU, memory | morph-kgc to .nt: "
        "wall, CPU, memory | import --store: wall, CPU, memory | rows/s | ratio to Oxigraph "
        "target: wall, CPU | ratio to .nt: wall, CPU | load average |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m, o, s = r["morph"], r["oxigraph"], r["store"]
        lines.append(
            f"| {r['rows']:,} | {r['triples']:,} | {_run(o)} | {_run(m)} | {_run(s)} | "
            f"{r['rows'] / s['wall']:,.0f} | {_ratio(s, o, 'wall')}, {_ratio(s, o, 'cpu')} | "
            f"{_ratio(s, m, 'wall')}, {_ratio(s, m, 'cpu')} | {_load(m, o, s)} |"
        )
    files = [r for r in results if r["file"]]
    if files:
        lines += [
            "",
            "Into a file (`import -o out.nt`), against morph-kgc writing N-Triples:",
            "",
            "| rows | morph-kgc to .nt: wall, CPU, memory | import -o out.nt: wall, CPU, memory "
            "| ratio: wall, CPU |",
            "|---:|---:|---:|---:|",
        ]
        for r in files:
            m, f = r["morph"], r["file"]
            lines.append(
                f"| {r['rows']:,} | {_run(m)} | {_run(f)} | "
                f"{_ratio(f, m, 'wall')}, {_ratio(f, m, 'cpu')} |"
            )
    return "\n".join(lines)


def verdict(results: list[dict]) -> str:
    largest = max(results, key=lambda r: r["rows"])
    s, o, m = largest["store"], largest["oxigraph"], largest["morph"]
    parts = [f"At {largest['rows']:,} rows, import --store is"]
    if o:
        met = "met" if s["wall"] <= TARGET * o["wall"] else "not met"
        parts.append(
            f"{s['wall'] / o['wall']:.2f}x morph-kgc's own Oxigraph target in wall-clock time "
            f"({s['cpu'] / o['cpu']:.2f}x in CPU): the {TARGET}x target {met};"
        )
    met = "met" if s["wall"] <= TARGET * m["wall"] else "not met"
    parts.append(
        f"{s['wall'] / m['wall']:.2f}x morph-kgc writing N-Triples in wall-clock time "
        f"({s['cpu'] / m['cpu']:.2f}x in CPU): {TARGET}x {met} against that baseline."
    )
    return " ".join(parts)


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
    parser.add_argument(
        "--oxigraph-up-to",
        type=int,
        default=10**9,
        help="Run morph-kgc's materialize_oxigraph up to this many rows (it holds every "
        "triple in memory: about 1.1 GB a 100,000 rows).",
    )
    args = parser.parse_args()
    results = []
    for rows in args.rows:
        work = Path(tempfile.mkdtemp(prefix="bench-import-"))
        try:
            results.append(
                run_size(rows, work, rows <= args.file_up_to, rows <= args.oxigraph_up_to)
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(table(results[-1:]), flush=True)
    text = table(results) + "\n\n" + verdict(results)
    print(text)
    if args.write_docs:
        section = (
            f"{BEGIN}\n## Import (`mktgraph import`, issue 15)\n\n"
            "`python benchmarks/bench_import.py --rows ... --write-docs`: a deals.csv in "
            "mktgraph's template (9 triples a row), imported with the deal rules of the "
            "`mktgraph` mapping. The baseline of `import --store` is morph-kgc's own route into "
            "an Oxigraph store (`morph_kgc.materialize_oxigraph`, the same engine into the same "
            "kind of target); that of `import -o out.nt` is `python -m morph_kgc` writing "
            "N-Triples. Times are wall-clock and CPU (user + system, workers included) on this "
            "machine: 2 cores shared with other work, so wall-clock times vary from run to run "
            "(the load average is given) and CPU time is the steadier comparison; memory is the "
            "peak resident size of the largest process.\n\n"
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
