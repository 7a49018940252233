"""Each shape case gives exactly its expected report; every shape is exercised by some case."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SH
from shapecases import CASES_DIR, Case, case_files, load_case, result_keys

from mktgraph import resources
from mktgraph.graph import load, load_ontology
from mktgraph.namespaces import MKTSH
from mktgraph.output import display
from mktgraph.validate import DEFAULT_INFERENCE, ValidationResult, validate_graph

GROUPS = (
    "analyses",
    "campaigns",
    "deals",
    "leads",
    "money",
    "offers",
    "parties",
    "products",
    "promotions",
    "servqual",
    "stp",
)
# Node shapes that carry constraints of their own (not only sh:property).
NODE_CONSTRAINTS = (SH["or"], SH["in"], SH["and"], SH["not"], SH.xone, SH["class"], SH.node)


@cache
def _ontology():
    return load_ontology()


@cache
def _shapes():
    return load(resources.shape_files())


@cache
def case(path: Path) -> Case:
    return load_case(path)


@cache
def validated(path: Path, inference: str) -> ValidationResult:
    return validate_graph(case(path).data, _shapes(), inference, ontology=_ontology())


def test_every_group_has_a_valid_and_an_invalid_case():
    names = {str(p.relative_to(CASES_DIR)) for p in case_files()}
    expected = {f"{g}/{kind}.ttl" for g in GROUPS for kind in ("valid", "invalid")}
    assert expected <= names
    assert all(p.parent.parent == CASES_DIR for p in case_files())


@pytest.mark.parametrize("inference", ["none", DEFAULT_INFERENCE])
@pytest.mark.parametrize("path", case_files(), ids=lambda p: str(p.relative_to(CASES_DIR)))
@pytest.mark.slow
def test_case_gives_its_expected_report(path: Path, inference: str):
    expected = case(path)
    result = validated(path, inference)
    actual = result_keys(result)
    assert sorted(actual - expected.expected) == [], "unexpected results"
    assert sorted(expected.expected - actual) == [], "missing results"
    assert result.conforms == expected.conforms


def _named_shapes(shapes, kind) -> set[URIRef]:
    return {s for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef)}


@pytest.mark.slow
def test_every_property_shape_and_node_constraint_is_violated_by_some_case():
    shapes = _shapes()
    checked = _named_shapes(shapes, SH.PropertyShape) | {
        s
        for s in _named_shapes(shapes, SH.NodeShape)
        if any(shapes.value(s, p) for p in NODE_CONSTRAINTS)
    }
    assert len(checked) >= 70  # the test must not pass vacuously
    violated = {
        row.shape for path in case_files() for row in validated(path, DEFAULT_INFERENCE).rows
    }
    assert sorted(display(s) for s in checked - violated) == []


def test_every_property_shape_is_reachable_from_a_node_shape():
    shapes = _shapes()
    attached = set(shapes.objects(None, SH.property))
    assert sorted(display(s) for s in _named_shapes(shapes, SH.PropertyShape) - attached) == []


def test_every_node_shape_has_an_instance_in_a_conforming_case():
    shapes = _shapes()
    ontology = _ontology()
    targets = {s: shapes.value(s, SH.targetClass) for s in _named_shapes(shapes, SH.NodeShape)}
    assert all(targets.values()), "every node shape targets a class"
    instances: set[URIRef] = set()
    for path in case_files():
        if case(path).conforms:
            data = case(path).data + ontology
            for target in set(targets.values()):
                if any(
                    True
                    for cls in data.transitive_subjects(RDFS.subClassOf, target)
                    for _ in data.subjects(RDF.type, cls)
                ):
                    instances.add(target)
    assert sorted(display(t) for t in set(targets.values()) - instances) == []


def test_shapes_are_in_the_mktsh_namespace():
    shapes = _shapes()
    named = _named_shapes(shapes, SH.NodeShape) | _named_shapes(shapes, SH.PropertyShape)
    assert all(str(s).startswith(str(MKTSH)) for s in named)
