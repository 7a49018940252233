"""mktgraph's namespaces and the prefixes it writes and shortens IRIs with."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

MKT = Namespace("https://w3id.org/mktgraph/def/")
MKTSH = Namespace("https://w3id.org/mktgraph/shapes/")
MKTSRC = Namespace("https://w3id.org/mktgraph/source/")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")

ONTOLOGY_IRI = "https://w3id.org/mktgraph/def"
# The modules of the ontology (the files of ontology/), each an owl:Ontology of its own.
MODULE = Namespace("https://w3id.org/mktgraph/module/")

# Order matters only for readability of the serialised prefix block.
PREFIXES: dict[str, Namespace] = {
    "mkt": MKT,
    "mktsh": MKTSH,
    "mktsrc": MKTSRC,
    "dcterms": DCTERMS,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sh": SH,
    "skos": SKOS,
    "vann": VANN,
    "xsd": XSD,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind mktgraph's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def shorten(iri: str, extra: dict[str, str] | None = None) -> str:
    """``iri`` as a prefixed name when one of our prefixes (or ``extra``) covers it."""
    candidates = {**{p: str(n) for p, n in PREFIXES.items()}, **(extra or {})}
    best = None
    for prefix, namespace in candidates.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return iri
    local = iri[len(best[1]) :]
    if local and all(c.isalnum() or c in "_-." for c in local) and not local.endswith("."):
        return f"{best[0]}:{local}"
    return iri


def display(term) -> str:
    """A term as a person reads it: IRIs shortened by our prefixes, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return str(term)
    return str(term)
