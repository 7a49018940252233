"""The SVG diagrams: each framework in its known shape, every component named, laid out by dot."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from mktgraph import diagrams
from mktgraph.frameworks import find_framework, list_frameworks

SVG = "{http://www.w3.org/2000/svg}"
FRAMEWORKS = [
    "ThreeCs",
    "FourPs",
    "STPModel",
    "ThreeProductLevels",
    "GapModel",
    "ServicesMarketingTriangle",
    "SevenPs",
    "FiveProductLevels",
]


def texts(svg: str) -> list[str]:
    """The visible text of an SVG: each <text> element's content."""
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def groups(svg: str, kind: str) -> dict[str, ET.Element]:
    """Graphviz's <g class="node|edge|cluster"> elements by their <title> (the node key,
    ``tail->head`` for an edge)."""
    found = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == kind:
            found[g.find(f"{SVG}title").text] = g
    return found


def local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


@pytest.fixture(scope="module")
def drawn(ontology_graph):
    return {name: diagrams.framework_diagram(f"mkt:{name}", ontology_graph) for name in FRAMEWORKS}


def test_the_eight_frameworks_are_the_ones_drawn(ontology_graph, ontology_source):
    assert sorted(local(f.iri) for f in list_frameworks(ontology_source)) == sorted(FRAMEWORKS)
    assert sorted(diagrams.SHAPES) == sorted(FRAMEWORKS)


@pytest.mark.parametrize("name", FRAMEWORKS)
@pytest.mark.slow
def test_each_diagram_names_every_component(name, drawn, ontology_graph, ontology_source):
    detail = find_framework(f"mkt:{name}", ontology_source)
    shown = texts(drawn[name].svg)
    for component in detail.components:
        expected = {component.name, f"{component.position}. {component.name}"}
        assert expected & set(shown), (component.name, shown)
    assert drawn[name].title == detail.framework.name
    assert drawn[name].svg.startswith("<?xml")
    assert drawn[name].inline_svg.startswith("<svg")


def test_gap_model_draws_each_gap_between_its_two_points(drawn, ontology_graph, ontology_source):
    from mktgraph.frameworks import find_framework
    from mktgraph.namespaces import MKT

    svg = drawn["GapModel"].svg
    edges = groups(svg, "edge")
    expected = {}
    for component in find_framework("mkt:GapModel", ontology_source).components:
        gap = ontology_graph.resource(component.iri)
        start = local(str(ontology_graph.value(gap.identifier, MKT.fromPoint)))
        end = local(str(ontology_graph.value(gap.identifier, MKT.toPoint)))
        expected[f"{start}->{end}"] = [f"gap {component.position}", component.name]
    assert sorted(edges) == sorted(expected)
    assert len(expected) == 5
    for title, edge in edges.items():
        assert [t.text for t in edge.iter(f"{SVG}text")] == expected[title]
    # The six points are the nodes.
    assert sorted(groups(svg, "node")) == [
        "ExpectedService",
        "ExternalCommunications",
        "ManagementPerception",
        "PerceivedService",
        "ServiceDelivery",
        "ServiceQualitySpecification",
    ]


def test_services_triangle_has_three_vertices_joined_by_its_three_sides(drawn):
    svg = drawn["ServicesMarketingTriangle"].svg
    assert sorted(groups(svg, "node")) == ["CompanyVertex", "CustomersVertex", "ProvidersVertex"]
    edges = {
        title: [t.text for t in edge.iter(f"{SVG}text")]
        for title, edge in groups(svg, "edge").items()
    }
    assert edges == {
        "CompanyVertex->CustomersVertex": ["external marketing", "(making promises)"],
        "CompanyVertex->ProvidersVertex": ["internal marketing", "(enabling promises)"],
        "ProvidersVertex->CustomersVertex": ["interactive marketing", "(keeping promises)"],
    }


def _box(element: ET.Element) -> tuple[float, float, float, float]:
    ellipse = element.find(f"{SVG}ellipse")
    if ellipse is not None:
        cx, cy, rx, ry = (float(ellipse.get(a)) for a in ("cx", "cy", "rx", "ry"))
        return cx - rx, cy - ry, cx + rx, cy + ry
    shape = element.find(f"{SVG}path")
    if shape is None:
        shape = element.find(f"{SVG}polygon")
    numbers = [
        float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points"))
    ]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("name", ["ThreeProductLevels", "FiveProductLevels"])
def test_product_levels_are_nested_rings_from_the_core_out(
    name, drawn, ontology_graph, ontology_source
):
    svg = drawn[name].svg
    levels = find_framework(f"mkt:{name}", ontology_source).components
    clusters = groups(svg, "cluster")
    # Every level but the core is a ring (a cluster); the core is the node inside them all.
    assert sorted(clusters) == sorted(f"cluster_{local(c.iri)}" for c in levels[1:])
    assert list(groups(svg, "node")) == [local(levels[0].iri)]
    boxes = [_box(groups(svg, "node")[local(levels[0].iri)])]
    boxes += [_box(clusters[f"cluster_{local(c.iri)}"]) for c in levels[1:]]
    for inner, outer in zip(boxes, boxes[1:], strict=False):
        assert outer[0] < inner[0] and outer[1] < inner[1]
        assert outer[2] > inner[2] and outer[3] > inner[3]


def test_stp_is_a_sequence_in_order(drawn, ontology_graph, ontology_source):
    steps = [local(c.iri) for c in find_framework("stp", ontology_source).components]
    assert steps == ["SegmentationStep", "TargetingStep", "PositioningStep"]
    assert sorted(groups(drawn["STPModel"].svg, "edge")) == [
        "SegmentationStep->TargetingStep",
        "TargetingStep->PositioningStep",
    ]


def test_seven_ps_mark_the_three_they_add_to_the_four(drawn):
    nodes = groups(drawn["SevenPs"].svg, "node")
    fills = {
        key: g.find(f"{SVG}path").get("fill") for key, g in nodes.items() if key != "framework"
    }
    added = sorted(key for key, fill in fills.items() if fill == diagrams.SALES_FILL)
    assert added == ["PeopleElement", "PhysicalEvidenceElement", "ProcessElement"]
    assert len(fills) == 7
    assert "orange: added to the 4Ps of marketing" in texts(drawn["SevenPs"].svg)


def test_three_cs_form_a_triangle(drawn):
    svg = drawn["ThreeCs"].svg
    assert len(groups(svg, "node")) == 3
    assert len(groups(svg, "edge")) == 3


def test_sales_within_marketing_marks_sales_and_its_subclasses(ontology_graph):
    diagram = diagrams.activity_diagram(ontology_graph)
    nodes = groups(diagram.svg, "node")
    sales = sorted(
        key for key, g in nodes.items() if g.find(f"{SVG}path").get("fill") == diagrams.SALES_FILL
    )
    assert sales == ["Deal", "SalesActivity"]
    assert "SalesActivity->MarketingActivity" in groups(diagram.svg, "edge")
    assert "sales activity" in texts(diagram.svg)
    # Defined classes sort activities by what follows from them: not drawn.
    assert "OneToOneActivity" not in nodes


def test_end_to_end_stages_in_order_with_sales_marked(ontology_graph):
    diagram = diagrams.end_to_end_diagram(ontology_graph)
    edges = sorted(groups(diagram.svg, "edge"))
    assert edges == sorted(f"stage{i}->stage{i + 1}" for i in range(1, 8))
    shown = texts(diagram.svg)
    assert "7. close the deal" in shown
    assert "(sales activity)" in shown


@pytest.mark.slow
def test_diagrams_are_deterministic_and_their_ids_do_not_clash(ontology_graph):
    first = diagrams.all_diagrams(ontology_graph)
    second = diagrams.all_diagrams(ontology_graph)
    assert [d.svg for d in first] == [d.svg for d in second]
    assert len(first) == 10
    ids = [
        element.get("id")
        for d in first
        for element in ET.fromstring(d.svg).iter()
        if element.get("id") is not None
    ]
    assert len(ids) == len(set(ids))
    assert len({d.name for d in first}) == 10
