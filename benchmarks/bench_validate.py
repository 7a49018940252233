"""The validation step (`mktgraph validate --store`) against pyoxigraph's bulk load of the data.

Issue 12's target: validating a loaded store costs at most 1.5 times what pyoxigraph's bulk load
of the data costs. The data come from ``generate.py --realistic`` (blank-node amounts, decimals
as written, mixed time zones); the store is loaded once by ``mktgraph load``. Then, in turns,
each in a process of its own: ``mktgraph validate --store`` (the CLI end to end, CSV report to a
file; with ``--before DIR``, also from that checkout of an earlier commit) and pyoxigraph's
``Store.bulk_load`` of the data and the ontology into a fresh store. CPU time (user + system,
the process's own accounting) is reported beside wall time, since on a shared machine the wall
clock says more about the neighbours than about the code.

    python benchmarks/bench_validate.py --sizes 100k,1m --runs 3

With ``--queries N``, the step is also taken apart: the data loaded into a store in memory (as
``validate FILE`` does), every compiled query timed alone, and the N that cost the most CPU
printed, so that the next improvement starts from a measure. The queries run on one worker
thread, as they do in ``validate``: in the main thread, after a load, glibc's heap has been cut
into pieces, and Oxigraph's joins and GROUP BYs (an allocation per row) cost up to twice as
much there as in a thread of their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_load import (  # noqa: E402  (the same baseline, measure and table)
    PYOXIGRAPH,
    arguments,
    measure,
    print_header,
    print_rows,
    realistic_data,
)


def run(
    size: str, runs: int, folder: Path, before: Path | None = None
) -> dict[str, list[tuple[float, float, int]]]:
    data = realistic_data(size, folder)
    store = folder / f"store-{size}"
    if not store.exists():
        load = [sys.executable, "-m", "mktgraph", "load", str(data), "--store", str(store)]
        subprocess.run(load, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    found: dict[str, list[tuple[float, float, int]]] = {"validate": [], "bulk load": []}
    checkouts = {"validate": ROOT}
    if before is not None:
        found = {"validate, before": [], **found}
        checkouts["validate, before"] = before
    for _ in range(runs):
        for step, where in checkouts.items():
            suffix = "-before" if where != ROOT else ""
            report = folder / f"report-{size}{suffix}.csv"
            validate = [sys.executable, "-m", "mktgraph", "validate", "--store", str(store)]
            validate += ["--format", "csv", "-o", str(report)]
            # Exit 1: the data have violations (the generator puts them there).
            found[step].append(measure(validate, where, exit_codes=(0, 1)))
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            target = str(Path(scratch) / "store")
            found["bulk load"].append(
                measure([sys.executable, "-c", PYOXIGRAPH, str(data), target])
            )
    return found


def costliest_queries(data: Path, count: int) -> list[tuple[float, int, str]]:
    """The ``count`` compiled queries of validating ``data`` in memory that cost the most CPU,
    each as (CPU seconds, rows, query text), the costliest first."""
    sys.path.insert(0, str(ROOT))
    from mktgraph.fastshacl.checks import quiet_rdflib
    from mktgraph.fastshacl.engine import Engine, evaluate_all
    from mktgraph.fastshacl.runner import StoreRunner
    from mktgraph.fastshacl.shapes import ShapesModel
    from mktgraph.stores.embedded import EmbeddedStore
    from mktgraph.validate import load_shapes

    timed: list[tuple[float, int, str]] = []

    class TimedRunner(StoreRunner):
        def select(self, text: str) -> list:
            start = time.thread_time()
            rows = list(super().select(text))  # Oxigraph evaluates while the rows are read
            timed.append((time.thread_time() - start, len(rows), text))
            return rows

    store = EmbeddedStore.in_memory()
    try:
        store.load([data])
        model = ShapesModel(load_shapes())
        runner = TimedRunner(store.oxigraph, in_memory=True)
        engine = Engine(
            runner, model, "rdfs", derived_integers_collapsed=store.derived_integers_collapsed()
        )
        with quiet_rdflib():
            engine.schema  # noqa: B018 (the RDFS statements, read once)
            evaluate_all(engine, model.target_shapes(), workers=1)  # one thread: one clock
    finally:
        store.close()
    return sorted(timed, key=lambda row: -row[0])[:count]


def print_queries(size: str, found: list[tuple[float, int, str]]) -> None:
    print(f"\nThe costliest compiled queries at {size} (CPU in one worker thread):\n")
    for cpu, rows, text in found:
        print(f"- {cpu:.3f} s, {rows} rows: {' '.join(text.split())[:400]}")


def main(argv: list[str] | None = None) -> int:
    before = {"type": Path, "help": "a checkout of an earlier commit, validating in turns"}
    queries = {"type": int, "default": 0, "help": "print the N costliest compiled queries"}
    args = arguments(__doc__, argv, 3, ("--before", before), ("--queries", queries))
    print_header("step")
    for size in args.sizes.split(","):
        print_rows(size, run(size, args.runs, args.folder, args.before), "bulk load")
    if args.queries:
        for size in args.sizes.split(","):
            data = realistic_data(size, args.folder)
            print_queries(size, costliest_queries(data, args.queries))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
