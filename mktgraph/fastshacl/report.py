"""Assembling a standard sh:ValidationReport (graph and text) from the fast path's results."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from mktgraph.fastshacl.engine import Result
from mktgraph.fastshacl.shapes import ShapesModel
from mktgraph.namespaces import display
from mktgraph.validate import (
    _SEVERITY_BY_IRI,
    ReportTriples,
    ValidationRow,
    path_text,
    result_row,
)


def _text(node, graph: Graph) -> str:
    from pyshacl.rdfutil import stringify_node

    try:
        return stringify_node(graph, node)
    except Exception:  # pySHACL's own fallback when a node cannot be shown
        return str(node)


# pySHACL's messages that only fill in the constraint's parameter, the focus node and the value.
_MESSAGES = {
    SH.DatatypeConstraintComponent: "Value is not Literal with datatype {rule}",
    SH.NodeKindConstraintComponent: "Value is not of Node Kind {rule}",
    SH.MinExclusiveConstraintComponent: "Value is not > {rule}",
    SH.MinInclusiveConstraintComponent: "Value is not >= {rule}",
    SH.MaxExclusiveConstraintComponent: "Value is not < {rule}",
    SH.MaxInclusiveConstraintComponent: "Value is not <= {rule}",
    SH.MinLengthConstraintComponent: "String length not >= {rule}",
    SH.MaxLengthConstraintComponent: "String length not <= {rule}",
    SH.EqualsConstraintComponent: "Value of {focus}->{rule} != {value}",
    SH.DisjointConstraintComponent: "Value of {focus}->{rule} == {value}",
    SH.LessThanConstraintComponent: "Value of {focus}->{rule} <= {value}",
    SH.LessThanOrEqualsConstraintComponent: "Value of {focus}->{rule} < {value}",
    SH.NodeConstraintComponent: "Value does not conform to Shape {rule}.",
    SH.NotConstraintComponent: "Node {value} must not conform to shape {rule}",
    SH.ClosedConstraintComponent: "Node {focus} is closed. It cannot have value: {value}",
    SH.LanguageInConstraintComponent: "String language is not in {rule}",
    SH.UniqueLangConstraintComponent: "More than one String shares the same Language",
}


def generic_message(result: Result, model: ShapesModel, focus, value) -> str | None:
    """pySHACL's message for a result of a shape without sh:message."""
    sg = model.graph
    shape = result.shape
    rule = result.rule
    component = result.component
    path_text = _text(shape.path, sg) if shape.is_property else None
    focus_text = _text(focus, sg)
    value_text = _text(value, sg) if value is not None else ""
    if component == SH.ClassConstraintComponent:
        rules = shape.values(SH["class"])
        if len(rules) < 2:
            return f"Value does not have class {_text(rule, sg)}"
        return "Value class is not in classes ({})".format(", ".join(_text(c, sg) for c in rules))
    if component in (SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent):
        word, parameter = (
            ("Less", SH.minCount)
            if component == SH.MinCountConstraintComponent
            else ("More", SH.maxCount)
        )
        count = shape.values(parameter)[0].value
        where = f"{focus_text}->{path_text}" if path_text else focus_text
        return f"{word} than {count} values on {where}"
    if component == SH.InConstraintComponent:
        listed = [_text(v, sg) for v in model.items(rule)]
        return f"Value {value_text} not in list {listed}"
    if component == SH.HasValueConstraintComponent:
        the_set = [_text(v, sg) for v in shape.values(SH.hasValue)]
        if path_text:
            return f"Node {focus_text}->{path_text} does not contain a value in the set: {the_set}"
        return f"Node {focus_text} value is not a in the set of values: {the_set}"
    if component == SH.PatternConstraintComponent:
        return f"Value does not match pattern '{rule}'"
    logical = {
        SH.AndConstraintComponent: "must conform to all shapes in",
        SH.OrConstraintComponent: "must conform to one or more shapes in",
        SH.XoneConstraintComponent: "must conform to exactly one shape in",
    }
    if component in logical:
        members = ", ".join(_text(m, sg) for m in model.items(rule))
        return f"Node {value_text} {logical[component]} {members}"
    template = _MESSAGES.get(component)
    if template is None:
        return None
    rule_text = _text(rule, sg) if "{rule}" in template else ""
    return template.format(rule=rule_text, focus=focus_text, value=value_text)


def _clone_from_data(runner, node: ox.BlankNode, triples: list, convert, depth=0):
    """Copy a blank node of the data, with what it says, into the report (as pySHACL does)."""
    cloned = BNode(node.value)
    if depth >= 10:
        return cloned
    for predicate, obj in runner.blank_node_triples(node):
        if isinstance(obj, ox.BlankNode):
            triples.append(
                (
                    cloned,
                    convert(predicate),
                    _clone_from_data(runner, obj, triples, convert, depth + 1),
                )
            )
        else:
            triples.append((cloned, convert(predicate), convert(obj)))
    return cloned


def _clone_from_shapes(graph: Graph, node, target: Graph, *, keepid: bool = False, depth=0):
    """Copy a blank node of the shapes (a path, a shape), with what it says, into ``target``:
    pySHACL's ``clone_blank_node`` (the same triples, lists as lists, ten levels deep at
    most), without importing pySHACL for it (a third of a second)."""
    cloned = BNode(str(node)) if keepid else BNode()
    if depth >= 10:
        return cloned
    predicates = set(graph.predicates(node))
    if not predicates:
        return cloned
    if RDF.first in predicates:  # a list: its items, one level deeper (pySHACL's clone_list)
        from rdflib.collection import Collection

        items = Collection(target, cloned)
        for item in list(graph.items(node)):
            items.append(_clone_shapes_term(graph, item, target, depth + 1))
        return cloned
    for predicate in predicates:
        for obj in list(graph.objects(node, predicate)):
            copied = _clone_shapes_term(graph, obj, target, depth + 1)
            target.add((cloned, URIRef(str(predicate)), copied))
    return cloned


def _clone_shapes_term(graph: Graph, term, target: Graph, depth: int):
    """pySHACL's ``clone_node`` (not deep): a literal and an IRI anew, a blank node cloned."""
    if isinstance(term, Literal):
        return Literal(str(term), term.language, term.datatype)
    if isinstance(term, BNode):
        return _clone_from_shapes(graph, term, target, depth=depth + 1)
    return URIRef(str(term))


class ReportBuilder:
    """The fast path's sh:ValidationReport as triples and rows, without an rdflib Graph: the
    same triples ``report_rows`` would read the same rows from (adding tens of thousands of
    triples to an rdflib Graph, and reading the rows back, cost seconds at a million triples).

    ``convert`` turns the data's pyoxigraph terms into rdflib terms (with ``unskolemise``, a
    server's skolem IRIs become blank nodes again, as files and a store show them)."""

    def __init__(self, model: ShapesModel, runner, convert, *, unskolemise: bool = False) -> None:
        self.model = model
        self.runner = runner
        self.convert = convert
        self.unskolemise = unskolemise
        self.root = BNode()
        self.triples: list[tuple] = [(self.root, RDF.type, SH.ValidationReport)]
        self.rows: list[ValidationRow] = []
        self.count = 0  # results at the top level (sh:detail ones not counted)
        self._shapes_part = Graph()  # blank nodes of the shapes, cloned (pySHACL's keepid)
        self._cloned: dict[Any, Any] = {}
        self._paths: dict[Any, str] = {}
        self._severities: dict[Any, str] = {}

    def _from_shapes(self, node):
        if isinstance(node, BNode):
            if node not in self._cloned:
                self._cloned[node] = _clone_from_shapes(
                    self.model.graph, node, self._shapes_part, keepid=True
                )
            return self._cloned[node]
        return node

    def _from_data(self, node):
        if isinstance(node, ox.BlankNode):
            if node not in self._cloned:
                self._cloned[node] = _clone_from_data(
                    self.runner, node, self.triples, self._data_term
                )
            return self._cloned[node]
        return self._data_term(node)

    def _data_term(self, node):
        term = self.convert(node)
        if self.unskolemise and isinstance(term, URIRef):
            from mktgraph.stores.chunks import is_skolem, unskolemise

            if is_skolem(str(term)):
                return unskolemise(term)
        return term

    def _path_text(self, path) -> str:
        text = self._paths.get(path)
        if text is None:
            text = self._paths[path] = path_text(self.model.graph, path)
        return text

    def _severity(self, severity) -> str:
        word = self._severities.get(severity)
        if word is None:
            word = self._severities[severity] = _SEVERITY_BY_IRI.get(severity, display(severity))
        return word

    def _add_result(self, result: Result) -> BNode:
        add = self.triples.append
        node = BNode()
        shape = result.shape
        focus = self._from_data(result.focus)
        shape_node = self._from_shapes(shape.node)
        add((node, RDF.type, SH.ValidationResult))
        add((node, SH.sourceConstraintComponent, result.component))
        add((node, SH.sourceShape, shape_node))
        add((node, SH.resultSeverity, shape.severity))
        add((node, SH.focusNode, focus))
        value = None
        if result.value is not None:
            value = self._from_data(result.value)
            add((node, SH.value, value))
        path = result.path if result.path is not None else shape.path
        if path is not None:
            add((node, SH.resultPath, self._from_shapes(path)))
        messages = list(shape.messages)
        if not messages:
            text = generic_message(result, self.model, focus, value)
            messages = [Literal(text)] if text else []
        for message in messages:
            add((node, SH.resultMessage, message))
        # The row report_rows reads from these triples (the first message in text order).
        self.rows.append(
            ValidationRow(
                focus=focus,
                path=self._path_text(path) if path is not None else "",
                value=value,
                severity=self._severity(shape.severity),
                message=min((str(m) for m in messages), default=""),
                shape=shape_node,
                component=result.component,
            )
        )
        for detail in result.details:
            # pySHACL nests what made the value fail its sh:node shape under sh:detail.
            add((node, SH.detail, self._add_result(detail)))
        return node

    def add_results(self, results: Iterable[Result]) -> None:
        """Add the fast path's results to the report."""
        for result in results:
            self.count += 1
            self.triples.append((self.root, SH.result, self._add_result(result)))

    def merge(self, other: Graph) -> int:
        """Add the results of another sh:ValidationReport (pySHACL's) to the report, and their
        rows; their count."""
        other_root = next(other.subjects(RDF.type, SH.ValidationReport), None)
        if other_root is None:
            return 0
        if self.unskolemise:
            from mktgraph.sources import unskolemised

            unskolemised(other)
        count = 0
        for result in other.objects(other_root, SH.result):
            self.triples.append((self.root, SH.result, result))
            count += 1
        self.triples.extend(triple for triple in other if triple[0] != other_root)
        self.rows.extend(
            result_row(other, result) for result in other.subjects(RDF.type, SH.ValidationResult)
        )
        self.count += count
        return count

    def finish(self) -> ReportTriples:
        """The report's triples, with sh:conforms (true when it has no result)."""
        self.triples.append((self.root, SH.conforms, Literal(self.count == 0)))
        self.triples.extend(self._shapes_part)
        namespaces = list(self.model.graph.namespace_manager.namespaces())
        return ReportTriples(self.triples, namespaces=namespaces)
