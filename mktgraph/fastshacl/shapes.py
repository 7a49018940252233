"""Reading a SHACL shapes graph into shapes the fast validator compiles (as pySHACL reads them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

# Constraint parameters the fast path compiles (pySHACL's names for the same SHACL Core ones).
COMPILED_PARAMETERS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minExclusive,
    SH.minInclusive,
    SH.maxExclusive,
    SH.maxInclusive,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.languageIn,
    SH.uniqueLang,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH["not"],
    SH["and"],
    SH["or"],
    SH.xone,
    SH.node,
    SH.property,
    SH["in"],
    SH.hasValue,
    SH.closed,
}
# Parameters pySHACL knows that the fast path leaves to pySHACL (the shape falls back).
FALLBACK_PARAMETERS = {
    SH.qualifiedValueShape: "sh:qualifiedValueShape",
    SH.qualifiedMinCount: "sh:qualifiedMinCount",
    SH.qualifiedMaxCount: "sh:qualifiedMaxCount",
    SH.sparql: "sh:sparql (SPARQL-based constraints)",
    SH.target: "sh:target (SHACL-AF custom targets)",
    SH.rule: "sh:rule (SHACL-AF rules)",
    SH.expression: "sh:expression (SHACL-AF)",
    URIRef("http://www.w3.org/ns/shacl#js"): "sh:js",
}
TARGET_PREDICATES = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
SHAPE_LIST_PARAMETERS = (SH["and"], SH["or"], SH.xone)


@dataclass
class Shape:
    """One node or property shape: where its values come from and what it requires of them."""

    node: URIRef | BNode
    path: Any = None  # rdflib node of sh:path (IRI or blank-node path expression), or None
    severity: URIRef = SH.Violation
    messages: list[Literal] = field(default_factory=list)
    deactivated: bool = False
    params: dict[URIRef, list] = field(default_factory=dict)
    target_nodes: list = field(default_factory=list)
    target_classes: list = field(default_factory=list)
    target_subjects_of: list = field(default_factory=list)
    target_objects_of: list = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def has_targets(self) -> bool:
        return bool(
            self.target_nodes
            or self.target_classes
            or self.target_subjects_of
            or self.target_objects_of
        )

    def values(self, parameter: URIRef) -> list:
        return self.params.get(parameter, [])


class ShapesModel:
    """The shapes of a shapes graph, read once; shapes are looked up by their node."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict[Any, Shape] = {}
        self._custom_components = self._custom_constraint_parameters()

    def _custom_constraint_parameters(self) -> set:
        """Parameters of SHACL-SPARQL constraint components declared in the shapes graph."""
        found = set()
        for component in self.graph.subjects(RDF.type, SH.ConstraintComponent):
            for parameter in self.graph.objects(component, SH.parameter):
                found.update(self.graph.objects(parameter, SH.path))
        return found

    def items(self, node) -> list:
        """The members of an RDF list in the shapes graph."""
        return list(self.graph.items(node))

    def shape(self, node) -> Shape:
        known = self._shapes.get(node)
        if known is not None:
            return known
        g = self.graph
        paths = list(g.objects(node, SH.path))
        shape = Shape(node=node, path=paths[0] if paths else None)
        self._shapes[node] = shape
        severities = list(g.objects(node, SH.severity))
        if severities:
            shape.severity = severities[0]
        shape.messages = list(g.objects(node, SH.message))
        deactivated = list(g.objects(node, SH.deactivated))
        if deactivated and isinstance(deactivated[0], Literal):
            shape.deactivated = bool(deactivated[0].value)
        for predicate, obj in g.predicate_objects(node):
            if predicate in COMPILED_PARAMETERS:
                shape.params.setdefault(predicate, []).append(obj)
            elif predicate in FALLBACK_PARAMETERS:
                shape.unsupported.append(FALLBACK_PARAMETERS[predicate])
            elif predicate in self._custom_components:
                shape.unsupported.append(f"custom constraint component parameter <{predicate}>")
        shape.target_nodes = list(g.objects(node, SH.targetNode))
        shape.target_classes = list(g.objects(node, SH.targetClass))
        if self._is_implicit_class_target(node):
            shape.target_classes.append(node)
        shape.target_subjects_of = list(g.objects(node, SH.targetSubjectsOf))
        shape.target_objects_of = list(g.objects(node, SH.targetObjectsOf))
        if len(paths) > 1:
            shape.unsupported.append("more than one sh:path")
        return shape

    def _is_implicit_class_target(self, node) -> bool:
        # pySHACL: a shape typed rdfs:Class, or a subclass of it named in the shapes graph.
        kinds = set(self.graph.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
        return any(t in kinds for t in self.graph.objects(node, RDF.type))

    def target_shapes(self) -> list[Shape]:
        """Every shape that has targets of its own, in a stable order (IRIs first, sorted)."""
        g = self.graph
        nodes = set()
        for predicate in (*TARGET_PREDICATES, SH.target):
            nodes.update(g.subjects(predicate, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            for node in g.subjects(RDF.type, kind):
                if self._is_implicit_class_target(node):
                    nodes.add(node)
        ordered = sorted(nodes, key=lambda n: (isinstance(n, BNode), str(n)))
        return [self.shape(node) for node in ordered]

    def referenced_shapes(self, shape: Shape) -> list[Shape]:
        """The shapes that ``shape`` refers to (sh:property, sh:node, sh:not, sh:and/or/xone)."""
        found = []
        for parameter in (SH.property, SH.node, SH["not"]):
            found.extend(self.shape(n) for n in shape.values(parameter))
        for parameter in SHAPE_LIST_PARAMETERS:
            for members in shape.values(parameter):
                found.extend(self.shape(n) for n in self.items(members))
        return found

    def unsupported_features(self, shape: Shape) -> list[str]:
        """What the fast path cannot compile in ``shape`` or any shape it refers to."""
        seen: set = set()
        reasons: list[str] = []
        stack = [shape]
        while stack:
            current = stack.pop()
            if current.node in seen:
                # A shape reached twice on one route may be recursive: pySHACL's recursion
                # handling is its own, so leave such shapes to it.
                continue
            seen.add(current.node)
            reasons.extend(r for r in current.unsupported if r not in reasons)
            stack.extend(self.referenced_shapes(current))
        if self._is_recursive(shape):
            reasons.append("recursive shapes")
        return reasons

    def _is_recursive(self, shape: Shape) -> bool:
        def visit(current: Shape, route: tuple) -> bool:
            if current.node in route:
                return True
            return any(
                visit(ref, (*route, current.node)) for ref in self.referenced_shapes(current)
            )

        return visit(shape, ())
