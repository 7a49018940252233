"""Fetching a whole graph back from a server (what `validate --endpoint` checks), in pages."""

from __future__ import annotations

import dataclasses

import pytest
from rdflib.compare import isomorphic
from sparql_servers import PASSWORD_VARIABLE, VIRTUOSO_PASSWORD, write

from mktgraph import stores
from mktgraph.api import load_data
from mktgraph.graph import load as load_graph
from mktgraph.sources import SourceSpec

pytestmark = pytest.mark.integration

BLANKS = """\
@prefix ex: <https://example.org/acme/> .
@prefix schema: <https://schema.org/> .
ex:acme schema:name "Acme" ;
    schema:address [ schema:addressLocality "Köln" ; schema:postalCode "50667" ] ;
    schema:member [ schema:name "Ann" ] , [ schema:name "Bo" ] .
"""


def test_fetch_in_pages_keeps_blank_nodes_joined(oxigraph, tmp_path, new_graph):
    data = write(tmp_path / "blanks.ttl", BLANKS)
    spec = stores.endpoint_spec(oxigraph.url, server="oxigraph")
    with stores.open_store(spec, graph=new_graph) as store:
        store.load([data])
        store.layout = dataclasses.replace(store.layout, page_size=2)  # four pages
        fetched = store.fetch()
    assert len(fetched) == 8
    assert isomorphic(fetched, load_graph([data]))


def test_fetch_from_virtuoso_beyond_its_row_limit(virtuoso, tmp_path, new_graph, monkeypatch):
    """Virtuoso answers at most 10,000 rows: 25,000 triples come back in three pages."""
    lines = [
        f'<https://example.org/big/s{i}> <https://example.org/big/p> "v{i}" .\n'
        for i in range(25_000)
    ]
    data = write(tmp_path / "big.nt", "".join(lines))
    monkeypatch.setenv(PASSWORD_VARIABLE, VIRTUOSO_PASSWORD)
    spec = stores.endpoint_spec(
        virtuoso.url, server="virtuoso", user="dba", password_env=PASSWORD_VARIABLE
    )
    load_data(SourceSpec(endpoint=spec, graph=new_graph), [data])
    with stores.open_store(spec, graph=new_graph) as store:
        fetched = store.fetch()
    assert set(fetched) == set(load_graph([data]))


def test_fetching_virtuoso_needs_a_graph(virtuoso):
    spec = stores.endpoint_spec(virtuoso.url, server="virtuoso")
    with pytest.raises(stores.StoreError) as caught, stores.open_store(spec) as store:
        store.fetch()
    assert str(caught.value) == (
        "virtuoso has no default graph of its own (its queries see every graph): name a graph "
        "with --graph IRI"
    )
