"""Literals as written beside the canonical forms Oxigraph keeps: records made at load, read by
the fast validator.

Oxigraph stores a literal by its value: ``"1.00"^^xsd:decimal`` becomes ``"1"``, ``"5"^^xsd:int``
becomes ``"5"^^xsd:integer``, ``"Hi"@EN`` becomes ``"Hi"@en``, and two writings of one value
become one triple. pySHACL sees the data as written, and its verdicts depend on it (sh:maxCount on
``"1.0"`` and ``"1.00"``, sh:pattern on ``490.00``, sh:datatype xsd:int...). So, while a graph is
loaded, each triple whose literal the store would rewrite is recorded twice, in two named graphs:

- ``CANONICALISED``: the triple as the store holds it (``s p "1"^^xsd:decimal``);
- ``AS_WRITTEN``: the triple as written, its literal *encoded* so that no store rewrites it
  (``s p "1.00"^^<urn:mktgraph:written:http://www.w3.org/2001/XMLSchema#decimal>``).

The values of ``s p`` as written are then the default graph's minus ``CANONICALISED``, plus
``AS_WRITTEN`` (``value_step``). A writing that is already canonical is recorded too when another
writing of the same value for the same subject and predicate is rewritten, so that both count.
Encoded literals carry their written form and datatype (or language tag) into the query results,
where ``decode`` gives them back; the SPARQL value tests see an unknown datatype and leave such
values to the exact Python checks.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

AS_WRITTEN = ox.NamedNode("urn:mktgraph:as-written")
CANONICALISED = ox.NamedNode("urn:mktgraph:canonicalised")


@dataclass(frozen=True)
class RecordGraphs:
    """The names of the two record graphs of one data graph."""

    as_written: str = AS_WRITTEN.value
    canonicalised: str = CANONICALISED.value

    @classmethod
    def of(cls, graph: str | None) -> RecordGraphs:
        """The record graphs of the default graph (None) or of the named graph ``graph`` (on a
        server: ``urn:mktgraph:as-written:`` and the graph's IRI)."""
        if graph is None:
            return cls()
        return cls(f"{AS_WRITTEN.value}:{graph}", f"{CANONICALISED.value}:{graph}")


WRITTEN_PREFIX = "urn:mktgraph:written:"
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes whose literals Oxigraph stores by value (and may so rewrite); others stay as written.
_BY_VALUE = frozenset(
    _XSD + name
    for name in (
        "boolean", "float", "double", "decimal", "integer", "dateTime", "dateTimeStamp", "time",
        "date", "gYearMonth", "gYear", "gMonthDay", "gDay", "gMonth", "duration",
        "yearMonthDuration", "dayTimeDuration", "int", "long", "short", "byte",
        "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
        "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
)  # fmt: skip
# Writings that are surely canonical already (most data): no need to ask Oxigraph.
_SURELY_CANONICAL = {
    _XSD + "integer": re.compile(r"(0|-?[1-9][0-9]*)"),
    # Not "-0": Oxigraph keeps it as "0".
    _XSD + "decimal": re.compile(r"0|-?[1-9][0-9]*(\.[0-9]*[1-9])?|-?0\.[0-9]*[1-9]"),
    _XSD + "boolean": re.compile(r"true|false"),
    # Any day of the month: Oxigraph keeps a date that does not exist (2023-02-30) as written.
    _XSD + "date": re.compile(r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z)?"),
    _XSD + "dateTime": re.compile(
        r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:"
        r"[0-5][0-9](\.[0-9]*[1-9])?(Z|[+-](0[1-9]|1[0-3]):[0-5][0-9]|[+-]00:[0-5][1-9])?"
    ),
}
_CACHE_LIMIT = 200_000


def by_value_datatypes() -> frozenset[str]:
    """The datatypes whose literals Oxigraph stores by value (for byte-level searches)."""
    return _BY_VALUE


def surely_canonical_patterns() -> dict[str, str]:
    """Per datatype, a regular expression of writings surely canonical already (for
    byte-level searches: a writing that matches needs no record)."""
    return {datatype: pattern.pattern for datatype, pattern in _SURELY_CANONICAL.items()}


class Canonicaliser:
    """Oxigraph's canonical form of a literal, asked of Oxigraph itself (a scratch store in
    memory) unless the writing is surely canonical; remembered, as values repeat."""

    def __init__(self) -> None:
        self._scratch = ox.Store()
        self._subject = ox.NamedNode("urn:mktgraph:scratch")
        self._cache: dict[ox.Literal, ox.Literal] = {}
        self._records: dict[ox.Literal, ox.Literal | None] = {}
        self._lock = threading.Lock()

    def prime(self, literals: Iterable[Any]) -> None:
        """Ask Oxigraph the canonical forms of many literals at once (one scratch store for
        them all, not a round trip each), for the calls that follow; other terms ignored."""
        todo = []
        for literal in dict.fromkeys(literals):
            if type(literal) is not ox.Literal or literal.language is not None:
                continue
            datatype = literal.datatype.value
            if datatype not in _BY_VALUE or literal in self._cache:
                continue
            surely = _SURELY_CANONICAL.get(datatype)
            if surely is None or not surely.fullmatch(literal.value):
                todo.append(literal)
        todo = todo[: max(0, _CACHE_LIMIT - len(self._cache))]
        if not todo:
            return
        scratch = ox.Store()
        scratch.bulk_extend(
            ox.Quad(ox.NamedNode(f"urn:mktgraph:scratch:{index}"), self._subject, literal)
            for index, literal in enumerate(todo)
        )
        for quad in scratch:
            literal = todo[int(quad.subject.value.rpartition(":")[2])]
            stored = quad.object
            if stored == literal and stored.value == literal.value:
                stored = literal
            self._cache[literal] = stored

    def __call__(self, literal: ox.Literal) -> ox.Literal:
        """The literal the store holds for ``literal`` (the same object when unchanged)."""
        if literal.language is not None:
            # Language tags are lowercased; rdflib, so pySHACL, compares them ignoring case.
            return literal
        datatype = literal.datatype.value
        if datatype not in _BY_VALUE:
            return literal
        surely = _SURELY_CANONICAL.get(datatype)
        if surely is not None and surely.fullmatch(literal.value):
            return literal
        known = self._cache.get(literal)
        if known is not None:
            return known
        with self._lock:
            scratch, subject = self._scratch, self._subject
            scratch.add(ox.Quad(subject, subject, literal))
            stored = next(iter(scratch.quads_for_pattern(subject, subject, None))).object
            # Removing the one quad: Store.clear() costs 0.2 ms a call (2 s per 10k values).
            scratch.remove(ox.Quad(subject, subject, stored))
        if stored == literal and stored.value == literal.value:
            stored = literal
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[literal] = stored
        return stored

    def record(self, literal: ox.Literal) -> ox.Literal | None:
        """The encoded literal to record for ``literal``, or None when the store keeps it as
        pySHACL reads it. pySHACL reads literals through rdflib, which normalises some forms
        itself ("01" is 1, "1"^^xsd:boolean is true): a rewriting matters only when rdflib
        reads the store's form differently from the writing."""
        return self.record_of(literal, self(literal))

    def record_of(self, literal: ox.Literal, stored: ox.Literal) -> ox.Literal | None:
        """``record(literal)``, given ``stored = self(literal)`` already."""
        if stored is literal:
            return None
        known = self._records.get(literal, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        written = _rdflib_form(literal)
        found = None if written == _rdflib_form(stored) else encode(written)
        if len(self._records) < _CACHE_LIMIT:
            self._records[literal] = found
        return found


_UNKNOWN = object()


def _rdflib_form(literal: ox.Literal) -> ox.Literal:
    """The literal as rdflib reads it (its lexical normalisation), as a pyoxigraph literal."""
    datatype = literal.datatype
    read = _READ_AS_RDFLIB_DOES.get(datatype.value)
    if read is not None:
        return ox.Literal(read(literal.value), datatype=datatype)
    made = _RDFLIB_DATATYPES.get(datatype.value)
    if made is None:  # rdflib imported, and the datatype made, once (a load asks 10^4-10^5 times)
        from rdflib import Literal, URIRef

        from mktgraph.fastshacl.checks import quiet_rdflib

        made = _RDFLIB_DATATYPES[datatype.value] = (URIRef(datatype.value), Literal, quiet_rdflib)
    rdflib_datatype, rdflib_literal, quiet = made
    with quiet():
        text = str(rdflib_literal(literal.value, datatype=rdflib_datatype))
    return ox.Literal(text, datatype=datatype)


_RDFLIB_DATATYPES: dict[str, tuple] = {}


# rdflib's reading of the two datatypes that are 97% of the rewritten literals of a load, done
# with the very functions rdflib calls, without building an rdflib Literal (a sixth of the cost;
# tests/fastshacl/test_as_written.py holds them to rdflib's own on generated and hostile values).
# rdflib.Literal(text, datatype=...) maps the text to a value (Decimal, datetime.fromisoformat),
# keeps the text when that fails, and otherwise writes the value back (f"{value:f}",
# value.isoformat()).
def _decimal_as_rdflib_reads(text: str) -> str:
    try:
        value = Decimal(text)
    except Exception:  # as rdflib: any failure leaves the writing as it is
        return text
    return f"{value:f}"


def _datetime_as_rdflib_reads(text: str) -> str:
    try:
        value = datetime.fromisoformat(text)
    except Exception:  # as rdflib: any failure leaves the writing as it is
        return text
    return value.isoformat()


_READ_AS_RDFLIB_DOES: dict[str, Callable[[str], str]] = {
    _XSD + "decimal": _decimal_as_rdflib_reads,
    _XSD + "dateTime": _datetime_as_rdflib_reads,
}


def encode(literal: ox.Literal) -> ox.Literal:
    """A literal no store rewrites, holding ``literal``'s writing and datatype or language."""
    if literal.language is not None:
        return ox.Literal(
            literal.value, datatype=ox.NamedNode(f"{WRITTEN_PREFIX}@{literal.language}")
        )
    return ox.Literal(literal.value, datatype=ox.NamedNode(WRITTEN_PREFIX + literal.datatype.value))


def decode(term: Any) -> Any:
    """The literal as written, for an encoded one; any other term unchanged."""
    if type(term) is ox.Literal and term.datatype.value.startswith(WRITTEN_PREFIX):
        kind = term.datatype.value[len(WRITTEN_PREFIX) :]
        if kind.startswith("@"):
            return ox.Literal(term.value, language=kind[1:])
        return ox.Literal(term.value, datatype=ox.NamedNode(kind))
    return term


def is_encoded(term: Any) -> bool:
    return type(term) is ox.Literal and term.datatype.value.startswith(WRITTEN_PREFIX)


def written_term(literal: ox.Literal, canonicalise: Canonicaliser) -> ox.Literal:
    """How a literal constant of a shape (sh:in, sh:hasValue...) must be written in a query to
    match the data as written: encoded when a writing of it would be recorded."""
    if literal.language is not None:
        return literal
    return canonicalise.record(literal) or literal


class Recorder:
    """Watches the quads of a load and makes the records of the literals the store rewrites.

    ``watch`` passes the quads through; ``add_to(store)`` then adds the records. ``existing``,
    if given, says whether the store already holds a triple when the watch meets a rewritten
    writing of it (a canonical writing loaded earlier counts beside the rewritten one): give it
    only when the store is not being loaded with these quads at the same time. With
    ``keep_writings``, the rewritten triples are also kept as written (``writings``), for a
    server (record_quads).
    """

    def __init__(
        self,
        canonicalise: Canonicaliser | None = None,
        existing: Callable[[ox.Quad], bool] | None = None,
        *,
        keep_writings: bool = False,
    ) -> None:
        self.canonicalise = canonicalise or Canonicaliser()
        self.existing = existing
        self.rewritten: dict[tuple, bool] = {}  # (s, p, stored) -> whether written canonically too
        self.derived_integers = False  # a literal of a datatype derived from xsd:integer was seen
        self._written: list[ox.Quad] = []
        # The rewritten triples as written: a server that stores literals otherwise than
        # Oxigraph holds them in its own form (record_quads).
        self.writings: list[ox.Quad] = []
        self._keep_writings = keep_writings
        self._canonical_keys: set[int] = set()  # hashes of (s, p, o) written canonically

    def watch(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        canonicalise = self.canonicalise
        literal = ox.Literal
        by_value = _BY_VALUE
        canonical_keys = self._canonical_keys
        written = self._written
        writings = self.writings if self._keep_writings else None
        rewritten = self.rewritten
        existing = self.existing
        for quad in quads:
            obj = quad.object
            # Each attribute read of a pyoxigraph term makes a new Python object: read once.
            if type(obj) is literal and (datatype := obj.datatype.value) in by_value:
                stored = canonicalise(obj)
                recorded = canonicalise.record_of(obj, stored)
                subject, predicate = quad.subject, quad.predicate
                if recorded is None:
                    canonical_keys.add(hash((subject, predicate, stored)))
                else:
                    written.append(ox.Quad(subject, predicate, recorded, AS_WRITTEN))
                    if writings is not None:
                        writings.append(ox.Quad(subject, predicate, obj, CANONICALISED))
                    key = (subject, predicate, stored)
                    if key not in rewritten:
                        rewritten[key] = existing is not None and existing(
                            ox.Quad(subject, predicate, stored)
                        )
                    if stored.datatype.value != datatype:
                        self.derived_integers = True
            yield quad

    def records(self) -> list[ox.Quad]:
        """The record quads of everything watched so far (CANONICALISED and AS_WRITTEN)."""
        found = list(self._written)
        for (subject, predicate, stored), earlier in self.rewritten.items():
            found.append(ox.Quad(subject, predicate, stored, CANONICALISED))
            if earlier or hash((subject, predicate, stored)) in self._canonical_keys:
                # A writing the store keeps as pySHACL reads it was there too: a value of its own.
                found.append(ox.Quad(subject, predicate, stored, AS_WRITTEN))
        return found

    def add_to(self, store: ox.Store) -> int:
        """Add the records to a pyoxigraph store; how many triples the store rewrote."""
        records = self.records()
        if records:
            store.extend(records)
        return len(self.rewritten)


def held_before(store: ox.Store) -> Callable[[ox.Quad], bool]:
    """``Recorder.existing`` for a store: it holds the triple in its default graph, written
    canonically (not recorded as a rewriting)."""
    default = ox.DefaultGraph()

    def existing(quad: ox.Quad) -> bool:
        s, p, o = quad.subject, quad.predicate, quad.object
        if not any(True for _ in store.quads_for_pattern(s, p, o, default)):
            return False
        return not any(True for _ in store.quads_for_pattern(s, p, o, CANONICALISED))

    return existing


def recorded_predicates(
    select: Callable[[str], Any], graphs: RecordGraphs = RecordGraphs()
) -> frozenset[str]:
    """The predicates (IRIs) of the triples a graph holds records of: a step along any other
    predicate reads the default graph alone (``value_step``). Empty: the graph has no records."""
    rows = select(
        f"SELECT DISTINCT ?p WHERE {{ {{ GRAPH <{graphs.canonicalised}> {{ ?s ?p ?o }} }} "
        f"UNION {{ GRAPH <{graphs.as_written}> {{ ?s ?p ?o }} }} }}"
    )
    return frozenset(row[0].value for row in rows)


_IRI = re.compile(r"<([^<>]*)>")


def value_step(
    subject: str,
    predicate: str,
    obj: str,
    graphs: RecordGraphs = RecordGraphs(),
    recorded: frozenset[str] | None = None,
) -> str:
    """A SPARQL group pattern for one forward step ``subject predicate obj`` over the data as
    written (``predicate`` an IRI, a predicate path of alternatives, or a variable). Given the
    ``recorded`` predicates, a step along IRIs none of which is recorded is the plain triple
    pattern: the same triples, and Oxigraph can look the values of a bound subject up."""
    if (
        recorded is not None
        and not predicate.startswith("?")
        and not any(iri in recorded for iri in _IRI.findall(predicate))
    ):
        return f"{subject} {predicate} {obj} ."
    return (
        f"{{ {{ {subject} {predicate} {obj} MINUS {{ GRAPH <{graphs.canonicalised}> "
        f"{{ {subject} {predicate} {obj} }} }} }} UNION "
        f"{{ GRAPH <{graphs.as_written}> {{ {subject} {predicate} {obj} }} }} }}"
    )


def record_quads(recorder: Recorder, graphs: RecordGraphs) -> list[ox.Quad]:
    """The recorder's records in the record graphs ``graphs`` (for a server's named graph).

    ``CANONICALISED`` also gets each rewritten triple as written: the server stores it as it
    stores the data's triple, so the records subtract that triple even where the server's form
    is not Oxigraph's (Virtuoso keeps ``"300"^^xsd:byte``, which Oxigraph stores as
    ``"300"^^xsd:integer``; without it the value counted twice, as held and as written). A
    server that stores literals as Oxigraph does makes it the record it has already."""
    names = {
        AS_WRITTEN: ox.NamedNode(graphs.as_written),
        CANONICALISED: ox.NamedNode(graphs.canonicalised),
    }
    return [
        ox.Quad(q.subject, q.predicate, q.object, names[q.graph_name])
        for q in (*recorder.records(), *recorder.writings)
    ]


def send_records(store: Any, paths: Iterable[Any], *, replace: bool = False) -> int:
    """After a load into a server (``mktgraph.stores.http.HttpStore``), send the records of
    the literals it rewrites: the files are parsed here once more, their blank nodes named by
    the skolem IRIs the load gave them (mktgraph.stores.chunks), so that the records of a
    blank node's literals meet its triples in the server. How many records were sent."""
    from mktgraph.graph import data_file, reading
    from mktgraph.stores.chunks import skolem_stem, skolemised

    recorder = Recorder(keep_writings=True)
    for item in paths:
        file = data_file(item)
        if file.is_stdin:
            continue  # read once already, by the load
        stem = skolem_stem(file)
        with reading(file) as opened:
            for _triple in recorder.watch(skolemised(opened.quads(), stem)):
                pass
    graphs = RecordGraphs.of(store.graph)
    records = record_quads(recorder, graphs)
    if not records and not replace:
        return 0
    clear = (graphs.as_written, graphs.canonicalised) if replace else ()
    return store.insert_quads(records, clear=clear)
