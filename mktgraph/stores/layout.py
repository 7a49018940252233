"""Endpoint layouts: the query, update and Graph Store URLs of a server, and its quirks."""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from typing import Any

from mktgraph.stores import EndpointSpec, StoreError


@dataclass(frozen=True)
class Layout:
    """Where a server answers each protocol, and what it can and cannot do."""

    server: str
    query_url: str
    update_url: str | None
    gsp_url: str | None
    # The Graph Store Protocol accepts ?default (Virtuoso's has no default graph to write to).
    gsp_default_graph: bool = True
    # A query without a graph sees every graph (Virtuoso, GraphDB); counting or fetching
    # "the default graph" then needs default_graph_iri, the name the server gives it.
    union_default_graph: bool = False
    default_graph_iri: str | None = None
    # Rows a server returns at most for one query (Virtuoso: ResultSetMaxRows, 10,000 by
    # default); whole graphs are fetched in pages of this size.
    page_size: int = 50_000
    # The most rows (or triples) the server returns for one query, cutting the rest without an
    # error; None: it returns whole answers. Where set, query answers that reach it are asked
    # again in pages.
    row_cap: int | None = None
    # Virtuoso refuses ORDER BY with OFFSET + LIMIT beyond its sort limit unless the ordered
    # solutions come from a subquery (its "scrollable cursor").
    order_in_subquery: bool = False
    # A Graph Store PUT replaces the graph in one transaction (a failure leaves it as it was);
    # where it does not (Virtuoso's PUT is not one transaction: a server killed half way
    # leaves part of the new graph), --replace fills a staging graph and MOVEs it in instead.
    atomic_put: bool = False
    # Triples per INSERT DATA request (Virtuoso's SPARQL compiler runs out of memory near 5,000).
    update_chunk: int = 1_000
    # Blank nodes in answers are labelled with this IRI prefix, and a query may name them as
    # IRIs (Virtuoso's "nodeID://"); None: a blank node of an answer cannot be named again.
    blank_node_iri: str | None = None
    # The server writes the booleans of an answer as the integers 1 and 0 (Virtuoso).
    integer_booleans: bool = False
    # A transitive path such as rdf:type/rdfs:subClassOf* joins with other patterns (Virtuoso's
    # join gives no rows: the fast validator writes such a class test another way).
    transitive_paths_join: bool = True
    # A VALUES block in one branch of a UNION leaves the other branches' solutions alone
    # (Virtuoso's keeps only the VALUES rows: sh:targetNode beside sh:targetClass lost the
    # class's instances). Where not, the fast validator puts VALUES in a subquery.
    values_in_union: bool = True
    # A VALUES block of one row binds its variable like any other (Virtuoso's puts the literal
    # in place of the variable, and inside a subquery or a UNION branch then compares it by its
    # lexical form alone: "45"^^<urn:x> matches nothing there, "abc"@en matches "abc"; with two
    # rows it joins them right). Where not, the fast validator writes a lone row twice.
    one_row_values: bool = True
    # LANG() of a language-tagged literal the query names itself (a sh:targetNode in a VALUES
    # block of several rows, or in a UNION) gives its tag (Virtuoso's gives "", although the
    # answer shows the tag). Where not, sh:languageIn is proved by SPARQL only for values read
    # from the graph, and Python decides the rest.
    constant_language_tags: bool = True
    # BIND(COALESCE(test, false) AS ?k) keeps each row's value when a FILTER reads ?k
    # (Virtuoso's gives a row another row's value: checks failed or passed by chance). Where
    # not, the fast validator binds IF(COALESCE(test, false), true, false) instead.
    coalesce_binds: bool = True
    # sameTerm(?v, "A") is true of the literal "A" (Virtuoso's is false for any two literals:
    # sh:in and sh:hasValue compare them by their lexical form, language and datatype there).
    same_term_literals: bool = True
    # The SPARQL results format asked for many rows (select_terms): "tsv" is the most compact
    # (terms in N-Triples syntax), where the server writes it as the standard says.
    select_results: str = "json"


def base(url: str) -> str:
    """``url`` without a trailing slash, to which a server's paths are appended."""
    return url.rstrip("/")


def query_update_layout(spec: EndpointSpec, server: str, gsp_path: str, **quirks: Any) -> Layout:
    """The layout of a server that answers at /query and /update below ``spec.url`` and keeps
    its Graph Store at /``gsp_path``, each request one transaction (Oxigraph, Fuseki)."""
    root = base(spec.url)
    return Layout(
        server=server,
        query_url=f"{root}/query",
        update_url=f"{root}/update",
        gsp_url=f"{root}/{gsp_path}",
        update_chunk=10_000,
        atomic_put=True,
        **quirks,
    )


def layout_for(spec: EndpointSpec) -> Layout:
    """The layout of the server kind ``spec.server`` at ``spec.url``; explicit
    --update-endpoint / --gsp-endpoint URLs take precedence over the documented ones."""
    module = importlib.import_module(f"mktgraph.stores.{spec.server}")
    layout: Layout = module.layout(spec)
    overrides = {}
    if spec.update_url:
        overrides["update_url"] = spec.update_url
    if spec.gsp_url:
        overrides["gsp_url"] = spec.gsp_url
    if overrides:
        layout = dataclasses.replace(layout, **overrides)
    return layout


def require(value: str | None, what: str, flag: str) -> str:
    """``value``, or a StoreError saying which flag gives it."""
    if not value:
        raise StoreError(f"no {what} known for this endpoint: give {flag} URL")
    return value
