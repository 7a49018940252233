"""`mktgraph reason --store` at the size of a real company, and OWL 2 RL (rl) against owlrl.

For each size, benchmarks/generate.py writes a company graph (blank-node amounts, decimals as
written, several time zones), `mktgraph load --store` loads it, and `mktgraph reason --store
--reasoner rl` closes it; each command runs under /usr/bin/time for its wall-clock time, CPU time
and peak memory. The ontology check by HermiT is cached per schema before the timed runs (it is
made once per ontology version, not per data run). Then, on the files of one size, the same
run times `mktgraph reason FILE` with rl and with owlrl, one after the other.

    python benchmarks/bench_reason_store.py       # 10k, 100k, 1M; rl vs owlrl at 100k
    python benchmarks/bench_reason_store.py --sizes 10k --compare 10k --out -
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START, END = (
    "<!-- store-results: written by benchmarks/bench_reason_store.py -->",
    "<!-- /store-results -->",
)


def parse_size(text: str) -> int:
    text = text.lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def timed(command: list[str], limit: float) -> dict:
    """Run ``command`` under /usr/bin/time: wall and CPU seconds, peak memory, its output."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *command]
        try:
            done = subprocess.run(full, capture_output=True, text=True, cwd=REPO, timeout=limit)
        except subprocess.TimeoutExpired:
            return {"ok": False, "wall": None, "note": f"> {limit:g} s"}
        fields = report.read().split()[-4:]
    wall, user, system, peak_kb = (float(x) for x in fields)
    return {
        "ok": done.returncode == 0,
        "wall": wall,
        "cpu": user + system,
        "peak_mb": peak_kb / 1024,
        # In a pipe the summary's lines go to stderr (its table to stdout, as CSV).
        "stdout": done.stdout + done.stderr,
        "note": "" if done.returncode == 0 else done.stderr.strip().splitlines()[-1][:120],
    }


def mktgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "mktgraph", *args]


def generate(size: int, folder: Path) -> Path:
    path = folder / f"company-{size}.nt"
    generator = [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(size)]
    subprocess.run([*generator, "--seed", "1", "-o", str(path)], check=True, capture_output=True)
    return path


def inferred_facts(stdout: str) -> str:
    for line in stdout.splitlines():
        if line.startswith("inferred facts: "):
            return line.split(":", 1)[1].split("(")[0].strip()
    return "?"


def cell(run: dict) -> str:
    if run["wall"] is None:
        return run["note"]
    text = f"{run['wall']:.1f} s (CPU {run['cpu']:.1f} s, {run['peak_mb']:,.0f} MB)"
    return text if run["ok"] else f"{text}: {run['note']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=parse_size, default=[10_000, 100_000, 10**6])
    parser.add_argument("--compare", type=parse_size, default=100_000, help="rl vs owlrl here")
    parser.add_argument("--limit", type=float, default=1800.0, help="seconds per command")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks-reasoning.md"))
    args = parser.parse_args()

    rows, compare_rows = [], []
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
        )  # fmt: skip  (caches HermiT's check)
        files = {}
        for size in sorted(set(args.sizes) | {args.compare}):
            files[size] = generate(size, folder)
        for size in args.sizes:
            store = folder / f"store-{size}"
            load = timed(mktgraph("load", str(files[size]), "--store", str(store)), args.limit)
            reason = timed(
                mktgraph("reason", "--store", str(store), "--reasoner", "rl", "--timeout",
                         str(args.limit)),
                args.limit + 60,
            )  # fmt: skip
            rows.append([f"{size:,}", cell(load), cell(reason), inferred_facts(reason["stdout"])])
            print(rows[-1], file=sys.stderr, flush=True)
        for reasoner in ("rl", "owlrl"):
            run = timed(
                mktgraph("reason", str(files[args.compare]), "--reasoner", reasoner, "--timeout",
                         str(args.limit)),
                args.limit + 60,
            )  # fmt: skip
            compare_rows.append([reasoner, cell(run), inferred_facts(run.get("stdout", ""))])
            print(compare_rows[-1], file=sys.stderr, flush=True)
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at the end {load_average}"
    )
    table = ["| triples generated | load --store | reason --store (rl) | inferred facts |",
             "|---|---|---|---|"]  # fmt: skip
    table += ["| " + " | ".join(row) + " |" for row in rows]
    versus = [f"| reasoner | `reason FILE` on {args.compare:,} triples | inferred facts |",
              "|---|---|---|"]  # fmt: skip
    versus += ["| " + " | ".join(row) + " |" for row in compare_rows]
    text = (
        f"Machine: {machine}. Wall-clock time, CPU time (user + system) and peak memory of\n"
        "each command, measured by /usr/bin/time.\n\n"
        + "\n".join(table)
        + "\n\n"
        + "\n".join(versus)
        + "\n"
    )
    if args.out == "-":
        print(text)
        return
    path = Path(args.out)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START not in old:
        old = old.rstrip("\n") + f"\n\n{START}\n{END}\n"
    before, rest = old.split(START, 1)
    path.write_text(f"{before}{START}\n{text}{END}{rest.split(END, 1)[1]}", encoding="utf-8")


if __name__ == "__main__":
    main()
