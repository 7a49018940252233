"""The shape test cases: one Turtle file holds the data and the report it must give.

Each file under ``cases/`` is data plus exactly one ``sh:ValidationReport`` node, written as
pySHACL or any SHACL engine writes it (``sh:conforms``, and one ``sh:result`` per expected
result with ``sh:focusNode``, ``sh:resultPath``, ``sh:sourceConstraintComponent``,
``sh:resultSeverity`` and ``sh:sourceShape``; messages and values are not compared). The
report is everything reachable from that node through blank nodes; the rest is the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from mktgraph.graph import load
from mktgraph.output import display
from mktgraph.validate import ValidationResult, path_text

CASES_DIR = Path(__file__).parent / "cases"
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

# (focus, path, constraint component, severity, source shape), as display strings.
Key = tuple[str, str, str, str, str]


@dataclass
class Case:
    path: Path
    data: Graph
    conforms: bool
    expected: set[Key]

    @property
    def name(self) -> str:
        return str(self.path.relative_to(CASES_DIR))


def case_files() -> list[Path]:
    return sorted(CASES_DIR.rglob("*.ttl"))


def _reachable(graph: Graph, start) -> Graph:
    """The triples reachable from ``start`` through blank nodes (a report and its results)."""
    found = Graph()
    todo = [start]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in graph.triples((node, None, None)):
            found.add(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
    return found


def load_case(path: Path) -> Case:
    graph = load([path])
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1, f"{path}: expected one sh:ValidationReport, found {len(reports)}"
    report = _reachable(graph, reports[0])
    data = Graph()
    for triple in graph:
        if triple not in report:
            data.add(triple)
    conforms = report.value(reports[0], SH.conforms)
    assert conforms is not None, f"{path}: the report has no sh:conforms"
    expected = {report_key(report, r) for r in report.objects(reports[0], SH.result)}
    assert conforms.toPython() == (not expected), f"{path}: sh:conforms disagrees with results"
    return Case(path=path, data=data, conforms=conforms.toPython(), expected=expected)


def report_key(report: Graph, result) -> Key:
    """The compared parts of one sh:ValidationResult of a report graph."""
    severity = report.value(result, SH.resultSeverity)
    return (
        display(report.value(result, SH.focusNode)),
        path_text(report, report.value(result, SH.resultPath)),
        display(report.value(result, SH.sourceConstraintComponent)),
        SEVERITY_NAMES.get(severity, display(severity)),
        display(report.value(result, SH.sourceShape)),
    )


def result_keys(result: ValidationResult) -> set[Key]:
    """The compared parts of each row mktgraph's validation gave."""
    return {
        (display(r.focus), r.path, display(r.component), r.severity, display(r.shape))
        for r in result.rows
    }
