"""Facts about the ontology in a graph: version, IRIs and term counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from mktgraph import __version__
from mktgraph.prefixes import MKT_IRI, ONTOLOGY_IRI, OWL_IRI
from mktgraph.sources import FileSource, GraphSource


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


_COUNTS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?kind (COUNT(DISTINCT ?term) AS ?terms) WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty
                 owl:NamedIndividual }
  ?term a ?kind .
  FILTER(STRSTARTS(STR(?term), "%s"))
} GROUP BY ?kind
"""
_VERSION = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?iri ?info WHERE {
  OPTIONAL { <%s> owl:versionIRI ?iri }
  OPTIONAL { <%s> owl:versionInfo ?info }
} LIMIT 1
"""


def info(source: GraphSource | None = None) -> OntologyInfo:
    """Version, IRIs and counts of mktgraph terms in ``source`` (default: the bundled ontology),
    asked by SPARQL, so that a store or a server answers without sending its graph."""
    source = FileSource() if source is None else source
    counts = {
        row["kind"]: int(row["terms"])
        for row in source.select_texts(_COUNTS % MKT_IRI, "info: term counts")
    }
    version = source.select_texts(_VERSION % (ONTOLOGY_IRI, ONTOLOGY_IRI), "info: version")
    version_iri, version_info = (version[0]["iri"], version[0]["info"]) if version else (None, None)

    def terms(kind: str) -> int:
        return counts.get(OWL_IRI + kind, 0)

    return OntologyInfo(
        package_version=__version__,
        ontology_iri=ONTOLOGY_IRI,
        version_iri=str(version_iri or ""),
        version_info=str(version_info or ""),
        triples=source.triple_count(),
        classes=terms("Class"),
        object_properties=terms("ObjectProperty"),
        datatype_properties=terms("DatatypeProperty"),
        annotation_properties=terms("AnnotationProperty"),
        individuals=terms("NamedIndividual"),
    )
