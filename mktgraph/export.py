"""Serialising graphs: deterministic Turtle and N-Triples, JSON-LD with our own context, RDF/XML."""

from __future__ import annotations

import json
from functools import cache

from rdflib import Graph

from mktgraph import resources
from mktgraph.errors import InputError
from mktgraph.namespaces import bind_prefixes

EXPORT_FORMATS = ("turtle", "json-ld", "nt", "nquads", "xml")
EXTENSIONS = {"turtle": ".ttl", "json-ld": ".jsonld", "nt": ".nt", "nquads": ".nq", "xml": ".rdf"}


@cache
def jsonld_context() -> dict:
    """mktgraph's JSON-LD context (the value of ``@context``), read from ontology/context.jsonld."""
    with resources.jsonld_context_file().open(encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def _canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes have labels that depend only on the graph's content,
    so that serialising the same triples gives the same bytes every time."""
    from rdflib.compare import to_canonical_graph

    canonical = bind_prefixes(Graph())
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def _turtle(graph: Graph) -> str:
    """Turtle in reading order: the ontology header, then classes, properties, the rest."""
    import io

    from rdflib.namespace import OWL, RDFS
    from rdflib.plugins.serializers.turtle import TurtleSerializer

    class ReadingOrderTurtle(TurtleSerializer):
        # rdflib writes subjects typed with these classes first, in this order.
        topClasses = [  # noqa: N815 (rdflib's attribute name)
            OWL.Ontology,
            OWL.Class,
            RDFS.Class,
            OWL.ObjectProperty,
            OWL.DatatypeProperty,
            OWL.AnnotationProperty,
        ]

    buffer = io.BytesIO()
    ReadingOrderTurtle(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def serialize(graph: Graph, fmt: str) -> str:
    """``graph`` in one of EXPORT_FORMATS, as text."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}"
        )
    if fmt == "json-ld":
        context = jsonld_context()
        return (
            graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2) + "\n"
        )
    canonical = _canonical(graph)
    if fmt == "turtle":
        return _turtle(canonical)
    if fmt in ("nt", "nquads"):
        # Triples of the default graph: the same lines in both formats, sorted for stability.
        lines = canonical.serialize(format="nt").splitlines()
        return "".join(line + "\n" for line in sorted(line for line in lines if line.strip()))
    return canonical.serialize(format=fmt)
