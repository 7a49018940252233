"""Apache Jena Fuseki: --endpoint is the dataset URL; /query, /update and the Graph Store
at /data below it."""

from __future__ import annotations

from mktgraph.stores import EndpointSpec
from mktgraph.stores.layout import Layout, query_update_layout

DEFAULT_AUTH = "basic"


def layout(spec: EndpointSpec) -> Layout:
    """From the dataset URL, e.g. http://localhost:3030/company."""
    return query_update_layout(spec, "fuseki", "data")
