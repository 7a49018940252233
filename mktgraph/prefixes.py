"""mktgraph's IRIs and prefixes as plain strings, and IRIs shortened with them (no rdflib here,
so that light commands such as ``queries`` and ``query --store`` start fast)."""

from __future__ import annotations

from functools import lru_cache

ONTOLOGY_IRI = "https://w3id.org/mktgraph/def"
MKT_IRI = "https://w3id.org/mktgraph/def/"
# The modules of the ontology (the files of ontology/), each an owl:Ontology of its own.
MODULE_IRI = "https://w3id.org/mktgraph/module/"
OWL_IRI = "http://www.w3.org/2002/07/owl#"
RDF_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_IRI = "http://www.w3.org/2001/XMLSchema#"

# The prefixes mktgraph writes and shortens IRIs with (mktgraph.namespaces makes them rdflib
# namespaces). Order matters only for readability of the serialised prefix block.
PREFIX_IRIS: dict[str, str] = {
    "mkt": MKT_IRI,
    "mktsh": "https://w3id.org/mktgraph/shapes/",
    "mktsrc": "https://w3id.org/mktgraph/source/",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": OWL_IRI,
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": RDF_IRI,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "xsd": XSD_IRI,
}


def shorten(iri: str, extra: dict[str, str] | None = None) -> str:
    """``iri`` as a prefixed name when one of our prefixes (or ``extra``) covers it."""
    if not extra:
        return _shortened(iri)
    return _shorten(iri, {**PREFIX_IRIS, **extra})


@lru_cache(maxsize=1 << 16)
def _shortened(iri: str) -> str:
    # Reports and tables shorten the same shapes, paths and classes thousands of times.
    return _shorten(iri, PREFIX_IRIS)


def _shorten(iri: str, candidates: dict[str, str]) -> str:
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
