"""The sample knowledge graph (examples/): it parses, meets the issue's minimums, uses only
terms the ontology declares, in the way the ontology declares them, and conforms to the shapes."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mktgraph import resources
from mktgraph.graph import load_examples
from mktgraph.namespaces import MKT, SCHEMA

NW = "https://example.org/northwind/"


@pytest.fixture(scope="module")
def sample() -> Graph:
    return load_examples()


def instances(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.subjects(RDF.type, cls))


def test_the_sample_is_one_turtle_file_of_a_few_hundred_to_a_few_thousand_triples(sample):
    assert [p.name for p in resources.example_files()] == ["northwind.ttl"]
    assert 300 <= len(sample) <= 5000, len(sample)


def test_every_subject_is_a_northwind_iri_and_there_are_no_blank_nodes(sample):
    # Blank nodes would make exports depend on canonical relabelling and reports hard to read.
    assert not [t for t in sample if any(isinstance(x, BNode) for x in t)]
    assert {str(s)[: len(NW)] for s in sample.subjects()} == {NW}


def test_campaigns_at_least_two_on_different_channels(sample):
    campaigns = instances(sample, MKT.MarketingCampaign)
    assert len(campaigns) >= 2
    channels = [sample.value(c, MKT.channel) for c in campaigns]
    assert None not in channels
    assert len(set(channels)) == len(campaigns), "every campaign has its own channel"
    for campaign in campaigns:
        budget = sample.value(campaign, MKT.budget)
        assert (budget, RDF.type, SCHEMA.MonetaryAmount) in sample
        for prop in (MKT.startDate, MKT.endDate):
            assert sample.value(campaign, prop).datatype == XSD.date
        assert (
            sample.value(campaign, MKT.startDate).toPython()
            <= sample.value(campaign, MKT.endDate).toPython()
        )


def test_twenty_or_more_leads_each_complete(sample):
    leads = instances(sample, MKT.Lead)
    assert len(leads) >= 20
    for lead in leads:
        prospect = sample.value(lead, MKT.prospect)
        assert (prospect, RDF.type, MKT.Prospect) in sample, lead
        kinds = set(sample.objects(prospect, RDF.type)) & {SCHEMA.Organization, SCHEMA.Person}
        assert len(kinds) == 1, prospect
        assert sample.value(lead, MKT.generatedBy) is not None, lead
        assert sample.value(lead, MKT.createdAt).datatype == XSD.dateTime, lead
        assert "@" in str(sample.value(lead, MKT.contactEmail)), lead
    prospect_kinds = {
        kind
        for lead in leads
        for kind in sample.objects(sample.value(lead, MKT.prospect), RDF.type)
    }
    assert {SCHEMA.Organization, SCHEMA.Person} <= prospect_kinds


def test_eight_or_more_deals_in_every_stage_and_some_leads_never_worked(sample):
    deals = instances(sample, MKT.Deal)
    assert len(deals) >= 8
    stages = Counter(sample.value(d, MKT.dealStage) for d in deals)
    assert set(stages) == {MKT.OpenStage, MKT.WonStage, MKT.LostStage}
    assert all(n >= 2 for n in stages.values()), stages
    for deal in deals:
        assert len(list(sample.objects(deal, MKT.dealStage))) == 1, deal
        assert len(list(sample.objects(deal, MKT.worksLead))) == 1, deal
        amount = sample.value(deal, MKT.amount)
        assert sample.value(amount, SCHEMA.value).datatype == XSD.decimal
        assert str(sample.value(amount, SCHEMA.currency)) == "EUR"
        assert sample.value(deal, MKT.closeDate).datatype == XSD.date
    worked = {sample.value(d, MKT.worksLead) for d in deals}
    assert len(worked) == len(deals), "no lead is worked by two deals"
    assert instances(sample, MKT.Lead) - worked, "some leads are never worked by a deal"


def test_customers_prospects_and_people(sample):
    assert len(instances(sample, MKT.Customer)) >= 3
    assert len(instances(sample, MKT.Prospect)) >= 20
    # Customers who were never prospects (clients from before), and won prospects.
    assert instances(sample, MKT.Customer) - instances(sample, MKT.Prospect)
    assert instances(sample, MKT.Customer) & instances(sample, MKT.Prospect)


def test_products_and_a_service_at_the_five_and_three_levels(sample, ontology_graph):
    def levels_of(item) -> set[URIRef]:
        return {sample.value(d, MKT.atLevel) for d in sample.objects(item, MKT.describedAtLevel)}

    five = set(ontology_graph.objects(MKT.FiveProductLevels, MKT.hasComponent))
    three = set(ontology_graph.objects(MKT.ThreeProductLevels, MKT.hasComponent))
    assert len(five) == 5 and len(three) == 3
    products = instances(sample, SCHEMA.Product)
    services = instances(sample, SCHEMA.Service)
    assert len(products) >= 2 and len(services) >= 1
    assert any(levels_of(p) == five | three for p in products)
    assert any(levels_of(p) == three for p in products)
    assert any(levels_of(s) >= five for s in services)
    for description in instances(sample, MKT.ProductLevelDescription):
        assert str(sample.value(description, MKT.levelDetail)).strip()


def components(ontology: Graph, framework: URIRef) -> set[URIRef]:
    return set(ontology.objects(framework, MKT.hasComponent))


def analysis_of(sample: Graph, framework: URIRef) -> list[URIRef]:
    return sorted(sample.subjects(MKT.appliesFramework, framework))


@pytest.mark.parametrize(
    ("framework", "size"),
    [
        (MKT.FourPs, 4),
        (MKT.SevenPs, 7),
        (MKT.STPModel, 3),
        (MKT.ThreeCs, 3),
        (MKT.ServicesMarketingTriangle, 6),
    ],
)
def test_each_analysis_has_one_finding_per_component(sample, ontology_graph, framework, size):
    (analysis,) = analysis_of(sample, framework)
    findings = list(sample.objects(analysis, MKT.hasFinding))
    about = [sample.value(f, MKT.aboutComponent) for f in findings]
    assert len(about) == len(set(about)) == size
    assert set(about) == components(ontology_graph, framework)
    assert all(str(sample.value(f, MKT.findingText)).strip() for f in findings)


def test_4p_and_7p_analyse_the_same_offering(sample):
    (four,) = analysis_of(sample, MKT.FourPs)
    (seven,) = analysis_of(sample, MKT.SevenPs)
    subject = sample.value(four, MKT.analysisSubject)
    assert subject == sample.value(seven, MKT.analysisSubject) == URIRef(NW + "managed-analytics")


def test_stp_of_one_market_with_a_targeting_decision_and_a_positioning_statement(sample):
    (stp,) = analysis_of(sample, MKT.STPModel)
    assert sample.value(stp, MKT.analysisSubject) == URIRef(NW + "market-dach-retail")
    assert len(instances(sample, MKT.MarketSegment)) >= 3
    (decision,) = instances(sample, MKT.TargetingDecision)
    (statement,) = instances(sample, MKT.PositioningStatement)
    target = sample.value(decision, MKT.segment)
    assert (target, RDF.type, MKT.MarketSegment) in sample
    assert sample.value(statement, MKT.positioningFor) == target
    assert str(sample.value(statement, MKT.statement)).startswith("For mid-market retail chains")


def test_servqual_covers_the_five_dimensions_and_measures_the_customer_gap(sample, ontology_graph):
    dimensions = set(ontology_graph.subjects(RDF.type, MKT.ServqualDimension))
    assert len(dimensions) == 5
    service = URIRef(NW + "managed-analytics")
    assessments = instances(sample, MKT.ServiceQualityAssessment)
    assert len(assessments) == 2
    for assessment in assessments:
        assert sample.value(assessment, MKT.assessedService) == service
        assert sample.value(assessment, MKT.measuresGap) == MKT.CustomerGap
        scores = list(sample.objects(assessment, MKT.hasScore))
        assert {sample.value(s, MKT.servqualDimension) for s in scores} == dimensions
        assert len(scores) == 5
        for score in scores:
            for prop in (MKT.expectationScore, MKT.perceptionScore):
                value = sample.value(score, prop)
                assert value.datatype == XSD.decimal and 1 <= value.toPython() <= 7


def test_promotions_offers_and_price_decisions_name_their_mix_element(sample, ontology_graph):
    seven_ps = components(ontology_graph, MKT.SevenPs)
    discounts = instances(sample, MKT.DiscountPromotion)
    assert len(discounts) >= 2 and len(instances(sample, MKT.BrandPromotion)) >= 2
    for promotion in discounts:
        assert 0 <= sample.value(promotion, MKT.discountPercent).toPython() <= 100
    tagged = (
        discounts
        | instances(sample, MKT.BrandPromotion)
        | instances(sample, MKT.Offer)
        | instances(sample, MKT.PriceDecision)
    )
    assert len(instances(sample, MKT.Offer)) >= 3 and len(instances(sample, MKT.PriceDecision)) >= 2
    elements = set()
    for item in tagged:
        element = sample.value(item, MKT.addressesElement)
        assert element in seven_ps, item
        elements.add(element)
    # Offers tag 7P-only elements too (people, process), not just the 4Ps.
    assert {MKT.PriceElement, MKT.PromotionElement, MKT.PeopleElement, MKT.ProcessElement} <= (
        elements
    )


#################################################################
# Only declared terms, used as declared: typos fail here, and so would data that HermiT
# rejects because of a functional property or a disjointness.
#################################################################


def test_every_mkt_iri_in_the_sample_is_declared_in_the_ontology(sample, ontology_graph):
    declared = {s for s in ontology_graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {
        term
        for triple in sample
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(MKT))
    }
    assert sorted(used - declared) == []


def test_every_class_the_sample_uses_is_a_declared_class(sample, ontology_graph):
    classes = set(ontology_graph.subjects(RDF.type, OWL.Class))
    assert sorted(set(sample.objects(None, RDF.type)) - classes) == []


def test_every_predicate_is_an_object_or_datatype_property_used_as_such(sample, ontology_graph):
    # Undeclared or annotation predicates would take the data out of OWL 2 DL for HermiT.
    object_props = set(ontology_graph.subjects(RDF.type, OWL.ObjectProperty))
    data_props = set(ontology_graph.subjects(RDF.type, OWL.DatatypeProperty))
    wrong = []
    for s, p, o in sample:
        if p == RDF.type:
            continue
        if p in object_props:
            ok = isinstance(o, URIRef)
        elif p in data_props:
            ok = isinstance(o, Literal)
        else:
            ok = False  # an annotation property, or undeclared
        if not ok:
            wrong.append((s, p, o))
    assert wrong == []


def test_functional_properties_have_one_value_per_subject(sample, ontology_graph):
    functional = set(ontology_graph.subjects(RDF.type, OWL.FunctionalProperty))
    assert MKT.dealStage in functional
    counts = Counter((s, p) for s, p, _o in sample if p in functional)
    assert [key for key, n in counts.items() if n > 1] == []


def test_no_individual_is_in_two_disjoint_classes(sample, ontology_graph):
    pairs = {(a, b) for a, b in ontology_graph.subject_objects(OWL.disjointWith)}
    for node in ontology_graph.subjects(RDF.type, OWL.AllDisjointClasses):
        listed = list(ontology_graph.items(ontology_graph.value(node, OWL.members)))
        pairs |= {(a, b) for a in listed for b in listed if a != b}

    def types_of(x):
        # Asserted types with their named superclasses, as a reasoner would see them.
        found = set()
        for t in sample.objects(x, RDF.type):
            found |= set(ontology_graph.transitive_objects(t, RDFS.subClassOf))
        return found

    clashes = [
        (x, a, b)
        for x in set(sample.subjects(RDF.type, None))
        for a, b in pairs
        if {a, b} <= types_of(x)
    ]
    assert clashes == []


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_the_sample_conforms_to_the_shapes_without_warnings_or_notes(inference):
    from mktgraph.validate import validate

    result = validate(example=True, inference=inference)
    assert [row.as_dict() for row in result.rows] == []
    assert result.conforms
