"""Where the fast validator's SPARQL runs: a pyoxigraph store (embedded or in memory) or any SPARQL
1.1 server, behind one small query-runner interface."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from mktgraph.fastshacl import lexical
from mktgraph.stores import StoreError
from mktgraph.stores.chunks import GENID, skolem_iri

if TYPE_CHECKING:
    from rdflib import Graph

    from mktgraph.stores.http import HttpStore

Row = Sequence[Any]  # pyoxigraph terms (or None), in the order of the SELECT's variables


class CompiledQueryError(StoreError):
    """A server refused a compiled query (a gap in its SPARQL dialect): exit 2."""


class QueryRunner(Protocol):
    """Runs the compiled SELECT queries over one graph (data plus ontology)."""

    #: where the graph is, for messages
    where: str

    def select(self, text: str) -> Iterable[Row]: ...

    def blank_node_triples(self, node: Any) -> list[tuple[Any, Any]]:
        """The (predicate, object) pairs of a blank node of the data, for the report (pySHACL
        copies a blank focus node's description into it); empty where nodes cannot be named."""
        ...

    def graph(self, predicates: Iterable[str] | None = None) -> Graph:
        """The graph as an rdflib Graph, as written, for the shapes pySHACL validates: the
        triples of ``predicates`` where it is worth leaving out the rest (None: all)."""
        ...


def _decoded_pairs(quads: Iterable[ox.Quad]) -> list[tuple[Any, Any]]:
    return [(quad.predicate, quad.object) for quad in quads]


def held_in_memory(store: ox.Store) -> bool:
    """Whether a pyoxigraph store is held in memory, where looking one triple up costs about
    what reading three does (a hash map), against a seek in RocksDB for a store on disk: the
    engine plans its joins by it. pyoxigraph says so only by refusing to back an in-memory
    store up; asked for a backup under a folder that does not exist, a store on disk fails
    before it writes anything."""
    import tempfile
    import uuid

    target = Path(tempfile.gettempdir()) / f"mktgraph-{uuid.uuid4().hex}" / "none" / "backup"
    try:
        store.backup(str(target))
    except RuntimeError as error:
        return "in-memory" in str(error)
    except (OSError, ValueError):
        return False
    return False


class StoreRunner:
    """A pyoxigraph store: the embedded store's, or one in memory (``MemoryRunner``)."""

    def __init__(
        self,
        store: ox.Store,
        where: str = "the store",
        extra: Iterable[ox.NamedNode] = (),
        *,
        in_memory: bool | None = None,
    ) -> None:
        self.store = store
        self.where = where
        # Named graphs read as part of the default graph: a store's inferences (--reason).
        self.extra = list(extra)
        self.in_memory = held_in_memory(store) if in_memory is None else in_memory

    def select(self, text: str) -> Iterable[Row]:
        try:
            if self.extra:
                return self.store.query(text, default_graph=[ox.DefaultGraph(), *self.extra])
            return self.store.query(text)
        except (SyntaxError, ValueError, OSError, RuntimeError) as error:
            message = " ".join(str(error).split())[:300]
            raise CompiledQueryError(f"{self.where}: {message}") from None

    def _quads(self, subject: Any = None):
        for graph in (ox.DefaultGraph(), *self.extra):
            yield from self.store.quads_for_pattern(subject, None, None, graph)

    def blank_node_triples(self, node: Any) -> list[tuple[Any, Any]]:
        pairs = []
        for quad in self._quads(node):
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

    def graph(self, predicates: Iterable[str] | None = None) -> Graph:
        """The whole graph (in memory anyway: ``predicates`` need not be applied)."""
        from rdflib import Graph

        from mktgraph.graph import to_rdflib

        graph = Graph()
        add = graph.add
        for quad in self._quads():
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
        super().__init__(store, where, in_memory=True)

    @classmethod
    def from_files(cls, paths: Sequence[str | Path], ontology: bool = False) -> MemoryRunner:
        """The files (and with ``ontology`` the bundled ontology) as one graph: blank nodes of
        different files kept apart, as an RDF merge."""
        from mktgraph import resources
        from mktgraph.graph import format_for, ox_format

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
                    format=ox_format(format_for(path)),
                    base_iri=path.resolve().as_uri(),
                ):
                    yield ox.Quad(rename(quad.subject), quad.predicate, rename(quad.object))

        load_with_records(store, quads(), recorder)
        return cls(store, ", ".join(str(p) for p in paths) or "the data")

    @classmethod
    def from_graph(cls, graph: Graph) -> MemoryRunner:
        """An rdflib Graph, literals as rdflib holds them (as written)."""
        store = ox.Store()
        from mktgraph.graph import to_oxigraph

        load_with_records(store, (ox.Quad(*map(to_oxigraph, t)) for t in graph))
        return cls(store, "the graph")


# A node kind test of a variable, in the queries the engine writes.
_NODE_KIND_TEST = re.compile(r"\b(isIRI|isURI|isBlank)\((\?\w+)\)")


def skolem_aware(query: str) -> str:
    """``query`` with its isIRI/isBlank tests of variables seeing the skolem IRIs a load gave
    blank nodes (mktgraph.stores.chunks) as the blank nodes they stand for."""

    def test(match: re.Match) -> str:
        kind, variable = match.groups()
        skolem = f'STRSTARTS(STR({variable}), "{GENID}")'
        if kind == "isBlank":
            return f"(isBlank({variable}) || (isIRI({variable}) && {skolem}))"
        return f"({kind}({variable}) && !{skolem})"

    return _NODE_KIND_TEST.sub(test, query)


def _as_blank_node(term: Any) -> Any:
    if type(term) is ox.NamedNode and term.value.startswith(GENID):
        return ox.BlankNode(term.value[len(GENID) :])
    return term


class HttpRunner:
    """A graph in a SPARQL 1.1 server, through ``mktgraph.stores.http.HttpStore``: only the
    compiled queries go out and only their answers come back. Answers that reach the server's
    row cap (``Layout.row_cap``: Virtuoso's 10,000) are read again in ordered pages."""

    def __init__(self, store: HttpStore) -> None:
        self.http = store
        self.where = store.spec.url
        self.record_graphs = lexical.RecordGraphs.of(store.graph)
        self.layout = store.layout  # the server's dialect
        self._named = (self.record_graphs.as_written, self.record_graphs.canonicalised)
        self.shape_name = threading.local()  # the shape whose query runs, for messages

    @property
    def bytes_received(self) -> int:
        return self.http.bytes_received

    def _select(self, text: str) -> tuple[list[str], list[tuple]]:
        """The answer, the skolem IRIs that blank nodes travel as turned back into blank nodes
        (their node kind tests too: ``skolem_aware``)."""
        try:
            names, rows = self.http.select_terms(
                skolem_aware(text), "validation", named_graphs=self._named
            )
        except StoreError as error:
            raise CompiledQueryError(str(error)) from None
        return names, [tuple(map(_as_blank_node, row)) for row in rows]

    def select(self, text: str) -> Iterable[Row]:
        names, rows = self._select(text)
        layout = self.http.layout
        if layout.row_cap is None or len(rows) < layout.row_cap:
            return rows
        size = layout.row_cap
        # As many rows as the server gives at once: read the answer again in ordered pages.
        order = " ".join(f"?{name}" for name in names)
        rows = []
        offset = 0
        while True:
            if layout.order_in_subquery:
                ordered = f"SELECT * WHERE {{ {{ {text} }} }} ORDER BY {order}"
                page = f"SELECT * WHERE {{ {{ {ordered} }} }} LIMIT {size} OFFSET {offset}"
            else:
                page = (
                    f"SELECT * WHERE {{ {{ {text} }} }} ORDER BY {order} "
                    f"LIMIT {size} OFFSET {offset}"
                )
            _names, found = self._select(page)
            rows += found
            if len(found) < size:
                return rows
            offset += size

    def blank_node_triples(self, node: Any) -> list[tuple[Any, Any]]:
        skolem = skolem_iri(node.value) if type(node) is ox.BlankNode else None
        reference = f"<{skolem}>" if skolem else self.http.blank_node_reference(node)
        if reference is None:
            return []
        graphs = self.record_graphs
        step = lexical.value_step(reference, "?p", "?o", graphs)
        return [(row[0], row[1]) for row in self.select(f"SELECT ?p ?o WHERE {{ {step} }}")]

    def graph(self, predicates: Iterable[str] | None = None) -> Graph:
        """The graph's triples of ``predicates`` (None: every triple), as written where the
        server holds records: what pySHACL needs for the shapes it validates."""
        from rdflib import Graph

        from mktgraph.graph import to_rdflib

        graphs = self.record_graphs
        step = lexical.value_step("?s", "?p", "?o", graphs)
        only = ""
        if predicates is not None:
            only = "VALUES ?p { " + " ".join(f"<{p}>" for p in sorted(predicates)) + " } "
        graph = Graph()
        for row in self.select(f"SELECT ?s ?p ?o WHERE {{ {only}{step} }}"):
            graph.add(tuple(to_rdflib(lexical.decode(term)) for term in row))
        return graph
