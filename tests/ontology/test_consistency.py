"""The bundled ontology is consistent under HermiT and Pellet with sales satisfiable, and the
check can fail: the naive modelling of the contrast makes every sales activity unsatisfiable."""

from __future__ import annotations

import pytest
from rdflib import Graph

from mktgraph.graph import load_ontology
from mktgraph.namespaces import MKT
from mktgraph.reason import reason

pytestmark = pytest.mark.integration  # HermiT and Pellet run in Java

# The trap of domain.md: the table's "one to many" as a universal restriction on every
# marketing activity, and "one to one" stated of every sales activity, which inherits the first.
NAIVE_CONTRAST = """
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
mkt:MarketingActivity rdfs:subClassOf [ a owl:Restriction ; owl:onProperty mkt:audienceScope ;
    owl:allValuesFrom [ a owl:Class ; owl:oneOf ( mkt:OneToMany ) ] ] .
mkt:SalesActivity rdfs:subClassOf [ a owl:Restriction ; owl:onProperty mkt:audienceScope ;
    owl:hasValue mkt:OneToOne ] .
"""


@pytest.mark.parametrize("reasoner", ["hermit", "pellet"])
def test_the_bundled_ontology_is_consistent_and_every_class_satisfiable(reasoner):
    result = reason(load_ontology(), reasoner=reasoner)
    assert result.consistent
    assert str(MKT.SalesActivity) not in result.unsatisfiable
    assert result.unsatisfiable == []


def test_the_naive_contrast_would_make_sales_unsatisfiable():
    graph = load_ontology()
    graph += Graph().parse(data=NAIVE_CONTRAST, format="turtle")
    result = reason(graph, reasoner="hermit")
    assert result.consistent  # no individual is a sales activity, so nothing contradicts
    assert str(MKT.SalesActivity) in result.unsatisfiable
    assert str(MKT.Deal) in result.unsatisfiable  # and with it every kind of sales
    assert str(MKT.MarketingActivity) not in result.unsatisfiable
    assert str(MKT.Advertising) not in result.unsatisfiable
    assert not result.ok
