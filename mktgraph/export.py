"""Serialising graphs: deterministic Turtle and N-Triples, JSON-LD with our own context, RDF/XML."""

from __future__ import annotations

import json
from functools import cache

from rdflib import Graph, Literal

from mktgraph import resources
from mktgraph.errors import InputError
from mktgraph.formats import GRAPH_FORMATS
from mktgraph.namespaces import bind_prefixes

# Stand-in datatypes for language tags, while Oxigraph labels the blank nodes (see _canonical).
_LANGUAGE = "urn:mktgraph:language:"
_REFUSED = "urn:mktgraph:refused"
EXPORT_FORMATS = (*GRAPH_FORMATS, "trig")  # TriG: for reason's inferred facts


@cache
def jsonld_context() -> dict:
    """mktgraph's JSON-LD context (the value of ``@context``), read from ontology/context.jsonld."""
    with resources.jsonld_context_file().open(encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def _canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes have labels that depend only on the graph's content,
    so that serialising the same triples gives the same bytes every time.

    The labels come from RDFC-1.0 (W3C RDF Dataset Canonicalization), run by Oxigraph: under a
    second for 10,000 blank nodes (copying the graph in and out, a few more), where rdflib's
    ``to_canonical_graph`` took 114 s for 1,000.
    Oxigraph works on stand-ins (a language tag becomes a datatype, so that its case is kept;
    a term Oxigraph refuses becomes its N-Triples text), and the copy holds the graph's own
    terms.
    """
    from rdflib import BNode

    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return _in_order(graph)
    import pyoxigraph as ox

    originals: dict = {}  # Oxigraph's stand-in -> the graph's own term (not blank nodes)
    blank_labels: dict = {}

    def stand_in(term):
        if isinstance(term, BNode):
            return ox.BlankNode(blank_labels.setdefault(term, f"b{len(blank_labels)}"))
        try:
            if not isinstance(term, Literal):
                encoded = ox.NamedNode(term)
            elif term.language:  # the tag as written: Oxigraph would lower its case
                encoded = ox.Literal(term, datatype=ox.NamedNode(_LANGUAGE + term.language))
            elif term.datatype is not None:
                encoded = ox.Literal(term, datatype=ox.NamedNode(term.datatype))
            else:
                encoded = ox.Literal(term)
        except ValueError:  # a term Oxigraph refuses: its N-Triples text instead
            encoded = ox.Literal(term.n3(), datatype=ox.NamedNode(_REFUSED))
        originals[encoded] = term
        return encoded

    dataset = ox.Dataset(
        ox.Quad(stand_in(s), stand_in(p), stand_in(o), ox.DefaultGraph()) for s, p, o in graph
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)

    def original(term):
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        return originals[term]

    # In the order of the stand-ins' N-Quads (written by Oxigraph): see _in_order.
    canonical = bind_prefixes(Graph())
    for quad in sorted(dataset, key=str):
        canonical.add((original(quad.subject), original(quad.predicate), original(quad.object)))
    return canonical


def _in_order(triples) -> Graph:
    """A graph with mktgraph's prefixes holding ``triples`` added in sorted order: rdflib's
    writers follow the order triples were added in (RDF/XML within a subject, for one)."""
    graph = bind_prefixes(Graph())
    for triple in sorted(triples, key=lambda triple: tuple(map(_order_key, triple))):
        graph.add(triple)
    return graph


def _order_key(term) -> tuple[str, str, str]:
    if isinstance(term, Literal):
        return (str(term), term.language or "", term.datatype or "")
    return (str(term), "", "")


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
    if fmt in ("turtle", "trig"):
        # A graph's TriG is its Turtle: triples outside braces are the default graph (rdflib's
        # TriG writer would put them in a named graph called by a blank node).
        return _turtle(canonical)
    if fmt in ("nt", "nquads"):
        # Triples of the default graph: the same lines in both formats, sorted for stability.
        lines = canonical.serialize(format="nt").splitlines()
        return "".join(line + "\n" for line in sorted(line for line in lines if line.strip()))
    return canonical.serialize(format=fmt)
