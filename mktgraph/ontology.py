"""Facts about the bundled ontology: version, IRIs and term counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from mktgraph import __version__
from mktgraph.graph import load_ontology
from mktgraph.namespaces import MKT, ONTOLOGY_IRI


@dataclass(frozen=True)
class OntologyInfo:
    """What ``mktgraph info`` reports."""

    package_version: str
    ontology_iri: str
    version_iri: str
    version_info: str
    triples: int
    classes: int
    object_properties: int
    datatype_properties: int
    annotation_properties: int
    individuals: int

    def as_dict(self) -> dict:
        return asdict(self)


def _count_ours(graph: Graph, kind: URIRef) -> int:
    return sum(1 for s in set(graph.subjects(RDF.type, kind)) if str(s).startswith(str(MKT)))


def info(graph: Graph | None = None) -> OntologyInfo:
    """Version, IRIs and counts of mktgraph terms in ``graph`` (default: the bundled ontology)."""
    graph = load_ontology() if graph is None else graph
    ontology = URIRef(ONTOLOGY_IRI)
    return OntologyInfo(
        package_version=__version__,
        ontology_iri=ONTOLOGY_IRI,
        version_iri=str(graph.value(ontology, OWL.versionIRI) or ""),
        version_info=str(graph.value(ontology, OWL.versionInfo) or ""),
        triples=len(graph),
        classes=_count_ours(graph, OWL.Class),
        object_properties=_count_ours(graph, OWL.ObjectProperty),
        datatype_properties=_count_ours(graph, OWL.DatatypeProperty),
        annotation_properties=_count_ours(graph, OWL.AnnotationProperty),
        individuals=_count_ours(graph, OWL.NamedIndividual),
    )
