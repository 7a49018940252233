"""Any SPARQL 1.1 store: --endpoint is the query URL; --update-endpoint and --gsp-endpoint
give the others."""

from __future__ import annotations

from mktgraph.stores import EndpointSpec
from mktgraph.stores.layout import Layout

DEFAULT_AUTH = "basic"


def layout(spec: EndpointSpec) -> Layout:
    """The query endpoint as given; update and Graph Store endpoints only when named."""
    return Layout(server="generic", query_url=spec.url, update_url=None, gsp_url=None)
