"""The persistent embedded store: a pyoxigraph (RocksDB) folder holding a company graph on disk."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from mktgraph.errors import InputError, QueryError
from mktgraph.formats import GRAPH_FORMATS
from mktgraph.oxrdf import merge_module_quads, ox_format
from mktgraph.queries import CsvAnswer
from mktgraph.stores import LoadReport
from mktgraph.stores.chunks import file_digest

# The ontology lives twice in the store: in the default graph, where queries and validation see
# it beside the data exactly as `--data` files see it (one graph, no union of graphs to pay for
# on every pattern), and in this named graph, which says which default-graph triples are the
# ontology's, so that an upgraded ontology replaces the old one and `--no-ontology` leaves it out.
ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/mktgraph/def")
# Bookkeeping (which ontology is loaded) in a graph of its own; never queried or exported.
META_GRAPH = ox.NamedNode("urn:mktgraph:store")
_META_SUBJECT = ox.NamedNode("urn:mktgraph:store")
_ONTOLOGY_DIGEST = ox.NamedNode("urn:mktgraph:ontologyDigest")

_COLLAPSED = ox.NamedNode("urn:mktgraph:derivedIntegersAsInteger")
# Oxigraph stores literals of the datatypes derived from xsd:integer as xsd:integer ("1"^^xsd:int
# comes back as "1"^^xsd:integer). The store notes when a load may have held one, so that the
# fast validator can say that sh:datatype sees such values as xsd:integer (see fastshacl).

# The SERVICE keyword (not a ?service variable): such queries get rdflib's full check.
_SERVICE = re.compile(r"(?<![?$\w:])service\b", re.IGNORECASE)
_COMMENT_LINES = re.compile(r"(?m)^\s*#.*$")

TRIPLE_FORMATS = {"turtle", "nt"}
# Bytes that can start a blank node in Turtle: `_:`, `[` and `(` (lists). A false alarm (say,
# "[" inside a string) costs only the slower exact path. N-Triples has its blank nodes scoped on
# the way to the bulk loader instead (_ScopedBlankNodes), unless it holds RDF 1.2 triple terms
# (`<<(`), whose inner blank nodes that rewriting would not see.
_BLANK_MARKERS = {"nt": (b"<<",), "turtle": (b"_:", b"[", b"(")}
_SCAN_CHUNK = 1 << 22

Progress = Callable[[int, float], None]  # (triples loaded so far, seconds since the start)
_PROGRESS_EVERY = 50_000


@dataclass(frozen=True)
class EmbeddedSpec:
    """Where an embedded store is: a folder (the CLI's --store DIR)."""

    path: str
    backend: str = "embedded"


def _scan(path: Path, *marker_sets: tuple[bytes, ...]) -> list[bool]:
    """For each set of markers, whether one of them occurs in the file (one pass, in chunks)."""
    found = [False] * len(marker_sets)
    overlap = max(len(m) for markers in marker_sets for m in markers) - 1
    tail = b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_SCAN_CHUNK), b""):
            window = tail + chunk
            for index, markers in enumerate(marker_sets):
                if not found[index] and any(marker in window for marker in markers):
                    found[index] = True
            if all(found):
                break
            tail = window[-overlap:]
    return found


# An N-Triples line holds one triple (lines end with LF, CR or both). A `_:` starts a blank node
# label unless it stands inside a literal (a `"` before it on its line: literals come last, and
# IRIs and labels hold no `"`) or inside an IRI (after a `<` not yet closed). One in a comment
# may be renamed: nothing reads it.
class _ScopedBlankNodes(io.RawIOBase):
    """An N-Triples byte stream whose blank node labels get a prefix (``_:x`` -> ``_:b<scope>xx``):
    a byte search in blocks, with a Python step per blank node label, not per triple.

    With the file's digest as the scope, loading the same file again gives the same nodes (no
    duplicates), and two files never share a blank node (RDF merge, not union). With ``aside``,
    the lines holding a blank node go there (scoped) instead: Oxigraph's bulk loader names blank
    nodes afresh, so only the rest may go to it.
    """

    def __init__(
        self,
        raw: IO[bytes],
        scope: str,
        aside: IO[bytes] | None = None,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._label = b"_:b" + scope.encode("ascii") + b"x"
        self._aside = aside
        self._pending = memoryview(b"")
        self._offset = 0
        self._carry = b""  # an unfinished last line, kept for the next block

    def readable(self) -> bool:
        return True

    def _next_block(self) -> bytes:
        while True:
            block = self._raw.read(_SCAN_CHUNK)
            if not block:
                rest, self._carry = self._carry, b""
                return self._scoped(rest)
            block = self._carry + block
            if b"\r" in block:  # both end a line, and a literal holds neither unescaped
                block = block.replace(b"\r", b"\n")
            end = block.rfind(b"\n") + 1
            if end == 0:
                self._carry = block
                continue
            self._carry = block[end:]
            return self._scoped(block[:end])

    def _scoped(self, lines: bytes) -> bytes:
        find, rfind = lines.find, lines.rfind
        at = find(b"_:")
        if at < 0:
            return lines
        kept, done, aside = [], 0, self._aside
        while at >= 0:
            start = rfind(b"\n", 0, at) + 1
            head = lines[start:at]
            if b'"' not in head and head.rfind(b"<") <= head.rfind(b">"):
                if aside is None:
                    kept.append(lines[done:at])
                    kept.append(self._label)
                    done = at + 2
                else:  # the whole line goes aside
                    end = find(b"\n", at) + 1 or len(lines)
                    aside.write(self._line_scoped(lines[start:end]))
                    kept.append(lines[done:start])
                    done = at = end
                    at = find(b"_:", at)
                    continue
            at = find(b"_:", at + 2)
        kept.append(lines[done:])
        return b"".join(kept)

    def _line_scoped(self, line: bytes) -> bytes:
        aside, self._aside = self._aside, None
        try:
            return self._scoped(line)
        finally:
            self._aside = aside

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._pending):
            self._pending, self._offset = memoryview(self._next_block()), 0
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending) - self._offset)
        buffer[:size] = self._pending[self._offset : self._offset + size]
        self._offset += size
        return size


def _reporting(quads: Iterable[ox.Quad], progress: Progress, done: list[int], start: float):
    """The quads, telling ``progress`` every so often how many have gone by."""
    import time

    count = done[0]
    for quad in quads:
        count += 1
        if count % _PROGRESS_EVERY == 0:
            progress(count, time.monotonic() - start)
        yield quad
    done[0] = count


def _watch_file(recorder, path: Path, fmt: str, scope: str | None = None) -> None:
    """Pass a file's quads by a lexical-form recorder (a parse of its own, of what the bulk
    loader reads; errors are the loader's to report). N-Triples whose blank nodes ``scope``
    names: only the lines that may matter (_record_n_triples)."""
    base_iri = path.resolve().as_uri()
    try:
        if scope is not None and fmt == "nt":
            _record_n_triples(recorder, path, scope, base_iri)
            return
        for _quad in recorder.watch(
            ox.parse(path=str(path), format=ox_format(fmt), base_iri=base_iri)
        ):
            pass
    except (OSError, SyntaxError, ValueError):
        pass


def _record_n_triples(recorder, path: Path, scope: str, base_iri: str) -> None:
    """Show a recorder the lines of an N-Triples file it needs, its blank nodes named as the
    loader names them: the lines whose literal the store may rewrite (a C-level search), then,
    if some are rewritten, the lines writing the stored form of one of those values
    canonically (the recorder counts such a writing as a value of its own)."""
    from mktgraph.fastshacl import lexical
    from mktgraph.fastshacl.checks import quiet_rdflib
    from mktgraph.stores.ntriples import RewrittenLiterals, line_blocks, scope_labels

    finder = RewrittenLiterals(lexical.by_value_datatypes(), lexical.surely_canonical_patterns())
    label = b"_:b" + scope.encode("ascii") + b"x"
    nt = ox_format("nt")

    def watch(lines: list[bytes]) -> None:
        if lines:
            text = scope_labels(b"".join(lines), label)
            # Quiet once for the batch, not once per literal the recorder reads through rdflib.
            with quiet_rdflib():
                for _quad in recorder.watch(ox.parse(input=text, format=nt, base_iri=base_iri)):
                    pass

    with path.open("rb") as raw:
        for block in line_blocks(raw):
            watch(finder.candidates(block))
    xsd = "http://www.w3.org/2001/XMLSchema#"
    wanted = {
        (stored.value.encode(), stored.datatype.value[len(xsd) :].encode())
        for _subject, _predicate, stored in recorder.rewritten
        if stored.datatype.value.startswith(xsd)
    }
    if wanted:
        with path.open("rb") as raw:
            for block in line_blocks(raw):
                watch(finder.writings(block, wanted))


def _stable_blank_nodes(quads: Iterable[ox.Quad], salt: str) -> Iterator[ox.Quad]:
    """The quads in the default graph, blank nodes renamed from the file's digest and the order in
    which they first appear: loading the same file again gives the same nodes (no duplicates), and
    two files never share a blank node (RDF merge, not union)."""
    names: dict[Any, ox.BlankNode] = {}
    blank = ox.BlankNode
    default = ox.DefaultGraph()

    def rename(node):
        renamed = names.get(node)
        if renamed is None:
            renamed = names[node] = blank(f"b{salt}x{len(names)}")
        return renamed

    for quad in quads:
        subject, obj = quad.subject, quad.object
        if type(subject) is blank:
            subject = rename(subject)
        if type(obj) is blank:
            obj = rename(obj)
        yield ox.Quad(subject, quad.predicate, obj, default)


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding an embedded store."""
    return (Path(path) / "CURRENT").is_file()


class EmbeddedStore:
    """A company graph in a folder on disk (pyoxigraph, RocksDB): load, query, validate, export.

    Data go into the default graph, beside a copy of the bundled ontology. Triples are a set:
    loading a file twice adds nothing the second time (blank nodes included).
    """

    def __init__(
        self,
        spec: EmbeddedSpec | str | Path,
        graph: str | None = None,
        *,
        read_only: bool = False,
        create: bool = False,
    ) -> None:
        if graph is not None:
            raise InputError("an embedded store (--store) has one graph: --graph does not apply")
        path = spec.path if isinstance(spec, EmbeddedSpec) else spec
        self.path = Path(path)
        if not is_store(self.path):
            if not create:
                raise InputError(
                    f"{self.path}: no mktgraph store here; create one with "
                    f"`mktgraph load DATA... --store {self.path}`"
                )
            if self.path.exists() and (not self.path.is_dir() or any(self.path.iterdir())):
                raise InputError(
                    f"{self.path}: exists and is not an empty folder or a store; "
                    "give a new folder for the store"
                )
        try:
            self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(path))
        except OSError as error:
            message = str(error)
            if "lock" in message.lower():
                raise InputError(
                    f"{self.path}: the store is in use by another mktgraph process; "
                    "wait for it to finish"
                ) from None
            raise InputError(f"{self.path}: cannot open the store: {message}") from None
        except RuntimeError as error:  # RocksDB's "Corruption: ..." and the like
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise InputError(f"{self.path}: cannot open the store (damaged?): {message}") from None
        self.read_only = read_only

    # -- facts --------------------------------------------------------------------------------

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for the fast validator and benchmarks)."""
        return self._store

    def triple_count(self) -> int:
        """Triples in the default graph: the data plus the ontology."""
        rows = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(rows))[0].value)

    def ontology_digest(self) -> str | None:
        """The digest of the ontology copy held in the store (None before the first load)."""
        for quad in self._store.quads_for_pattern(
            _META_SUBJECT, _ONTOLOGY_DIGEST, None, META_GRAPH
        ):
            return quad.object.value
        return None

    def derived_integers_collapsed(self) -> bool:
        """Whether data loaded so far may have held literals of a datatype derived from
        xsd:integer, which the store keeps as xsd:integer."""
        return self.collapsed_in(self._store)

    @staticmethod
    def collapsed_in(store: ox.Store) -> bool:
        """derived_integers_collapsed() of a pyoxigraph store (False for a plain one)."""
        found = store.quads_for_pattern(_META_SUBJECT, _COLLAPSED, None, META_GRAPH)
        return any(True for _ in found)

    # -- loading ------------------------------------------------------------------------------

    def load(
        self,
        paths: Iterable[str | Path],
        *,
        replace: bool = False,
        protocol: str | None = None,
        progress: Progress | None = None,
    ) -> LoadReport:
        """Add RDF files to the store (streamed, bounded memory) and make sure it holds the
        bundled ontology; with ``replace``, drop the data held so far first. ``progress`` gets
        (triples loaded, seconds) as loading goes on (the CLI shows it on a terminal)."""
        import time

        from mktgraph.graph import check_input

        if protocol is not None:
            raise InputError("--protocol is for servers; an embedded store loads directly")
        files = [check_input(p) for p in paths]
        from mktgraph.fastshacl import lexical

        if replace:
            self._store.clear()
        before = self.triple_count() if self.ontology_digest() else 0
        self.ensure_ontology()
        # Only the ontology so far: no earlier writing of a value to look up while loading.
        fresh = self.triple_count() == self._ontology_triples()
        done, start = [0], time.monotonic()
        for file in files:
            fmt = file.format
            path = None if file.is_stdin else Path(file.name)
            fast = (
                fmt in TRIPLE_FORMATS
                and path is not None
                and not file.name.lower().endswith(".gz")
                and not _scan(path, _BLANK_MARKERS[fmt])[0]
            )
            # N-Triples blank nodes are named from the file's digest (_ScopedBlankNodes).
            scope = file_digest(path) if fast and fmt == "nt" else None
            # Literals the store rewrites are recorded as written (fastshacl/lexical.py).
            recorder = lexical.Recorder(
                existing=None if fresh else lexical.held_before(self._store)
            )
            if fast and fresh:
                # The bulk loader leaves the GIL: the records are made beside it, on the other
                # core, from a second parse of the file.
                from concurrent.futures import ThreadPoolExecutor

                with ThreadPoolExecutor(1) as pool:
                    scan = pool.submit(_watch_file, recorder, path, fmt, scope)
                    self._load_file(file, progress, done, start, fast=True, scope=scope)
                    scan.result()
            elif fast:
                _watch_file(recorder, path, fmt, scope)  # before the load: earlier writings seen
                self._load_file(file, progress, done, start, fast=True, scope=scope)
            else:  # the exact path sees every quad
                self._load_file(file, progress, done, start, fast=False, recorder=recorder)
            recorder.add_to(self._store)
            fresh = False
            if recorder.derived_integers and not self.derived_integers_collapsed():
                self._store.add(ox.Quad(_META_SUBJECT, _COLLAPSED, ox.Literal("true"), META_GRAPH))
        from mktgraph import inferred

        inferred.mark_stale(self._store)  # new data: `reason --store` again to bring them up
        self._store.flush()
        return LoadReport(
            triples_before=before,
            triples_after=self.triple_count(),
            replaced=replace,
            files=len(files),
            path=str(self.path),
        )

    def _ontology_triples(self) -> int:
        rows = self._store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} }}"
        )
        return int(next(iter(rows))[0].value)

    def _load_file(
        self,
        file,
        progress: Progress | None,
        done: list[int],
        start,
        *,
        fast: bool,
        recorder=None,
        scope: str | None = None,
    ) -> None:
        """Load one file (a graph.DataFile); on the exact path its quads pass by ``recorder``.
        ``scope`` (N-Triples on the fast path) names its blank nodes (_ScopedBlankNodes)."""
        import uuid

        from mktgraph.graph import reading

        note = " (triples before that point are in the store; loading the fixed file adds the rest)"
        with reading(file, note=note) as opened:
            if progress is None and fast and opened.path is not None and scope is not None:
                self._bulk_load_scoped(opened, scope)
            elif progress is None and fast and opened.path is not None:
                # No blank node: the bulk loader's own parser is the fastest route.
                self._store.bulk_load(
                    **opened.source, format=ox_format(opened.format), base_iri=opened.base_iri
                )
            else:
                # Standard input cannot be read twice for a digest: its blank nodes are new.
                salt = uuid.uuid4().hex[:24] if file.is_stdin else file_digest(Path(file.name))
                stable = _stable_blank_nodes(opened.quads(), salt)
                if recorder is not None:
                    stable = recorder.watch(stable)
                if progress is not None:
                    stable = _reporting(stable, progress, done, start)
                self._store.bulk_extend(stable)

    def _bulk_load_scoped(self, opened, scope: str) -> None:
        """Load an N-Triples file: the lines without a blank node by the bulk loader (which
        would name blank nodes afresh), then the others, scoped, through Python quads."""
        import tempfile

        nt = ox_format("nt")
        with (
            opened.path.open("rb") as raw,
            tempfile.SpooledTemporaryFile(max_size=64 << 20) as aside,
        ):
            try:
                stream = _ScopedBlankNodes(raw, scope, aside)
                self._store.bulk_load(input=stream, format=nt, base_iri=opened.base_iri)
                aside.seek(0)
                self._store.bulk_extend(ox.parse(input=aside, format=nt, base_iri=opened.base_iri))
            except SyntaxError:
                # The line numbers of the two halves are not the file's: the file's own first
                # error, from a parse of its own.
                for _quad in opened.quads():
                    pass
                raise

    def ensure_ontology(self) -> bool:
        """Put the bundled ontology into the store, replacing an older copy; True if it changed."""
        from mktgraph import resources

        files = resources.ontology_files()
        import hashlib

        digest = hashlib.blake2b(digest_size=12)
        digest.update(b"modules merged\0")  # stores holding the modules' own headers are redone
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        wanted = digest.hexdigest()
        if self.ontology_digest() == wanted:
            return False
        store = self._store
        # Drop the old copy from the default graph, then the old bookkeeping.
        store.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} }}"
        )
        store.clear_graph(ONTOLOGY_GRAPH)
        store.clear_graph(META_GRAPH)
        quads: list[ox.Quad] = []
        for path in files:
            parsed = ox.parse(path=str(path), format=ox_format("turtle"))
            quads.extend(_stable_blank_nodes(parsed, file_digest(path)))
        quads = merge_module_quads(quads)
        store.extend(quads)
        store.extend(ox.Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH) for q in quads)
        store.add(ox.Quad(_META_SUBJECT, _ONTOLOGY_DIGEST, ox.Literal(wanted), META_GRAPH))
        return True

    # -- querying -----------------------------------------------------------------------------

    def query_raw(self, text: str):
        """Run SPARQL on the default graph; pyoxigraph's own result object."""
        return self._store.query(text)

    def query(
        self,
        text: str,
        source: str = "query",
        *,
        allow_service: bool = False,
        csv: bool = False,
        reason: bool = False,
    ):
        """Run a checked, read-only SPARQL query; an rdflib Result, as for in-memory graphs.
        With ``reason``, the query sees the store's inferences too (``reasoning_graphs``).

        Only the result rows are converted to rdflib terms, never the store. With ``csv``, a
        SELECT answer comes as ``CsvAnswer`` instead: Oxigraph writes the SPARQL CSV itself
        (the same bytes rdflib writes, without converting each term to rdflib and back).
        """
        from mktgraph.queries import check_query

        if _SERVICE.search(_COMMENT_LINES.sub("", text)):
            # rdflib's parser finds SERVICE clauses (and refuses them unless allowed); it costs
            # more than many queries on the store, so other queries go straight to Oxigraph.
            check_query(text, source, allow_service=allow_service)
        graphs = self.reasoning_graphs() if reason else None
        try:
            answer = self._store.query(text, default_graph=graphs)
        except SyntaxError:
            check_query(text, source, allow_service=allow_service)  # its message, or an update
            raise QueryError(f"{source}: Oxigraph cannot run this query") from None
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"{source}: query failed: {error}") from None
        if isinstance(answer, ox.QueryBoolean):
            form = "ASK"
        elif isinstance(answer, ox.QueryTriples):
            form = "CONSTRUCT"
        else:
            form = "SELECT"
            if csv:
                buffer = io.BytesIO()
                try:
                    answer.serialize(buffer, ox.QueryResultsFormat.CSV)
                except (OSError, ValueError, RuntimeError) as error:
                    raise QueryError(f"{source}: query failed: {error}") from None
                return CsvAnswer(buffer.getvalue().decode("utf-8"))
        return to_rdflib_result(answer, form)

    def reasoning_graphs(self) -> list:
        """The default graph and the store's inference graph, as --reason reads them; an
        InputError when there are no inferences, a StoreWarning when they are stale."""
        import warnings

        from mktgraph import inferred
        from mktgraph.stores import StoreWarning

        graph = inferred.current(self._store)
        if graph is None:
            raise InputError(
                f"{self.path}: the store holds no inferences; make them with "
                f"`mktgraph reason --store {self.path}`"
            )
        if inferred.is_stale(self._store):
            warnings.warn(
                StoreWarning(
                    f"{self.path}: data were loaded after the inferences were made; run "
                    f"`mktgraph reason --store {self.path}` to bring them up to date"
                ),
                stacklevel=2,
            )
        return [ox.DefaultGraph(), graph]

    # -- export -------------------------------------------------------------------------------

    def export(self, output: IO[bytes], fmt: str = "turtle", *, ontology: bool = True) -> None:
        """Stream the store's graph (data plus ontology, or data only) to a binary file."""
        from mktgraph.namespaces import PREFIXES

        if fmt not in GRAPH_FORMATS:
            raise InputError(
                f"unknown export format {fmt!r} for a store; expected one of "
                f"{', '.join(GRAPH_FORMATS)}"
            )
        prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        ox_fmt = ox_format("nt" if fmt == "nquads" else fmt)
        if ontology:
            # Only the default graph: N-Quads of it are its N-Triples lines.
            self._store.dump(output, ox_fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)
            return
        data_only = self._store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
            f"FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} }} }}"
        )
        ox.serialize(data_only, output, ox_fmt, prefixes=prefixes)

    def fetch(self):
        """The whole graph (data plus ontology) as an rdflib Graph: only for small stores."""
        from rdflib import Graph

        from mktgraph.graph import term_converter
        from mktgraph.namespaces import bind_prefixes

        convert = term_converter()
        graph = bind_prefixes(Graph())
        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return graph

    def close(self) -> None:
        """Flush pending writes; the store closes when it is garbage-collected."""
        if not self.read_only:
            self._store.flush()
        self._store = None  # type: ignore[assignment]

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- rdflib results from pyoxigraph answers ------------------------------------------------------


def to_rdflib_result(answer, form: str):
    """An rdflib ``Result`` built from a pyoxigraph answer (rows converted one by one)."""
    from rdflib import Graph, Variable
    from rdflib.query import Result

    from mktgraph.graph import term_converter
    from mktgraph.namespaces import bind_prefixes

    convert = term_converter()
    if form == "ASK":
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if form in ("CONSTRUCT", "DESCRIBE"):
        result = Result(form)
        graph = bind_prefixes(Graph())
        add = graph.add
        for triple in answer:
            add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
        result.graph = graph
        return result
    result = Result("SELECT")
    names = [v.value for v in answer.variables]
    variables = [Variable(name) for name in names]
    result.vars = variables
    bindings = []
    append = bindings.append
    for solution in answer:
        row = {}
        for index, variable in enumerate(variables):
            value = solution[index]
            if value is not None:
                row[variable] = convert(value)
        append(row)
    result.bindings = bindings
    return result
