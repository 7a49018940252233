"""Where the fast validator's SPARQL runs: a pyoxigraph store (embedded or in memory) or any SPARQL
1.1 server, behind one small query-runner interface."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from mktgraph.fastshacl import lexical

if TYPE_CHECKING:
    from rdflib import Graph

    from mktgraph.stores.http import HttpStore

Row = Sequence[Any]  # pyoxigraph terms (or None), in the order of the SELECT's variables


class CompiledQueryError(Exception):
    """A server refused a compiled query (a gap in its SPARQL dialect)."""


class QueryRunner(Protocol):
    """Runs the compiled SELECT queries over one graph (data plus ontology)."""

    #: where the graph is, for messages
    where: str

    def select(self, text: str) -> Iterable[Row]: ...

    def blank_node_triples(self, node: Any) -> list[tuple[Any, Any]]:
        """The (predicate, object) pairs of a blank node of the data, for the report (pySHACL
        copies a blank focus node's description into it); empty where nodes cannot be named."""
        ...

    def graph(self) -> Graph:
        """The whole graph as an rdflib Graph, as written (for shapes pySHACL validates)."""
        ...


def _decoded_pairs(quads: Iterable[ox.Quad]) -> list[tuple[Any, Any]]:
    return [(quad.predicate, quad.object) for quad in quads]


class StoreRunner:
    """A pyoxigraph store: the embedded store's, or one in memory (``MemoryRunner``)."""

    def __init__(self, store: ox.Store, where: str = "the store") -> None:
        self.store = store
        self.where = where

    def select(self, text: str) -> Iterable[Row]:
        return self.store.query(text)

    def blank_node_triples(self, node: Any) -> list[tuple[Any, Any]]:
        default = ox.DefaultGraph()
        pairs = []
        for quad in self.store.quads_for_pattern(node, None, None, default):
            recorded = any(
                True
                for _ in self.store.quads_for_pattern(
                    node, quad.predicate, quad.object, lexical.CANONICALISED
                )
            )
            if not recorded:
                pairs.append((quad.predicate, quad.object))
        for quad in self.store.quads_for_pattern(node, None, None, lexical.AS_WRITTEN):
            pairs.append((quad.predicate, quad.object))
        return pairs

    def graph(self) -> Graph:
        from rdflib import Graph

        from mktgraph.graph import to_rdflib

        graph = Graph()
        add = graph.add
        for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            recorded = isinstance(quad.object, ox.Literal) and any(
                True
                for _ in self.store.quads_for_pattern(
                    quad.subject, quad.predicate, quad.object, lexical.CANONICALISED
                )
            )
            if not recorded:
                add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        for quad in self.store.quads_for_pattern(None, None, None, lexical.AS_WRITTEN):
            obj = lexical.decode(quad.object)
            add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(obj)))
        return graph


def load_with_records(
    store: ox.Store, quads: Iterable[ox.Quad], recorder: lexical.Recorder | None = None
) -> int:
    """Add quads to a store's default graph with the records of the literals it rewrites; how
    many triples were rewritten. (The store held nothing these quads could meet before.)"""
    recorder = recorder or lexical.Recorder()
    default = ox.DefaultGraph()
    store.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, default) for q in recorder.watch(quads)
    )
    return recorder.add_to(store)


class MemoryRunner(StoreRunner):
    """Data files or an rdflib Graph in a pyoxigraph store in memory, lexical forms recorded."""

    def __init__(self, store: ox.Store, where: str = "the data") -> None:
        super().__init__(store, where)

    @classmethod
    def from_files(cls, paths: Sequence[str | Path], ontology: bool = False) -> MemoryRunner:
        """The files (and with ``ontology`` the bundled ontology) as one graph: blank nodes of
        different files kept apart, as an RDF merge."""
        from mktgraph import resources
        from mktgraph.graph import _ox_format, format_for

        files = [Path(p) for p in paths]
        if ontology:
            files = list(resources.ontology_files()) + files
        store = ox.Store()
        recorder = lexical.Recorder()

        def quads() -> Iterator[ox.Quad]:
            for index, path in enumerate(files):
                renamed: dict[Any, ox.BlankNode] = {}

                def rename(term, renamed=renamed, index=index):
                    if type(term) is not ox.BlankNode:
                        return term
                    fresh = renamed.get(term)
                    if fresh is None:
                        fresh = renamed[term] = ox.BlankNode(f"f{index}x{len(renamed)}")
                    return fresh

                for quad in ox.parse(
                    path=str(path),
                    format=_ox_format(format_for(path)),
                    base_iri=path.resolve().as_uri(),
                ):
                    yield ox.Quad(rename(quad.subject), quad.predicate, rename(quad.object))

        load_with_records(store, quads(), recorder)
        return cls(store, ", ".join(str(p) for p in paths) or "the data")

    @classmethod
    def from_graph(cls, graph: Graph) -> MemoryRunner:
        """An rdflib Graph, literals as rdflib holds them (as written)."""
        store = ox.Store()
        load_with_records(store, (ox.Quad(*map(to_oxigraph, t)) for t in graph))
        return cls(store, "the graph")


class HttpRunner:
    """A graph in a SPARQL 1.1 server, through ``mktgraph.stores.http.HttpStore``: only the
    compiled queries go out and only their answers come back."""

    def __init__(self, store: HttpStore) -> None:
        self.http = store
        self.where = store.spec.url
        self._lock = threading.Lock()

    @property
    def bytes_received(self) -> int:
        return self.http.bytes_received

    def select(self, text: str) -> Iterable[Row]:
        from mktgraph.stores import StoreError

        try:
            return self.http.select_terms(text)
        except StoreError as error:
            raise CompiledQueryError(str(error)) from None

    def blank_node_triples(self, node: Any) -> list[tuple[Any, Any]]:
        reference = self.http.blank_node_reference(node)
        if reference is None:
            return []
        rows = self.select(f"SELECT ?p ?o WHERE {{ {reference} ?p ?o }}")
        return [(row[0], row[1]) for row in rows]

    def graph(self) -> Graph:
        return self.http.fetch()


def to_oxigraph(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term, literals as written."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
