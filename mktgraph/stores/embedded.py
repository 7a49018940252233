"""The persistent embedded store: a pyoxigraph (RocksDB) folder holding a company graph on disk."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from mktgraph.errors import InputError, QueryError
from mktgraph.formats import GRAPH_FORMATS
from mktgraph.oxrdf import merge_module_quads, ox_format
from mktgraph.queries import CsvAnswer
from mktgraph.stores import LoadReport
from mktgraph.stores.chunks import file_digest, first_seen_names

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

# What an in-memory store (EmbeddedStore.in_memory) gives as its path.
IN_MEMORY = "(in memory)"

# A file's triples reach the store all at once or not at all (bulk loads write nothing until
# their input ends); files before it in the same load are in.
_NOT_LOADED = " (none of its triples are in the store)"

# Formats of triples only, converted to N-Triples to load (quad formats go through Python
# quads: their named graphs are merged into the default graph).
_CONVERTED = {"turtle", "xml", "json-ld"}

Progress = Callable[[int, float], None]  # (triples loaded so far, seconds since the start)
_PROGRESS_EVERY = 50_000


@dataclass(frozen=True)
class EmbeddedSpec:
    """Where an embedded store is: a folder (the CLI's --store DIR)."""

    path: str
    backend: str = "embedded"


class _Ticker:
    """Tells ``progress`` (if any) each time another _PROGRESS_EVERY triples have gone by."""

    def __init__(self, progress: Progress | None) -> None:
        import time

        self.progress = progress
        self.done = 0
        self._start = time.monotonic()

    def add(self, count: int) -> None:
        if self.progress is None:
            return
        import time

        before, self.done = self.done, self.done + count
        for mark in range(
            (before // _PROGRESS_EVERY + 1) * _PROGRESS_EVERY, self.done + 1, _PROGRESS_EVERY
        ):
            self.progress(mark, time.monotonic() - self._start)

    def counting(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """The quads, counted as they go by (a Python step per quad: only with progress)."""
        count = 0
        for quad in quads:
            count += 1
            if count == 1000:
                self.add(count)
                count = 0
            yield quad
        self.add(count)


def _written_canonically(
    blocks: Iterable[bytes], label: bytes | None, keys: list[tuple]
) -> set[tuple]:
    """Which of ``keys`` (subject, predicate, stored literal) N-Triples blocks write
    canonically (their blank nodes scoped with ``label``, if given)."""
    from mktgraph.stores.ntriples import Writings, scope_labels

    xsd = "http://www.w3.org/2001/XMLSchema#"
    writings = Writings(
        {
            (o.value.encode(), o.datatype.value[len(xsd) :].encode())
            for _s, _p, o in keys
            if o.datatype.value.startswith(xsd)
        }
    )
    keyset, found = set(keys), set()
    for block in blocks:
        lines = writings(block)
        if lines:
            text = b"".join(lines) if label is None else scope_labels(b"".join(lines), label)
            for quad in ox.parse(input=text, format=ox_format("nt")):
                key = (quad.subject, quad.predicate, quad.object)
                if key in keyset:
                    found.add(key)
    return found


def _stable_blank_nodes(quads: Iterable[ox.Quad], salt: str) -> Iterator[ox.Quad]:
    """The quads in the default graph, blank nodes renamed from the file's digest and the order in
    which they first appear: loading the same file again gives the same nodes (no duplicates), and
    two files never share a blank node (RDF merge, not union)."""
    blank = ox.BlankNode
    default = ox.DefaultGraph()
    rename = first_seen_names(lambda order: blank(f"b{salt}x{order}"))

    for quad in quads:
        subject, obj = quad.subject, quad.object
        if type(subject) is blank:
            subject = rename(subject)
        if type(obj) is blank:
            obj = rename(obj)
        yield ox.Quad(subject, quad.predicate, obj, default)


def read_as_blocks(fmt: str) -> bool:
    """Whether a load reads inputs of format ``fmt`` as blocks of N-Triples lines (which
    ``EmbeddedStore.watch_blocks`` is told of), rather than as Python quads."""
    return fmt == "nt" or fmt in _CONVERTED


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a file loads: the load makes many objects and no
    cycles, and each full collection walks every live object (at 3M triples a fifth of the
    lexical-form recorder's time); what cycles there are go at the next collection."""
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _bundled_ontology_digest() -> str:
    """The digest that names the bundled ontology's copy in a store."""
    import hashlib

    from mktgraph import resources

    digest = hashlib.blake2b(digest_size=12)
    digest.update(b"modules merged\0")  # stores holding the modules' own headers are redone
    for path in resources.ontology_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _ontology_quads(digest: str) -> list[ox.Quad]:
    """The quads that put the bundled ontology into a store: its triples in the default graph
    and in ONTOLOGY_GRAPH, and its ``digest`` in the bookkeeping."""
    from mktgraph import resources

    quads: list[ox.Quad] = []
    for path in resources.ontology_files():
        parsed = ox.parse(path=str(path), format=ox_format("turtle"))
        quads.extend(_stable_blank_nodes(parsed, file_digest(path)))
    quads = merge_module_quads(quads)
    quads += [ox.Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH) for q in quads]
    quads.append(ox.Quad(_META_SUBJECT, _ONTOLOGY_DIGEST, ox.Literal(digest), META_GRAPH))
    return quads


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
        self._opened(read_only, _NOT_LOADED)

    def _opened(self, read_only: bool, load_note: str) -> None:
        """The state beside the store itself, for a folder and for memory alike."""
        self.read_only = read_only
        self._load_note = load_note  # what a parse error adds about the triples already in
        # Told each block of N-Triples lines a load reads (validate FILE scans them for
        # mktgraph terms the ontology lacks, without a second pass over the data).
        self.watch_blocks: Callable[[bytes], None] | None = None

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A store held in memory only, for one command (``validate FILE``): loaded exactly as
        a folder is (lexical-form records, the ontology, blank nodes scoped by file), gone when
        it is closed. A file that fails to load leaves nothing behind to complete later."""
        store = cls.__new__(cls)
        store.path = Path(IN_MEMORY)
        store._store = ox.Store()
        store._opened(read_only=False, load_note="")
        return store

    # -- facts --------------------------------------------------------------------------------

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for the fast validator and benchmarks)."""
        return self._store

    def triple_count(self) -> int:
        """Triples in the default graph: the data plus the ontology. All the store's quads (a
        count of keys, without decoding terms: twice as fast as counting the default graph by
        a query) less those of its named graphs (bookkeeping, records, inferences)."""
        store = self._store
        named = 0
        for graph in store.named_graphs():
            if isinstance(graph, ox.NamedNode):
                rows = store.query(
                    f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"
                )
                named += int(next(iter(rows))[0].value)
            else:
                named += sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        return len(store) - named

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
        from mktgraph.graph import check_input

        if protocol is not None:
            raise InputError("--protocol is for servers; an embedded store loads directly")
        files = [check_input(p) for p in paths]
        if replace:
            self._store.clear()
        # Into an empty store, the data go first and the ontology with the last file's last
        # bulk load: the store's tree then gets the data's sorted files on its last level, and
        # one more set beside them. After anything else (the ontology's few thousand triples
        # first, or any write after), RocksDB merges them all again: at 1M triples 1-1.5 s of
        # CPU beside the load.
        empty = next(iter(self._store), None) is None
        before = self.triple_count() if not empty and self.ontology_digest() else 0
        if not empty:
            self.ensure_ontology()
        ticker = _Ticker(progress)
        for number, file in enumerate(files, 1):
            trailing: list[ox.Quad] = []
            if empty and number == len(files):
                trailing = _ontology_quads(_bundled_ontology_digest())
            with _no_cycle_collection():
                if file.format == "nt":
                    self._load_n_triples(file, ticker, trailing)
                elif file.format in _CONVERTED:
                    self._load_converted(file, ticker, trailing)
                else:
                    self._load_quads(file, ticker, trailing)
        if empty and not files:
            self.ensure_ontology()
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

    def _load_n_triples(self, file, ticker: _Ticker, trailing: list[ox.Quad]):
        """Load an N-Triples input (a graph.DataFile: a file, gzipped or not, or standard
        input) by _load_blocks, its blank node labels prefixed with the input's digest
        (ntriples.scope_labels): loading it again gives the same nodes (nothing is added),
        and two inputs never share a blank node. Returns the recorder (_load_blocks)."""
        from mktgraph.graph import reading
        from mktgraph.stores.chunks import input_digest
        from mktgraph.stores.ntriples import line_blocks

        scope = input_digest(file)  # first: standard input's copy is rewound by reading()
        with reading(file, note=self._load_note) as opened:
            here = opened.stream.tell() if opened.stream is not None else 0

            @contextlib.contextmanager
            def blocks():
                if opened.path is not None:
                    with opened.path.open("rb") as raw:
                        yield line_blocks(raw)
                else:
                    opened.stream.seek(here)
                    yield line_blocks(opened.stream)

            try:
                label = b"_:b" + scope.encode("ascii") + b"x"
                return self._load_blocks(blocks, label, ticker, trailing)
            except SyntaxError:
                # Line numbers of blocks are not the file's: the file's own first error.
                if opened.stream is not None:
                    opened.stream.seek(here)
                for _quad in opened.quads():
                    pass
                raise

    def _load_converted(self, file, ticker: _Ticker, trailing: list[ox.Quad]):
        """Load a Turtle, RDF/XML or JSON-LD input: parsed once by pyoxigraph and written as
        N-Triples to a temporary file, from Rust, then loaded by _load_blocks. Its blank nodes
        (labelled or not) are named from the input's digest and the order in which they first
        appear (ntriples.number_labels): the same input gives the same nodes. A syntax error
        stops it before anything is loaded. Returns the recorder (_load_blocks)."""
        import tempfile

        from mktgraph.graph import reading
        from mktgraph.stores.chunks import input_digest
        from mktgraph.stores.ntriples import line_blocks, number_labels

        prefix = b"_:b" + input_digest(file).encode("ascii") + b"x"
        with tempfile.TemporaryFile(prefix="mktgraph-load-") as converted:
            with reading(file) as opened:
                quads = ox.parse(
                    **opened.source,
                    format=ox_format(opened.format),
                    base_iri=opened.base_iri,
                    rename_blank_nodes=True,  # labels and anonymous nodes alike
                )
                ox.serialize(quads, converted, ox_format("nt"))
            names: dict[bytes, bytes] = {}

            @contextlib.contextmanager
            def blocks():
                converted.seek(0)
                yield (number_labels(block, names, prefix) for block in line_blocks(converted))

            return self._load_blocks(blocks, None, ticker, trailing)

    def _load_blocks(self, blocks, label: bytes | None, ticker: _Ticker, trailing: list[ox.Quad]):
        """Load N-Triples from ``blocks()`` (a context giving blocks of whole lines, anew each
        time) with no Python step per triple. The lines without a blank node go through a pipe
        to the bulk loader, which parses them in Rust, outside the GIL, while the blocks are
        read (it would name blank nodes afresh). Then, in a bulk load beside it: the lines with
        a ``_:``, set aside, their labels prefixed with ``label`` if given, parsed by
        pyoxigraph into quads that keep their labels; the few lines whose literal the store
        may rewrite, held back; the records of the lexical-form recorder; and ``trailing``.

        The two loads end together. Into a store holding data, the pipe's load is committed
        from within the other, after its quads and the recorder's work: whether a held value
        was also written canonically is then a look-up in the store, which holds the first
        lines, or among the set-aside lines as they went by. Into an empty store (a first load,
        --replace), the pipe's input ends as soon as the set-aside lines are parsed: its sort
        (Oxigraph sorts a batch once its input ends: 5 s on one thread at 1M) runs beside the
        recorder's work and the other load's sort, and it usually ends last. The other lines of
        the file then say whether a held value was written canonically (a second read of the
        blocks, 0.15 s a million triples); a failure after the pipe's input ended empties the
        store again. A store in memory is locked by a bulk load: there the pipe's load ends
        first. A syntax error anywhere stops both loads, and the store is as it was. Returns
        the recorder, its records added."""
        import itertools
        import tempfile

        from mktgraph.fastshacl import lexical
        from mktgraph.fastshacl.checks import quiet_rdflib
        from mktgraph.stores.ntriples import RewrittenLiterals, scope_labels
        from mktgraph.streamed_load import PipeLoad

        finder = RewrittenLiterals(
            lexical.by_value_datatypes(), lexical.surely_canonical_patterns()
        )
        nt = ox_format("nt")
        held: list[bytes] = []
        together = self.path != Path(IN_MEMORY)  # both loads end together (see above)
        last = together and next(iter(self._store), None) is None  # the pipe's load ends last

        def scoped(lines: bytes) -> bytes:
            return lines if label is None else scope_labels(lines, label)

        with (
            tempfile.TemporaryFile(prefix="mktgraph-blank-") as aside,
            PipeLoad(self._store) as piped,
        ):
            with blocks() as source:
                for block in source:
                    if ticker.progress is not None:  # counting lines costs 0.05 s a million
                        ticker.add(block.count(b"\n"))
                    if self.watch_blocks is not None:
                        self.watch_blocks(block)
                    rewritten, blank, rest = finder.partition(block)
                    held.extend(rewritten)
                    if blank:
                        aside.write(scoped(b"".join(blank)))
                    # One write a block: a write costs a system call.
                    piped.write(rest[0] if len(rest) == 1 else b"".join(rest))
            if not together:
                piped.commit()
            aside.seek(0)
            parsed = list(ox.parse(input=scoped(b"".join(held)), format=nt))
            canonicalise = lexical.Canonicaliser()
            canonicalise.prime(quad.object for quad in parsed)
            literal = ox.Literal
            # The triples of the held lines as the store holds them: a set-aside line may
            # write one of them canonically (a held line is never a set-aside one). Into an
            # empty store the second read of the blocks finds those too, with no Python step
            # per set-aside quad.
            wanted = (
                set()
                if last
                else {
                    (quad.subject, quad.predicate, canonicalise(quad.object))
                    for quad in parsed
                    if type(quad.object) is literal
                }
            )
            written_aside: set[tuple] = set()

            def set_aside() -> Iterator[ox.Quad]:
                for quad in ox.parse(input=aside, format=nt):
                    obj = quad.object
                    if type(obj) is literal:
                        key = (quad.subject, quad.predicate, obj)
                        if key in wanted:
                            written_aside.add(key)
                    yield quad

            asked: list[tuple] = []  # triples to look up once the store holds the first lines

            def ask_later(quad: ox.Quad) -> bool:
                asked.append((quad.subject, quad.predicate, quad.object))
                return False  # until the look-up says otherwise

            recorder = lexical.Recorder(canonicalise, existing=ask_later)

            def held_and_records() -> Iterator[ox.Quad]:
                # Once the set-aside quads have gone by (the store does not show them yet).
                if last:
                    # Every line is parsed now (no syntax error left to stop the load): the
                    # pipe's load sorts and writes its quads while this one ends.
                    piped.end_input()
                with quiet_rdflib():  # once, not once per literal read through rdflib
                    quads = list(recorder.watch(parsed))
                seen = [key for key in asked if key in written_aside]
                if last:  # nothing in the store yet: the file's other lines say
                    ambiguous = asked
                else:
                    piped.commit()  # the first lines in the store (at once if done already)
                    ambiguous = []
                    in_store = self._held_canonically(ambiguous)
                    seen += [key for key in asked if key not in written_aside and in_store(key)]
                if ambiguous:
                    with blocks() as source:
                        seen += _written_canonically(source, label, ambiguous)
                recorder.rewritten.update(dict.fromkeys(seen, True))
                yield from quads
                yield from recorder.records()
                yield from self._marks(recorder)
                yield from trailing

            source = set_aside() if wanted else ox.parse(input=aside, format=nt)
            try:
                self._store.bulk_extend(itertools.chain(source, held_and_records()))
                if last:
                    piped.commit()
            except BaseException:
                if last and piped.input_ended:  # the pipe's load may be in: empty before
                    with contextlib.suppress(BaseException):
                        piped.commit()
                    self._store.clear()
                raise
        return recorder

    def _marks(self, recorder) -> list[ox.Quad]:
        """The bookkeeping a load's recorder calls for: that derived integers were seen."""
        if recorder.derived_integers and not self.derived_integers_collapsed():
            return [ox.Quad(_META_SUBJECT, _COLLAPSED, ox.Literal("true"), META_GRAPH)]
        return []

    def _held_canonically(self, ambiguous: list[tuple]) -> Callable[[tuple], bool]:
        """Whether the store holds a triple (subject, predicate, object), once a file's other
        lines are loaded, written canonically by this file or an earlier one. A triple an
        earlier load recorded as rewritten may also be written canonically here: such triples
        are added to ``ambiguous`` (False for now) for the file to say."""
        from mktgraph.fastshacl.lexical import CANONICALISED as canonicalised

        store, default = self._store, ox.DefaultGraph()
        # No record yet (a first load): nothing rewritten earlier to tell apart.
        records = next(iter(store.quads_for_pattern(None, None, None, canonicalised)), None)

        def existing(triple: tuple) -> bool:
            # ``in``: one key look-up, a third of the cost of a pattern's first match.
            s, p, o = triple
            if ox.Quad(s, p, o, default) not in store:
                return False
            if records is None or ox.Quad(s, p, o, canonicalised) not in store:
                return True
            ambiguous.append((s, p, o))
            return False

        return existing

    def _load_quads(self, file, ticker: _Ticker, trailing: list[ox.Quad]):
        """Load any other input through Python quads: blank nodes renamed from the input's
        digest in the order they appear, every literal shown to the recorder. Returns it."""
        from mktgraph.fastshacl import lexical
        from mktgraph.graph import reading
        from mktgraph.stores.chunks import input_digest

        # Only the ontology so far: no earlier writing of a value to look up while loading.
        fresh = self.triple_count() == self._ontology_triples()
        recorder = lexical.Recorder(existing=None if fresh else lexical.held_before(self._store))
        salt = input_digest(file)
        with reading(file, note=self._load_note) as opened:
            stable = recorder.watch(_stable_blank_nodes(opened.quads(), salt))
            if ticker.progress is not None:
                stable = ticker.counting(stable)
            self._store.bulk_extend(stable)
        # In bulk: a transaction costs 50 us a record.
        self._store.bulk_extend([*recorder.records(), *self._marks(recorder), *trailing])
        return recorder

    def ensure_ontology(self) -> bool:
        """Put the bundled ontology into the store, replacing an older copy; True if it changed."""
        wanted = _bundled_ontology_digest()
        if self.ontology_digest() == wanted:
            return False
        store = self._store
        # Drop the old copy from the default graph, then the old bookkeeping.
        store.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} }}"
        )
        store.clear_graph(ONTOLOGY_GRAPH)
        store.clear_graph(META_GRAPH)
        store.extend(_ontology_quads(wanted))
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
