"""Where a graph lives (files, an embedded store, a SPARQL server), behind one protocol.

Every command works on a :class:`GraphSource`: it queries it, validates it, exports it, loads
into it or reasons over it, the same way whatever the source. :func:`open_source` is the one
place that decides which options go together: a source refuses what it cannot do with one line
(a :class:`~mktgraph.errors.UsageError`, exit 2) before any work is done.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, runtime_checkable

from mktgraph.errors import InputError, QueryError, UsageError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

    from mktgraph.queries import CsvAnswer
    from mktgraph.reason import ReasoningResult
    from mktgraph.stores import EndpointSpec, LoadReport, Progress
    from mktgraph.validate import ValidationResult

Warn = Callable[[str], None]  # told what a person should know (the CLI prints "warning: ...")

NO_LOAD_TARGET = "load needs --endpoint URL (a server) or --store DIR (an embedded store)"
_ONTOLOGY_HEADER = (
    "ASK { <https://w3id.org/mktgraph/def> a <http://www.w3.org/2002/07/owl#Ontology> }"
)


@dataclass(frozen=True)
class SourceSpec:
    """Where the graph is, as the source options of every command give it.

    ``data`` (files, or rdflib Graphs from Python) and ``example`` are local data; ``store`` is
    an embedded store's folder; ``endpoint`` a SPARQL server (an ``EndpointSpec`` from
    ``mktgraph.stores.endpoint_spec``, or just its URL) with ``graph`` one of its named graphs.
    ``reason``/``reasoner`` add what an OWL reasoner infers (local data only); ``protocol``
    and ``writable`` are for loading; ``allow_partial`` accepts a server's answer cut at its
    row limit that cannot be paged.
    """

    data: tuple[str | Path | Graph, ...] = ()
    example: bool = False
    store: str | Path | None = None
    endpoint: EndpointSpec | str | None = None
    graph: str | None = None
    reason: bool = False
    reasoner: str | None = None
    protocol: str | None = None
    allow_partial: bool = False
    writable: bool = False

    @property
    def kind(self) -> str:
        """ "files", "store" or "server"."""
        if self.store is not None:
            return "store"
        return "server" if self.endpoint is not None else "files"

    def inputs(self, *more: str | Path | None) -> tuple[str, ...]:
        """What a command on this source reads, which its output must not overwrite: the data
        files, the store, and ``more`` (shapes, a query file; None and "" left out)."""
        items = [str(item) for item in self.data if is_named_file(item)]
        if self.store is not None:
            items.append(str(self.store))
        items += [str(item) for item in more if item]
        return tuple(items)


def is_named_file(item: object) -> bool:
    """Whether a data item names a file (a path, or a DataFile of --input-format), rather than
    being an rdflib Graph."""
    if isinstance(item, str | os.PathLike):
        return True
    # A DataFile exists only once mktgraph.graph is imported: no need to import it (and rdflib).
    graphs = sys.modules.get("mktgraph.graph")
    return graphs is not None and isinstance(item, graphs.DataFile)


# The options that say how to reach a server, in the order their flags are checked.
ENDPOINT_OPTIONS = (
    "server",
    "update_endpoint",
    "gsp_endpoint",
    "user",
    "password_env",
    "auth",
    "timeout",
    "max_response",
)


def source_spec(
    *,
    data: Iterable[str] = (),
    input_format: str | None = None,
    example: bool = False,
    store: str | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    reason: bool = False,
    reasoner: str | None = None,
    **endpoint_options: Any,
) -> SourceSpec:
    """The SourceSpec the source options of a command give (their names as in the CLI, flags
    left unset as None): the data files read as ``input_format`` if given, and the server's
    options (ENDPOINT_OPTIONS) checked (a UsageError names one given without ``endpoint``)."""
    unknown = set(endpoint_options) - set(ENDPOINT_OPTIONS)
    if unknown:
        raise TypeError(f"unknown source options: {', '.join(sorted(unknown))}")
    named: tuple[Any, ...] = tuple(data)
    if input_format:
        from mktgraph.graph import data_files

        named = tuple(data_files(named, input_format))
    server = None
    if endpoint is None:
        for name in (*ENDPOINT_OPTIONS, "graph"):
            if (graph if name == "graph" else endpoint_options.get(name)) is not None:
                raise UsageError(f"--{name.replace('_', '-')} needs --endpoint URL")
    else:
        from mktgraph.stores import endpoint_spec

        given = {name: endpoint_options.get(name) for name in ENDPOINT_OPTIONS}
        given["update_url"] = given.pop("update_endpoint")
        given["gsp_url"] = given.pop("gsp_endpoint")
        server = endpoint_spec(endpoint, **given)
    return SourceSpec(
        data=named,
        example=bool(example),
        store=store,
        endpoint=server,
        graph=graph,
        reason=bool(reason),
        reasoner=reasoner,
    )


@runtime_checkable
class GraphSource(Protocol):
    """A graph wherever it lives: what every command asks of it."""

    kind: str  # "files", "store" or "server"

    def query(
        self, text: str, source: str = "query", *, allow_service: bool = False, csv: bool = False
    ) -> Result | CsvAnswer:
        """Run a checked, read-only SPARQL query; with ``csv``, a source may answer a SELECT
        with its own SPARQL CSV (a ``CsvAnswer``)."""

    def select_texts(self, text: str, source: str = "query") -> list[dict[str, str | None]]:
        """The rows of a SELECT query of mktgraph's own, each value as its text (an IRI, a
        blank node's label, a literal's lexical form; None where unbound)."""

    def triple_count(self) -> int:
        """The number of triples in the graph (data plus whatever ontology it holds)."""

    def graph(self) -> Graph:
        """The whole graph with the bundled ontology, in memory (for graphs that fit)."""

    def validate(
        self, shapes: Graph, inference: str, *, warn: Warn | None = None
    ) -> ValidationResult:
        """The SHACL validation of the data (with the ontology) against ``shapes``."""

    def export(self, out: IO[bytes], fmt: str = "turtle", *, ontology: bool = True) -> None:
        """Write the graph to a binary stream in one of mktgraph.formats.GRAPH_FORMATS."""

    def load(
        self, paths: Sequence[Path], *, replace: bool = False, progress: Progress | None = None
    ) -> LoadReport:
        """Add RDF files to the graph (with ``replace``, instead of what it holds)."""

    def reason(
        self, reasoner: str | None = None, *, explain: bool = False, timeout: float | None = None
    ) -> ReasoningResult:
        """What an OWL reasoner finds in the graph with the ontology."""

    def remove_inferences(self) -> int:
        """Drop the inferences `reason` kept in a store or a server; how many facts went."""

    def close(self) -> None:
        """Release files, locks and connections."""

    def __enter__(self) -> GraphSource: ...

    def __exit__(self, *exc: object) -> None: ...


class _Source:
    """What every source does the same way: through the graph in memory."""

    kind = ""

    def graph(self) -> Graph:
        raise NotImplementedError

    def select_texts(self, text: str, source: str = "query") -> list[dict[str, str | None]]:
        result = self.query(text, source)
        names = [str(v) for v in result.vars or []]
        return [
            {name: None if row[i] is None else str(row[i]) for i, name in enumerate(names)}
            for row in result
        ]

    def triple_count(self) -> int:
        return len(self.graph())

    def validate(
        self, shapes: Graph, inference: str, *, warn: Warn | None = None
    ) -> ValidationResult:
        from mktgraph.validate import validate_graph

        return validate_graph(self.graph(), shapes, inference)

    def export(self, out: IO[bytes], fmt: str = "turtle", *, ontology: bool = True) -> None:
        from mktgraph.export import serialize

        out.write(serialize(self.graph(), fmt).encode("utf-8"))

    def load(
        self, paths: Sequence[Path], *, replace: bool = False, progress: Progress | None = None
    ) -> LoadReport:
        raise UsageError(NO_LOAD_TARGET)

    def reason(
        self, reasoner: str | None = None, *, explain: bool = False, timeout: float | None = None
    ) -> ReasoningResult:
        from mktgraph import reason as reasoning

        limit = reasoning.DEFAULT_TIMEOUT if timeout is None else timeout
        return reasoning.reason(self.graph(), reasoner=reasoner, explain=explain, timeout=limit)

    def remove_inferences(self) -> int:
        raise UsageError(
            "--remove drops the inferences kept in a store or a server: give --store DIR or "
            "--endpoint URL"
        )

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FileSource(_Source):
    """Data files and rdflib Graphs (and the sample graph), with the bundled ontology, in memory.

    With ``reason``, queries see the data plus what the reasoner infers, and validation checks
    the data plus what is inferred about the data's own subjects.
    """

    kind = "files"

    def __init__(
        self,
        data: Iterable[str | Path | Graph] = (),
        *,
        example: bool = False,
        reason: bool = False,
        reasoner: str | None = None,
    ) -> None:
        self.data = tuple(data)
        self.example = example
        self.reasoning = reason or reasoner is not None
        self.reasoner = reasoner
        self._graph: Graph | None = None
        self._ontology_store = None  # the ontology alone, in pyoxigraph (see _ontology_only)

    def _items(self) -> list[str | Path | Graph]:
        from mktgraph import resources

        return [*(resources.example_files() if self.example else ()), *self.data]

    def data_graph(self) -> Graph:
        """The data alone (no ontology); InputError when there is none."""
        from mktgraph import graph as graphs

        items = self._items()
        if not items:
            raise InputError("no data to validate: give one or more data files, or --example")
        if self.reasoning:
            from mktgraph.reason import data_with_inferences

            return data_with_inferences(items, reasoner=self.reasoner)
        return graphs.load(items)

    def graph(self) -> Graph:
        if self._graph is None:
            from mktgraph import graph as graphs

            self._graph = graphs.load_with_ontology(self._items())
            if self.reasoning:
                from mktgraph.reason import with_inferences

                self._graph = with_inferences(self._graph, self.reasoner)
        return self._graph

    def _ontology_only(self):  # -> pyoxigraph.Store | None
        """With no data, the bundled ontology in an in-memory pyoxigraph store: `frameworks`
        and `info` answer from it without importing rdflib (a light start)."""
        if self.data or self.example or self.reasoning:
            return None
        if self._ontology_store is None:
            import pyoxigraph as ox

            from mktgraph.oxrdf import ontology_quads

            self._ontology_store = ox.Store()
            self._ontology_store.extend(ontology_quads())
        return self._ontology_store

    def select_texts(self, text: str, source: str = "query") -> list[dict[str, str | None]]:
        store = self._ontology_only()
        if store is None:
            return super().select_texts(text, source)
        return texts(store.query(text), source)

    def triple_count(self) -> int:
        store = self._ontology_only()
        return super().triple_count() if store is None else len(store)

    def query(
        self, text: str, source: str = "query", *, allow_service: bool = False, csv: bool = False
    ) -> Result:
        from mktgraph import queries

        # The query is checked before any file is read (rdflib parses each text once).
        queries.check_query(text, source, allow_service=allow_service)
        return queries.run(text, self.graph(), source, allow_service=allow_service)

    def validate(
        self, shapes: Graph, inference: str, *, warn: Warn | None = None
    ) -> ValidationResult:
        items = self._items()
        if (
            items
            and not self.reasoning
            and inference in ("none", "rdfs")  # what the compiled SHACL reproduces
            and all(is_named_file(item) for item in items)
        ):
            return self._validate_in_store(items, shapes, inference, warn)
        # rdflib Graphs (the Python API), --reason and OWL RL inference: pySHACL over the
        # graph in memory.
        from mktgraph.validate import validate_graph

        return validate_graph(self.data_graph(), shapes, inference)

    @staticmethod
    def _validate_in_store(
        items: list, shapes: Graph, inference: str, warn: Warn | None
    ) -> ValidationResult:
        """The files loaded into an in-memory embedded store exactly as `load --store` loads
        them, then validated as `validate --store` validates (SHACL compiled to SPARQL; pySHACL
        for what that does not cover): the same report, at the store's speed."""
        from mktgraph import exiting
        from mktgraph.fastshacl import validate_store
        from mktgraph.graph import check_input
        from mktgraph.lint import WrittenTerms, defined_terms, unknown_store_terms
        from mktgraph.stores.embedded import EmbeddedStore, read_as_blocks
        from mktgraph.validate import (
            check_inference,
            fast_result,
            shape_errors,
            term_warnings,
            usable_shapes,
            validate_graph,
        )

        check_inference(inference)
        files = [check_input(item) for item in items]  # every one before the first is read
        store = EmbeddedStore.in_memory()
        written = WrittenTerms(skip=defined_terms())  # the ontology's: not to collect
        store.watch_blocks = written
        try:
            store.load(files)
            try:
                fast = validate_store(
                    store.oxigraph,
                    shapes,
                    inference=inference,
                    warn=warn,
                    derived_integers_collapsed=store.derived_integers_collapsed(),
                )
            except shape_errors() as error:
                # Broken shapes in pySHACL's words, as before: it meets them on the data.
                from rdflib import Graph as RdflibGraph

                from mktgraph.fastshacl.runner import StoreRunner

                data = StoreRunner(store.oxigraph).graph()  # the ontology included
                validate_graph(data, shapes, inference, ontology=RdflibGraph())
                with usable_shapes():
                    raise error from None
            # Terms the ontology lacks: from what the load read, or (quad formats) a scan.
            seen = all(read_as_blocks(file.format) for file in files)
            unknown = unknown_store_terms(store.oxigraph, written.iris() if seen else None)
        finally:
            exiting.release(store, store.close)  # freeing it costs seconds; exit frees it
        return fast_result(fast, inference, term_warnings(unknown))

    def export(self, out: IO[bytes], fmt: str = "turtle", *, ontology: bool = True) -> None:
        from mktgraph import graph as graphs
        from mktgraph.export import serialize

        graph = self.graph() if ontology else graphs.load(self._items())
        out.write(serialize(graph, fmt).encode("utf-8"))

    def reason(
        self, reasoner: str | None = None, *, explain: bool = False, timeout: float | None = None
    ) -> ReasoningResult:
        if self.reasoning:
            raise UsageError("reason reasons itself: --reason does not apply")
        if self._graph is None and all(isinstance(item, str | Path) for item in self.data):
            from mktgraph import reason as reasoning

            limit = reasoning.DEFAULT_TIMEOUT if timeout is None else timeout
            return reasoning.reason_files(
                self.data, example=self.example, reasoner=reasoner, explain=explain, timeout=limit
            )
        return super().reason(reasoner, explain=explain, timeout=timeout)


class StoreSource(_Source):
    """An embedded store: a folder on disk (pyoxigraph) holding the data and the ontology."""

    kind = "store"

    def __init__(self, path: str | Path, *, writable: bool = False, reason: bool = False) -> None:
        from mktgraph.stores.embedded import EmbeddedStore, is_store

        self.folder = Path(path)
        # With ``reason``, queries and validation see the inferences `reason --store` kept.
        self.reasoning = reason
        # A store this source creates is removed again when its first load fails: no empty
        # store (without the ontology) is left behind for later commands to answer from.
        self._created = writable and not is_store(self.folder)
        self._existed = self.folder.exists()
        self.store = EmbeddedStore(path, read_only=not writable, create=writable)

    def query(
        self, text: str, source: str = "query", *, allow_service: bool = False, csv: bool = False
    ) -> Result | CsvAnswer:
        return self.store.query(
            text, source, allow_service=allow_service, csv=csv, reason=self.reasoning
        )

    def select_texts(self, text: str, source: str = "query") -> list[dict[str, str | None]]:
        graphs = self.store.reasoning_graphs() if self.reasoning else None
        try:
            answer = self.store.oxigraph.query(text, default_graph=graphs)
        except (SyntaxError, OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"{source}: query failed: {error}") from None
        return texts(answer, source)

    def triple_count(self) -> int:
        return self.store.triple_count()

    def graph(self) -> Graph:
        return self.store.fetch()

    def validate(
        self, shapes: Graph, inference: str, *, warn: Warn | None = None
    ) -> ValidationResult:
        # SHACL compiled to SPARQL, run on the store; it says through ``warn`` which shapes,
        # if any, it leaves to pySHACL.
        from mktgraph.fastshacl import validate_store
        from mktgraph.validate import fast_result, usable_shapes

        with usable_shapes():
            fast = validate_store(
                self.store.oxigraph,
                shapes,
                inference=inference,
                warn=warn,
                derived_integers_collapsed=self.store.derived_integers_collapsed(),
                extra_graphs=self.store.reasoning_graphs()[1:] if self.reasoning else (),
            )
        return fast_result(fast, inference)

    def export(self, out: IO[bytes], fmt: str = "turtle", *, ontology: bool = True) -> None:
        self.store.export(out, fmt, ontology=ontology)

    def load(
        self, paths: Sequence[Path], *, replace: bool = False, progress: Progress | None = None
    ) -> LoadReport:
        try:
            report = self.store.load(paths, replace=replace, progress=progress)
        except BaseException:
            if self._created:
                self._remove_store()
            raise
        self._created = False
        return report

    def _remove_store(self) -> None:
        import shutil

        self.store.close()
        if self._existed:  # an empty folder the user gave: emptied again
            for child in self.folder.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def reason(
        self, reasoner: str | None = None, *, explain: bool = False, timeout: float | None = None
    ) -> ReasoningResult:
        """Reason over the store and keep what follows in its inference graph (the stated data
        are never changed; see mktgraph.reason.reason_store)."""
        from mktgraph import reason as reasoning

        if explain:
            raise UsageError(
                "with --store the inferences stay in the store: --explain is for files"
            )
        if self.reasoning:
            raise UsageError("reason reasons itself: --reason does not apply")
        self.close()  # reason_store opens the folder for writing
        limit = reasoning.DEFAULT_TIMEOUT if timeout is None else timeout
        return reasoning.reason_store(self.folder, reasoner=reasoner, timeout=limit)

    def remove_inferences(self) -> int:
        from mktgraph import reason as reasoning

        self.close()  # remove_inferences opens the folder for writing
        return reasoning.remove_inferences(self.folder)

    def close(self) -> None:
        if self.store._store is not None:
            self.store.close()


class ServerSource(_Source):
    """A graph in a SPARQL server (the default graph, or a named one)."""

    kind = "server"

    def __init__(
        self,
        endpoint: EndpointSpec,
        *,
        graph: str | None = None,
        protocol: str | None = None,
        allow_partial: bool = False,
        reason: bool = False,
    ) -> None:
        from mktgraph.stores import open_store

        self.store = open_store(endpoint, graph=graph)
        self.protocol = protocol
        self.allow_partial = allow_partial
        # With ``reason``, queries and validation read the graph together with the inferences
        # `reason --endpoint` kept (see mktgraph.reason_server).
        self.reasoning = reason
        if reason:
            from mktgraph.reason_server import reasoning_graphs

            self.store.also_read = tuple(reasoning_graphs(self.store)[1:])

    def query(
        self, text: str, source: str = "query", *, allow_service: bool = False, csv: bool = False
    ) -> Result:
        answer = self.store.query(
            text, source, allow_service=allow_service, allow_partial=self.allow_partial
        )
        if (answer.type == "SELECT" and not answer.bindings) or (
            answer.type in ("CONSTRUCT", "DESCRIBE") and not len(answer.graph)
        ):
            self.store.warn_if_empty()  # a misspelt --graph answers nothing, without an error
        return answer

    def triple_count(self) -> int:
        return self.store.triple_count()

    def holds_ontology(self) -> bool:
        """Whether the server's graph holds the bundled ontology (loaded --with-ontology)."""
        return bool(self.store.query(_ONTOLOGY_HEADER, "ontology check").askAnswer)

    def graph(self) -> Graph:
        graph = self.store.fetch()
        if not self.holds_ontology():
            from mktgraph.graph import load_ontology

            graph += load_ontology()
        return graph

    def validate(
        self, shapes: Graph, inference: str, *, warn: Warn | None = None
    ) -> ValidationResult:
        # The compiled SHACL queries run in the server; only their answers come back.
        from mktgraph.fastshacl import validate_endpoint
        from mktgraph.validate import fast_result, usable_shapes

        self.store.warn_if_empty()  # "conforms" alone would hide a misspelt --graph IRI
        with usable_shapes():
            fast, _received = validate_endpoint(
                self.store, shapes, inference=inference, warn=warn, unskolemise=True
            )
        return fast_result(fast, inference)

    def export(self, out: IO[bytes], fmt: str = "turtle", *, ontology: bool = True) -> None:
        holds = self.holds_ontology()
        if holds and not ontology:
            raise UsageError(
                "--no-ontology: the server's graph holds the ontology among the data (loaded "
                "--with-ontology); load the data into a graph of its own (--graph IRI)"
            )
        self.store.export(out, fmt, extra=None if holds or not ontology else _ontology_triples())

    def load(
        self, paths: Sequence[Path], *, replace: bool = False, progress: Progress | None = None
    ) -> LoadReport:
        report = self.store.load(paths, replace=replace, protocol=self.protocol, progress=progress)
        from mktgraph.reason_server import mark_stale

        mark_stale(self.store)  # new data: `reason --endpoint` again to bring the inferences up
        # The literals the server rewrites, recorded as written for validation (fastshacl).
        from mktgraph.fastshacl.lexical import send_records

        send_records(self.store, paths, replace=replace)
        return report

    def reason(
        self, reasoner: str | None = None, *, explain: bool = False, timeout: float | None = None
    ) -> ReasoningResult:
        """OWL 2 RL inside the server, kept in the graph's inference graph (the stated data are
        never changed; see mktgraph.reason_server)."""
        from mktgraph import reason as reasoning
        from mktgraph.reason_server import reason_server

        if explain:
            raise UsageError(
                "with --endpoint the inferences stay in the server: --explain is for files"
            )
        if self.reasoning:
            raise UsageError("reason reasons itself: --reason does not apply")
        if reasoner not in (None, "rl"):
            raise UsageError(
                "with --endpoint the closure is computed inside the server by SPARQL updates: "
                "OWL 2 RL only (--reasoner rl)"
            )
        limit = reasoning.DEFAULT_TIMEOUT if timeout is None else timeout
        return reason_server(self.store, timeout=limit)

    def remove_inferences(self) -> int:
        from mktgraph.reason_server import remove_inferences

        return remove_inferences(self.store)

    def close(self) -> None:
        self.store.close()


def unskolemised(report: Graph) -> Graph:
    """A server's report with the skolem IRIs that blank nodes travel as (mktgraph.stores.chunks)
    turned back into blank nodes, in place: focus nodes and values as files and a store show
    them."""
    from mktgraph.stores.chunks import is_skolem, unskolemise

    skolemised = [triple for triple in report if any(is_skolem(str(term)) for term in triple[::2])]
    for triple in skolemised:
        report.remove(triple)
        report.add(tuple(unskolemise(term) for term in triple))
    return report


def texts(answer, source: str) -> list[dict[str, str | None]]:
    """A pyoxigraph SELECT answer as rows of texts (GraphSource.select_texts gives them)."""
    import pyoxigraph as ox

    if not isinstance(answer, ox.QuerySolutions):
        raise QueryError(f"{source}: not a SELECT query")
    names = [variable.value for variable in answer.variables]
    return [
        {
            name: None if value is None else value.value
            for name, value in zip(names, row, strict=True)
        }
        for row in answer
    ]


def _ontology_triples() -> list:
    """The bundled ontology as pyoxigraph triples (to go out after a server's graph)."""
    from mktgraph.oxrdf import ontology_quads

    return [quad.triple for quad in ontology_quads()]


def open_source(spec: SourceSpec | None = None, /, **options: Any) -> GraphSource:
    """The source ``spec`` (or ``SourceSpec(**options)``) names, once its options are checked.

    Raises UsageError (exit 2, one line) for options that do not go together or that the
    source cannot honour, before any file is read or any request is sent.
    """
    spec = replace(spec, **options) if spec is not None else SourceSpec(**options)
    reasoning = spec.reason or spec.reasoner is not None
    local = [
        flag
        for flag, given in (
            ("--data", bool(spec.data)),
            ("--example", spec.example),
            ("--reason", reasoning),
        )
        if given
    ]
    if spec.store is not None:
        if spec.endpoint is not None or spec.graph is not None or spec.protocol is not None:
            raise UsageError(
                "--store is an embedded store: --endpoint, --graph and --protocol are for servers"
            )
        if spec.allow_partial:
            raise UsageError("--allow-partial is for servers' answers: give --endpoint URL")
        _refuse_local(
            spec,
            local,
            "--store",
            "the data are the store's (add files with `mktgraph load --store`)",
            ("does not apply", "do not apply"),
            "(give it to `reason --store`)",
        )
        return StoreSource(spec.store, writable=spec.writable, reason=spec.reason)
    if spec.endpoint is not None:
        _refuse_local(
            spec,
            local,
            "--endpoint",
            "the data are the server's graph (send files with `mktgraph load`)",
            ("works on local files", "work on local files"),
        )
        endpoint = spec.endpoint
        if isinstance(endpoint, str):
            from mktgraph.stores import endpoint_spec

            endpoint = endpoint_spec(endpoint)
        return ServerSource(
            endpoint,
            graph=spec.graph,
            protocol=spec.protocol,
            allow_partial=spec.allow_partial,
            reason=spec.reason,
        )
    for flag, given in (
        ("--graph", spec.graph),
        ("--protocol", spec.protocol),
        ("--allow-partial", spec.allow_partial or None),
    ):
        if given is not None:
            raise UsageError(f"{flag} needs --endpoint URL")
    return FileSource(spec.data, example=spec.example, reason=reasoning, reasoner=spec.reasoner)


def _refuse_local(
    spec: SourceSpec,
    local: list[str],
    flag: str,
    whose: str,
    verdict: tuple[str, str],
    reasoner_hint: str = "",
) -> None:
    """A store or a server holds the data: refuse the local data options (``verdict`` says
    why, for one flag and for several), and --reasoner (--reason there reads the inferences
    `mktgraph reason` kept)."""
    if spec.reasoner is not None:
        raise UsageError(
            f"with {flag}, --reason reads the inferences `mktgraph reason {flag}` kept: "
            f"--reasoner does not apply{' ' + reasoner_hint if reasoner_hint else ''}"
        )
    local = [given for given in local if given != "--reason"]
    if local:
        raise UsageError(f"with {flag} {whose}; {_listed(local)} {verdict[len(local) > 1]}")


def _listed(flags: list[str]) -> str:
    return flags[0] if len(flags) == 1 else ", ".join(flags[:-1]) + " and " + flags[-1]
