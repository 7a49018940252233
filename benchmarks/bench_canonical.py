"""How long canonical blank node labels cost in exports (`mktgraph export`, `validate --format
turtle`): mktgraph's RDFC-1.0 by Oxigraph against rdflib's ``to_canonical_graph``.

The graph: N leads, each with an amount, a note and what the note is about (three blank nodes
per lead). Times are wall-clock on a shared machine. rdflib runs in a child process killed after
--limit seconds (reported "> N s"), and is not run at larger sizes once it went over. Results go
to docs/benchmarks-canonical.md (or --out).

    python benchmarks/bench_canonical.py                          # 1k, 10k, 100k blank nodes
    python benchmarks/bench_canonical.py --sizes 1000 --limit 30 --out -
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF, XSD

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mktgraph import export  # noqa: E402

EX = Namespace("https://example.org/bench/")
MKT = Namespace("https://w3id.org/mktgraph/def/")
SCHEMA = Namespace("https://schema.org/")
TARGET_SECONDS = 5.0  # issue 10: "at most a few seconds for 10,000 blank nodes"


def generate(blank_nodes: int) -> Graph:
    graph = Graph()
    add = graph.add
    for number in range(blank_nodes // 3):
        lead, amount, note, inner = EX[f"lead-{number}"], BNode(), BNode(), BNode()
        add((lead, RDF.type, MKT.Lead))
        add((lead, MKT.amount, amount))
        add((amount, RDF.type, SCHEMA.MonetaryAmount))
        add((amount, SCHEMA.value, Literal(f"{number}.50", datatype=XSD.decimal)))
        add((amount, SCHEMA.currency, Literal("EUR")))
        add((lead, EX.note, note))
        add((note, EX.says, Literal(f"note {number % 7}", lang="en")))
        add((note, EX.about, inner))
        add((inner, EX.level, Literal(number % 3)))
    return graph


def timed(function) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``function()`` (CPU time is what other users of a shared
    machine do not change)."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


RDFLIB_CHILD = """
import sys, time
sys.path.insert(0, {repo!r}); sys.path.insert(0, {here!r})
from bench_canonical import generate
from rdflib.compare import to_canonical_graph
graph = generate({size})
wall, cpu = time.perf_counter(), time.process_time()
to_canonical_graph(graph)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def rdflib_seconds(size: int, limit: float) -> tuple[float, float] | None:
    """rdflib's to_canonical_graph in a child process (wall-clock and CPU seconds); None when
    it passed ``limit``."""
    code = RDFLIB_CHILD.format(repo=str(REPO), here=str(Path(__file__).parent), size=size)
    try:
        child = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=limit
        )
    except subprocess.TimeoutExpired:
        return None
    child.check_returncode()
    wall, cpu = child.stdout.split()
    return float(wall), float(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--limit", type=float, default=300, help="seconds for each rdflib run")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks-canonical.md"))
    options = parser.parse_args(argv)
    rows = []
    rdflib_over = False
    for size in options.sizes:
        graph = generate(size)
        labels = timed(lambda graph=graph: export.canonical_triples(graph))
        nt = timed(lambda graph=graph: export.serialize(graph, "nt"))
        turtle = timed(lambda graph=graph: export.serialize(graph, "turtle"))
        if rdflib_over:
            old = "not run"
        else:
            seconds = rdflib_seconds(size, options.limit)
            rdflib_over = seconds is None
            old = f"> {options.limit:.0f} s" if seconds is None else _seconds(seconds)
        rows.append((size, len(graph), labels, nt, turtle, old))
        print(rows[-1], file=sys.stderr, flush=True)
    at_target = [row for row in rows if row[0] == 10000]
    verdict = (
        f"{'met' if at_target[0][2][1] <= TARGET_SECONDS else 'NOT met'}: "
        f"{at_target[0][2][1]:.1f} s of CPU for the labels of 10,000 blank nodes "
        f"(target <= {TARGET_SECONDS:.0f} s)"
        if at_target
        else "not measured (no run at 10,000 blank nodes)"
    )
    lines = [
        "# Benchmarks: canonical blank node labels in exports",
        "",
        "Exports (`mktgraph export`, `query` CONSTRUCT, `validate --format turtle`) label blank",
        "nodes canonically, so that the same graph gives the same bytes. mktgraph runs RDFC-1.0",
        "(W3C RDF Dataset Canonicalization) in Oxigraph; it used rdflib's `to_canonical_graph`.",
        "",
        "Reproduce with `python benchmarks/bench_canonical.py` (see its docstring). The graph has",
        "three blank nodes per lead (an amount, a note, what the note is about). Seconds on a",
        f"shared machine ({platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}), each as wall-clock / CPU: the",
        "wall-clock times depend on what else ran, the CPU times much less.",
        "",
        f"Target: {verdict}.",
        "",
        "| blank nodes | triples | labels (mktgraph) | export nt | export turtle "
        "| rdflib to_canonical_graph |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size, triples, labels, nt, turtle, old in rows:
        lines.append(
            f"| {size:,} | {triples:,} | {_seconds(labels)} | {_seconds(nt)} "
            f"| {_seconds(turtle)} | {old} |"
        )
    text = "\n".join(lines) + "\n"
    if options.out == "-":
        sys.stdout.write(text)
    else:
        Path(options.out).write_text(text, encoding="utf-8")
    return 0


def _seconds(times: tuple[float, float]) -> str:
    return f"{times[0]:.1f} / {times[1]:.1f} s"


if __name__ == "__main__":
    sys.exit(main())
