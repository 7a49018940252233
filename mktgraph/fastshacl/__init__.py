"""Fast SHACL validation of an embedded store: SHACL Core compiled to SPARQL, equal to pySHACL.

``validate_store`` gives the same results as ``mktgraph.validate`` (pySHACL with the ontology as
its ontology graph and the same inference) on the data held in an embedded store, without copying
the store into memory. A shape that uses something the compiler does not cover is validated by
pySHACL instead, and the result says which shapes and why (``fallback``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph

    from mktgraph.fastshacl.runner import QueryRunner
    from mktgraph.stores.http import HttpStore
    from mktgraph.validate import ReportTriples, ValidationRow


@dataclass
class FastReport:
    """A validation report of the fast path: its rows and triples, and how it was made; the
    standard report graph (``report``) is built when first read."""

    conforms: bool
    rows: list[ValidationRow] = field(repr=False)
    report_triples: ReportTriples = field(repr=False)
    results: int
    inference: str
    fallback: list[tuple[str, str]] = field(default_factory=list)  # (shape, why) left to pySHACL
    queries: int = 0

    @property
    def report(self) -> Graph:
        """The sh:ValidationReport as an rdflib Graph."""
        return self.report_triples.graph()


def validate_store(
    store: ox.Store,
    shapes: Graph,
    *,
    inference: str = "rdfs",
    warn: Callable[[str], None] | None = None,
    derived_integers_collapsed: bool | None = None,
    extra_graphs: Sequence[ox.NamedNode] = (),
) -> FastReport:
    """Validate the default graph of a pyoxigraph store (data plus ontology) against ``shapes``;
    ``extra_graphs`` (the store's inferences, for --reason) are read as part of it.

    ``inference`` is pySHACL's: "none" or "rdfs" run on the fast path; "owlrl" (or anything the
    fast path cannot reproduce) makes pySHACL validate, and ``warn`` is told why.
    """
    from mktgraph.fastshacl.runner import StoreRunner

    if derived_integers_collapsed is None:
        from mktgraph.stores.embedded import EmbeddedStore

        derived_integers_collapsed = EmbeddedStore.collapsed_in(store)
    return validate_runner(
        StoreRunner(store, extra=extra_graphs),
        shapes,
        inference=inference,
        warn=warn,
        derived_integers_collapsed=derived_integers_collapsed,
    )


def validate_runner(
    runner: QueryRunner,
    shapes: Graph,
    *,
    inference: str = "rdfs",
    warn: Callable[[str], None] | None = None,
    derived_integers_collapsed: bool = False,
    unskolemise: bool = False,
) -> FastReport:
    """Validate the graph a query runner reaches (an embedded or in-memory store, or a SPARQL
    server) against ``shapes``: the compiled queries run where the graph is. A shape the
    compiler does not cover is validated by pySHACL over the graph (``warn`` says which and
    why); a query the server refuses raises ``CompiledQueryError`` naming the shape. With
    ``unskolemise``, the skolem IRIs a server's blank nodes travel as are blank nodes again in
    the report (mktgraph.stores.chunks)."""
    from mktgraph.fastshacl.engine import Engine, Unsupported, evaluate_all, term_converter
    from mktgraph.fastshacl.report import ReportBuilder
    from mktgraph.fastshacl.shapes import ShapesModel
    from mktgraph.namespaces import shorten
    from mktgraph.validate import sorted_rows

    model = ShapesModel(shapes)
    targets = model.target_shapes()
    say = warn or (lambda _message: None)
    if inference not in ("none", "rdfs"):
        fallback = [(shape, f"{inference} inference") for shape in targets]
        engine = None
    else:
        engine = Engine(
            runner, model, inference, derived_integers_collapsed=derived_integers_collapsed
        )
        try:
            engine.schema  # noqa: B018 (reads the RDFS statements; may refuse meta-modelling)
            results, fallback = evaluate_all(engine, targets)
        except Unsupported as why:
            results, fallback = [], [(shape, str(why)) for shape in targets]
    builder = ReportBuilder(
        model,
        runner,
        engine.to_rdflib if engine else term_converter(),
        unskolemise=unskolemise,
    )
    builder.add_results(results if engine else [])
    for note in sorted(engine.notes) if engine else ():
        say(note)
    named = [(shorten(str(shape.node)), why) for shape, why in fallback]
    if fallback:
        reasons = {why for _name, why in named}
        if len(named) == len(targets) > 1 and len(reasons) == 1:
            say(f"fast validation does not cover {reasons.pop()}; pySHACL validates every shape")
        else:
            for name, why in named:
                say(f"fast validation does not cover {why} in shape {name}; pySHACL validates it")
        builder.merge(_pyshacl_report(runner, model, fallback, inference))
    count = builder.count
    return FastReport(
        conforms=count == 0,
        rows=sorted_rows(builder.rows),
        report_triples=builder.finish(),
        results=count,
        inference=inference,
        fallback=named,
        queries=engine.queries_run if engine else 0,
    )


def _pyshacl_report(runner: QueryRunner, model, fallback, inference: str) -> Graph:
    """pySHACL's report for only the shapes in ``fallback``, over the graph as written."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF, RDFS, SH

    from mktgraph.fastshacl.shapes import TARGET_PREDICATES

    keep = {shape.node for shape, _why in fallback}
    shapes = Graph()
    for triple in model.graph:
        shapes.add(triple)
    for shape in model.target_shapes():
        if shape.node in keep:
            continue
        # The fast path did this shape: take away its targets so pySHACL skips it.
        for predicate in (*TARGET_PREDICATES, SH.target):
            shapes.remove((shape.node, predicate, None))
        for kind in list(shapes.objects(shape.node, RDF.type)):
            if kind == RDFS.Class or (kind, RDFS.subClassOf, RDFS.Class) in shapes:
                shapes.remove((shape.node, RDF.type, kind))
    _conforms, report, _text = pyshacl.validate(
        # Without inference, only the triples the shapes read; RDFS may entail them from any.
        runner.graph(needed_predicates(shapes, keep) if inference == "none" else None),
        shacl_graph=shapes,
        inference=inference,
        abort_on_first=False,
        meta_shacl=False,
        advanced=False,
    )
    return report


def needed_predicates(shapes: Graph, nodes) -> set[str] | None:
    """The predicates whose triples pySHACL needs to validate the shapes ``nodes``: those of
    their paths and property pairs, with rdf:type and rdfs:subClassOf (classes); None when a
    shape needs every triple of its focus nodes (sh:closed)."""
    from rdflib import URIRef
    from rdflib.namespace import RDF, RDFS, SH

    wanted = {str(RDF.type), str(RDFS.subClassOf)}
    seen: set = set()
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, obj in shapes.predicate_objects(node):
            if predicate == SH.closed:
                return None
            if predicate in (
                SH.path,
                SH.inversePath,
                SH.zeroOrMorePath,
                SH.oneOrMorePath,
                SH.zeroOrOnePath,
                SH.alternativePath,
                SH.equals,
                SH.disjoint,
                SH.lessThan,
                SH.lessThanOrEquals,
                SH.targetSubjectsOf,
                SH.targetObjectsOf,
                RDF.first,
            ) and isinstance(obj, URIRef):
                wanted.add(str(obj))
            todo.append(obj)  # nested shapes, lists and paths (an IRI may be a shape)
    return wanted


def validate_endpoint(
    store: HttpStore,
    shapes: Graph,
    *,
    inference: str = "rdfs",
    warn: Callable[[str], None] | None = None,
    unskolemise: bool = False,
) -> tuple[FastReport, int]:
    """Validate a server's graph where it is: the compiled queries go to the server, and only
    their answers come back (never the graph, but the triples pySHACL needs for a shape the
    compiler does not cover). The report, and the bytes received from the server. With
    ``unskolemise``, blank nodes in the report as files and a store show them (not the skolem
    IRIs they travel as)."""
    from mktgraph.fastshacl.runner import HttpRunner

    before = store.bytes_received
    fast = validate_runner(
        HttpRunner(store), shapes, inference=inference, warn=warn, unskolemise=unskolemise
    )
    return fast, store.bytes_received - before
