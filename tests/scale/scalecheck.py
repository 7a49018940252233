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
    return {
        report_keys_of(report, result) for result in report.subjects(RDF.type, SH.ValidationResult)
    }


def report_keys_of(report: Graph, result) -> tuple:
    """The key of one result of a report graph (see ``report_keys``)."""
    return (
        _value(report.value(result, SH.focusNode)),
        path_text(report, report.value(result, SH.resultPath)),
        report.value(result, SH.sourceConstraintComponent),
        report.value(result, SH.resultSeverity),
        _value(report.value(result, SH.value)),
        _value(report.value(result, SH.sourceShape)),
    )


def pyshacl_keys(data: Graph, shapes: Graph, inference: str) -> set[tuple]:
    """pySHACL's results, as `mktgraph validate` gets them (mktgraph.validate.validate_graph:
    the shapes, the bundled ontology with the data, the inference)."""
    return report_keys(pyshacl_report(data, shapes, inference))


def pyshacl_report(data: Graph, shapes: Graph, inference: str) -> Graph:
    from mktgraph.validate import validate_graph

    return validate_graph(data, shapes, inference).report


_PAIRS = {SH.LessThanConstraintComponent: SH.lessThan,
          SH.LessThanOrEqualsConstraintComponent: SH.lessThanOrEquals}  # fmt: skip
_RANGES = {SH.MinInclusiveConstraintComponent: SH.minInclusive,
           SH.MinExclusiveConstraintComponent: SH.minExclusive,
           SH.MaxInclusiveConstraintComponent: SH.maxInclusive,
           SH.MaxExclusiveConstraintComponent: SH.maxExclusive}  # fmt: skip


def incomparable(report: Graph, result, data: Graph, shapes: Graph) -> bool:
    """Whether a result of ``report`` comes from values that cannot be compared
    (mktgraph.fastshacl.checks.compare): a value of sh:lessThan or sh:lessThanOrEquals against
    a value of the other property at its focus node, or a value against a range's bound. Those
    are the known differences from pySHACL (README, "How values are compared")."""
    from mktgraph.fastshacl.checks import comparable

    component = report.value(result, SH.sourceConstraintComponent)
    shape = report.value(result, SH.sourceShape)
    value = report.value(result, SH.value)
    if component in _PAIRS:
        focus = report.value(result, SH.focusNode)
        others = [
            o for s in shapes.objects(shape, _PAIRS[component]) for o in data.objects(focus, s)
        ]
        return any(not comparable(value, other) for other in others)
    if component in _RANGES:
        return any(not comparable(value, b) for b in shapes.objects(shape, _RANGES[component]))
    return False


def equal_but_incomparable(fast: Graph, pyshacl: Graph, data: Graph, shapes: Graph) -> set[tuple]:
    """Assert that the two reports have the same results but for results that mktgraph gives
    and pySHACL does not, each from values that cannot be compared (``incomparable``); the keys
    of those set aside, for the caller to check further."""
    fast_keys, pyshacl_keys_ = report_keys(fast), report_keys(pyshacl)
    assert pyshacl_keys_ - fast_keys == set(), "pySHACL results mktgraph lacks"
    set_aside = set()
    for result in fast.subjects(RDF.type, SH.ValidationResult):
        key = report_keys_of(fast, result)
        if key not in pyshacl_keys_:
            assert incomparable(fast, result, data, shapes), key
            set_aside.add(key)
    assert fast_keys - set_aside == pyshacl_keys_
    return set_aside


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
