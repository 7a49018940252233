"""mktgraph's Python API: one function per command, on files, rdflib Graphs, a store or a server.

Each function takes ``data``: an open :class:`~mktgraph.sources.GraphSource` (left open), a
:class:`~mktgraph.sources.SourceSpec`, or local data (a path, an rdflib Graph, or a list of
them), and returns a plain result object. ``mktgraph.output`` presents those results.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Union

from mktgraph.errors import InputError, UsageError
from mktgraph.sources import GraphSource, SourceSpec, Warn, open_source

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

    from mktgraph.frameworks import Framework, FrameworkDetail
    from mktgraph.graph import DataFile
    from mktgraph.queries import CsvAnswer
    from mktgraph.reason import ReasoningResult
    from mktgraph.stores import LoadReport, Progress
    from mktgraph.validate import ValidationResult

# What the functions take as ``data``.
Data = Union[GraphSource, SourceSpec, str, Path, "Graph", Iterable[Union[str, Path, "Graph"]]]


@contextlib.contextmanager
def _opened(data: Data, **local: object) -> Iterator[GraphSource]:
    """The source ``data`` names, opened (and closed after) unless it is open already."""
    if isinstance(data, GraphSource):
        if any(local.values()):
            raise InputError("give local options (example, reason) to open_source, not here")
        yield data
        return
    if isinstance(data, SourceSpec):
        spec = data
    else:
        from rdflib import Graph

        items = (data,) if isinstance(data, str | Path | Graph) else tuple(data)
        spec = SourceSpec(data=items)
    with open_source(spec, **{k: v for k, v in local.items() if v}) as source:
        yield source


def run_query(
    name_or_file: str,
    data: Data = (),
    params: dict[str, str] | None = None,
    *,
    example: bool = False,
    allow_service: bool = False,
    reason: bool = False,
    reasoner: str | None = None,
    csv: bool = False,
) -> Result | CsvAnswer:
    """Run a named query (see ``mktgraph queries``) or a .rq file with ``params`` over the
    bundled ontology plus ``data``; an rdflib Result (or, with ``csv``, an embedded store may
    answer a SELECT with its own SPARQL CSV, a ``CsvAnswer``)."""
    from mktgraph import queries

    text, source_name = queries.prepare(name_or_file, params)
    from mktgraph.canonical import canonical_result

    with _opened(data, example=example, reason=reason, reasoner=reasoner) as source:
        answer = source.query(text, source_name, allow_service=allow_service, csv=csv)
        # Numbers, booleans and dates written alike whichever engine answered.
        return canonical_result(answer)


def load_shapes(shapes: Iterable[str | Path] | Graph | None) -> tuple[Graph, str | None]:
    """The shapes graph (default: mktgraph's own shapes; shapes that would check nothing are
    refused) and the files' names for messages (None for the bundled shapes)."""
    from rdflib import Graph

    from mktgraph import validate

    if isinstance(shapes, Graph):
        return shapes, "the shapes graph"
    paths = None if shapes is None else list(shapes)
    names = None if paths is None else ", ".join(str(p) for p in paths)
    return validate.load_shapes(paths), names


def validate_data(
    data: Data = (),
    shapes: Iterable[str | Path] | Graph | None = None,
    *,
    inference: str = "rdfs",
    example: bool = False,
    reason: bool = False,
    reasoner: str | None = None,
    warn: Warn | None = None,
) -> ValidationResult:
    """Validate ``data`` against SHACL ``shapes`` (default: mktgraph's), with the ontology.

    ``inference`` (none, rdfs, owlrl) runs first, as in pySHACL; ``sh:class`` and
    ``sh:targetClass`` follow the ontology's subclasses in every mode. On an embedded store,
    SHACL is compiled to SPARQL; ``warn`` hears which shapes, if any, pySHACL validates instead.
    """
    from mktgraph.validate import check_inference

    check_inference(inference)
    shapes_graph, names = load_shapes(shapes)
    with _opened(data, example=example, reason=reason, reasoner=reasoner) as source:
        try:
            result = source.validate(shapes_graph, inference, warn=warn)
        except InputError as error:
            if names is None or not str(error).startswith("unusable SHACL shapes"):
                raise
            raise InputError(f"{names}: {error}") from None
        return _with_origins(result, source)


def _with_origins(result: ValidationResult, source: GraphSource) -> ValidationResult:
    """``result`` with the file, row and column each result's value was imported from, where
    `mktgraph import` kept them beside the data (side tables beside files, in a store, or in a
    server's urn:mktgraph:sources graph)."""
    from mktgraph.provenance import Locator, annotate

    if source.kind == "store":
        locator = Locator.for_store(source.folder)
    elif source.kind == "server":
        locator = Locator.for_server(source.store.spec)
    else:
        from mktgraph.sources import is_named_file

        named = [str(item) for item in source.data if is_named_file(item)]
        locator = Locator.for_files(name for name in named if name != "-")
    return annotate(result, locator) if locator is not None else result


def export_graph(
    data: Data = (),
    fmt: str = "turtle",
    *,
    out: IO[bytes] | None = None,
    example: bool = False,
    ontology: bool = True,
) -> str | None:
    """The graph of ``data`` with the ontology (unless ``ontology`` is false) in ``fmt`` (one
    of mktgraph.formats.GRAPH_FORMATS): written to the binary stream ``out`` (a store or a
    server streams it, whatever its size) and None, or without ``out`` returned as text."""
    import io

    from mktgraph.formats import GRAPH_FORMATS

    if fmt not in GRAPH_FORMATS:
        raise InputError(
            f"unknown export format {fmt!r}; expected one of {', '.join(GRAPH_FORMATS)}"
        )
    buffer = io.BytesIO() if out is None else out
    with _opened(data, example=example) as source:
        source.export(buffer, fmt, ontology=ontology)
    return buffer.getvalue().decode("utf-8") if out is None else None


def load_data(
    target: GraphSource | SourceSpec,
    files: Iterable[str | Path | DataFile] = (),
    *,
    example: bool = False,
    with_ontology: bool = False,
    replace: bool = False,
    protocol: str | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Load RDF files (plus the sample graph, and the ontology, if asked) into an embedded
    store or a server: streamed, memory bounded. An embedded store always holds the ontology;
    ``progress`` hears (triples so far, seconds) as it goes. A SourceSpec ``target`` may name
    the files (``data``, ``example``) and ``protocol`` (gsp or update) the way to a server."""
    import dataclasses

    from mktgraph import resources
    from mktgraph.graph import check_input
    from mktgraph.sources import NO_LOAD_TARGET

    if isinstance(target, SourceSpec):
        files, example = (*target.data, *files), example or target.example
        target = dataclasses.replace(target, data=(), example=False)
        target = dataclasses.replace(target, protocol=protocol) if protocol else target
    elif protocol is not None:
        raise InputError("give the protocol to open_source, not here")
    if target.kind == "files":
        raise UsageError(NO_LOAD_TARGET)

    paths: list[Path | DataFile] = list(resources.example_files()) if example else []
    # Every file checked before a store is created or anything is sent.
    paths += [check_input(item) for item in files]
    with contextlib.ExitStack() as stack:
        if with_ontology:
            paths.insert(0, _merged_ontology(stack))
        if isinstance(target, GraphSource):
            return _load(target, paths, replace, progress)
        with open_source(target, writable=True) as source:
            return _load(source, paths, replace, progress)


def _merged_ontology(stack: contextlib.ExitStack) -> Path:
    """The bundled ontology as one N-Triples file (its modules merged, as mktgraph reads it),
    in a temporary folder that ``stack`` removes."""
    import tempfile

    from mktgraph.graph import load_ontology

    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mktgraph-")))
    path = folder / "mktgraph-ontology.nt"
    load_ontology().serialize(path, format="nt", encoding="utf-8")
    return path


def _load(
    source: GraphSource, paths: list[Path | DataFile], replace: bool, progress: Progress | None
) -> LoadReport:
    if not paths and source.kind != "files":
        extra = "" if source.kind == "store" else ", --example or --with-ontology"
        raise InputError(
            "nothing to load: give data files"
            + (" or --example" if source.kind == "store" else extra)
        )
    return source.load(paths, replace=replace, progress=progress)


def frameworks_of(data: Data = (), name: str | None = None) -> list[Framework] | FrameworkDetail:
    """The marketing frameworks the ontology (in ``data``) holds; or, given a ``name`` (any name
    of a framework, ignoring case, or its IRI), that one with its components in order."""
    from mktgraph.frameworks import find_framework, list_frameworks

    with _opened(data) as source:
        return list_frameworks(source) if name is None else find_framework(name, source)


def framework_svg(data: Data, name: str) -> str:
    """The diagram of the framework ``name``, as SVG in the shape people know it by."""
    from mktgraph.diagrams import framework_diagram

    with _opened(data) as source:
        return framework_diagram(name, source.graph()).svg


def reason_over(
    data: Data = (),
    *,
    example: bool = False,
    reasoner: str | None = None,
    explain: bool = False,
    timeout: float | None = None,
) -> ReasoningResult:
    """Check the ontology plus ``data`` for contradictions and infer what follows (HermiT,
    Pellet or OWL 2 RL; by default chosen by size). The reasoner is stopped after ``timeout``
    seconds (default: mktgraph.reason.DEFAULT_TIMEOUT)."""
    with _opened(data, example=example) as source:
        return source.reason(reasoner, explain=explain, timeout=timeout)


def remove_inferences(data: GraphSource | SourceSpec) -> int:
    """Drop the inferences `mktgraph reason` kept in an embedded store or a server (the stated
    data stay as they are); how many facts went. Local data keep no inferences: UsageError."""
    with _opened(data) as source:
        return source.remove_inferences()
