"""SVG diagrams of the ontology and its frameworks, drawn from the graph, laid out by Graphviz."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from mktgraph import graph as graphs
from mktgraph.errors import InputError
from mktgraph.namespaces import MKT

FONT = "Helvetica,Arial,sans-serif"
# Colours: the marketing side in blue, sales (and what a framework adds) in orange, so the
# one thing each picture is about stands out.
MARKETING_FILL = "#dbe8f6"
SALES_FILL = "#fbd9b0"
NEUTRAL_FILL = "#f4f4f4"
# Rings from the core outwards, darkest in the middle.
RING_FILLS = ("#9ecae1", "#c6dbef", "#deebf7", "#eef5fb", "#f7fbff")


@dataclass(frozen=True)
class Diagram:
    """One diagram: a stable name (its file stem), a title, and the SVG text."""

    name: str
    title: str
    svg: str

    @property
    def inline_svg(self) -> str:
        """The ``<svg>`` element alone, to put inside an HTML page."""
        return self.svg[self.svg.index("<svg") :]


class _Builder:
    """A Graphviz graph whose every node, edge and cluster gets an id under one prefix, so
    several diagrams can sit in one HTML page without clashing ids."""

    def __init__(self, prefix: str, title: str, *, engine: str = "dot", **graph_attr: str):
        import graphviz

        self.prefix = prefix
        self._count = 0
        self.root = graphviz.Digraph(name=title, engine=engine)
        self.root.attr(id=prefix, fontname=FONT, bgcolor="transparent", **graph_attr)
        self.root.attr("node", fontname=FONT, fontsize="12", style="filled", fillcolor=NEUTRAL_FILL)
        self.root.attr("edge", fontname=FONT, fontsize="11", color="#555555")

    def _id(self) -> str:
        self._count += 1
        return f"{self.prefix}-{self._count}"

    def node(self, key: str, label: str, target=None, **attr: str) -> None:
        (target or self.root).node(key, label, id=self._id(), **attr)

    def edge(self, tail: str, head: str, target=None, **attr: str) -> None:
        (target or self.root).edge(tail, head, id=self._id(), **attr)

    def render(self) -> str:
        import graphviz

        try:
            svg = self.root.pipe(format="svg", encoding="utf-8")
        except graphviz.ExecutableNotFound:
            raise InputError(
                "Graphviz's dot program is not installed (Debian: apt install graphviz)"
            ) from None
        return svg


_SERVICE_CLAUSE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?[<?$]", re.IGNORECASE)


class GraphQueries:
    """A graph source (see mktgraph.sources) over one rdflib graph as it is, with nothing
    added: the named queries that find frameworks run on the very graph being drawn.

    They run on an in-memory Oxigraph copy of the graph: the frameworks' queries, parsed and
    run by rdflib, took 11 s for the eight frameworks; Oxigraph gives the same rows in 0.3 s.
    """

    def __init__(self, graph: Graph):
        import pyoxigraph as ox

        self.graph = graph
        self._store = ox.Store()
        self._store.load(
            graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
        )

    def _answer(self, text: str, source: str, allow_service: bool = False):
        from mktgraph.errors import NetworkRefused, QueryError

        # Not rdflib's check_query: its parser is what costs the time. A SERVICE clause (the
        # keyword before an IRI or a variable) is refused; these are mktgraph's named queries.
        if not allow_service and _SERVICE_CLAUSE.search(text):
            raise NetworkRefused(f"{source}: uses SERVICE, which would reach the network")
        try:
            return self._store.query(text)
        except (SyntaxError, ValueError, OSError) as error:
            raise QueryError(f"{source}: query failed: {error}") from None

    def select_texts(self, text: str, source: str = "query") -> list[dict[str, str | None]]:
        from mktgraph.sources import texts

        return texts(self._answer(text, source), source)

    def query(self, text: str, source: str = "query", *, allow_service: bool = False, **_: object):
        import pyoxigraph as ox

        from mktgraph.stores.embedded import to_rdflib_result

        answer = self._answer(text, source, allow_service)
        if isinstance(answer, ox.QuerySolutions):
            return to_rdflib_result(answer, "SELECT")
        if isinstance(answer, ox.QueryBoolean):
            return to_rdflib_result(answer, "ASK")
        return to_rdflib_result(answer, "CONSTRUCT")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def _query_rows(name: str, graph: Graph | GraphQueries) -> list[dict[str, str]]:
    from mktgraph import queries

    source = graph if isinstance(graph, GraphQueries) else GraphQueries(graph)
    named = queries.get_query(name)
    rows = source.select_texts(named.text, named.name)
    return [{k: "" if v is None else v for k, v in row.items()} for row in rows]


def _label(graph: Graph, term) -> str:
    for predicate in (SKOS.prefLabel, RDFS.label):
        labels = [o for o in graph.objects(term, predicate) if getattr(o, "language", None) == "en"]
        if labels:
            return str(sorted(labels)[0])
    return _local_name(str(term))


# ---------------------------------------------------------------------------------------------
# The ontology's own pictures
# ---------------------------------------------------------------------------------------------


def activity_diagram(graph: Graph | None = None) -> Diagram:
    """Sales within marketing: the kinds of marketing activity as a class tree, sales marked.

    Only asserted subclasses of named classes are drawn. Defined classes (those with an
    ``owl:equivalentClass``, such as one-to-one activity) are left out: they sort activities
    by what follows from them, not by kind, and would cross the tree.
    """
    graph = graphs.load_ontology() if graph is None else graph
    root = MKT.MarketingActivity
    defined = set(graph.subjects(OWL.equivalentClass, None))
    edges: list[tuple[URIRef, URIRef]] = []
    seen = {root}
    frontier = [root]
    while frontier:
        parent = frontier.pop(0)
        children = sorted(
            c
            for c in graph.subjects(RDFS.subClassOf, parent)
            if isinstance(c, URIRef) and c not in defined
        )
        for child in children:
            edges.append((child, parent))
            if child not in seen:
                seen.add(child)
                frontier.append(child)
    sales = {MKT.SalesActivity}
    for child, parent in edges:
        if parent in sales:
            sales.add(child)
    title = "Sales within marketing"
    builder = _Builder("activities", title, rankdir="RL", nodesep="0.15", ranksep="0.6")
    builder.root.attr("node", shape="box", style="rounded,filled")
    builder.root.attr("edge", arrowhead="onormal")
    for term in sorted(seen, key=lambda t: _label(graph, t)):
        fill = SALES_FILL if term in sales else MARKETING_FILL
        builder.node(_local_name(str(term)), _label(graph, term), fillcolor=fill)
    for child, parent in edges:
        builder.edge(_local_name(str(child)), _local_name(str(parent)))
    return Diagram("sales-within-marketing", title, builder.render())


def end_to_end_diagram(graph: Graph | None = None) -> Diagram:
    """The end-to-end stages in order, each with its kinds of activity (the ``end-to-end``
    named query); the sales stage marked."""
    graph = graphs.load_ontology() if graph is None else graph
    stages: dict[int, dict] = {}
    for row in _query_rows("end-to-end", graph):
        stage = stages.setdefault(
            int(row["position"]), {"name": row["stage"], "activities": [], "sales": False}
        )
        stage["activities"].append(row["activity"])
        stage["sales"] = stage["sales"] or row["isSales"] == "true"
    title = "Marketing end to end"
    builder = _Builder("end-to-end", title, rankdir="LR", nodesep="0.3")
    builder.root.attr("node", shape="box", style="rounded,filled")
    previous = None
    for position in sorted(stages):
        stage = stages[position]
        label = f"{position}. {stage['name']}\n({'; '.join(stage['activities'])})"
        key = f"stage{position}"
        builder.node(key, label, fillcolor=SALES_FILL if stage["sales"] else MARKETING_FILL)
        if previous is not None:
            builder.edge(previous, key)
        previous = key
    return Diagram("end-to-end", title, builder.render())


# ---------------------------------------------------------------------------------------------
# Frameworks, each in the shape people know it by
# ---------------------------------------------------------------------------------------------


def _mix(builder: _Builder, detail, graph: Graph) -> None:
    """The marketing mix: its elements around the framework, in order; the elements a
    framework adds to the one it extends marked."""
    builder.root.engine = "twopi"  # a star: the elements at equal distance around the mix
    builder.root.attr(overlap="false", ranksep="1.6", root="framework")
    center = "framework"
    builder.node(center, detail.framework.name, shape="ellipse", fillcolor=MARKETING_FILL)
    inherited = set()
    if detail.framework.extends:
        for base in graph.objects(URIRef(detail.framework.iri), MKT.extendsFramework):
            inherited |= {str(c) for c in graph.objects(base, MKT.hasComponent)}
    for component in detail.components:
        added = bool(inherited) and component.iri not in inherited
        label = f"{component.position}. {component.name}" if component.position else component.name
        builder.node(
            _local_name(component.iri),
            label,
            shape="box",
            style="rounded,filled",
            fillcolor=SALES_FILL if added else NEUTRAL_FILL,
        )
        builder.edge(center, _local_name(component.iri), arrowhead="none")
    if inherited:
        builder.root.attr(
            label=f"orange: added to the {detail.framework.extends}", labelloc="b", fontsize="11"
        )


def _sequence(builder: _Builder, detail, graph: Graph) -> None:
    """A process: its steps in order, left to right."""
    builder.root.attr(rankdir="LR")
    previous = None
    for component in detail.components:
        key = _local_name(component.iri)
        label = f"{component.position}. {component.name}" if component.position else component.name
        builder.node(key, label, shape="box", style="rounded,filled", fillcolor=MARKETING_FILL)
        if previous is not None:
            builder.edge(previous, key)
        previous = key


def _rings(builder: _Builder, detail, graph: Graph) -> None:
    """Product levels as nested rings: the core innermost, each level around the one before."""
    levels = sorted(detail.components, key=lambda c: c.position or 0)
    builder.root.attr(margin="0")

    def nest(parent, index: int) -> None:
        component = levels[index]
        fill = RING_FILLS[min(index, len(RING_FILLS) - 1)]
        if index == 0:
            builder.node(
                _local_name(component.iri),
                f"{component.position}. {component.name}",
                target=parent,
                shape="ellipse",
                fillcolor=fill,
            )
            return
        with parent.subgraph(name=f"cluster_{_local_name(component.iri)}") as ring:
            ring.attr(
                id=builder._id(),
                label=f"{component.position}. {component.name}",
                style="rounded,filled",
                fillcolor=fill,
                color="#6b8fb5",
                margin="14",
            )
            nest(ring, index - 1)

    nest(builder.root, len(levels) - 1)


def _gaps(builder: _Builder, detail, graph: Graph) -> None:
    """The gap model: the views of a service as points, each gap drawn between its two points."""
    builder.root.attr(rankdir="TB", nodesep="0.6", ranksep="0.7")
    builder.root.attr("node", shape="box", style="rounded,filled", fillcolor=MARKETING_FILL)
    points: dict[str, str] = {}
    gaps = []
    for component in detail.components:
        gap = URIRef(component.iri)
        start, end = graph.value(gap, MKT.fromPoint), graph.value(gap, MKT.toPoint)
        if start is None or end is None:
            continue
        for point in (start, end):
            points[str(point)] = _label(graph, point)
        gaps.append((component, start, end))
    for iri, label in points.items():
        builder.node(_local_name(iri), label)
    for component, start, end in gaps:
        builder.edge(
            _local_name(str(start)),
            _local_name(str(end)),
            label=f"gap {component.position}\n{component.name}",
            dir="both",
            arrowhead="tee",
            arrowtail="tee",
            style="dashed",
            color="#c0504d",
            fontcolor="#8b2e2b",
        )


def _triangle(builder: _Builder, detail, graph: Graph) -> None:
    """The services triangle: three vertices, each side a kind of marketing joining two."""
    builder.root.attr(rankdir="TB", nodesep="2.2", ranksep="1.6")
    sides = []
    vertices = []
    for component in detail.components:
        node = URIRef(component.iri)
        start, end = graph.value(node, MKT.fromVertex), graph.value(node, MKT.toVertex)
        if start is None or end is None:
            vertices.append(component)
        else:
            sides.append((component, start, end))
    for vertex in vertices:
        builder.node(
            _local_name(vertex.iri), vertex.name, shape="ellipse", fillcolor=MARKETING_FILL
        )
    # The vertex no side runs to sits on top: the company, directing the others.
    heads = {_local_name(str(end)) for _c, _s, end in sides}
    bottom = [_local_name(v.iri) for v in vertices if _local_name(v.iri) in heads]
    with builder.root.subgraph() as row:
        row.attr(rank="same")
        for key in bottom:
            row.node(key)
    for component, start, end in sides:
        promise = graph.value(URIRef(component.iri), MKT.promise)
        label = component.name + (f"\n({promise})" if promise else "")
        builder.edge(
            _local_name(str(start)),
            _local_name(str(end)),
            label=label,
            color="#c0504d",
            fontcolor="#8b2e2b",
        )


def _three_cs(builder: _Builder, detail, graph: Graph) -> None:
    """The 3Cs: three parties at the corners of a triangle, unordered."""
    builder.root.attr(rankdir="TB", nodesep="1.6", ranksep="1.2")
    keys = [_local_name(c.iri) for c in detail.components]
    for component in detail.components:
        builder.node(
            _local_name(component.iri),
            component.name,
            shape="circle",
            width="1.4",
            fixedsize="true",
            fillcolor=MARKETING_FILL,
        )
    with builder.root.subgraph() as row:
        row.attr(rank="same")
        for key in keys[1:]:
            row.node(key)
    for i, tail in enumerate(keys):
        for head in keys[i + 1 :]:
            builder.edge(tail, head, arrowhead="none")


def _star(builder: _Builder, detail, graph: Graph) -> None:
    """Any other framework: its components around it."""
    _mix(builder, detail, graph)


# How each of mktgraph's frameworks is drawn, by its IRI's local name; a framework from an
# extension is drawn as a sequence when ordered, otherwise as a star.
SHAPES: dict[str, Callable] = {
    "ThreeCs": _three_cs,
    "FourPs": _mix,
    "SevenPs": _mix,
    "STPModel": _sequence,
    "ThreeProductLevels": _rings,
    "FiveProductLevels": _rings,
    "GapModel": _gaps,
    "ServicesMarketingTriangle": _triangle,
}


def framework_diagram(name: str, graph: Graph | None = None, detail=None) -> Diagram:
    """The diagram of one framework, found as ``mktgraph frameworks NAME`` finds it (or
    given as ``detail``, a FrameworkDetail already looked up)."""
    from mktgraph.frameworks import find_framework

    graph = graphs.load_ontology() if graph is None else graph
    detail = find_framework(name, GraphQueries(graph)) if detail is None else detail
    local = _local_name(detail.framework.iri)
    draw = SHAPES.get(local) or (_sequence if detail.ordered else _star)
    builder = _Builder(_slug(local), detail.framework.name)
    draw(builder, detail, graph)
    return Diagram(_slug(local), detail.framework.name, builder.render())


def all_diagrams(graph: Graph | None = None, details: Iterable | None = None) -> list[Diagram]:
    """Every diagram: sales within marketing, the end-to-end stages, then each framework
    (``details``: the frameworks' FrameworkDetails, when already looked up)."""
    from mktgraph.frameworks import find_framework, list_frameworks

    graph = graphs.load_ontology() if graph is None else graph
    if details is None:
        source = GraphQueries(graph)
        details = [find_framework(f.iri, source) for f in list_frameworks(source)]
    return [
        activity_diagram(graph),
        end_to_end_diagram(graph),
        *(framework_diagram(d.framework.iri, graph, d) for d in details),
    ]
