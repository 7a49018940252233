"""Oxigraph server (``oxigraph serve``): /query, /update and the Graph Store at /store."""

from __future__ import annotations

from mktgraph.stores import EndpointSpec
from mktgraph.stores.layout import Layout, query_update_layout

DEFAULT_AUTH = "basic"  # the server has none; a proxy in front of it usually has basic


def layout(spec: EndpointSpec) -> Layout:
    """From the server's base URL, e.g. http://localhost:7878."""
    return query_update_layout(spec, "oxigraph", "store", select_results="tsv")
