"""Oxigraph server (``oxigraph serve``): /query, /update and the Graph Store at /store."""

from __future__ import annotations

from mktgraph.stores import EndpointSpec
from mktgraph.stores.layout import Layout, base

DEFAULT_AUTH = "basic"  # the server has none; a proxy in front of it usually has basic


def layout(spec: EndpointSpec) -> Layout:
    """From the server's base URL, e.g. http://localhost:7878."""
    root = base(spec.url)
    return Layout(
        server="oxigraph",
        query_url=f"{root}/query",
        update_url=f"{root}/update",
        gsp_url=f"{root}/store",
        update_chunk=10_000,
        select_results="tsv",
        atomic_put=True,  # each request is one transaction
    )
