"""mktgraph's namespaces and the prefixes it writes and shortens IRIs with."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from mktgraph.prefixes import MODULE_IRI, ONTOLOGY_IRI, PREFIX_IRIS, shorten

__all__ = [  # ONTOLOGY_IRI and shorten live in mktgraph.prefixes (no rdflib there)
    "MKT",
    "MKTSH",
    "MKTSRC",
    "MODULE",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "SCHEMA",
    "VANN",
    "bind_prefixes",
    "display",
    "shorten",
]

# rdflib's closed namespaces where it has one (a misspelt term fails loudly), else ours.
_CLOSED = {str(ns): ns for ns in (DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD)}
PREFIXES: dict[str, Namespace] = {
    prefix: _CLOSED.get(iri) or Namespace(iri) for prefix, iri in PREFIX_IRIS.items()
}
MKT = PREFIXES["mkt"]
MKTSH = PREFIXES["mktsh"]
MKTSRC = PREFIXES["mktsrc"]
SCHEMA = PREFIXES["schema"]
VANN = PREFIXES["vann"]
MODULE = Namespace(MODULE_IRI)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind mktgraph's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


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
