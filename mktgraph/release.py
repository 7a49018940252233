"""Release folder for https://w3id.org/mktgraph/: ontology, shapes, context, catalog, .htaccess."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from mktgraph import resources
from mktgraph.errors import InputError
from mktgraph.files import check_build_target, folder_built_whole
from mktgraph.namespaces import MKT, MODULE, ONTOLOGY_IRI, SCHEMA, bind_prefixes

BASE_IRI = "https://w3id.org/mktgraph/"
# Each format of the ontology: rdflib/export name, file extension, media type, and the server's
# preference when a client accepts several equally (Turtle first; HTML for browsers, which
# accept RDF/XML and */* only with lower q).
ONTOLOGY_FORMATS = (
    ("turtle", ".ttl", "text/turtle", "1.0"),
    ("xml", ".owl", "application/rdf+xml", "0.95"),
    ("json-ld", ".jsonld", "application/ld+json", "0.95"),
    ("nt", ".nt", "application/n-triples", "0.95"),
)
HTML_PREFERENCE = "0.9"
ONTOLOGY_NAME = "mktgraph"  # ontology/mktgraph.ttl and the rest
SHAPES_NAME = "shapes.ttl"
CONTEXT_NAME = "context.jsonld"
CATALOG_NAME = "catalog-v001.xml"
DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


@dataclass(frozen=True)
class Release:
    """What ``mktgraph release`` wrote: where, which version, and the files (relative paths)."""

    folder: Path
    version: str
    files: tuple[str, ...]


def version_of(graph: Graph) -> str:
    """The ontology's version (owl:versionInfo of its header)."""
    version = graph.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    if version is None:
        raise InputError("the ontology has no owl:versionInfo: nothing to release")
    return str(version)


def mkt_terms(graph: Graph) -> list[str]:
    """Every IRI in mktgraph's namespace that ``graph`` declares, sorted."""
    return sorted(
        {
            str(s)
            for kind in DECLARATIONS
            for s in graph.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(str(MKT))
        }
    )


def terms_text(graph: Graph) -> str:
    """terms.txt: the IRI of every term of the release, one a line (kept per release in
    ontology/released-terms/, so that no term disappears without being deprecated)."""
    return "".join(f"{term}\n" for term in mkt_terms(graph))


def released_terms() -> dict[str, list[str]]:
    """The terms of each past release, by version: ontology/released-terms/<version>.txt."""
    folder = resources.data_dir("ontology") / "released-terms"
    return {
        path.stem: path.read_text(encoding="utf-8").split() for path in sorted(folder.glob("*.txt"))
    }


def update_released_terms() -> Path:
    """Write ontology/released-terms/<version>.txt for the version being prepared (run before
    tagging a release; the terms of earlier releases are never rewritten)."""
    from mktgraph.graph import load_ontology

    graph = load_ontology()
    path = resources.data_dir("ontology") / "released-terms" / f"{version_of(graph)}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(terms_text(graph), encoding="utf-8")
    return path


def vanished_terms(graph: Graph, released: dict[str, list[str]]) -> list[str]:
    """Terms of a past release that break the deprecation policy in ``graph``: a released term
    stays declared for good; one that is retired says so with owl:deprecated true and names
    its successor with dcterms:isReplacedBy."""
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, XSD

    declared = set(mkt_terms(graph))
    problems = []
    for version, terms in sorted(released.items()):
        for term in terms:
            iri = URIRef(term)
            if term not in declared:
                problems.append(f"{term} (released in {version}): no longer declared")
            elif (iri, OWL.deprecated, Literal(True, datatype=XSD.boolean)) in graph and (
                graph.value(iri, DCTERMS.isReplacedBy) is None
            ):
                problems.append(f"{term} (released in {version}): deprecated, no successor")
    return problems


def catalog_xml(entries: list[tuple[str, str]]) -> str:
    """An OASIS XML catalog (Protégé's and the OWL API's catalog-v001.xml) mapping each IRI to
    a file, relative to the catalog's folder."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">',
    ]
    lines += [f"    <uri name={quoteattr(iri)} uri={quoteattr(path)}/>" for iri, path in entries]
    lines.append("</catalog>")
    return "\n".join(lines) + "\n"


def source_catalog() -> str:
    """ontology/catalog-v001.xml: the ontology's header and each module to its file here, so
    that opening any file of ontology/ in Protégé resolves its imports offline."""
    entries = [(ONTOLOGY_IRI, "mktgraph.ttl")]
    entries += [
        (f"{MODULE}{path.stem}", path.name)
        for path in resources.ontology_files()
        if path.name != "mktgraph.ttl"
    ]
    return catalog_xml(entries)


def release_catalog(version: str) -> str:
    """The release's catalog: the ontology IRI and the version IRI to their files."""
    return catalog_xml(
        [
            (ONTOLOGY_IRI, f"ontology/{ONTOLOGY_NAME}.ttl"),
            (f"{ONTOLOGY_IRI}/{version}", f"ontology/{version}/{ONTOLOGY_NAME}.ttl"),
        ]
    )


def schema_http_bridge(graph: Graph) -> str:
    """optional/schema-http-bridge.ttl: each schema.org term mktgraph uses, under its
    http://schema.org/ IRI, equivalent to the https:// one mktgraph uses. schema.org's own
    JSON-LD context still writes http://schema.org/, as schema.org's own bridge file allows."""
    lines = [
        "# Optional: schema.org's http:// terms as equivalent to the https:// ones mktgraph uses,",
        "# for data written with schema.org's own JSON-LD context (which still says",
        "# http://schema.org/). Load it beside the ontology and reason (OWL 2 RL or DL) so that",
        "# such data reaches mktgraph's alignments. Generated by mktgraph.release.",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix schema: <https://schema.org/> .",
        "@prefix schemahttp: <http://schema.org/> .",
        "",
        "<https://w3id.org/mktgraph/optional/schema-http-bridge> a owl:Ontology .",
        "",
    ]
    kinds = {
        OWL.Class: ("owl:Class", "owl:equivalentClass"),
        OWL.ObjectProperty: ("owl:ObjectProperty", "owl:equivalentProperty"),
        OWL.DatatypeProperty: ("owl:DatatypeProperty", "owl:equivalentProperty"),
    }
    for kind, (declaration, equivalence) in kinds.items():
        for term in sorted(str(s) for s in graph.subjects(RDF.type, kind)):
            if term.startswith(str(SCHEMA)):
                name = term[len(str(SCHEMA)) :]
                lines.append(f"schemahttp:{name} a {declaration} ; {equivalence} schema:{name} .")
    return "\n".join(lines) + "\n"


def type_map(name: str, variants: list[tuple[str, str, str]]) -> str:
    """An Apache type map (mod_negotiation): the variants of one resource, with media types and
    the server's preference, so that Accept headers (with their q values) pick one."""
    blocks = [f"URI: {name}\n"]
    blocks += [
        f"URI: {path}\nContent-Type: {media}; qs={quality}\n" for path, media, quality in variants
    ]
    return "\n".join(blocks)


def htaccess(version: str) -> str:
    """The .htaccess that serves the release folder at https://w3id.org/mktgraph/ (or any other
    mount point: the rules compute the folder's own URL path) with content negotiation."""
    term = "[A-Za-z][A-Za-z0-9_-]*"
    rdf_types = r"text/turtle|application/rdf\+xml|application/ld\+json|application/n-triples"
    return f"""# Content negotiation for https://w3id.org/mktgraph/ (written by `mktgraph release`).
# Needs mod_rewrite, mod_negotiation and mod_mime; AllowOverride FileInfo Options Indexes.
# The ontology is https://w3id.org/mktgraph/def (this release: {version}), its terms
# https://w3id.org/mktgraph/def/<Term>; each is served as Turtle, RDF/XML, JSON-LD, N-Triples
# or HTML, as the Accept header prefers.
Options -MultiViews
DirectoryIndex doc/index.html
AddType text/turtle .ttl
AddType application/rdf+xml .owl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType text/html .html
AddType application/xml .xml
AddCharset utf-8 .ttl .jsonld .nt .owl .html .txt .xml
AddHandler type-map .var
<IfModule mod_headers.c>
    # JSON-LD processors in browsers fetch the context across origins.
    Header set Access-Control-Allow-Origin "*"
</IfModule>

RewriteEngine On
# BASE: this folder's URL path (/mktgraph/ on w3id.org), for redirects.
RewriteCond %{{REQUEST_URI}}::$1 ^(.*?/)(.*)::\\2$
RewriteRule ^(.*)$ - [E=BASE:%1]

# A file of the ontology by its extension: def.ttl, def/{version}.owl, ...
RewriteRule ^def\\.(ttl|owl|jsonld|nt)$ ontology/{ONTOLOGY_NAME}.$1 [L]
RewriteRule ^def/(\\d+\\.\\d+\\.\\d+)\\.(ttl|owl|jsonld|nt)$ ontology/$1/{ONTOLOGY_NAME}.$2 [L]

# The ontology, and a version of it: the type maps choose by the Accept header.
RewriteRule ^def/?$ def.var [L]
RewriteRule ^def/(\\d+\\.\\d+\\.\\d+)/?$ ontology/$1/{ONTOLOGY_NAME}.var [L]

# A term: a browser goes to the term's entry in the documentation; RDF clients get the
# ontology that defines it. The works cited (source/...) are described in the ontology too.
RewriteCond %{{HTTP_ACCEPT}} text/html|application/xhtml\\+xml
RewriteCond %{{HTTP_ACCEPT}} !({rdf_types})
RewriteRule ^def/({term})$ %{{ENV:BASE}}doc/index.html#$1 [R=303,NE,L]
RewriteRule ^def/({term})$ def.var [L]
RewriteRule ^source/({term})$ def.var [L]

# A module of the ontology's source (https://w3id.org/mktgraph/module/core), in Turtle.
RewriteRule ^module/([a-z]+)$ module/$1.ttl [L]

# The shapes (and each shape's IRI), and the JSON-LD context.
RewriteRule ^shapes(/{term})?$ {SHAPES_NAME} [L]
RewriteRule ^context$ {CONTEXT_NAME} [L]
"""


def catalog_entries(catalog: Path) -> dict[str, Path]:
    """The IRI -> file mappings of a catalog-v001.xml (files relative to its folder)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(catalog).getroot()
    except (OSError, ET.ParseError) as error:
        raise InputError(f"{catalog}: not a readable XML catalog: {error}") from None
    return {
        entry.get("name", ""): catalog.parent / entry.get("uri", "")
        for entry in root.iter("{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri")
    }


def load_through_catalog(document: str | Path) -> Graph:
    """``document`` and everything it imports, as one graph: each owl:imports is resolved by
    the catalog-v001.xml beside the importing file, as Protégé does, never by the network (an
    import the catalog does not map is an error). The owl:imports triples are left out, so
    that a reasoner given the graph (owlready2) does not try to fetch them either."""
    from mktgraph.graph import load

    document = Path(document)
    merged = load([document])
    pending = [(document, i) for i in merged.objects(None, OWL.imports)]
    done: set[str] = set()
    while pending:
        importer, imported = pending.pop()
        if str(imported) in done:
            continue
        done.add(str(imported))
        catalog = importer.parent / CATALOG_NAME
        target = catalog_entries(catalog).get(str(imported)) if catalog.is_file() else None
        if target is None:
            raise InputError(
                f"{importer}: imports {imported}, which {catalog} does not map to a file "
                "(mktgraph never fetches an import)"
            )
        part = load([target])
        pending += [(target, i) for i in part.objects(None, OWL.imports)]
        merged += part
    merged.remove((None, OWL.imports, None))
    return merged


def write_html(graph: Graph, folder: Path) -> None:
    """Write the HTML documentation of ``graph`` into ``folder``: its index.html is what a
    browser gets for the ontology, with each term's entry anchored at its local name (where
    the .htaccess sends a browser asking for a term), a page per framework and the SVG
    diagrams (mktgraph.htmldoc)."""
    from mktgraph import htmldoc

    htmldoc.write_html(graph, folder)


def _sorted_json_ld(text: str) -> str:
    """rdflib's JSON-LD with its nodes and every set of values in a stable order."""

    def stable(value, key: str = ""):
        if isinstance(value, dict):
            return {k: stable(v, k) for k, v in sorted(value.items())}
        if isinstance(value, list):
            items = [stable(v) for v in value]
            if key == "@list":
                return items
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    document = json.loads(text)
    context = document.pop("@context", None)
    ordered = stable(document)
    if context is not None:
        ordered = {"@context": context, **ordered}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def _in_sorted_order(graph: Graph) -> Graph:
    """A copy of ``graph`` (blank nodes labelled by content) whose triples were added in a sorted
    order, so that serialisers which follow insertion order write the same bytes every run."""
    from mktgraph.export import _canonical

    canonical = _canonical(graph)
    ordered = bind_prefixes(Graph())
    for triple in sorted(canonical, key=lambda t: tuple(x.n3() for x in t)):
        ordered.add(triple)
    return ordered


def _rdf_xml(graph: Graph) -> str:
    """RDF/XML with the triples in sorted order (rdflib's writer takes subjects in an order that
    changes from run to run); pyoxigraph's writer keeps the order it is given."""
    import pyoxigraph as ox

    from mktgraph.graph import to_oxigraph
    from mktgraph.namespaces import PREFIXES

    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
        for s, p, o in sorted(graph, key=lambda t: tuple(x.n3() for x in t))
    ]
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes).decode("utf-8")


def serialize_ontology(graph: Graph, fmt: str) -> str:
    """The ontology in one of the release's formats, the same bytes for the same graph."""
    from mktgraph.export import serialize

    ordered = _in_sorted_order(graph)
    if fmt == "xml":
        return _rdf_xml(ordered)
    text = serialize(ordered, fmt)
    return _sorted_json_ld(text) if fmt == "json-ld" else text


def _write(folder: Path, relative: str, text: str, written: list[str]) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(relative)


def write_release(folder: Path, graph: Graph, shapes: Graph) -> list[str]:
    """Write every file of the release into ``folder`` (empty); the relative paths written."""
    from mktgraph.export import serialize

    version = version_of(graph)
    written: list[str] = []
    variants = {"": [], f"{version}/": []}
    for fmt, extension, media, quality in ONTOLOGY_FORMATS:
        text = serialize_ontology(graph, fmt)
        for sub in variants:
            _write(folder, f"ontology/{sub}{ONTOLOGY_NAME}{extension}", text, written)
            variants[sub].append((f"{ONTOLOGY_NAME}{extension}", media, quality))
    html = ("doc/index.html", "text/html", HTML_PREFERENCE)
    _write(
        folder,
        "def.var",
        type_map("def", [(f"ontology/{p}", m, q) for p, m, q in variants[""]] + [html]),
        written,
    )
    _write(
        folder,
        f"ontology/{version}/{ONTOLOGY_NAME}.var",
        type_map(version, [*variants[f"{version}/"], ("../../" + html[0], *html[1:])]),
        written,
    )
    shapes_text = serialize(_in_sorted_order(shapes), "turtle")
    _write(folder, SHAPES_NAME, shapes_text, written)
    _write(folder, f"ontology/{version}/{SHAPES_NAME}", shapes_text, written)
    context = resources.jsonld_context_file().read_text(encoding="utf-8")
    _write(folder, CONTEXT_NAME, context, written)
    _write(folder, f"ontology/{version}/{CONTEXT_NAME}", context, written)
    _write(folder, CATALOG_NAME, release_catalog(version), written)
    _write(folder, "terms.txt", terms_text(graph), written)
    # The modules as they are in ontology/ (each an owl:Ontology importing the ones it builds
    # on), so that https://w3id.org/mktgraph/module/<name> resolves too.
    for module in resources.ontology_files():
        if module.name != "mktgraph.ttl":
            _write(folder, f"module/{module.name}", module.read_text(encoding="utf-8"), written)
    for optional in sorted((resources.data_dir("ontology") / "optional").glob("*.ttl")):
        _write(folder, f"optional/{optional.name}", optional.read_text(encoding="utf-8"), written)
    _write(folder, ".htaccess", htaccess(version), written)
    before = {p for p in folder.rglob("*") if p.is_file()}
    write_html(graph, folder / "doc")
    written += sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p not in before
    )
    return sorted(written)


# What `mktgraph release` says of a folder it will not write.
_REFUSALS = (
    "{dest}: exists and is not a folder",
    "{dest}: not empty; give --replace to replace it",
    "{parent}: no such folder",
)


def build_release(dest: str | Path, *, replace: bool = False) -> Release:
    """Write the release folder at ``dest``: built whole in a temporary folder beside it, then
    moved in, so that ``dest`` never holds a partial release. A non-empty ``dest`` is refused
    unless ``replace``."""
    from mktgraph.graph import load, load_ontology

    dest = Path(dest)
    parent = dest.absolute().parent
    check_build_target(dest, parent, replace, _REFUSALS)
    graph = load_ontology()
    shapes = load(resources.shape_files())
    try:
        with folder_built_whole(dest, parent) as building:
            os.chmod(building, 0o755)  # served by a web server: readable like any folder
            files = write_release(building, graph, shapes)
    except OSError as error:
        raise InputError(f"{dest}: cannot write the release: {error.strerror or error}") from None
    return Release(dest, version_of(graph), tuple(files))
