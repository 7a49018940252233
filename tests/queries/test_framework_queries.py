"""Exact answers of the framework queries (over rdflib, and the same rows on Oxigraph)."""

from __future__ import annotations

from functools import cache

import pytest

from mktgraph import resources
from mktgraph.api import run_query
from mktgraph.graph import load_ontology
from mktgraph.namespaces import MKT, SKOS
from mktgraph.queries import bind_parameters, get_query, run

FRAMEWORK_QUERIES = [
    ("frameworks", {}),
    ("framework-components", {"framework": "7ps"}),
    ("framework-components", {"framework": "mkt:ThreeCs"}),
    ("service-quality-gaps", {}),
    ("services-triangle", {}),
    ("product-levels", {}),
]


@cache
def _ontology():
    return load_ontology()


def rows(name: str, **params: str) -> list[tuple[str, ...]]:
    """The rows of a named query over the bundled ontology (parsed once for this module)."""
    query = get_query(name)
    result = run(bind_parameters(query, params), _ontology(), name)
    return [tuple("" if v is None else str(v) for v in row) for row in result]


def local(iri: str) -> str:
    return iri.removeprefix(str(MKT))


def test_frameworks_lists_the_eight_with_originator_year_components_and_source():
    answer = run_query("frameworks")
    assert [str(v) for v in answer.vars] == [
        "framework",
        "name",
        "originator",
        "year",
        "components",
        "extends",
        "refines",
        "source",
    ]
    assert [(local(r[0]), *r[1:7]) for r in rows("frameworks")] == [
        ("ThreeCs", "3Cs of marketing", "Kenichi Ohmae", "1982", "3", "", ""),
        ("FourPs", "4Ps of marketing", "E. Jerome McCarthy", "1960", "4", "", ""),
        ("STPModel", "STP marketing model", "Philip Kotler", "", "3", "", ""),
        ("ThreeProductLevels", "three product levels", "Philip Kotler", "", "3", "", ""),
        (
            "GapModel",
            "gap model of service quality",
            "A. Parasuraman; Valarie A. Zeithaml; Leonard L. Berry",
            "1985",
            "5",
            "",
            "",
        ),
        (
            "ServicesMarketingTriangle",
            "services marketing triangle",
            "Philip Kotler; Mary Jo Bitner; Christian Grönroos",
            "1995",
            "6",
            "",
            "",
        ),
        (
            "SevenPs",
            "7Ps of marketing",
            "Bernard H. Booms; Mary Jo Bitner",
            "1981",
            "7",
            "4Ps of marketing",
            "",
        ),
        (
            "FiveProductLevels",
            "five product levels",
            "Philip Kotler",
            "",
            "5",
            "",
            "three product levels",
        ),
    ]


def test_frameworks_gives_each_frameworks_citation():
    sources = {local(r[0]): r[7] for r in rows("frameworks")}
    assert sources["ThreeCs"] == "Ohmae, Kenichi (1982). The Mind of the Strategist."
    assert sources["GapModel"] == (
        "Parasuraman, A., Zeithaml, Valarie A. and Berry, Leonard L. (1985). A Conceptual Model "
        "of Service Quality and Its Implications for Future Research. Journal of Marketing 49(4). "
        "The SERVQUAL dimensions: Parasuraman, A., Zeithaml, Valarie A. and Berry, Leonard L. "
        "(1988). SERVQUAL: A Multiple-Item Scale for Measuring Consumer Perceptions of Service "
        "Quality. Journal of Retailing 64(1)."
    )
    assert sources["SevenPs"].startswith("Booms, Bernard H. and Bitner, Mary Jo (1981).")
    assert sources["FiveProductLevels"] == "Kotler, Philip. Marketing Management."
    assert all(sources.values())


COMPONENTS = {
    "ThreeCs": [
        ("", "CompanyC", "company"),
        ("", "CompetitorsC", "competitors"),
        ("", "CustomersC", "customers"),
    ],
    "FourPs": [
        ("1", "ProductElement", "product"),
        ("2", "PriceElement", "price"),
        ("3", "PlaceElement", "place"),
        ("4", "PromotionElement", "promotion"),
    ],
    "STPModel": [
        ("1", "SegmentationStep", "segmentation"),
        ("2", "TargetingStep", "targeting"),
        ("3", "PositioningStep", "positioning"),
    ],
    "ThreeProductLevels": [
        ("1", "CoreCustomerValue", "core customer value"),
        ("2", "ActualProduct", "actual product"),
        ("3", "ThreeLevelAugmentedProduct", "augmented product"),
    ],
    "GapModel": [
        ("1", "KnowledgeGap", "knowledge gap"),
        ("2", "StandardsGap", "standards gap"),
        ("3", "DeliveryGap", "delivery gap"),
        ("4", "CommunicationGap", "communication gap"),
        ("5", "CustomerGap", "customer gap"),
    ],
    "ServicesMarketingTriangle": [
        ("1", "CompanyVertex", "company"),
        ("2", "CustomersVertex", "customers"),
        ("3", "ProvidersVertex", "providers"),
        ("4", "ExternalMarketing", "external marketing"),
        ("5", "InternalMarketing", "internal marketing"),
        ("6", "InteractiveMarketing", "interactive marketing"),
    ],
    "SevenPs": [
        ("1", "ProductElement", "product"),
        ("2", "PriceElement", "price"),
        ("3", "PlaceElement", "place"),
        ("4", "PromotionElement", "promotion"),
        ("5", "PeopleElement", "people"),
        ("6", "ProcessElement", "process"),
        ("7", "PhysicalEvidenceElement", "physical evidence"),
    ],
    "FiveProductLevels": [
        ("1", "CoreBenefit", "core benefit"),
        ("2", "GenericProduct", "generic product"),
        ("3", "ExpectedProduct", "expected product"),
        ("4", "FiveLevelAugmentedProduct", "augmented product"),
        ("5", "PotentialProduct", "potential product"),
    ],
}


def test_framework_components_columns_and_required_parameter():
    answer = run_query("framework-components", params={"framework": "stp"})
    assert [str(v) for v in answer.vars] == [
        "framework",
        "position",
        "component",
        "name",
        "definition",
    ]
    assert [p.name for p in get_query("framework-components").parameters if p.required] == [
        "framework"
    ]


@pytest.mark.parametrize("framework", list(COMPONENTS))
def test_framework_components_in_order_with_definitions(framework, ontology_graph):
    found = rows("framework-components", framework=f"mkt:{framework}")
    assert {r[0] for r in found} == {str(MKT[framework])}
    assert [(r[1], local(r[2]), r[3]) for r in found] == COMPONENTS[framework]
    for row in found:
        assert row[4] == str(ontology_graph.value(MKT[local(row[2])], SKOS.definition))


@pytest.mark.parametrize(
    ("name", "framework"),
    [
        ("7ps", "SevenPs"),
        ("7Ps", "SevenPs"),
        ("7 P's", "SevenPs"),
        ("SEVEN PS", "SevenPs"),
        ("services marketing mix", "SevenPs"),
        ("SevenPs", "SevenPs"),
        ("https://w3id.org/mktgraph/def/SevenPs", "SevenPs"),
        ("<https://w3id.org/mktgraph/def/SevenPs>", "SevenPs"),
        ("4ps", "FourPs"),
        ("4P's", "FourPs"),
        ("marketing mix", "FourPs"),
        ("3cs", "ThreeCs"),
        ("3C's model", "ThreeCs"),
        ("stp", "STPModel"),
        ("gap model", "GapModel"),
        ("Gap Model of Service Quality", "GapModel"),
        ("services triangle", "ServicesMarketingTriangle"),
        ("Three Product Levels (Kotler)", "ThreeProductLevels"),
        ("five product levels", "FiveProductLevels"),
    ],
)
def test_framework_components_finds_a_framework_by_any_name(name, framework):
    found = rows("framework-components", framework=name)
    assert [(r[1], local(r[2]), r[3]) for r in found] == COMPONENTS[framework]


@pytest.mark.parametrize("name", ["8ps", "mix", "mkt:ProductElement", "", "product"])
def test_framework_components_of_an_unknown_name_is_empty(name):
    assert rows("framework-components", framework=name) == []


def test_service_quality_gaps_each_between_two_points():
    answer = run_query("service-quality-gaps")
    assert [str(v) for v in answer.vars] == [
        "number",
        "gap",
        "name",
        "alsoCalled",
        "fromPoint",
        "toPoint",
        "dependsOnGaps",
    ]
    expected = "management perception of customer expectations"
    assert [(r[0], local(r[1]), *r[2:]) for r in rows("service-quality-gaps")] == [
        (
            "1",
            "KnowledgeGap",
            "knowledge gap",
            "consumer expectation - management perception gap; listening gap; provider gap 1",
            "expected service",
            expected,
            "",
        ),
        (
            "2",
            "StandardsGap",
            "standards gap",
            "management perception - service quality specification gap; policy gap; "
            "provider gap 2; service design and standards gap",
            expected,
            "service quality specifications",
            "",
        ),
        (
            "3",
            "DeliveryGap",
            "delivery gap",
            "provider gap 3; service performance gap; "
            "service quality specifications - service delivery gap",
            "service quality specifications",
            "service delivery",
            "",
        ),
        (
            "4",
            "CommunicationGap",
            "communication gap",
            "provider gap 4; service delivery - external communications gap",
            "service delivery",
            "external communications to customers",
            "",
        ),
        (
            "5",
            "CustomerGap",
            "customer gap",
            "expected service - perceived service gap",
            "expected service",
            "perceived service",
            "1, 2, 3, 4",
        ),
    ]


def test_services_triangle_sides_vertices_and_promises():
    answer = run_query("services-triangle")
    assert [str(v) for v in answer.vars] == [
        "side",
        "marketing",
        "fromVertex",
        "toVertex",
        "promise",
    ]
    assert [(local(r[0]), *r[1:]) for r in rows("services-triangle")] == [
        ("ExternalMarketing", "external marketing", "company", "customers", "making promises"),
        ("InternalMarketing", "internal marketing", "company", "providers", "enabling promises"),
        (
            "InteractiveMarketing",
            "interactive marketing",
            "providers",
            "customers",
            "keeping promises",
        ),
    ]


def test_product_levels_maps_the_three_onto_the_five():
    answer = run_query("product-levels")
    assert [str(v) for v in answer.vars] == [
        "threePosition",
        "threeLevel",
        "mapping",
        "fivePosition",
        "fiveLevel",
    ]
    close, narrow = str(SKOS.closeMatch), str(SKOS.narrowMatch)
    assert rows("product-levels") == [
        ("1", "core customer value", close, "1", "core benefit"),
        ("2", "actual product", narrow, "2", "generic product"),
        ("2", "actual product", narrow, "3", "expected product"),
        ("3", "augmented product", close, "4", "augmented product"),
        ("", "", "", "5", "potential product"),
    ]


@pytest.fixture(scope="module")
def oxigraph_store():
    import pyoxigraph as ox

    store = ox.Store()
    for path in resources.ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize(("name", "params"), FRAMEWORK_QUERIES)
def test_oxigraph_gives_the_same_rows(oxigraph_store, name, params):
    """Plain SPARQL 1.1: the same rows, in the same order, on another engine."""
    text = bind_parameters(get_query(name), params)
    on_oxigraph = [
        tuple("" if term is None else term.value for term in solution)
        for solution in oxigraph_store.query(text)
    ]
    assert on_oxigraph == rows(name, **params)
    assert on_oxigraph
