"""Shared by the reasoning tests: data files, the defined classes, inferred memberships."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from mktgraph.namespaces import MKT

DATA = Path(__file__).parent / "data"

# The defined classes of ontology/reasoning.ttl, and the named classes whose members a
# reasoner finds through its axioms (the GCI on customers, the discount equivalence).
DEFINED = (
    MKT.OpenDeal,
    MKT.WonDeal,
    MKT.LostDeal,
    MKT.ConvertedLead,
    MKT.OneToManyActivity,
    MKT.OneToOneActivity,
    MKT.DiscountPromotion,
    MKT.Customer,
)


def data_file(name: str) -> str:
    path = DATA / name
    assert path.is_file(), path
    return str(path)


def inferred_types(inferred: Graph, within: str) -> dict[URIRef, set[URIRef]]:
    """{individual: inferred types among DEFINED}, for individuals whose IRI starts ``within``."""
    found: dict[URIRef, set[URIRef]] = {}
    for s, o in inferred.subject_objects(RDF.type):
        if str(s).startswith(within) and o in DEFINED:
            found.setdefault(s, set()).add(o)
    return found
