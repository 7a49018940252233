"""Validating data against mktgraph's SHACL shapes: the one module that calls pySHACL."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, SH
from rdflib.term import Node

from mktgraph import graph as graphs
from mktgraph import resources
from mktgraph.choices import INFERENCE_MODES, VALIDATION_SEVERITIES
from mktgraph.errors import InputError
from mktgraph.namespaces import bind_prefixes, shorten
from mktgraph.namespaces import display as _display
from mktgraph.severity import Graded

# RDFS costs about twice as much as none (0.4 s more on the sample graph, 2.6 s -> 6.5 s at 20k
# triples) and adds what users expect from "the ontology applies": rdfs:subPropertyOf and the
# ontology's domains and ranges. OWL RL costs ten times as much for inverses and sameAs only.
DEFAULT_INFERENCE = "rdfs"

SEVERITIES = VALIDATION_SEVERITIES
_SEVERITY_BY_IRI = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ValidationRow:
    """One result of a SHACL validation report, in plain terms."""

    focus: Node
    path: str  # the result path in SHACL/SPARQL path syntax, IRIs shortened; "" for none
    value: Node | None
    severity: str  # violation, warning or info
    message: str
    shape: Node
    component: URIRef
    # Where an imported value came from (see mktgraph.provenance); empty for other data.
    file: str = ""
    row: int | None = None
    column: str = ""

    def as_dict(self) -> dict[str, str]:
        """The row as display strings (IRIs shortened by mktgraph's prefixes)."""
        return {
            "shape": _display(self.shape),
            "focus": _display(self.focus),
            "path": self.path,
            # A node shape's result has the focus node as its value: not worth repeating.
            "value": "" if not self.path and self.value == self.focus else _display(self.value),
            "severity": self.severity,
            "message": self.message,
            "component": _display(self.component),
            "file": self.file,
            "row": "" if self.row is None else str(self.row),
            "column": self.column,
        }


class ReportTriples:
    """A SHACL validation report as its triples, its rdflib Graph built only when asked for.

    The fast path writes thousands of results at a million triples: adding them to an rdflib
    Graph (and reading the rows back out of it) cost more than writing the report, so it keeps
    a list, and the Graph is built on first use (then it is the report: changes to it count).
    """

    def __init__(
        self,
        triples: Iterable[tuple[Node, Node, Node]] = (),
        *,
        graph: Graph | None = None,
        namespaces: Iterable[tuple[str, Node]] = (),
    ) -> None:
        self._triples = list(triples)
        self._namespaces = list(namespaces)
        self._graph = graph

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        """The report's triples, in no particular order (before the Graph is built, a triple
        copied twice comes twice: a blank node of the data inside two copied blank nodes)."""
        return iter(self._graph if self._graph is not None else self._triples)

    def graph(self) -> Graph:
        """The report as an rdflib Graph, with the shapes' prefixes and mktgraph's."""
        if self._graph is None:
            graph = Graph(bind_namespaces="core")
            for prefix, namespace in self._namespaces:
                graph.namespace_manager.bind(prefix, namespace)
            bind_prefixes(graph)
            add = graph.add
            for triple in self._triples:
                add(triple)
            self._graph = graph
            self._triples = []
        return self._graph


@dataclass
class ValidationResult(Graded):
    """What a validation found: whether the data conforms, the rows, and the report graph."""

    LEVELS = SEVERITIES

    conforms: bool
    rows: list[ValidationRow]
    report_triples: ReportTriples = field(repr=False)
    inference: str = DEFAULT_INFERENCE
    # Problems that are not SHACL results: terms in mktgraph's namespace that mktgraph does
    # not define (shapes never target them, so their nodes would go unchecked in silence).
    warnings: list[str] = field(default_factory=list)

    @property
    def report(self) -> Graph:
        """The standard SHACL report (sh:ValidationReport) as an rdflib Graph."""
        return self.report_triples.graph()

    @property
    def graded(self) -> list[ValidationRow]:
        return self.rows

    def summary(self) -> str:
        """One line: "conforms", or the number of results by severity."""
        if self.conforms:
            return "conforms"
        total = len(self.rows)
        return f"{total} result{'' if total == 1 else 's'}: {self.counts_text()}"


# A SHACL path of one inner path, as SPARQL writes it.
_PATH_TEMPLATES = {
    SH.inversePath: "^{}",
    SH.zeroOrMorePath: "{}*",
    SH.oneOrMorePath: "{}+",
    SH.zeroOrOnePath: "{}?",
}


def path_text(graph: Graph, path: Node | None) -> str:
    """A SHACL property path as SPARQL path text, IRIs shortened: ``mkt:a / mkt:b``, ``^mkt:c``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return shorten(str(path))
    if (path, RDF.first, None) in graph:
        return "(" + " / ".join(path_text(graph, p) for p in Collection(graph, path)) + ")"
    found = graphs.first_value(graph, path, _PATH_TEMPLATES)
    if found is not None:
        inner, template = found
        return template.format(path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    return _display(path)


def report_rows(report: Graph) -> list[ValidationRow]:
    """The results of a ``sh:ValidationReport`` graph as rows, in a stable order."""
    return sorted_rows(
        result_row(report, result) for result in report.subjects(RDF.type, SH.ValidationResult)
    )


def result_row(report: Graph, result: Node) -> ValidationRow:
    """The row of one sh:ValidationResult of a report graph."""
    severity = report.value(result, SH.resultSeverity)
    messages = [str(m) for m in report.objects(result, SH.resultMessage)]
    return ValidationRow(
        focus=report.value(result, SH.focusNode),
        path=path_text(report, report.value(result, SH.resultPath)),
        value=report.value(result, SH.value),
        severity=_SEVERITY_BY_IRI.get(severity, _display(severity)),
        message=min(messages, default=""),
        shape=report.value(result, SH.sourceShape),
        component=report.value(result, SH.sourceConstraintComponent),
    )


def _row_key(row: ValidationRow) -> tuple:
    # Most severe first, then grouped by shape.
    return (
        SEVERITIES.index(row.severity) if row.severity in SEVERITIES else len(SEVERITIES),
        _display(row.shape),
        _display(row.focus),
        row.path,
        _display(row.value),
        _display(row.component),
    )


def _data_graph(data_paths: Sequence[Path], example: bool) -> Graph:
    files = list(resources.example_files()) if example else []
    files += data_paths
    if not files:
        raise InputError("no data to validate: give one or more data files, or --example")
    return graphs.load(files)


# Where a shape says which nodes it checks (SHACL 2.1.3, and SHACL-AF's sh:target).
_TARGET_PREDICATES = (
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
)
_CLASS_TYPES = (URIRef("http://www.w3.org/2000/01/rdf-schema#Class"), OWL.Class)


def load_shapes(paths: Iterable[str | Path] | None = None) -> Graph:
    """The shapes of ``paths`` (default: mktgraph's own) as one graph. Shapes that would check
    nothing are an error, not a pass: no shapes at all, or shapes of which none has a target
    (sh:targetClass and the other target predicates, or a shape that is also a class)."""
    shape_paths = resources.shape_files() if paths is None else list(paths)
    if not shape_paths:
        raise InputError("no SHACL shapes to validate against")
    shapes = graphs.load(shape_paths)
    if paths is None:
        return shapes
    names = ", ".join(str(p) for p in shape_paths)
    targeted = any(next(iter(shapes.triples((None, p, None))), None) for p in _TARGET_PREDICATES)
    implicit = any(
        (node, RDF.type, cls) in shapes
        for kind in (SH.NodeShape, SH.PropertyShape)
        for node in shapes.subjects(RDF.type, kind)
        for cls in _CLASS_TYPES
    )
    if not (targeted or implicit):
        what = "hold no shapes" if len(shapes) == 0 else "have no shape with a target"
        raise InputError(
            f"{names}: {what} (sh:targetClass, sh:targetNode, sh:targetSubjectsOf, "
            "sh:targetObjectsOf, or a shape that is a class): validation would check nothing"
        )
    return shapes


def shape_errors() -> tuple[type[BaseException], ...]:
    """What pySHACL raises for shapes it cannot use: broken shapes, a bad sh:pattern regex, a
    malformed SPARQL constraint, a value of the wrong kind (sh:minCount "x")."""
    import re

    from pyparsing import ParseException
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    return (ShapeLoadError, ReportableRuntimeError, re.error, ParseException, ValueError)


@contextlib.contextmanager
def usable_shapes() -> Iterator[None]:
    """A context in which shapes an engine cannot use (``shape_errors``) become one line,
    "unusable SHACL shapes: ...", an InputError (exit 2)."""
    try:
        yield
    except shape_errors() as error:
        text = str(getattr(error, "message", None) or error).strip() or type(error).__name__
        raise InputError(f"unusable SHACL shapes: {text.splitlines()[0]}") from None


def validate(
    data_paths: Iterable[str | Path] = (),
    shapes: Iterable[str | Path] | None = None,
    inference: str = DEFAULT_INFERENCE,
    example: bool = False,
) -> ValidationResult:
    """Validate data files (and/or the sample graph) against SHACL shapes, with the ontology.

    ``shapes`` defaults to mktgraph's own shapes. The bundled ontology is validated with the
    data (pySHACL's ontology graph), so ``sh:class`` and ``sh:targetClass`` follow
    ``rdfs:subClassOf`` whatever the ``inference`` (none, rdfs or owlrl) run first.
    """
    check_inference(inference)
    data = _data_graph(list(data_paths), example)
    shapes_graph = load_shapes(shapes)
    try:
        return validate_graph(data, shapes_graph, inference)
    except InputError as error:
        if shapes is None:
            raise
        names = ", ".join(str(p) for p in shapes)
        raise InputError(f"{names}: {error}") from None


# pySHACL's options besides the graphs: the combined graph is ours to change (no copy), every
# result wanted, the shapes taken as valid, SHACL Core only (no SHACL-AF rules).
_PYSHACL_OPTIONS = {
    "inplace": True,
    "abort_on_first": False,
    "meta_shacl": False,
    "advanced": False,
}


def check_inference(inference: str) -> None:
    """Raise InputError unless ``inference`` is one of INFERENCE_MODES."""
    if inference not in INFERENCE_MODES:
        expected = ", ".join(INFERENCE_MODES)
        raise InputError(f"unknown inference {inference!r}; expected one of {expected}")


def validate_graph(
    data: Graph,
    shapes: Graph | None = None,
    inference: str = DEFAULT_INFERENCE,
    *,
    ontology: Graph | None = None,
) -> ValidationResult:
    """Validate an rdflib graph (not modified) against ``shapes`` (default: mktgraph's shapes),
    together with ``ontology`` (default: the bundled ontology), so that ``sh:class`` and
    ``sh:targetClass`` follow its ``rdfs:subClassOf`` axioms."""
    check_inference(inference)
    shapes = graphs.load(resources.shape_files()) if shapes is None else shapes
    ontology = graphs.load_ontology() if ontology is None else ontology

    import pyshacl

    # The ontology goes in with the data, as pySHACL's ontology graph would (and as its
    # PYSHACL_USE_FULL_MIXIN does). Its ont_graph route copies each owl:NamedIndividual by a
    # depth-10 recursive clone that is exponential in the linked framework individuals: over a
    # minute where this takes milliseconds. ``data`` itself is left untouched.
    combined = Graph()
    for triple in ontology:
        combined.add(triple)
    for triple in data:
        combined.add(triple)
    # pySHACL logs a broken shape to stderr before raising; we report it once, in one line.
    pyshacl_log = logging.getLogger("pyshacl-validate")
    was_disabled, pyshacl_log.disabled = pyshacl_log.disabled, True
    try:
        with usable_shapes():
            conforms, report, _text = pyshacl.validate(
                combined, shacl_graph=shapes, inference=inference, **_PYSHACL_OPTIONS
            )
    finally:
        pyshacl_log.disabled = was_disabled
    return result_of(report, bool(conforms), inference, unknown_term_warnings(data, ontology))


def result_of(
    report: Graph, conforms: bool, inference: str, warnings: list[str] | None = None
) -> ValidationResult:
    """A ValidationResult from a SHACL report graph (whichever engine made it)."""
    bind_prefixes(report)
    rows = report_rows(report)
    return ValidationResult(
        conforms=conforms and not rows,
        rows=rows,
        report_triples=ReportTriples(graph=report),
        inference=inference,
        warnings=warnings or [],
    )


def fast_result(fast, inference: str, warnings: list[str] | None = None) -> ValidationResult:
    """A ValidationResult from the fast path's report (a mktgraph.fastshacl.FastReport): its
    rows and triples as they are, no report graph built (``result.report`` builds it)."""
    return ValidationResult(
        conforms=fast.conforms and not fast.rows,
        rows=fast.rows,
        report_triples=fast.report_triples,
        inference=inference,
        warnings=warnings or [],
    )


def sorted_rows(rows: Iterable[ValidationRow]) -> list[ValidationRow]:
    """Rows in the order ``report_rows`` gives them: most severe first, then by shape."""
    return sorted(rows, key=_row_key)


def unknown_term_warnings(data: Graph, ontology: Graph) -> list[str]:
    """A warning for each term of mktgraph's namespace that ``data`` uses and mktgraph does
    not define (``mkt:Campaign`` for ``mkt:MarketingCampaign``)."""
    from mktgraph.lint import unknown_terms

    return term_warnings(unknown_terms(data, ontology))


def term_warnings(unknown: Iterable[str]) -> list[str]:
    """The warnings for terms of mktgraph's namespace that mktgraph does not define."""
    return [
        f"{term} is not a term of mktgraph (a typo?): no shape checks what uses it; "
        "see `mktgraph lint`"
        for term in unknown
    ]
