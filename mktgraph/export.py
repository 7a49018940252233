"""Serialising graphs: deterministic Turtle and N-Triples, JSON-LD with our own context, RDF/XML."""

from __future__ import annotations

import json
from collections.abc import Iterable
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
    so that serialising the same triples gives the same bytes every time (see
    ``canonical_triples``). Triples are added in a fixed order: rdflib's writers follow the
    order triples were added in (RDF/XML within a subject, for one)."""
    canonical = bind_prefixes(Graph())
    add = canonical.add
    for triple in canonical_triples(graph):
        add(triple)
    return canonical


def canonical_triples(graph: Graph) -> list[tuple]:
    """The triples of ``graph``, blank nodes labelled by the graph's content alone, in an order
    that depends on the content alone.

    The labels come from RDFC-1.0 (W3C RDF Dataset Canonicalization), run by Oxigraph: well
    under a second for 10,000 blank nodes (copying the triples in and out costs about as much
    again), where rdflib's ``to_canonical_graph`` took 114 s for 1,000. Oxigraph works on
    stand-ins (a language tag becomes a datatype, so that its case is kept; a term Oxigraph
    refuses becomes its N-Triples text); the triples hold the graph's own terms.
    """
    from rdflib import BNode

    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return sorted(graph, key=lambda triple: tuple(map(_order_key, triple)))
    import pyoxigraph as ox

    stand_ins: dict = {}  # the graph's term -> Oxigraph's stand-in
    originals: dict = {}  # Oxigraph's stand-in -> the graph's own term (not blank nodes)

    def stand_in(term):
        encoded = stand_ins.get(term)
        if encoded is not None:
            return encoded
        if isinstance(term, BNode):
            encoded = ox.BlankNode(f"b{len(stand_ins)}")
        else:
            encoded = _oxigraph_stand_in(term, ox)
            originals[encoded] = term
        stand_ins[term] = encoded
        return encoded

    dataset = ox.Dataset(
        ox.Quad(stand_in(s), stand_in(p), stand_in(o), ox.DefaultGraph()) for s, p, o in graph
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)

    def original(term):
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        return originals[term]

    # In the order of the stand-ins' N-Quads, written by Oxigraph.
    return [
        (original(quad.subject), original(quad.predicate), original(quad.object))
        for quad in sorted(dataset, key=str)
    ]


def _oxigraph_stand_in(term, ox):
    """An IRI or literal as Oxigraph takes it, one to one and without rewriting it."""
    try:
        if not isinstance(term, Literal):
            return ox.NamedNode(term)
        if term.language:  # the tag as written: Oxigraph would lower its case
            return ox.Literal(term, datatype=ox.NamedNode(_LANGUAGE + term.language))
        if term.datatype is not None:
            return ox.Literal(term, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term)
    except ValueError:  # a term Oxigraph refuses: its N-Triples text instead
        return ox.Literal(term.n3(), datatype=ox.NamedNode(_REFUSED))


def _order_key(term) -> tuple[str, str, str]:
    if isinstance(term, Literal):
        return (str(term), term.language or "", term.datatype or "")
    return (str(term), "", "")


def report_quads(graph: Iterable[tuple]) -> list:
    """A report's triples (a Graph, or its triples) as pyoxigraph quads, each term converted
    once. ValueError or TypeError when a term would not go through Oxigraph unchanged (a
    language tag with capitals, which Oxigraph lowers; a term it refuses)."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    terms: dict = {}

    def term(node):
        known = terms.get(node)
        if known is None:
            if isinstance(node, URIRef):
                known = ox.NamedNode(node)
            elif isinstance(node, BNode):
                known = ox.BlankNode(node)
            elif node.language:
                if node.language != node.language.lower():
                    raise ValueError(node.language)
                known = ox.Literal(node, language=node.language)
            elif node.datatype is not None:
                known = ox.Literal(node, datatype=ox.NamedNode(node.datatype))
            else:
                known = ox.Literal(node)
            terms[node] = known
        return known

    return [ox.Quad(term(s), term(p), term(o)) for s, p, o in graph]


def report_turtle(graph: Iterable[tuple]) -> str | None:
    """A SHACL validation report (a Graph, or its triples) in Turtle, written by Oxigraph: its
    blank nodes labelled by RDFC-1.0 and its triples sorted, so that the same results give the
    same bytes, as ``serialize`` does. A report holds a blank node per result, thousands at a
    million triples, which rdflib's Turtle writer nests at ten times the cost. None when a term
    would not go through Oxigraph unchanged (``report_quads``): ``serialize`` writes those."""
    import io

    import pyoxigraph as ox

    from mktgraph.namespaces import PREFIXES

    try:
        dataset = ox.Dataset(report_quads(graph))
    except (ValueError, TypeError):
        return None
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    buffer = io.BytesIO()
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    triples = (quad.triple for quad in sorted(dataset, key=str))
    ox.serialize(triples, buffer, ox.RdfFormat.TURTLE, prefixes=prefixes)
    return buffer.getvalue().decode("utf-8")


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
    if fmt in ("nt", "nquads"):
        # Triples of the default graph: the same lines in both formats, sorted for stability;
        # written a line at a time by rdflib's N-Triples writer, without copying the graph.
        from rdflib.plugins.serializers.nt import _nt_row

        return "".join(sorted(_nt_row(triple) for triple in canonical_triples(graph)))
    canonical = _canonical(graph)
    if fmt in ("turtle", "trig"):
        # A graph's TriG is its Turtle: triples outside braces are the default graph (rdflib's
        # TriG writer would put them in a named graph called by a blank node).
        return _turtle(canonical)
    return canonical.serialize(format=fmt)
