"""OWL 2 RL in a SPARQL server: the closure computed there by SPARQL updates, and kept in an
inference graph of the server's own, beside the stated data and never mixed with them.

As for an embedded store (mktgraph.inferred), the inferences of a stated graph (a named graph,
or the server's default graph) live in ``urn:mktgraph:inferred:<uuid>``, and the graph
``urn:mktgraph:inferences`` points to the current one. A run registers its staging graph there
first (the first write: a server that refuses updates is found out before any work), writes
the closure into it, and adopts it by one update of the pointers. A timeout, an inconsistency,
Ctrl-C or SIGTERM drop the staging graph and its delta graphs; after a kill, the next run finds
the registration and drops what was left. Two runs on one graph at once are not supported.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mktgraph import inferred
from mktgraph.errors import InputError, UsageError

if TYPE_CHECKING:
    from rdflib import Graph

    from mktgraph.reason import ReasoningResult
    from mktgraph.stores.http import HttpStore

META = inferred.META_GRAPH.value
# The pointers' subject for the server's default graph (a named graph is its own subject).
DEFAULT_SUBJECT = "urn:mktgraph:defaultGraph"
CURRENT = "urn:mktgraph:inferenceGraph"
STALE = "urn:mktgraph:inferencesStale"
REASONER = "urn:mktgraph:inferenceReasoner"
# A run's staging graph, from its first write until it is adopted or dropped.
STAGING = "urn:mktgraph:inferenceStaging"
# An inference graph replaced by a newer one, until it is dropped.
RETIRED = "urn:mktgraph:inferenceRetired"
DELTA_PREFIX = "urn:mktgraph:rl:delta:"
CLEANUP_SECONDS = 60.0  # for dropping a staging graph after a failure


def needs_named_graph(store: HttpStore) -> str | None:
    """Why reasoning over ``store`` needs --graph (one line), or None: a server whose queries
    see every graph by default (Virtuoso) has no default graph of its own to reason over."""
    if store.graph is None and store.union_default_graph():
        return (
            f"{store.layout.server} has no default graph of its own (its queries see every "
            "graph, the inferences too): name the graph of the data with --graph IRI"
        )
    return None


class ServerInferences:
    """The inference bookkeeping of one stated graph of a server (its ``store.graph``, or the
    default graph), through SPARQL queries and updates that name every graph they read."""

    def __init__(self, store: HttpStore, timeout: float | None = None) -> None:
        from mktgraph.stores.http import HttpStore

        self.store = store
        spec = store.spec if timeout is None else dataclasses.replace(store.spec, timeout=timeout)
        # Without the store's graph as the queries' default graph: these queries name each graph
        # (the protocol's default-graph-uri would hide every other graph from them).
        self.raw = HttpStore(spec)
        self.raw._union = store._union
        # The stated graph as the queries' default graph (the store's own, with this timeout).
        self.on_stated = HttpStore(spec, graph=store.graph)
        self.stated = store.graph
        self.subject = store.graph or DEFAULT_SUBJECT

    # -- requests -----------------------------------------------------------------------------

    def select(self, text: str, source: str = "reasoning") -> list[tuple]:
        """The rows of a SELECT query that names its graphs (pyoxigraph terms)."""
        return paged(self.raw, text, source)

    def select_stated(self, text: str, source: str = "reasoning") -> list[tuple]:
        """The rows of a SELECT query over the stated graph as its default graph."""
        return paged(self.on_stated, text, source)

    def update(self, text: str) -> None:
        self.raw._update(text)  # the store's SPARQL Update call (stores/http.py)

    @contextlib.contextmanager
    def within(self, seconds: float) -> Iterator[None]:
        """Each request meanwhile gets at most ``seconds`` to be answered."""
        with self.raw._deadline(max(1.0, seconds)), self.on_stated._deadline(max(1.0, seconds)):
            yield

    def _objects(self, predicate: str) -> list[str]:
        rows = self.select(
            f"SELECT ?o WHERE {{ GRAPH <{META}> {{ <{self.subject}> <{predicate}> ?o }} }}",
            "inference graph",
        )
        return sorted(row[0].value for row in rows if row[0] is not None)

    # -- the pointers -------------------------------------------------------------------------

    def current(self) -> str | None:
        """The stated graph's current inference graph, or None."""
        found = self._objects(CURRENT)
        return found[0] if found else None

    def is_stale(self) -> bool:
        """Whether data were loaded after the current inferences were made."""
        return bool(self._objects(STALE))

    def mark_stale(self) -> None:
        """Note that the data changed (a no-op without inferences)."""
        s = self.subject
        self.update(
            f'INSERT {{ GRAPH <{META}> {{ <{s}> <{STALE}> "true" }} }} WHERE {{ GRAPH <{META}> '
            f"{{ <{s}> <{CURRENT}> ?g }} FILTER NOT EXISTS {{ GRAPH <{META}> "
            f"{{ <{s}> <{STALE}> ?x }} }} }}"
        )

    def register(self, staging: str) -> None:
        """Note ``staging`` as this run's graph (the run's first write)."""
        self.update(
            f"INSERT DATA {{ GRAPH <{META}> {{ <{self.subject}> <{STAGING}> <{staging}> }} }}"
        )

    def adopt(self, staging: str, reasoner: str) -> None:
        """Make ``staging`` the current inference graph in one update, then drop the old one."""
        s = self.subject
        old = self.current()
        retire = f"<{s}> <{RETIRED}> <{old}> ." if old and old != staging else ""
        self.update(
            f"DELETE {{ GRAPH <{META}> {{ <{s}> ?p ?o }} }} WHERE {{ GRAPH <{META}> "
            f"{{ <{s}> ?p ?o FILTER(?p IN (<{CURRENT}>, <{STALE}>, <{REASONER}>) || "
            f"(?p = <{STAGING}> && ?o = <{staging}>)) }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{META}> {{ <{s}> <{CURRENT}> <{staging}> . "
            f'<{s}> <{REASONER}> "{reasoner}" . {retire} }} }}'
        )
        self.drop_leftovers()

    def remove(self) -> int:
        """Drop the stated graph's inferences; how many triples they held."""
        graph = self.current()
        count = self.size(graph) if graph else 0
        if graph:
            s = self.subject
            self.update(
                f"DELETE {{ GRAPH <{META}> {{ <{s}> ?p ?o }} }} WHERE {{ GRAPH <{META}> "
                f"{{ <{s}> ?p ?o FILTER(?p IN (<{CURRENT}>, <{STALE}>, <{REASONER}>)) }} }} ;\n"
                f"INSERT DATA {{ GRAPH <{META}> {{ <{s}> <{RETIRED}> <{graph}> }} }}"
            )
        self.drop_leftovers()
        return count

    def drop_leftovers(self) -> list[str]:
        """Drop staging graphs of runs that did not finish, and replaced inference graphs."""
        dropped = []
        for predicate in (STAGING, RETIRED):
            for graph in self._objects(predicate):
                self.drop_run(graph, predicate)
                dropped.append(graph)
        return dropped

    def drop_run(self, graph: str, predicate: str = STAGING, *, forget: bool = True) -> None:
        """Drop ``graph`` and its delta graphs, then (with ``forget``) its registration."""
        for name in (graph, *_where(self.stated, graph).delta_graphs()):
            self.update(f"DROP SILENT GRAPH <{name}>")
        if forget:
            self.update(
                f"DELETE DATA {{ GRAPH <{META}> {{ <{self.subject}> <{predicate}> <{graph}> }} }}"
            )

    def size(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0][0].value)

    def drop(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")


def paged(store: HttpStore, text: str, source: str) -> list[tuple]:
    """Every row of a SELECT answer: where the server cut it at its row cap (Virtuoso's
    ResultSetMaxRows), asked again in pages ordered by every projected variable."""
    names, rows = store.select_terms(text, source)
    cap = store.layout.row_cap
    if cap is None or len(rows) < cap or not names:
        return rows
    order = " ".join(f"?{name}" for name in names)
    rows, offset = [], 0
    while True:
        if store.layout.order_in_subquery:
            ordered = f"SELECT * WHERE {{ {{ {text} }} }} ORDER BY {order}"
            page = f"SELECT * WHERE {{ {{ {ordered} }} }} LIMIT {cap} OFFSET {offset}"
        else:
            page = f"SELECT * WHERE {{ {{ {text} }} }} ORDER BY {order} LIMIT {cap} OFFSET {offset}"
        found = store.select_terms(page, source)[1]
        rows += found
        if len(found) < cap:
            return rows
        offset += cap


def _where(stated: str | None, staging: str):
    from mktgraph import rl

    run = staging.rsplit(":", 1)[-1]
    return rl.Where(stated=stated, deltas=f"{DELTA_PREFIX}{run}")


class _Backend:
    """The closure's Backend in a server: each request within the run's deadline."""

    def __init__(self, server: ServerInferences, deadline: float | None) -> None:
        self.server, self.deadline = server, deadline

    def _within(self):
        if self.deadline is None:
            return contextlib.nullcontext()
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the OWL 2 RL closure did not finish in time")
        return self.server.within(left)

    def update(self, text: str) -> None:
        with self._within():
            self.server.update(text)

    def drop(self, graph: str) -> None:
        with self._within():
            self.server.drop(graph)

    def size(self, graph: str) -> int:
        with self._within():
            return self.server.size(graph)


def reasoning_graphs(store: HttpStore) -> list[str]:
    """The graphs `query --reason` and `validate --reason` read on a server: the stated graph
    and its inference graph. A UsageError where they cannot be read together (the default
    graph: a query cannot name it beside another graph), an InputError when there are no
    inferences, a StoreWarning when they are stale."""
    from mktgraph.stores import StoreWarning
    from mktgraph.stores.redact import redact_url

    if store.graph is None:
        raise UsageError(
            "with --endpoint, --reason reads the data's graph and its inference graph together, "
            "which a query can only do for named graphs: load the data into one (--graph IRI)"
        )
    server = ServerInferences(store)
    graph = server.current()
    where = f"{redact_url(store.spec.url)} --graph {store.graph}"
    if graph is None:
        raise InputError(
            f"graph <{store.graph}> holds no inferences; make them with "
            f"`mktgraph reason --endpoint {where}`"
        )
    if server.is_stale():
        warnings.warn(
            StoreWarning(
                f"graph <{store.graph}>: data were loaded after the inferences were made; run "
                f"`mktgraph reason --endpoint {where}` to bring them up to date"
            ),
            stacklevel=2,
        )
    return [store.graph, graph]


def mark_stale(store: HttpStore) -> None:
    """After a load into ``store``'s graph: its inferences (if any) are stale."""
    from mktgraph.stores import StoreError, StoreWarning

    if not store.layout.update_url:
        return  # no updates: no inferences could have been kept there either
    try:
        ServerInferences(store).mark_stale()
    except StoreError as error:  # the load itself went through: say so, not fail
        warnings.warn(
            StoreWarning(f"the graph's inferences, if any, could not be marked stale: {error}"),
            stacklevel=2,
        )


def remove_inferences(store: HttpStore) -> int:
    """Drop the inferences of ``store``'s graph; how many triples they held."""
    server = ServerInferences(store)
    _writable(server)
    return server.remove()


def _writable(server: ServerInferences) -> None:
    """Nothing, where the server takes updates; else a UsageError saying so, in one line."""
    from mktgraph.stores import StoreError
    from mktgraph.stores.layout import require

    require(server.store.layout.update_url, "SPARQL Update endpoint", "--update-endpoint")
    try:
        server.update(f"INSERT DATA {{ GRAPH <{META}> {{ <{META}> <{CURRENT}> <{META}> }} }}")
        server.update(f"DELETE DATA {{ GRAPH <{META}> {{ <{META}> <{CURRENT}> <{META}> }} }}")
    except StoreError as error:
        raise UsageError(
            f"the server refuses updates, so no inferences can be kept there (a read-only "
            f"server, or a user without write access): {error}"
        ) from None


def reason_server(store: HttpStore, *, timeout: float) -> ReasoningResult:
    """OWL 2 RL over a server's graph, inside the server, kept in its inference graph (see the
    module docstring). The stated data are never changed; an inconsistency (exit 1, explained)
    or a timeout (exit 2) leaves the graph's inferences as they were."""
    from mktgraph import reason as reasoning
    from mktgraph import rl
    from mktgraph.errors import Terminated
    from mktgraph.stores.http import StoreTimeout

    started = time.monotonic()
    why = needs_named_graph(store)
    if why:
        raise UsageError(why)
    deadline = started + timeout
    server = ServerInferences(store, timeout=timeout)
    _writable(server)
    server.drop_leftovers()
    staging = inferred.fresh_graph().value
    where = _where(server.stated, staging)
    server.register(staging)
    adopted = False
    try:
        count = _individuals(server)
        schema = _schema(server.on_stated)
        unsatisfiable, ontology_check = reasoning.check_schema_once(schema, timeout)
        rules = rl.compile_rules(schema)
        backend = _Backend(server, deadline)
        outcome = _close(server, backend, rules, staging, where, timeout, deadline)
        choice = "inside the server, by SPARQL updates"
        result = reasoning._rl_result(outcome, choice, count, ontology_check, unsatisfiable)
        if result.consistent:
            result.tallies = _tallies(server, staging)
            server.adopt(staging, "rl")
            adopted = True
        else:
            _clean_up(server, staging, forget=True)
            result.problems = [reasoning._problem_from_json(p) for p in outcome["problems"]]
            result.involved = sorted({i for p in result.problems for i in p.individuals})
        result.seconds = time.monotonic() - started
        return result
    except BaseException as error:
        if not adopted:
            # A request cut off by a timeout or a signal may still be applied by the server
            # after the drop: the registration stays, so that the next run drops it again.
            cut_off = isinstance(error, (StoreTimeout, TimeoutError, KeyboardInterrupt, Terminated))
            _clean_up(server, staging, forget=not cut_off)
        if isinstance(error, (StoreTimeout, TimeoutError)):
            raise reasoning.ReasonerFailed(
                f"OWL 2 RL did not finish within {timeout:g} s (--timeout); nothing was kept, "
                "the graph's inferences are as they were"
            ) from None
        raise


def _clean_up(server: ServerInferences, staging: str, *, forget: bool) -> None:
    """Drop what a run that was not adopted wrote (Ctrl-C ignored meanwhile); with ``forget``,
    its registration too."""
    from mktgraph.stores import StoreError
    from mktgraph.stores.http import _uninterrupted

    with _uninterrupted(), server.within(CLEANUP_SECONDS), contextlib.suppress(StoreError):
        server.drop_run(staging, forget=forget)


def _close(server, backend, rules, staging: str, where, timeout: float, deadline: float) -> dict:
    """The closure into ``staging`` and the contradiction checks: the outcome as
    reason.close_in_store gives it."""
    from mktgraph import rl

    def known(pattern: str) -> str:
        return f"{{ {where.pattern(pattern)} UNION {{ GRAPH <{staging}> {{ {pattern} }} }} }}"

    def select(text: str) -> list[tuple]:
        with backend._within():
            return server.select(text, "consistency check")

    bad = rl.suspects_in(_stated_select(server, backend), rl._ill_typed_queries(), rules)
    if bad:
        return _inconsistent(server, bad)
    checks = rl._check_queries(rules, literals=False, known=known)
    figures = rl.close_in(backend, rules, staging, where, deadline, propagate_equality=False)
    found = rl.suspects_in(select, checks, rules)
    if not found and _has_equalities(select, staging):
        backend.drop(staging)
        figures = rl.close_in(backend, rules, staging, where, deadline, propagate_equality=True)
        found = rl.suspects_in(select, checks, rules)
    if not found:
        return {"status": "ok", "closure": figures}
    backend.drop(staging)
    return {**_inconsistent(server, found), "closure": figures}


def _stated_select(server: ServerInferences, backend: _Backend):
    """A select over the stated graph as the queries' default graph (the store's own)."""

    def select(text: str) -> list[tuple]:
        with backend._within():
            return server.select_stated(text, "consistency check")

    return select


def _has_equalities(select, graph: str) -> bool:
    same = "<http://www.w3.org/2002/07/owl#sameAs>"
    rows = select(
        f"SELECT ?a WHERE {{ GRAPH <{graph}> {{ ?a {same} ?b FILTER(!sameTerm(?a, ?b)) }} }} "
        "LIMIT 1"
    )
    return bool(rows)


def _individuals(server: ServerInferences) -> int:
    """Named individuals of the stated graph, as reason.store_individuals counts them."""
    from mktgraph.reason import _META_TYPES, _NOT_INFERRED_TYPES

    # The types left out as strings: with a long NOT IN list of IRIs, Virtuoso's cost
    # estimate refuses the query ("estimated execution time exceeds the limit").
    left_out = ", ".join(f'"{t}"' for t in sorted(map(str, _META_TYPES | _NOT_INFERRED_TYPES)))
    rows = server.select(
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { "
        + rl_where(server.stated)("?x a ?c")
        + f" FILTER(isIRI(?x) && STR(?c) NOT IN ({left_out})) }}",
        "individual count",
    )
    return int(rows[0][0].value)


def rl_where(stated: str | None):
    """``pattern`` -> the pattern matched against the stated graph."""
    from mktgraph import rl

    return rl.Where(stated=stated).pattern


def _schema(store: HttpStore) -> Graph:
    """The schema triples of the server's graph (the ontology and any axioms loaded with the
    data), with the bundled ontology's where the graph does not hold it."""
    from mktgraph import reason as reasoning
    from mktgraph import rl
    from mktgraph.sources import _ONTOLOGY_HEADER

    answer = store.query(reasoning.schema_query(), "schema")
    graph = rl.schema_of(answer.graph)
    if not store.query(_ONTOLOGY_HEADER, "ontology check").askAnswer:
        from mktgraph.graph import load_ontology

        graph += rl.schema_of(load_ontology())
    return graph


def _tallies(server: ServerInferences, graph: str) -> list[tuple[str, str, int]]:
    from rdflib.namespace import RDF

    from mktgraph.namespaces import shorten

    rows = server.select(
        f"SELECT ?kind ?term (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
        f"BIND(IF(?p = <{RDF.type}>, 'type', 'property value') AS ?kind) "
        f"BIND(IF(?p = <{RDF.type}>, ?o, ?p) AS ?term) }} GROUP BY ?kind ?term",
        "inference counts",
    )
    tallies = [(r[0].value, r[1].value, int(r[2].value)) for r in rows]
    return sorted(tallies, key=lambda r: (r[0] != "type", -r[2], shorten(r[1])))


def _inconsistent(server: ServerInferences, found: list) -> dict:
    """The outcome for nodes a check found in a contradiction, diagnosed from the stated facts
    about them and their neighbours (fetched by one CONSTRUCT per few nodes)."""
    from mktgraph import reason as reasoning
    from mktgraph import rl
    from mktgraph.graph import load_ontology, term_converter

    convert = term_converter()
    asserted = _neighbourhood(server, found)
    for triple in rl.schema_of(load_ontology()) + rl.schema_of(asserted):
        asserted.add(triple)
    problems = reasoning._diagnose(asserted) or [
        {
            "why": "the OWL 2 RL checks found a contradiction they could not trace to facts",
            "individuals": [reasoning._term_text(convert(x)) for x in found],
            "facts": [],
        }
    ]
    return {"status": "inconsistent", "problems": problems}


def _neighbourhood(server: ServerInferences, nodes: list) -> Graph:
    """The stated triples about ``nodes`` (IRIs) and their neighbours, as an rdflib Graph."""
    from rdflib import Graph

    graph = Graph()
    named = [n for n in nodes if getattr(n, "value", None) and type(n).__name__ == "NamedNode"]
    if not named:
        return graph
    listed = " ".join(f"<{n.value}>" for n in named)
    # VALUES in each branch: Virtuoso loses the rows of a BIND of a variable VALUES gives.
    text = (
        f"CONSTRUCT {{ ?n ?p ?o }} WHERE {{ {{ VALUES ?n {{ {listed} }} ?n ?p ?o }} UNION "
        f"{{ VALUES ?x {{ {listed} }} ?x ?q ?n FILTER(!isLiteral(?n)) ?n ?p ?o }} UNION "
        f"{{ VALUES ?x {{ {listed} }} ?n ?q ?x . ?n ?p ?o }} }}"
    )
    answer = server.on_stated.query(text, "consistency explanation")
    for triple in answer.graph:
        graph.add(triple)
    return graph
