"""CPU seconds of the report half of `validate FILE`: the report, its rows and its Turtle.

    python benchmarks/report_half.py /tmp/lfast/bench/realistic-1m.nt

Validates the file as `mktgraph validate FILE` does (the fast path, RDFS inference), with timers
around the report builder (``ReportBuilder.add_results``, ``merge``, ``finish``), the rows
(``sorted_rows``, ``fast_result``) and ``render_validation(result, "turtle")``; then times each
step of the Turtle writer on the same triples. CPU time of this process (all threads), so that
other work on the machine counts less. Figures in docs/benchmarks.md ("The report half").
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mktgraph.fastshacl.report as report_module  # noqa: E402
import mktgraph.validate as validate_module  # noqa: E402

SPENT = {"build": 0.0, "rows": 0.0}


def _timed(name: str, function):
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - start

    return timed


class _TimedBuilder(report_module.ReportBuilder):
    add_results = _timed("build", report_module.ReportBuilder.add_results)
    merge = _timed("build", report_module.ReportBuilder.merge)
    finish = _timed("build", report_module.ReportBuilder.finish)


def _turtle_steps(triples: list) -> dict[str, float]:
    """Each step of mktgraph.export.report_turtle, timed on its own."""
    import pyoxigraph as ox

    from mktgraph.export import report_quads

    steps: dict[str, float] = {}
    start = time.process_time()
    quads = report_quads(triples)
    steps["quads"] = time.process_time() - start
    start = time.process_time()
    dataset = ox.Dataset(quads)
    steps["dataset"] = time.process_time() - start
    start = time.process_time()
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    steps["canonicalize"] = time.process_time() - start
    start = time.process_time()
    ordered = sorted(dataset, key=str)
    steps["sort"] = time.process_time() - start
    start = time.process_time()
    ox.serialize((quad.triple for quad in ordered), io.BytesIO(), ox.RdfFormat.TURTLE)
    steps["write"] = time.process_time() - start
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="an RDF data file")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # ill-typed literals on purpose: rdflib logs each
    originals = (
        report_module.ReportBuilder,
        validate_module.sorted_rows,
        validate_module.fast_result,
    )
    report_module.ReportBuilder = _TimedBuilder
    validate_module.sorted_rows = _timed("rows", validate_module.sorted_rows)
    validate_module.fast_result = _timed("rows", validate_module.fast_result)
    try:
        from mktgraph.api import validate_data
        from mktgraph.output import render_validation

        start = time.process_time()
        result = validate_data([args.data])
        validating = time.process_time() - start
        start = time.process_time()
        render_validation(result, "turtle")
        turtle = time.process_time() - start
    finally:
        (
            report_module.ReportBuilder,
            validate_module.sorted_rows,
            validate_module.fast_result,
        ) = originals
        logging.disable(logging.NOTSET)
    half = SPENT["build"] + SPENT["rows"] + turtle
    print(
        f"{len(result.rows)} results; validate_data {validating:.2f} s CPU, of which the report "
        f"{SPENT['build']:.2f} s and the rows {SPENT['rows']:.2f} s; Turtle {turtle:.2f} s; "
        f"report half {half:.2f} s"
    )
    steps = _turtle_steps(list(result.report_triples))
    print("Turtle steps: " + ", ".join(f"{name} {spent:.2f} s" for name, spent in steps.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
