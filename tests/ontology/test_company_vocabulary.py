"""The company-data vocabulary (ontology/company.ttl): the agreed names, where its classes sit,
its value sets, no entailing domains or ranges, and consistency under HermiT."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mktgraph import resources
from mktgraph.graph import load, load_examples, load_ontology
from mktgraph.namespaces import MKT, SCHEMA
from mktgraph.output import reasoning_summary

COMPANY = resources.data_dir("ontology") / "company.ttl"

# The names agreed in the team's IRI list: nobody renames these.
CLASSES = {
    "Customer": None,
    "Prospect": None,
    "MarketingCampaign": MKT.MarketingActivity,
    "Channel": None,
    "Lead": None,
    "Deal": MKT.SalesActivity,
    "DealStage": None,
    "Offer": SCHEMA.Offer,
    "PriceDecision": MKT.PricingStrategy,
    "Promotion": MKT.MarketingActivity,
    "BrandPromotion": MKT.Promotion,
    "DiscountPromotion": MKT.Promotion,
    "MarketSegment": SCHEMA.Audience,
    "TargetingDecision": MKT.TargetMarketing,
    "PositioningStatement": None,
    "ProductLevelDescription": None,
    "ServiceQualityAssessment": MKT.MarketResearch,
    "ServqualScore": None,
    "FrameworkAnalysis": None,
    "Finding": None,
}
OBJECT_PROPERTIES = [
    "channel",
    "budget",
    "targetSegment",
    "prospect",
    "generatedBy",
    "worksLead",
    "workedBy",
    "dealStage",
    "amount",
    "describedAtLevel",
    "atLevel",
    "addressesElement",
    "priceDecisionFor",
    "promotes",
    "segment",
    "positioningFor",
    "assessedService",
    "measuresGap",
    "hasScore",
    "servqualDimension",
    "appliesFramework",
    "analysisSubject",
    "hasFinding",
    "aboutComponent",
]
DATATYPE_PROPERTIES = [
    "startDate",
    "endDate",
    "createdAt",
    "contactEmail",
    "closeDate",
    "levelDetail",
    "discountPercent",
    "statement",
    "expectationScore",
    "perceptionScore",
    "respondents",
    "findingText",
]
CHANNELS = [
    "EmailChannel",
    "WebinarChannel",
    "SocialMediaChannel",
    "SearchChannel",
    "EventChannel",
    "PrintChannel",
    "DisplayChannel",
]
STAGES = ["OpenStage", "WonStage", "LostStage"]


@pytest.fixture(scope="module")
def company() -> Graph:
    return load([COMPANY])


def superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.transitive_objects(cls, RDFS.subClassOf)) - {cls}


def test_the_agreed_classes_exist_under_the_agreed_parents(company, ontology_graph):
    for name, parent in CLASSES.items():
        assert (MKT[name], RDF.type, OWL.Class) in company, name
        if parent is not None:
            assert (MKT[name], RDFS.subClassOf, parent) in company, name


def test_inference_makes_deals_and_campaigns_marketing_activities(ontology_graph):
    for name in (
        "Deal",
        "MarketingCampaign",
        "PriceDecision",
        "Promotion",
        "BrandPromotion",
        "DiscountPromotion",
        "TargetingDecision",
        "ServiceQualityAssessment",
    ):
        assert MKT.MarketingActivity in superclasses(ontology_graph, MKT[name]), name
    assert MKT.SalesActivity in superclasses(ontology_graph, MKT.Deal)
    assert MKT.SalesActivity not in superclasses(ontology_graph, MKT.MarketingCampaign)


def test_customers_and_prospects_are_roles_of_organisations_and_people(company):
    for role in (MKT.Customer, MKT.Prospect):
        (union,) = [company.value(c, OWL.unionOf) for c in company.objects(role, RDFS.subClassOf)]
        assert list(Collection(company, union)) == [SCHEMA.Organization, SCHEMA.Person]


def test_the_agreed_properties_exist(company):
    for name in OBJECT_PROPERTIES:
        assert (MKT[name], RDF.type, OWL.ObjectProperty) in company, name
    for name in DATATYPE_PROPERTIES:
        assert (MKT[name], RDF.type, OWL.DatatypeProperty) in company, name
    assert company.value(MKT.worksLead, OWL.inverseOf) == MKT.workedBy
    assert (MKT.dealStage, RDF.type, OWL.FunctionalProperty) in company


@pytest.mark.parametrize(
    "cls,members", [(MKT.Channel, CHANNELS), (MKT.DealStage, STAGES)], ids=["channel", "stage"]
)
def test_value_sets_are_closed_and_all_different(company, cls, members):
    expected = [MKT[m] for m in members]
    assert list(Collection(company, company.value(cls, OWL.oneOf))) == expected
    for member in expected:
        assert (member, RDF.type, cls) in company
        assert (member, RDF.type, OWL.NamedIndividual) in company
    different = [
        list(Collection(company, company.value(node, OWL.distinctMembers)))
        for node in company.subjects(RDF.type, OWL.AllDifferent)
    ]
    assert expected in different


def test_object_properties_have_no_entailing_domain_or_range(company, ontology_graph):
    """An rdfs:range would make any value of a link an instance of the expected class under
    RDFS inference, so the shapes' sh:class checks on links could never fail. Intended
    subjects and values are schema:domainIncludes / schema:rangeIncludes instead."""
    ours = [p for p in company.subjects(RDF.type, OWL.ObjectProperty) if p.startswith(str(MKT))]
    assert len(ours) == len(OBJECT_PROPERTIES)
    for prop in ours:  # in any file of the ontology
        assert ontology_graph.value(prop, RDFS.domain) is None, prop
        assert ontology_graph.value(prop, RDFS.range) is None, prop


def test_no_range_anywhere_in_the_ontology_is_xsd_date(ontology_graph):
    """HermiT has no xsd:date; dates are checked by the shapes."""
    assert list(ontology_graph.subjects(RDFS.range, XSD.date)) == []
    for name in ("startDate", "endDate", "closeDate"):
        assert ontology_graph.value(MKT[name], RDFS.range) is None
    assert ontology_graph.value(MKT.createdAt, RDFS.range) == XSD.dateTime


def test_outside_terms_used_are_declared(company):
    used = {o for o in company.objects(None, RDFS.subClassOf) if str(o).startswith(str(SCHEMA))}
    used |= {
        o
        for c in company.objects(None, RDFS.subClassOf)
        for u in company.objects(c, OWL.unionOf)
        for o in Collection(company, u)
    }
    for cls in used:
        assert (cls, RDF.type, OWL.Class) in company, cls


# HermiT: the vocabulary's axioms catch contradictions, and valid data does not contradict them.

TWO_STAGES = """
@prefix ex: <https://example.org/t/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
ex:deal a mkt:Deal ; mkt:dealStage mkt:OpenStage , mkt:WonStage .
"""
ONE_TO_ONE_CAMPAIGN = """
@prefix ex: <https://example.org/t/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
ex:campaign a mkt:MarketingCampaign ; mkt:audienceScope mkt:OneToOne .
"""
BRAND_AND_DISCOUNT = """
@prefix ex: <https://example.org/t/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
ex:promotion a mkt:BrandPromotion , mkt:DiscountPromotion .
"""
CAMPAIGN_AS_DEAL = """
@prefix ex: <https://example.org/t/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
ex:thing a mkt:MarketingCampaign , mkt:Deal .
"""


@pytest.mark.integration  # HermiT runs in Java
@pytest.mark.parametrize(
    "data",
    [TWO_STAGES, ONE_TO_ONE_CAMPAIGN, BRAND_AND_DISCOUNT, CAMPAIGN_AS_DEAL],
    ids=["two-stages", "one-to-one-campaign", "brand-and-discount", "campaign-as-deal"],
)
def test_hermit_finds_contradictions_in_company_data(data):
    from mktgraph.reason import reason

    graph = load_ontology() + Graph().parse(data=data, format="turtle")
    assert reason(graph, reasoner="hermit").consistent is False


@pytest.mark.integration  # HermiT runs in Java
def test_data_that_passes_the_shapes_is_consistent_under_hermit():
    from mktgraph.reason import reason

    cases = Path(__file__).parents[1] / "shapes" / "cases"
    valid = sorted(cases.glob("*/valid.ttl"))
    assert len(valid) >= 10
    graph = load_ontology() + load_examples()
    for path in valid:
        graph += _data_only(path)
    result = reason(graph, reasoner="hermit")
    assert result.consistent, reasoning_summary(result)
    assert result.unsatisfiable == []


def _data_only(path) -> Graph:
    """A shape case's data, without its expected report."""
    from rdflib.namespace import SH

    graph = load([path])
    for report in list(graph.subjects(RDF.type, SH.ValidationReport)):
        for result in list(graph.objects(report, SH.result)):
            graph.remove((result, None, None))
        graph.remove((report, None, None))
    return graph
