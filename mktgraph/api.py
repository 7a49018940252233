"""The library functions the CLI commands call: one per command, each taking plain values."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.query import Result

from mktgraph import graph as graphs
from mktgraph import queries


def run_query(
    name_or_file: str,
    data: Iterable[str] = (),
    params: dict[str, str] | None = None,
    *,
    example: bool = False,
    allow_service: bool = False,
    reason: bool = False,
    reasoner: str | None = None,
) -> Result:
    """Run a named query (or a .rq file) over the bundled ontology plus the given data
    (plus, with ``reason``, what ``reasoner`` infers from them)."""
    named = queries.get_query(name_or_file)
    text = queries.bind_parameters(named, params or {})
    source = (
        str(named.path) if named.path and named.name not in queries.named_queries() else named.name
    )
    queries.check_query(text, source, allow_service=allow_service)
    graph = graphs.load_with_ontology(data, example=example)
    if reason:
        from mktgraph.reason import with_inferences

        graph = with_inferences(graph, reasoner)
    return queries.run(text, graph, source, allow_service=allow_service)


def export_graph(
    data: Iterable[str] = (), fmt: str = "turtle", *, example: bool = False, ontology: bool = True
) -> str:
    """The ontology (unless ``ontology`` is false) plus data, serialised in ``fmt``."""
    from mktgraph.export import serialize

    return serialize(graphs.load_with_ontology(data, example=example, ontology=ontology), fmt)
