"""HTML documentation of the ontology, generated from the graph with Jinja2 templates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from mktgraph import graph as graphs
from mktgraph.files import check_build_target, folder_built_whole
from mktgraph.namespaces import MKT, ONTOLOGY_IRI, SCHEMA, VANN, shorten

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = "style.css"
FRAMEWORK_FOLDER = "frameworks"
DIAGRAM_FOLDER = "diagrams"

# Sections of the ontology page, in order: (title, anchor, the rdf:type that puts a term in it).
KINDS = (
    ("Classes", "classes", OWL.Class),
    ("Object properties", "object-properties", OWL.ObjectProperty),
    ("Datatype properties", "datatype-properties", OWL.DatatypeProperty),
    ("Annotation properties", "annotation-properties", OWL.AnnotationProperty),
    ("Individuals", "individuals", OWL.NamedIndividual),
)
# Named queries shown as tables: on the ontology page, and on a framework's page.
ONTOLOGY_TABLES = (("sales-vs-marketing", "How sales and marketing differ"),)
FRAMEWORK_TABLES = {
    "GapModel": "service-quality-gaps",
    "ServicesMarketingTriangle": "services-triangle",
    "FiveProductLevels": "product-levels",
}
SCHEMA_HTTP = "http://schema.org/"


@dataclass(frozen=True)
class Link:
    """A term as a page shows it: its text and where it links (another entry, or its IRI)."""

    text: str
    href: str
    internal: bool


@dataclass
class Entry:
    """One term of the ontology page."""

    iri: str
    anchor: str
    label: str
    kind: str
    definition: str = ""
    also: list[str] = field(default_factory=list)
    facts: list[tuple[str, list[Link | str]]] = field(default_factory=list)
    page: str | None = None  # a framework's own page


@dataclass(frozen=True)
class Table:
    """A named query's answer, for a table: its title, column names and rows of text."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[str]]


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def _english(graph: Graph, term, predicate) -> list[str]:
    values = [o for o in graph.objects(term, predicate) if isinstance(o, Literal)]
    english = [o for o in values if (o.language or "").lower().startswith("en")]
    untagged = [o for o in values if not o.language]
    return sorted(str(v) for v in (english or untagged))


def _first(graph: Graph, term, *predicates) -> str:
    for predicate in predicates:
        values = _english(graph, term, predicate)
        if values:
            return values[0]
    return ""


# How describe() words a class expression: a restriction's filler, its cardinality (the
# predicate's own name), and the members of a list.
_RESTRICTION_WORDS = {
    OWL.hasValue: "value",
    OWL.someValuesFrom: "some",
    OWL.allValuesFrom: "only",
    OWL.onClass: "class",
}
_CARDINALITIES = {
    predicate: _local(str(predicate))
    for predicate in (
        OWL.cardinality,
        OWL.minCardinality,
        OWL.maxCardinality,
        OWL.qualifiedCardinality,
        OWL.minQualifiedCardinality,
        OWL.maxQualifiedCardinality,
    )
}
_LIST_JOINERS = {OWL.intersectionOf: " and ", OWL.unionOf: " or ", OWL.oneOf: ", "}


class _Site:
    """What the templates need from the graph: entries, labels and links."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.ours = {
            s
            for s in graph.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI))
            if isinstance(s, URIRef) and str(s).startswith(str(MKT))
        }

    def label(self, term) -> str:
        return _first(self.graph, term, RDFS.label, SKOS.prefLabel) or shorten(str(term))

    def link(self, term, prefix: str = "") -> Link | str:
        """A link to ``term``'s entry when it has one, else to its IRI; literals as text."""
        if isinstance(term, Literal):
            return str(term)
        if isinstance(term, BNode):
            return self.describe(term)
        if term in self.ours:
            return Link(self.label(term), f"{prefix}index.html#{_local(str(term))}", True)
        label = _first(self.graph, term, RDFS.label)
        text = label if label and not str(term).startswith(str(MKT)) else shorten(str(term))
        return Link(text, str(term), False)

    def describe(self, node: BNode) -> str:
        """A class expression in words: enough to read a restriction or a union."""
        graph = self.graph
        prop = graph.value(node, OWL.onProperty)
        if prop is not None:
            found = graphs.first_value(graph, node, _RESTRICTION_WORDS)
            if found is not None:
                value, word = found
                shown = self.label(value) if not isinstance(value, BNode) else "(...)"
                return f"{self.label(prop)} {word} {shown}"
            found = graphs.first_value(graph, node, _CARDINALITIES)
            if found is not None:
                value, word = found
                return f"{self.label(prop)} {word} {value}"
        found = graphs.first_value(graph, node, _LIST_JOINERS)
        if found is None:
            return "(an anonymous class)"
        items, joiner = found
        members = (
            self.label(m) if not isinstance(m, BNode) else self.describe(m)
            for m in graph.items(items)
        )
        return "(" + joiner.join(members) + ")"

    def links(self, terms: Iterable, prefix: str = "") -> list[Link | str]:
        found = [self.link(t, prefix) for t in terms]
        return sorted(found, key=lambda x: x.text.lower() if isinstance(x, Link) else x.lower())

    def kind_of(self, term) -> str | None:
        types = set(self.graph.objects(term, RDF.type))
        for _title, anchor, kind in KINDS:
            if kind in types:
                return anchor
        return None

    def entry(self, term: URIRef, kind: str, framework_pages: dict[str, str]) -> Entry:
        graph = self.graph
        entry = Entry(
            iri=str(term),
            anchor=_local(str(term)),
            label=self.label(term),
            kind=kind,
            definition=_first(graph, term, SKOS.definition, RDFS.comment),
            also=_english(graph, term, SKOS.altLabel),
            page=framework_pages.get(str(term)),
        )
        facts = entry.facts

        def add(name: str, values: list) -> None:
            if values:
                facts.append((name, values))

        if kind == "classes":
            supers = list(graph.objects(term, RDFS.subClassOf))
            add("subclass of", self.links(s for s in supers if not isinstance(s, BNode)))
            add("restrictions", sorted(self.describe(s) for s in supers if isinstance(s, BNode)))
            add("equivalent to", self.links(graph.objects(term, OWL.equivalentClass)))
            add("subclasses", self.links(graph.subjects(RDFS.subClassOf, term)))
            add("disjoint with", self.links(graph.objects(term, OWL.disjointWith)))
            add("members", self.links(s for s in graph.subjects(RDF.type, term) if s in self.ours))
        elif kind != "individuals":
            add("subproperty of", self.links(graph.objects(term, RDFS.subPropertyOf)))
            add("inverse of", self.links(graph.objects(term, OWL.inverseOf)))
            add("domain", self.links(graph.objects(term, RDFS.domain)))
            add(
                "domain includes",
                self.links(
                    [
                        *graph.objects(term, SCHEMA.domainIncludes),
                        *graph.objects(term, URIRef(SCHEMA_HTTP + "domainIncludes")),
                    ]
                ),
            )
            add("range", self.links(graph.objects(term, RDFS.range)))
            add(
                "range includes",
                self.links(
                    [
                        *graph.objects(term, SCHEMA.rangeIncludes),
                        *graph.objects(term, URIRef(SCHEMA_HTTP + "rangeIncludes")),
                    ]
                ),
            )
            characteristics = [
                _local(str(t)).removesuffix("Property").lower()
                for t in graph.objects(term, RDF.type)
                if t
                in (
                    OWL.FunctionalProperty,
                    OWL.TransitiveProperty,
                    OWL.SymmetricProperty,
                    OWL.InverseFunctionalProperty,
                    OWL.IrreflexiveProperty,
                    OWL.AsymmetricProperty,
                    OWL.ReflexiveProperty,
                )
            ]
            add("characteristics", sorted(characteristics))
        else:
            types = [t for t in graph.objects(term, RDF.type) if t != OWL.NamedIndividual]
            add("type", self.links(types))
            for predicate in sorted(
                {p for p in graph.predicates(term, None) if str(p).startswith(str(MKT))}
            ):
                add(self.label(predicate), self.links(graph.objects(term, predicate)))
        add("example", _english(graph, term, SKOS.example))
        add("scope note", _english(graph, term, SKOS.scopeNote))
        add("editorial note", _english(graph, term, SKOS.editorialNote))
        add("notation", sorted(str(n) for n in graph.objects(term, SKOS.notation)))
        add("source", self.sources(term))
        add("close match", self.links(graph.objects(term, SKOS.closeMatch)))
        add("related match", self.links(graph.objects(term, SKOS.relatedMatch)))
        add("exact match", self.links(graph.objects(term, SKOS.exactMatch)))
        return entry

    def sources(self, term) -> list[str]:
        cited = []
        for work in self.graph.objects(term, DCTERMS.source):
            citation = _first(self.graph, work, DCTERMS.bibliographicCitation, RDFS.label)
            cited.append(citation or str(work))
        return sorted(cited)


def _table(source, name: str, title: str | None = None) -> Table:
    """A named query's answer over ``source`` (a diagrams.GraphQueries), as a table."""
    from mktgraph import queries

    named = queries.get_query(name)
    result = source.query(named.text, named.name)
    columns = [str(v) for v in result.vars or []]
    rows = [
        [
            ""
            if value is None
            else (shorten(str(value)) if isinstance(value, URIRef) else str(value))
            for value in row
        ]
        for row in result
    ]
    return Table(name, title or named.title, columns, rows)


def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.tests["link"] = lambda value: isinstance(value, Link)
    return environment


def render_pages(graph: Graph | None = None) -> dict[str, str]:
    """Every file of the documentation, by its path in the folder: HTML pages, the
    stylesheet and the SVG diagrams."""
    from markupsafe import Markup

    from mktgraph import diagrams
    from mktgraph.frameworks import find_framework, list_frameworks

    graph = graphs.load_ontology() if graph is None else graph
    site = _Site(graph)
    environment = _environment()
    source = diagrams.GraphQueries(graph)
    frameworks = list_frameworks(source)
    framework_pages = {f.iri: f"{FRAMEWORK_FOLDER}/{_local(f.iri)}.html" for f in frameworks}

    sections = []
    for title, anchor, _kind in KINDS:
        terms = sorted(
            (t for t in site.ours if site.kind_of(t) == anchor),
            key=lambda t: (site.label(t).lower(), str(t)),
        )
        sections.append((title, anchor, [site.entry(t, anchor, framework_pages) for t in terms]))
    ontology = URIRef(ONTOLOGY_IRI)
    header = {
        "iri": ONTOLOGY_IRI,
        "title": _first(graph, ontology, DCTERMS.title) or "mktgraph",
        "description": _first(graph, ontology, DCTERMS.description),
        "version": str(graph.value(ontology, OWL.versionInfo) or ""),
        "version_iri": str(graph.value(ontology, OWL.versionIRI) or ""),
        "facts": [
            (name, site.links(graph.objects(ontology, predicate)))
            for name, predicate in (
                ("licence", DCTERMS.license),
                ("rights", DCTERMS.rights),
                ("creator", DCTERMS.creator),
                ("publisher", DCTERMS.publisher),
                ("created", DCTERMS.created),
                ("modified", DCTERMS.modified),
                ("prior version", OWL.priorVersion),
                ("citation", DCTERMS.bibliographicCitation),
                ("preferred prefix", VANN.preferredNamespacePrefix),
                ("namespace", VANN.preferredNamespaceUri),
                ("source", DCTERMS.source),
                ("see also", RDFS.seeAlso),
            )
            if (ontology, predicate, None) in graph
        ],
    }
    details = {f.iri: find_framework(f.iri, source) for f in frameworks}
    drawn_list = diagrams.all_diagrams(graph, details.values())
    drawn = {d.name: d for d in drawn_list}
    by_framework = dict(zip(details, drawn_list[2:], strict=True))
    overview = [drawn["sales-within-marketing"], drawn["end-to-end"]]
    files: dict[str, str] = {}
    index = environment.get_template("index.html")
    files["index.html"] = index.render(
        root="",
        header=header,
        sections=sections,
        frameworks=[(f, framework_pages[f.iri]) for f in frameworks],
        tables=[_table(source, name, title) for name, title in ONTOLOGY_TABLES],
        diagrams=[(d, Markup(d.inline_svg)) for d in overview],
        diagram_folder=DIAGRAM_FOLDER,
    )
    page = environment.get_template("framework.html")
    for framework in frameworks:
        detail = details[framework.iri]
        term = URIRef(framework.iri)
        diagram = by_framework[framework.iri]
        local = _local(framework.iri)
        table_name = FRAMEWORK_TABLES.get(local)
        files[framework_pages[framework.iri]] = page.render(
            root="../",
            header=header,
            framework=framework,
            anchor=local,
            definition=_first(graph, term, SKOS.definition),
            notes=_english(graph, term, SKOS.editorialNote) + _english(graph, term, SKOS.scopeNote),
            extends=site.links(graph.objects(term, MKT.extendsFramework), "../"),
            refines=site.links(graph.objects(term, MKT.refinesFramework), "../"),
            # Components by the short name the framework gives them, linked to their entries.
            components=[(c, site.link(URIRef(c.iri), "../").href) for c in detail.components],
            ordered=detail.ordered,
            diagram=diagram,
            svg=Markup(diagram.inline_svg),
            diagram_file=f"../{DIAGRAM_FOLDER}/{diagram.name}.svg",
            table=_table(source, table_name) if table_name else None,
            others=[(f, f"{_local(f.iri)}.html") for f in frameworks],
        )
    for diagram in drawn.values():
        files[f"{DIAGRAM_FOLDER}/{diagram.name}.svg"] = diagram.svg
    files[STYLESHEET] = (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")
    return files


def write_html(graph: Graph | None, dest_dir: str | Path) -> list[Path]:
    """Write the documentation into ``dest_dir`` (created if need be): ``index.html`` for the
    ontology (an entry per term, anchored at its IRI's local name), a page per framework in
    ``frameworks/``, the diagrams as SVG files in ``diagrams/``, and the stylesheet.
    Returns the paths written, in order."""
    dest = Path(dest_dir)
    files = render_pages(graph)
    written = []
    for name, text in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# What `mktgraph docs` says of a folder it will not write.
_REFUSALS = (
    "{dest}: not a folder",
    "{dest}: folder is not empty (give --replace to replace it)",
    "{dest}: cannot write: folder {parent} does not exist",
)


def build_docs(
    output: str | Path, *, replace: bool = False, graph: Graph | None = None
) -> list[Path]:
    """``mktgraph docs``: write the documentation to the folder ``output``, all at once.

    The pages are built in a temporary folder beside it, then moved into place, so a failure
    leaves nothing half-written. A non-empty ``output`` is refused unless ``replace``.
    """
    target = Path(output)
    parent = target.resolve().parent
    check_build_target(target, parent, replace, _REFUSALS)
    with folder_built_whole(target, parent) as staging:
        write_html(graph, staging)
    return sorted(p for p in target.rglob("*") if p.is_file())
