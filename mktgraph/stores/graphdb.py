"""Ontotext GraphDB (and RDF4J servers): --endpoint is the repository URL; queries there,
updates at /statements, the Graph Store at /rdf-graphs/service."""

from __future__ import annotations

from mktgraph.stores import EndpointSpec
from mktgraph.stores.layout import Layout, base

DEFAULT_AUTH = "basic"
# RDF4J's name for the default graph alone; without it a query sees every graph.
SESAME_NIL = "http://www.openrdf.org/schema/sesame#nil"


def layout(spec: EndpointSpec) -> Layout:
    """From the repository URL, e.g. http://localhost:7200/repositories/company."""
    root = base(spec.url)
    return Layout(
        server="graphdb",
        query_url=root,
        update_url=f"{root}/statements",
        gsp_url=f"{root}/rdf-graphs/service",
        union_default_graph=True,
        default_graph_iri=SESAME_NIL,
        update_chunk=10_000,
        atomic_put=True,  # each request is one transaction
    )
