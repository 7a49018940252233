"""The W3C SHACL Core test suite (vendored under core/): its approved tests and their reports.

Each test names a data graph and a shapes graph (often the test file itself) and the report a
SHACL Core processor must give. Reports are compared as multisets of results: focus node,
path, value, constraint component, severity and source shape (messages are not compared, as the
suite says). A blank node is compared by what can be said of it without its label: a value or
focus node as ``_:blank``, a source shape by its path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, Namespace

from mktgraph.validate import path_text

CORE = Path(__file__).parent / "core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass(frozen=True)
class W3CTest:
    """One approved test: where its data and shapes are, and the results it expects."""

    name: str  # e.g. core/property/property-001
    label: str
    data: Path
    shapes: Path
    conforms: bool
    expected: Counter

    def __str__(self) -> str:
        return self.name


def _file(iri: URIRef) -> Path:
    return Path(str(iri).removeprefix("file://"))


@cache
def graph_of(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle", publicID=path.as_uri())
    return graph


def _term(report: Graph, node):
    if isinstance(node, BNode):
        return "_:blank"
    return node


def _shape(report: Graph, node):
    if isinstance(node, BNode):
        return ("_:shape", path_text(report, report.value(node, SH.path)))
    return node


def report_counter(report: Graph) -> Counter:
    """The results of a report graph (its top-level sh:result only) as a multiset of keys."""
    found: Counter = Counter()
    for root in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(root, SH.result):
            found[result_key(report, result)] += 1
    return found


def result_key(report: Graph, result) -> tuple:
    value = report.value(result, SH.value)
    return (
        _term(report, report.value(result, SH.focusNode)),
        path_text(report, report.value(result, SH.resultPath)),
        _term(report, value) if value is not None else None,
        report.value(result, SH.sourceConstraintComponent),
        report.value(result, SH.resultSeverity),
        _shape(report, report.value(result, SH.sourceShape)),
    )


def _manifests(path: Path) -> list[Path]:
    graph = graph_of(path)
    found = [path]
    for included in sorted(graph.objects(None, MF.include), key=str):
        found += _manifests(_file(included))
    return found


@cache
def approved_tests() -> tuple[W3CTest, ...]:
    """Every approved test of the vendored SHACL Core suite, in manifest order."""
    tests = []
    for manifest in _manifests(CORE / "manifest.ttl"):
        graph = graph_of(manifest)
        for entries in graph.objects(None, MF.entries):
            for entry in Collection(graph, entries):
                path = _file(entry)
                test_graph = _graph_holding(entry, manifest)
                if test_graph.value(entry, MF.status) != SHT.approved:
                    continue
                action = test_graph.value(entry, MF.action)
                result = test_graph.value(entry, MF.result)
                data = _file(test_graph.value(action, SHT.dataGraph))
                shapes = _file(test_graph.value(action, SHT.shapesGraph))
                conforms = test_graph.value(result, SH.conforms)
                expected: Counter = Counter()
                for item in test_graph.objects(result, SH.result):
                    expected[result_key(test_graph, item)] += 1
                name = str(path.relative_to(CORE.parent)).removesuffix(".ttl")
                tests.append(
                    W3CTest(
                        name=name,
                        label=str(test_graph.value(entry, RDFS.label) or name),
                        data=data,
                        shapes=shapes,
                        conforms=bool(isinstance(conforms, Literal) and conforms.toPython()),
                        expected=expected,
                    )
                )
    return tuple(tests)


def _graph_holding(entry: URIRef, manifest: Path) -> Graph:
    """The graph that describes a test entry: its own file, or the manifest."""
    own = _file(entry)
    candidate = own if own.suffix == ".ttl" else own.with_name(own.name + ".ttl")
    if candidate.is_file():
        graph = graph_of(candidate)
        if (entry, MF.action, None) in graph:
            return graph
    return graph_of(manifest)
