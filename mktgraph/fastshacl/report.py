"""Assembling a standard sh:ValidationReport (graph and text) from the fast path's results."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from mktgraph.fastshacl.engine import Result
from mktgraph.fastshacl.shapes import ShapesModel


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


def _clone_from_data(runner, node: ox.BlankNode, target: Graph, convert, depth=0):
    """Copy a blank node of the data, with what it says, into the report (as pySHACL does)."""
    cloned = BNode(node.value)
    if depth >= 10:
        return cloned
    for predicate, obj in runner.blank_node_triples(node):
        if isinstance(obj, ox.BlankNode):
            target.add(
                (
                    cloned,
                    convert(predicate),
                    _clone_from_data(runner, obj, target, convert, depth + 1),
                )
            )
        else:
            target.add((cloned, convert(predicate), convert(obj)))
    return cloned


def build_report(
    results: Iterable[Result], model: ShapesModel, runner, convert
) -> tuple[Graph, int]:
    """The report graph (sh:ValidationReport with one sh:result per result) and the count."""
    from pyshacl.rdfutil import clone_blank_node

    sg = model.graph
    report = Graph(bind_namespaces="core")
    for prefix, namespace in sg.namespace_manager.namespaces():
        report.namespace_manager.bind(prefix, namespace)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    cloned: dict[Any, Any] = {}

    def from_shapes(node):
        if isinstance(node, BNode):
            if node not in cloned:
                cloned[node] = clone_blank_node(sg, node, report, keepid=True)
            return cloned[node]
        return node

    def from_data(node):
        if isinstance(node, ox.BlankNode):
            if node not in cloned:
                cloned[node] = _clone_from_data(runner, node, report, convert)
            return cloned[node]
        return convert(node)

    def add_result(result: Result) -> BNode:
        node = BNode()
        shape = result.shape
        focus = from_data(result.focus)
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.sourceConstraintComponent, result.component))
        report.add((node, SH.sourceShape, from_shapes(shape.node)))
        report.add((node, SH.resultSeverity, shape.severity))
        report.add((node, SH.focusNode, focus))
        value = None
        if result.value is not None:
            value = from_data(result.value)
            report.add((node, SH.value, value))
        path = result.path if result.path is not None else shape.path
        if path is not None:
            report.add((node, SH.resultPath, from_shapes(path)))
        messages = list(shape.messages)
        if not messages:
            text = generic_message(result, model, focus, value)
            messages = [Literal(text)] if text else []
        for message in messages:
            report.add((node, SH.resultMessage, message))
        for detail in result.details:
            # pySHACL nests what made the value fail its sh:node shape under sh:detail.
            report.add((node, SH.detail, add_result(detail)))
        return node

    count = 0
    for result in results:
        count += 1
        report.add((root, SH.result, add_result(result)))
    report.add((root, SH.conforms, Literal(count == 0)))
    return report, count


def merge_report(into: Graph, other: Graph) -> int:
    """Add the results of another sh:ValidationReport (pySHACL's) to ``into``; their count."""
    root = next(into.subjects(RDF.type, SH.ValidationReport))
    other_root = next(other.subjects(RDF.type, SH.ValidationReport), None)
    if other_root is None:
        return 0
    count = 0
    for result in other.objects(other_root, SH.result):
        into.add((root, SH.result, result))
        count += 1
    for triple in other:
        if triple[0] != other_root:
            into.add(triple)
    return count


def set_conforms(report: Graph, conforms: bool) -> None:
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    report.set((root, SH.conforms, Literal(conforms)))
