"""SHACL validation reports of different engines as comparable result keys, and their differences.

A result's key is (focus node, path, constraint component, value, severity), each term written as
in N-Triples (paths as SPARQL path text), so that a value written ``490.00`` by one engine and
``490`` by another counts as a difference. Blank nodes have no name that survives parsing in every
engine, so each is written ``_:`` and keys are counted (a multiset), not merely collected; so are
skolem IRIs (``/.well-known/genid/``, RDF 1.1 section 3.5), which mktgraph's loader sends to a
server in place of blank nodes. Only the top-level results of a report count (objects of
``sh:result``), not results nested in ``sh:detail``.

Some differences are known and documented (README, "How values are compared"): a value of
``sh:lessThan``, ``sh:lessThanOrEquals`` or a range that cannot be compared with the other value
(an ``xsd:date`` against an ``xsd:dateTime``...), which mktgraph and Jena report and pySHACL
orders by rdflib's datatype-IRI ordering. ``label_known`` says which differences are such pairs,
read from the data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

Key = tuple[str, str, str, str, str]


def _term(node) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode) or "/.well-known/genid/" in str(node):
        return "_:"
    return node.n3()


def _name(node) -> str:
    """A SHACL term's local name: ``sh:MinCountConstraintComponent`` -> MinCount."""
    return str(node).rsplit("#", 1)[-1].removesuffix("ConstraintComponent") if node else ""


def _path(report: Graph, path) -> str:
    from mktgraph.validate import path_text

    return path_text(report, path)


def report_keys(report: Graph) -> Counter[Key]:
    """The top-level results of a SHACL report graph, counted by key."""
    keys: Counter[Key] = Counter()
    for validation in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(validation, SH.result):
            keys[
                (
                    _term(report.value(result, SH.focusNode)),
                    _path(report, report.value(result, SH.resultPath)),
                    _name(report.value(result, SH.sourceConstraintComponent)),
                    _term(report.value(result, SH.value)),
                    _name(report.value(result, SH.resultSeverity)),
                )
            ] += 1
    return keys


def file_keys(path: Path) -> Counter[Key]:
    """The results of a Turtle report file."""
    import logging

    # rdflib logs a traceback for each ill-typed literal (the injected "T2x" times) it parses.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    return report_keys(Graph().parse(path, format="turtle"))


def differences(engines: dict[str, Counter[Key]]) -> list[dict]:
    """Every key whose count is not the same in all ``engines``: the key, each engine's count,
    and a hint (results of the other engines on the same focus, path, component and severity
    with another value: the same result written differently)."""
    rows = []
    for key in sorted(set().union(*engines.values())):
        counts = {name: keys.get(key, 0) for name, keys in engines.items()}
        if len(set(counts.values())) == 1:
            continue
        focus, path, component, value, severity = key
        elsewhere = sorted(
            {
                other[3]
                for name, keys in engines.items()
                if not keys.get(key)
                for other in keys
                if other[:3] == key[:3] and other[4] == severity and other[3] != value
            }
        )
        rows.append(
            {
                "focus": focus,
                "path": path,
                "component": component,
                "value": value,
                "severity": severity,
                "counts": counts,
                "other values": elsewhere,
            }
        )
    return rows


def literal_equal(left: str, right: str) -> bool:
    """Whether two N-Triples literals have the same value (``"490.00"`` and ``"490"`` as
    decimals): a difference only in how the value is written."""
    from rdflib.util import from_n3

    a, b = from_n3(left), from_n3(right)
    return isinstance(a, Literal) and isinstance(b, Literal) and a.eq(b)


_PAIRS = {"LessThan": "lessThan", "LessThanOrEquals": "lessThanOrEquals"}
_RANGES = {name: name[0].lower() + name[1:] for name in
           ("MinInclusive", "MinExclusive", "MaxInclusive", "MaxExclusive")}  # fmt: skip


def _focus_triples(data: Sequence[Path], focuses: set[str]) -> Graph:
    """The triples of ``data`` whose subject is one of ``focuses`` (N-Triples terms), streamed
    with pyoxigraph: a million triples need not go through rdflib."""
    import pyoxigraph

    lines = []
    for path in data:
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.from_extension(
            path.suffix.lstrip(".")
        )):  # fmt: skip
            if str(quad.subject) in focuses:
                lines.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    return Graph().parse(data="".join(lines), format="nt")


def label_known(rows: list[dict], data: Sequence[Path], shapes: Graph) -> list[dict]:
    """Give each difference of ``differences`` a "known" entry: why it is a known difference
    (a pair of values that cannot be compared, mktgraph.fastshacl.checks.compare), or ""."""
    from rdflib.util import from_n3

    from mktgraph.fastshacl.checks import comparable

    focuses = {row["focus"] for row in rows if row["component"] in {*_PAIRS, *_RANGES}}
    graph = _focus_triples(data, focuses) if focuses else Graph()
    for row in rows:
        row["known"] = ""
        component = row["component"]
        if row["focus"] not in focuses or row["value"] in ("", "_:"):
            continue
        focus, value = from_n3(row["focus"]), from_n3(row["value"])
        parameter = SH[_PAIRS.get(component) or _RANGES[component]]
        for shape, other in shapes.subject_objects(parameter):
            path = shapes.value(shape, SH.path)
            if path is None or value not in graph.objects(focus, path):
                continue
            others = graph.objects(focus, other) if component in _PAIRS else [other]
            against = next((o for o in others if not comparable(value, o)), None)
            if against is not None:
                row["known"] = (
                    f"cannot be compared with {against.n3()}: mktgraph and Jena report it, "
                    "pySHACL compares the two through rdflib (README, How values are compared)"
                )
                break
    return rows
