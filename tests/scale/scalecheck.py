"""Helpers of the scale tests: pySHACL's results and the fast path's, in comparable form."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from mktgraph.fastshacl import FastReport, validate_store
from mktgraph.stores.embedded import EmbeddedStore
from mktgraph.validate import path_text

ROOT = Path(__file__).resolve().parents[2]
SCALE_DIR = Path(__file__).resolve().parent


def generator_module():
    """benchmarks/generate.py, imported from the checkout."""
    spec = importlib.util.spec_from_file_location(
        "mktgraph_bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _value(value):
    # The store keeps literals in canonical form ("15.0" is "15"): compare numbers and dates by
    # value; blank nodes have no name to compare.
    if isinstance(value, BNode):
        return "_:blank"
    if isinstance(value, Literal) and value.value is not None and not isinstance(value.value, str):
        return (str(value.datatype), value.value)
    return value


def report_keys(report: Graph) -> set[tuple]:
    """(focus, path, constraint component, severity, value, source shape) of every result of a
    report graph, results nested under sh:detail included (mktgraph validate lists them too)."""
    keys = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        keys.add(
            (
                _value(report.value(result, SH.focusNode)),
                path_text(report, report.value(result, SH.resultPath)),
                report.value(result, SH.sourceConstraintComponent),
                report.value(result, SH.resultSeverity),
                _value(report.value(result, SH.value)),
                _value(report.value(result, SH.sourceShape)),
            )
        )
    return keys


def pyshacl_keys(data: Graph, shapes: Graph, inference: str) -> set[tuple]:
    """pySHACL's results, as `mktgraph validate` gets them (mktgraph.validate.validate_graph:
    the shapes, the bundled ontology with the data, the inference)."""
    from mktgraph.validate import validate_graph

    return report_keys(validate_graph(data, shapes, inference).report)


def fast_report(
    store_dir: Path, files: list[Path], shapes: Graph, inference: str, warnings: list | None = None
) -> FastReport:
    """Load ``files`` into a new embedded store and validate it on the fast path."""
    with EmbeddedStore(store_dir, create=True) as store:
        store.load(files)
        return validate_store(
            store.oxigraph,
            shapes,
            inference=inference,
            warn=warnings.append if warnings is not None else None,
            derived_integers_collapsed=store.derived_integers_collapsed(),
        )


def as_nt_file(graph: Graph, path: Path) -> Path:
    path.write_text(graph.serialize(format="nt"), encoding="utf-8")
    return path
