"""Apache Jena Fuseki: --endpoint is the dataset URL; /query, /update and the Graph Store
at /data below it."""

from __future__ import annotations

from mktgraph.stores import EndpointSpec
from mktgraph.stores.layout import Layout, base

DEFAULT_AUTH = "basic"


def layout(spec: EndpointSpec) -> Layout:
    """From the dataset URL, e.g. http://localhost:3030/company."""
    root = base(spec.url)
    return Layout(
        server="fuseki",
        query_url=f"{root}/query",
        update_url=f"{root}/update",
        gsp_url=f"{root}/data",
        update_chunk=10_000,
        atomic_put=True,  # each request is one transaction
    )
