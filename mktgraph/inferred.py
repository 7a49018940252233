"""The inference graph of an embedded store: where `reason --store` keeps what follows.

Inferred triples live in a named graph of their own, ``urn:mktgraph:inferred:<uuid>``, never in
the default graph with the stated data. A pointer in the store's bookkeeping graph names the
current one: a new closure is written to a fresh graph and the pointer moved in one update, so
an interrupted run leaves the store as it was (and its half-written graph is dropped by the next
run). Loading data marks the inferences stale; the commands that use them say so.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox

INFERRED_PREFIX = "urn:mktgraph:inferred:"
# Not the store's bookkeeping graph (urn:mktgraph:store), which a new ontology version clears:
# inferences made under an older ontology are stale, not gone.
META_GRAPH = ox.NamedNode("urn:mktgraph:inferences")
_STORE = ox.NamedNode("urn:mktgraph:store")
_CURRENT = ox.NamedNode("urn:mktgraph:inferenceGraph")
_STALE = ox.NamedNode("urn:mktgraph:inferencesStale")
_REASONER = ox.NamedNode("urn:mktgraph:inferenceReasoner")


def current(store: ox.Store) -> ox.NamedNode | None:
    """The store's current inference graph, or None when it has none."""
    for quad in store.quads_for_pattern(_STORE, _CURRENT, None, META_GRAPH):
        if isinstance(quad.object, ox.NamedNode):
            return quad.object
    return None


def is_stale(store: ox.Store) -> bool:
    """Whether data was loaded after the current inferences were made."""
    return any(True for _ in store.quads_for_pattern(_STORE, _STALE, None, META_GRAPH))


def mark_stale(store: ox.Store) -> None:
    """Note that the data changed since the inferences were made (a no-op without any)."""
    if current(store) is not None:
        store.add(ox.Quad(_STORE, _STALE, ox.Literal("true"), META_GRAPH))


def fresh_graph() -> ox.NamedNode:
    """A new, unused name for an inference graph being written."""
    return ox.NamedNode(f"{INFERRED_PREFIX}{uuid.uuid4()}")


def adopt(store: ox.Store, graph: ox.NamedNode, reasoner: str) -> None:
    """Make ``graph`` the store's inference graph in one update, then drop the old one."""
    old = current(store)
    meta, me = META_GRAPH.value, _STORE.value
    store.update(
        f"DELETE {{ GRAPH <{meta}> {{ <{me}> ?p ?o }} }} WHERE {{ GRAPH <{meta}> "
        f"{{ <{me}> ?p ?o FILTER(?p IN (<{_CURRENT.value}>, <{_STALE.value}>, "
        f"<{_REASONER.value}>)) }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{meta}> {{ <{me}> <{_CURRENT.value}> <{graph.value}> . "
        f"<{me}> <{_REASONER.value}> {ox.Literal(reasoner)} }} }}"
    )
    if old is not None and old != graph:
        store.clear_graph(old)
    drop_leftovers(store)


def remove(store: ox.Store) -> int:
    """Drop the store's inferences; how many triples they held."""
    graph = current(store)
    count = 0
    if graph is not None:
        count = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        meta, me = META_GRAPH.value, _STORE.value
        store.update(
            f"DELETE {{ GRAPH <{meta}> {{ <{me}> ?p ?o }} }} WHERE {{ GRAPH <{meta}> "
            f"{{ <{me}> ?p ?o FILTER(?p IN (<{_CURRENT.value}>, <{_STALE.value}>, "
            f"<{_REASONER.value}>)) }} }}"
        )
        store.clear_graph(graph)
    drop_leftovers(store)
    return count


def drop_leftovers(store: ox.Store) -> list[str]:
    """Drop inference graphs that are not the current one (left by an interrupted run)."""
    keep = current(store)
    dropped = []
    for graph in list(store.named_graphs()):
        if (
            isinstance(graph, ox.NamedNode)
            and graph.value.startswith(INFERRED_PREFIX)
            and graph != keep
        ):
            store.remove_graph(graph)
            dropped.append(graph.value)
    return dropped


def count(store: ox.Store) -> int:
    """Triples in the current inference graph (0 without one)."""
    graph = current(store)
    if graph is None:
        return 0
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
