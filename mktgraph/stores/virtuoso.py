"""OpenLink Virtuoso: /sparql for queries; with a user, /sparql-auth for updates and
/sparql-graph-crud-auth for the Graph Store (digest authentication)."""

from __future__ import annotations

from mktgraph.stores import EndpointSpec
from mktgraph.stores.layout import Layout, base

DEFAULT_AUTH = "digest"


def layout(spec: EndpointSpec) -> Layout:
    """From the server's base URL, e.g. http://localhost:8890.

    Anonymous writes go to /sparql and /sparql-graph-crud, which need grants to the SPARQL
    user that a default install does not give; the -auth endpoints take the dba account.
    Virtuoso has no default graph to write to, and a query without a graph sees every graph.
    """
    root = base(spec.url)
    auth = spec.credentials is not None
    return Layout(
        server="virtuoso",
        query_url=f"{root}/sparql",
        update_url=f"{root}/sparql-auth" if auth else f"{root}/sparql",
        gsp_url=f"{root}/sparql-graph-crud-auth" if auth else f"{root}/sparql-graph-crud",
        gsp_default_graph=False,
        union_default_graph=True,
        page_size=10_000,
        row_cap=10_000,  # ResultSetMaxRows in virtuoso.ini
        order_in_subquery=True,
        update_chunk=1_000,
        blank_node_iri="nodeID://",
        integer_booleans=True,
        transitive_paths_join=False,
        values_in_union=False,
        one_row_values=False,
        constant_language_tags=False,
        coalesce_binds=False,
        same_term_literals=False,
    )
