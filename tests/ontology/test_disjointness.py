"""Disjointness is stated, decided kind by kind, never implied: a sales campaign and a
long-horizon key-account sale are consistent; a deal that is also a campaign is not."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS

from mktgraph.graph import load_ontology
from mktgraph.namespaces import MKT
from mktgraph.reason import reason

pytestmark = pytest.mark.integration  # HermiT runs in Java

PREFIXES = """
@prefix ex: <https://example.org/disjoint/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
"""


def hermit(data: str):
    graph = load_ontology()
    graph += Graph().parse(data=PREFIXES + data, format="turtle")
    return reason(graph, reasoner="hermit")


@pytest.mark.parametrize(
    "data",
    [
        # A campaign run by sales: one to many, and sales.
        "ex:spring-push a mkt:MarketingCampaign , mkt:SalesActivity .",
        # A key-account sale judged over years, pulling rather than pushing.
        "ex:key-account a mkt:SalesActivity ; mkt:timeHorizon mkt:LongTerm ;"
        " mkt:strategyOrientation mkt:Pull .",
        # Sales work that is also brand management, and advertising that is sales.
        "ex:flagship a mkt:SalesActivity , mkt:BrandManagement ; mkt:timeHorizon mkt:ShortTerm .",
        "ex:shop-ad a mkt:Advertising , mkt:SalesActivity ; mkt:strategyOrientation mkt:Push .",
    ],
)
def test_sales_is_disjoint_from_no_other_kind_of_marketing(data):
    result = hermit(data)
    assert result.consistent, data
    assert result.unsatisfiable == []


@pytest.mark.parametrize("other", ["MarketingCampaign", "Advertising"])
def test_a_deal_is_never_a_campaign_or_an_ad_and_says_so(ontology_graph, other):
    assert (MKT.Deal, OWL.disjointWith, MKT[other]) in ontology_graph
    assert not hermit(f"ex:odd a mkt:Deal , mkt:{other} .").consistent


def test_no_class_level_characteristic_beyond_the_audience_scope_of_three_kinds(ontology_graph):
    """The article says 'long term' and 'pull' of marketing as a whole, not of brand management
    or advertising; only advertising, campaigns and deals fix an audience scope."""
    restricted = {}
    for restriction in ontology_graph.subjects(OWL.hasValue, None):
        prop = ontology_graph.value(restriction, OWL.onProperty)
        for cls in ontology_graph.subjects(RDFS.subClassOf, restriction):
            restricted.setdefault(prop, set()).add(cls)
    characteristic = {MKT.audienceScope, MKT.strategyOrientation, MKT.timeHorizon}
    assert {p: c for p, c in restricted.items() if p in characteristic} == {
        MKT.audienceScope: {MKT.Advertising, MKT.MarketingCampaign, URIRef(MKT.Deal)},
    }
