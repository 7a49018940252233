"""pyoxigraph helpers that need no rdflib: mktgraph's RDF format names as pyoxigraph formats,
and the bundled ontology as pyoxigraph quads with its modules merged."""

from __future__ import annotations

from mktgraph import resources
from mktgraph.prefixes import MODULE_IRI, OWL_IRI, RDF_IRI


def ox_format(name: str):  # -> pyoxigraph.RdfFormat
    """The pyoxigraph format of one of mktgraph's RDF format names."""
    import pyoxigraph as ox

    return {
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
        "json-ld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
    }[name]


def merge_module_quads(quads: list) -> list:
    """pyoxigraph quads (or triples) of the ontology's files as one ontology, as
    graph.merge_modules makes an rdflib graph: without the modules' own headers and the imports
    of modules."""
    import pyoxigraph as ox

    ontology = ox.NamedNode(OWL_IRI + "Ontology")
    modules = {
        q.subject
        for q in quads
        if q.predicate.value == RDF_IRI + "type"
        and q.object == ontology
        and q.subject.value.startswith(MODULE_IRI)
    }
    return [
        q
        for q in quads
        if q.subject not in modules
        and not (q.predicate.value == OWL_IRI + "imports" and q.object.value.startswith(MODULE_IRI))
    ]


def ontology_quads() -> list:
    """The bundled ontology as pyoxigraph quads (default graph), its modules merged."""
    import pyoxigraph as ox

    turtle = ox_format("turtle")
    quads = [
        quad
        for path in resources.ontology_files()
        for quad in ox.parse(path=str(path), format=turtle)
    ]
    return merge_module_quads(quads)
