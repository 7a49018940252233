"""The defined classes of ontology/reasoning.ttl classify data exactly as intended: on a small
file of our own (hand-written expected sets) and on the sample knowledge graph (expected sets
from SPARQL over the stated data, independent of any reasoner)."""

from __future__ import annotations

import pytest
from rdflib import Namespace
from rdflib.namespace import RDF
from reasoning_support import DEFINED, inferred_types

from mktgraph.graph import load_with_ontology
from mktgraph.namespaces import MKT

EX = Namespace("https://example.org/classify/")
NW = "https://example.org/northwind/"

pytestmark = pytest.mark.integration  # HermiT and Pellet run in Java

# Every inferred membership of a DEFINED class, per individual of classify.ttl.
EXPECTED_CLASSIFY = {
    EX["deal-won"]: {MKT.WonDeal, MKT.OneToOneActivity},
    EX["deal-retry-won"]: {MKT.WonDeal, MKT.OneToOneActivity},
    EX["deal-inverse"]: {MKT.WonDeal, MKT.OneToOneActivity},
    EX["deal-lost"]: {MKT.LostDeal, MKT.OneToOneActivity},
    EX["deal-retry-lost"]: {MKT.LostDeal, MKT.OneToOneActivity},
    EX["deal-open"]: {MKT.OpenDeal, MKT.OneToOneActivity},
    EX["deal-unstaged"]: {MKT.OneToOneActivity},
    EX["roadshow"]: {MKT.OneToOneActivity},
    EX["spring-webinar"]: {MKT.OneToManyActivity},
    EX["tv-spot"]: {MKT.OneToManyActivity},
    EX["lead-won"]: {MKT.ConvertedLead},
    EX["lead-retried"]: {MKT.ConvertedLead},
    EX["lead-inverse"]: {MKT.ConvertedLead},
    EX["acme"]: {MKT.Customer},
    EX["promo-discount"]: {MKT.DiscountPromotion},
}


@pytest.mark.parametrize("reasoner", ["hermit", "pellet", "owlrl"])
def test_each_defined_class_classifies_the_small_file_exactly(classify_results, reasoner):
    result = classify_results[reasoner]
    assert result.ok
    assert inferred_types(result.inferred, str(EX)) == EXPECTED_CLASSIFY


def test_inverses_fill_in_the_other_direction(classify_results):
    inferred = classify_results["hermit"].inferred
    assert (EX["deal-inverse"], MKT.worksLead, EX["lead-inverse"]) in inferred
    assert (EX["lead-won"], MKT.workedBy, EX["deal-won"]) in inferred
    assert (EX["acme"], MKT.hasLead, EX["lead-won"]) in inferred
    assert (EX["spring-webinar"], MKT.generatedLead, EX["lead-lost"]) in inferred
    # Stated facts are never repeated as inferred ones.
    assert (EX["deal-won"], MKT.worksLead, EX["lead-won"]) not in inferred
    assert (EX["deal-won"], RDF.type, MKT.Deal) not in inferred


# What each defined class means, as SPARQL over the stated data (with the ontology's class
# hierarchy): the members a reasoner must find in the sample graph, neither more nor fewer.
ORACLES = {
    MKT.WonDeal: "?x a mkt:Deal ; mkt:dealStage mkt:WonStage .",
    MKT.LostDeal: "?x a mkt:Deal ; mkt:dealStage mkt:LostStage .",
    MKT.OpenDeal: "?x a mkt:Deal ; mkt:dealStage mkt:OpenStage .",
    MKT.ConvertedLead: """?x a mkt:Lead .
        { ?d mkt:worksLead ?x } UNION { ?x mkt:workedBy ?d }
        ?d a mkt:Deal ; mkt:dealStage mkt:WonStage .""",
    MKT.OneToManyActivity: """?x a/rdfs:subClassOf* mkt:MarketingActivity .
        { ?x mkt:audienceScope mkt:OneToMany } UNION {
          ?x a/rdfs:subClassOf* ?r . ?r owl:onProperty mkt:audienceScope ;
            owl:hasValue mkt:OneToMany }""",
    MKT.OneToOneActivity: """?x a/rdfs:subClassOf* mkt:MarketingActivity .
        { ?x mkt:audienceScope mkt:OneToOne } UNION {
          ?x a/rdfs:subClassOf* ?r . ?r owl:onProperty mkt:audienceScope ;
            owl:hasValue mkt:OneToOne }""",
    MKT.DiscountPromotion: """{ ?x a/rdfs:subClassOf* mkt:DiscountPromotion } UNION {
        ?x a/rdfs:subClassOf* mkt:Promotion ; mkt:discountPercent ?v }""",
    MKT.Customer: """{ ?x a mkt:Customer } UNION {
        ?l mkt:prospect ?x . { ?d mkt:worksLead ?l } UNION { ?l mkt:workedBy ?d }
        ?d a mkt:Deal ; mkt:dealStage mkt:WonStage . }""",
}


@pytest.fixture(scope="module")
def stated():
    return load_with_ontology(example=True)


def members_by_oracle(graph, cls) -> set:
    query = f"""PREFIX mkt: <{MKT}>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?x WHERE {{ {ORACLES[cls]} FILTER(STRSTARTS(STR(?x), "{NW}")) }}"""
    return {row[0] for row in graph.query(query)}


def test_every_defined_class_has_an_oracle():
    assert set(ORACLES) == set(DEFINED)


@pytest.mark.parametrize("cls", list(ORACLES), ids=lambda c: c.split("/")[-1])
def test_each_defined_class_classifies_the_sample_graph_exactly(sample_results, stated, cls):
    result = sample_results["hermit"]
    assert result.ok
    expected = members_by_oracle(stated, cls)
    found = {
        x
        for x in set(result.inferred.subjects(RDF.type, cls)) | set(stated.subjects(RDF.type, cls))
        if str(x).startswith(NW)
    }
    assert found == expected


def test_the_sample_graph_exercises_the_defined_classes(sample_results, stated):
    """Each class that the sample can show has members, so the exact checks above bite."""
    for cls in (MKT.WonDeal, MKT.LostDeal, MKT.OpenDeal, MKT.ConvertedLead):
        assert members_by_oracle(stated, cls), cls
    for cls in (MKT.OneToManyActivity, MKT.OneToOneActivity, MKT.ConvertedLead):
        assert any(
            str(x).startswith(NW) for x in sample_results["hermit"].inferred.subjects(RDF.type, cls)
        ), cls
