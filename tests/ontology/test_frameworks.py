"""The eight frameworks in the ontology: components, order, sources, and how they relate."""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from mktgraph.graph import load_ontology
from mktgraph.namespaces import MKT, MKTSRC

SCHEMA = "https://schema.org/"

# Competency questions, one row per framework: its components (in order, where it has one),
# the class they belong to, its originators, its year and the works it cites.
FRAMEWORKS = {
    "ThreeCs": (
        ["CustomersC", "CompetitorsC", "CompanyC"],
        "StrategicC",
        {"Kenichi Ohmae"},
        "1982",
        {"ohmae-1982"},
    ),
    "FourPs": (
        ["ProductElement", "PriceElement", "PlaceElement", "PromotionElement"],
        "MarketingMixElement",
        {"E. Jerome McCarthy"},
        "1960",
        {"mccarthy-1960", "borden-1964"},
    ),
    "STPModel": (
        ["SegmentationStep", "TargetingStep", "PositioningStep"],
        "STPStep",
        {"Philip Kotler"},  # the sequence is Kotler's; Smith (1956) originated segmentation
        None,
        {"smith-1956", "kotler-marketing-management"},
    ),
    "ThreeProductLevels": (
        ["CoreCustomerValue", "ActualProduct", "ThreeLevelAugmentedProduct"],
        "ProductLevel",
        {"Philip Kotler"},
        None,
        {"kotler-armstrong-principles"},
    ),
    "GapModel": (
        ["KnowledgeGap", "StandardsGap", "DeliveryGap", "CommunicationGap", "CustomerGap"],
        "ServiceQualityGap",
        {"A. Parasuraman", "Valarie A. Zeithaml", "Leonard L. Berry"},
        "1985",
        {
            "parasuraman-zeithaml-berry-1985",
            "parasuraman-zeithaml-berry-1988",  # the SERVQUAL dimensions in its scheme
            "zeithaml-bitner-gremler-services-marketing",
        },
    ),
    "ServicesMarketingTriangle": (
        [
            "CompanyVertex",
            "CustomersVertex",
            "ProvidersVertex",
            "ExternalMarketing",
            "InternalMarketing",
            "InteractiveMarketing",
        ],
        None,  # vertices and sides: two classes, checked below
        {"Philip Kotler", "Mary Jo Bitner", "Christian Grönroos"},
        "1995",
        {"kotler-marketing-management", "bitner-1995", "gronroos"},
    ),
    "SevenPs": (
        [
            "ProductElement",
            "PriceElement",
            "PlaceElement",
            "PromotionElement",
            "PeopleElement",
            "ProcessElement",
            "PhysicalEvidenceElement",
        ],
        "MarketingMixElement",
        {"Bernard H. Booms", "Mary Jo Bitner"},
        "1981",
        {"booms-bitner-1981"},
    ),
    "FiveProductLevels": (
        [
            "CoreBenefit",
            "GenericProduct",
            "ExpectedProduct",
            "FiveLevelAugmentedProduct",
            "PotentialProduct",
        ],
        "ProductLevel",
        {"Philip Kotler"},
        None,
        {"kotler-marketing-management"},
    ),
}
ARTICLE_ORDER = list(FRAMEWORKS)  # the order the source article lists them in


@pytest.fixture(scope="module")
def g():
    return load_ontology()


def components_in_order(g, framework: URIRef) -> list[URIRef]:
    found = list(g.objects(framework, MKT.hasComponent))
    return sorted(found, key=lambda c: (int(g.value(c, MKT.position) or 0), str(c)))


def test_exactly_the_eight_frameworks_in_the_articles_order(g):
    frameworks = sorted(
        g.subjects(RDF.type, MKT.Framework), key=lambda f: int(g.value(f, MKT.position))
    )
    assert frameworks == [MKT[name] for name in ARTICLE_ORDER]
    assert [int(g.value(f, MKT.position)) for f in frameworks] == list(range(1, 9))


@pytest.mark.parametrize("name", ARTICLE_ORDER)
def test_framework_components_order_and_provenance(g, name):
    expected, component_class, creators, year, works = FRAMEWORKS[name]
    framework = MKT[name]
    for kind in (MKT.Framework, SKOS.ConceptScheme, OWL.NamedIndividual):
        assert (framework, RDF.type, kind) in g, kind
    # Its components, in order.
    components = components_in_order(g, framework)
    if name == "ThreeCs":
        assert set(components) == {MKT[c] for c in expected}
    else:
        assert components == [MKT[c] for c in expected]
    for component in components:
        if component_class:
            assert (component, RDF.type, MKT[component_class]) in g, component
        for kind in (SKOS.Concept, OWL.NamedIndividual):
            assert (component, RDF.type, kind) in g, (component, kind)
        assert (component, SKOS.inScheme, framework) in g, component
        assert (component, SKOS.topConceptOf, framework) in g, component
        assert (framework, SKOS.hasTopConcept, component) in g, component
        assert (component, MKT.componentOf, framework) in g, component
        assert g.value(component, SKOS.prefLabel) is not None, component
    # Its source.
    assert set(map(str, g.objects(framework, DCTERMS.creator))) == creators
    dates = list(g.objects(framework, DCTERMS.date))
    assert dates == ([Literal(year, datatype=XSD.gYear)] if year else [])
    assert {str(w).removeprefix(str(MKTSRC)) for w in g.objects(framework, DCTERMS.source)} == works
    citations = list(g.objects(framework, DCTERMS.bibliographicCitation))
    assert len(citations) == 1
    for creator in creators:  # every originator is named in the citation
        assert creator.split()[-1] in str(citations[0]), creator


def test_positions_are_typed_positive_integers_and_count_from_one(g):
    for name in ARTICLE_ORDER:
        components = components_in_order(g, MKT[name])
        positions = [g.value(c, MKT.position) for c in components]
        if name == "ThreeCs":
            assert positions == [None, None, None]
            continue
        assert [int(p) for p in positions] == list(range(1, len(components) + 1)), name
        assert {p.datatype for p in positions} == {XSD.positiveInteger}, name


def test_the_3cs_are_unordered_and_say_so(g):
    note = str(g.value(MKT.ThreeCs, SKOS.editorialNote))
    assert "Unordered" in note
    assert Literal("corporation", lang="en") in set(g.objects(MKT.CompanyC, SKOS.altLabel))


def test_the_7ps_extend_the_4ps_with_their_own_four_components(g):
    assert list(g.objects(MKT.SevenPs, MKT.extendsFramework)) == [MKT.FourPs]
    four = components_in_order(g, MKT.FourPs)
    seven = components_in_order(g, MKT.SevenPs)
    assert seven[:4] == four
    assert seven[4:] == [MKT.PeopleElement, MKT.ProcessElement, MKT.PhysicalEvidenceElement]
    assert Literal("participants", lang="en") in set(g.objects(MKT.PeopleElement, SKOS.altLabel))
    assert "order" in str(g.value(MKT.SevenPs, SKOS.editorialNote))


def test_mccarthys_own_order_is_recorded(g):
    assert "product, place, promotion, price" in str(g.value(MKT.FourPs, SKOS.editorialNote))


def test_place_is_never_schema_place(g):
    for _p, o in g.predicate_objects(MKT.PlaceElement):
        assert not str(o).startswith(SCHEMA), o
    for s, _p in g.subject_predicates(MKT.PlaceElement):
        assert not str(s).startswith(SCHEMA), s


def test_the_five_levels_refine_the_three_with_skos_mappings(g):
    assert list(g.objects(MKT.FiveProductLevels, MKT.refinesFramework)) == [MKT.ThreeProductLevels]
    mapping = (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch, SKOS.broadMatch)
    three = set(components_in_order(g, MKT.ThreeProductLevels))
    five = set(components_in_order(g, MKT.FiveProductLevels))
    found = {
        (s.removeprefix(str(MKT)), p.removeprefix(str(SKOS)), o.removeprefix(str(MKT)))
        for s, p, o in g
        if p in mapping and (s in three | five) and (o in three | five)
    }
    # "A narrowMatch B": B is narrower than A. The actual product spans generic and expected.
    assert found == {
        ("CoreCustomerValue", "closeMatch", "CoreBenefit"),
        ("CoreBenefit", "closeMatch", "CoreCustomerValue"),
        ("ActualProduct", "narrowMatch", "GenericProduct"),
        ("ActualProduct", "narrowMatch", "ExpectedProduct"),
        ("GenericProduct", "broadMatch", "ActualProduct"),
        ("ExpectedProduct", "broadMatch", "ActualProduct"),
        ("ThreeLevelAugmentedProduct", "closeMatch", "FiveLevelAugmentedProduct"),
        ("FiveLevelAugmentedProduct", "closeMatch", "ThreeLevelAugmentedProduct"),
    }


# Each gap: its two points, its name in the textbook (Zeithaml, Bitner and Gremler), and its
# name in the 1985 article, which names every gap by its two end points.
GAPS = {
    "KnowledgeGap": (
        "ExpectedService",
        "ManagementPerception",
        "listening gap",
        "consumer expectation - management perception gap",
    ),
    "StandardsGap": (
        "ManagementPerception",
        "ServiceQualitySpecification",
        "service design and standards gap",
        "management perception - service quality specification gap",
    ),
    "DeliveryGap": (
        "ServiceQualitySpecification",
        "ServiceDelivery",
        "service performance gap",
        "service quality specifications - service delivery gap",
    ),
    "CommunicationGap": (
        "ServiceDelivery",
        "ExternalCommunications",
        "communication gap",
        "service delivery - external communications gap",
    ),
    "CustomerGap": (
        "ExpectedService",
        "PerceivedService",
        "customer gap",
        "expected service - perceived service gap",
    ),
}


@pytest.mark.parametrize("gap", list(GAPS))
def test_each_gap_lies_between_two_named_points(g, gap):
    start, end, textbook, name_1985 = GAPS[gap]
    node = MKT[gap]
    assert g.value(node, MKT.fromPoint) == MKT[start]
    assert g.value(node, MKT.toPoint) == MKT[end]
    assert set(g.objects(node, MKT.betweenPoint)) == {MKT[start], MKT[end]}
    for point in (MKT[start], MKT[end]):
        assert (point, RDF.type, MKT.ServiceQualityPoint) in g
        assert (point, SKOS.inScheme, MKT.GapModel) in g
    names = set(g.objects(node, SKOS.altLabel)) | set(g.objects(node, RDFS.label))
    assert Literal(textbook, lang="en") in names
    assert Literal(name_1985, lang="en") in set(g.objects(node, SKOS.altLabel))


def test_gap_labels_are_the_common_names_and_no_source_less_name_is_used(g):
    labels = [str(g.value(MKT[gap], RDFS.label)) for gap in GAPS]
    assert labels == [
        "knowledge gap",
        "standards gap",
        "delivery gap",
        "communication gap",
        "customer gap",
    ]
    for number, gap in enumerate(list(GAPS)[:4], 1):
        alt = set(map(str, g.objects(MKT[gap], SKOS.altLabel)))
        assert f"provider gap {number}" in alt, gap
    every_text = {str(o) for o in g.objects() if isinstance(o, Literal)}
    assert not any("perceived service quality gap" in text for text in every_text)
    note = str(g.value(MKT.GapModel, SKOS.editorialNote))
    assert "names each gap by its two end points" in note
    assert "Labels are the names of the 1985 model" not in note


def test_provenance_corrections(g):
    """Who made what, as the primary sources say (see the issue on provenance)."""
    # Smith (1956) originated segmentation, not the STP sequence, which is Kotler's.
    assert set(map(str, g.objects(MKT.STPModel, DCTERMS.creator))) == {"Philip Kotler"}
    assert g.value(MKT.STPModel, DCTERMS.date) is None
    assert (MKT.SegmentationStep, DCTERMS.source, MKTSRC["smith-1956"]) in g
    # Borden coined "marketing mix", not the 4Ps: cited for the term, no contributor.
    assert list(g.objects(MKT.FourPs, DCTERMS.contributor)) == []
    assert list(g.subjects(DCTERMS.contributor, Literal("Neil H. Borden"))) == []
    # The gap model's scheme holds SERVQUAL's dimensions: it cites the 1988 work.
    servqual = MKTSRC["parasuraman-zeithaml-berry-1988"]
    assert (MKT.GapModel, DCTERMS.source, servqual) in g
    assert "Journal of Retailing 64(1)" in str(g.value(MKT.GapModel, DCTERMS.bibliographicCitation))
    # The contrast's marketing side is the rest of marketing, not marketing as a whole.
    assert (MKT.MarketingOtherThanSales, MKT.partOfDiscipline, MKT.Marketing) in g
    assert list(g.subjects(MKT.ofDiscipline, MKT.Marketing)) == []


def test_gap_5_depends_on_gaps_1_to_4_and_servqual_measures_it(g):
    assert set(g.objects(MKT.CustomerGap, MKT.dependsOnGap)) == {
        MKT.KnowledgeGap,
        MKT.StandardsGap,
        MKT.DeliveryGap,
        MKT.CommunicationGap,
    }
    assert [gap for gap in GAPS if list(g.objects(MKT[gap], MKT.dependsOnGap))] == ["CustomerGap"]
    dimensions = sorted(
        g.objects(MKT.CustomerGap, MKT.measuredOnDimension),
        key=lambda d: int(g.value(d, MKT.position)),
    )
    assert [str(g.value(d, RDFS.label)) for d in dimensions] == [
        "tangibles",
        "reliability",
        "responsiveness",
        "assurance",
        "empathy",
    ]
    assert set(g.subjects(RDF.type, MKT.ServqualDimension)) == set(dimensions)


SIDES = {
    "ExternalMarketing": ("CompanyVertex", "CustomersVertex", "making promises"),
    "InternalMarketing": ("CompanyVertex", "ProvidersVertex", "enabling promises"),
    "InteractiveMarketing": ("ProvidersVertex", "CustomersVertex", "keeping promises"),
}


@pytest.mark.parametrize("side", list(SIDES))
def test_each_triangle_side_joins_two_vertices_with_its_promise(g, side):
    start, end, promise = SIDES[side]
    node = MKT[side]
    assert (node, RDF.type, MKT.TriangleSide) in g
    assert g.value(node, MKT.fromVertex) == MKT[start]
    assert g.value(node, MKT.toVertex) == MKT[end]
    assert set(g.objects(node, MKT.joinsVertex)) == {MKT[start], MKT[end]}
    assert list(g.objects(node, MKT.promise)) == [Literal(promise, lang="en")]
    for vertex in (start, end):
        assert (MKT[vertex], RDF.type, MKT.TriangleVertex) in g


def test_the_three_sides_close_the_triangle(g):
    pairs = {frozenset(g.objects(MKT[side], MKT.joinsVertex)) for side in SIDES}
    vertices = set(g.subjects(RDF.type, MKT.TriangleVertex))
    assert len(vertices) == 3
    assert pairs == {frozenset(p) for p in ({a, b} for a in vertices for b in vertices if a != b)}
    assert "delivering promises" in str(g.value(MKT.InteractiveMarketing, SKOS.editorialNote))


def test_stp_steps_each_precede_the_next(g):
    steps = components_in_order(g, MKT.STPModel)
    assert [g.value(s, MKT.precedes) for s in steps] == [
        MKT.TargetingStep,
        MKT.PositioningStep,
        None,
    ]


def test_components_link_to_the_activities_they_concern(g):
    found = {
        (s.removeprefix(str(MKT)), o.removeprefix(str(MKT)))
        for s, o in g.subject_objects(MKT.concernsActivity)
    }
    assert {
        ("PriceElement", "PricingStrategy"),
        ("PromotionElement", "Advertising"),
        ("PromotionElement", "BrandManagement"),
        ("ProductElement", "ValueCreation"),
        ("SegmentationStep", "TargetMarketing"),
        ("SegmentationStep", "MarketResearch"),
        ("TargetingStep", "TargetMarketing"),
        ("PositioningStep", "TargetMarketing"),
        ("CustomersC", "MarketResearch"),
        ("KnowledgeGap", "MarketResearch"),
        ("ExternalMarketing", "Advertising"),
    } <= found
    for _component, activity in found:
        assert (MKT[activity], RDFS.subClassOf, MKT.MarketingActivity) in g, activity
    # An annotation, so the activity classes are not punned as individuals.
    assert (MKT.concernsActivity, RDF.type, OWL.AnnotationProperty) in g


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def test_every_framework_name_and_short_alias_picks_exactly_one_framework(g):
    owner: dict[str, set] = {}
    for framework in g.subjects(RDF.type, MKT.Framework):
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            for name in g.objects(framework, prop):
                owner.setdefault(normalised(str(name)), set()).add(framework)
    assert {n: f for n, f in owner.items() if len(f) > 1} == {}
    for alias, framework in {
        "7ps": "SevenPs",
        "4ps": "FourPs",
        "3cs": "ThreeCs",
        "stp": "STPModel",
        "gap model": "GapModel",
        "marketing mix": "FourPs",
        "services marketing mix": "SevenPs",
    }.items():
        assert owner[normalised(alias)] == {MKT[framework]}, alias


def test_skos_labels_are_well_formed(g):
    for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
        pref = [str(g.value(c, SKOS.prefLabel)) for c in g.subjects(SKOS.inScheme, scheme)]
        assert len(pref) == len(set(pref)), scheme  # one concept per preferred label
    for concept in g.subjects(RDF.type, SKOS.Concept):
        assert len(list(g.objects(concept, SKOS.prefLabel))) <= 1, concept
        assert not set(g.objects(concept, SKOS.prefLabel)) & set(
            g.objects(concept, SKOS.altLabel)
        ), concept


def test_every_cited_work_is_described_in_sources(g):
    cited = {o for s, o in g.subject_objects(DCTERMS.source) if str(s).startswith(str(MKT))}
    assert len(cited) >= 12
    for work in cited:
        assert (work, RDF.type, DCTERMS.BibliographicResource) in g, work
        for prop in (RDFS.label, DCTERMS.title, DCTERMS.bibliographicCitation, RDFS.isDefinedBy):
            assert g.value(work, prop) is not None, (work, prop)


@pytest.mark.integration
def test_the_ontology_stays_consistent_under_hermit_and_the_check_can_fail():
    from mktgraph.reason import reason

    result = reason(load_ontology(), reasoner="hermit", timeout=300)
    assert (result.consistent, result.unsatisfiable) == (True, [])
    # The component kinds are disjoint: a mix element that is also a product level contradicts.
    broken = load_ontology()
    broken.add((MKT.ProductElement, RDF.type, MKT.ProductLevel))
    assert reason(broken, reasoner="hermit", timeout=300).consistent is False
