"""The shapes follow the house rules: a node shape per instance class, names that say what they
check, one message and one deliberate severity on every constraint."""

from __future__ import annotations

from functools import cache

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from mktgraph import resources
from mktgraph.graph import load
from mktgraph.namespaces import MKT, MKTSH, SCHEMA

# Parameters that make a shape check something itself (not only through sh:property).
CONSTRAINTS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.pattern,
    SH["in"],
    SH.hasValue,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.xone,
    SH.node,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.equals,
    SH.disjoint,
    SH.minLength,
    SH.maxLength,
    SH.uniqueLang,
    SH.closed,
}
# Reused outside classes that mktgraph's shapes check as well.
OUTSIDE_TARGETS = {SCHEMA.MonetaryAmount, SCHEMA.Product, SCHEMA.Service}


@cache
def shapes() -> Graph:
    return load(resources.shape_files())


def named(kind) -> list[URIRef]:
    return sorted(s for s in shapes().subjects(RDF.type, kind) if isinstance(s, URIRef))


def local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def test_the_shapes_folder_has_shapes():
    assert resources.shape_files()
    assert len(named(SH.NodeShape)) >= 20
    assert len(named(SH.PropertyShape)) >= 60


def test_every_class_of_the_company_vocabulary_has_its_node_shape():
    company = load([resources.data_dir("ontology") / "company.ttl"])
    classes = {c for c in company.subjects(RDF.type, OWL.Class) if str(c).startswith(str(MKT))}
    assert len(classes) >= 20
    for cls in sorted(classes | OUTSIDE_TARGETS):
        shape = MKTSH[f"{local(cls)}Shape"]
        assert (shape, SH.targetClass, cls) in shapes(), shape


def test_every_constraining_shape_has_one_english_message_and_one_severity():
    problems = []
    for shape in named(SH.NodeShape) + named(SH.PropertyShape):
        if not any(shapes().value(shape, p) is not None for p in CONSTRAINTS):
            continue
        messages = list(shapes().objects(shape, SH.message))
        if len(messages) != 1 or getattr(messages[0], "language", None) != "en":
            problems.append(f"{local(shape)}: {len(messages)} sh:message, want one @en")
        severities = list(shapes().objects(shape, SH.severity))
        if len(severities) != 1 or severities[0] not in (SH.Violation, SH.Warning, SH.Info):
            problems.append(f"{local(shape)}: severity {severities}")
    assert problems == []


def test_all_three_severities_are_used():
    used = set(shapes().objects(None, SH.severity))
    assert used == {SH.Violation, SH.Warning, SH.Info}


def _first_predicate(path) -> URIRef:
    graph = shapes()
    if isinstance(path, URIRef):
        return path
    if (path, RDF.first, None) in graph:
        return _first_predicate(next(iter(Collection(graph, path))))
    assert isinstance(path, BNode)
    return _first_predicate(graph.value(path, SH.inversePath))


def test_property_shapes_are_named_class_dash_property():
    graph = shapes()
    problems = []
    for node_shape in named(SH.NodeShape):
        cls = local(node_shape).removesuffix("Shape")
        for prop in graph.objects(node_shape, SH.property):
            want = f"{cls}-{local(_first_predicate(graph.value(prop, SH.path)))}"
            if not isinstance(prop, URIRef) or not local(prop).startswith(want):
                problems.append(f"{prop}: expected a name starting {want}")
            if (prop, RDF.type, SH.PropertyShape) not in graph:
                problems.append(f"{prop}: not typed sh:PropertyShape")
    assert problems == []


def test_node_shapes_are_typed_and_labelled():
    for shape in named(SH.NodeShape):
        assert shapes().value(shape, SH.targetClass) is not None, shape
        assert shapes().value(shape, RDFS.label), shape
