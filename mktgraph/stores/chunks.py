"""RDF files as a stream of N-Triples chunks of bounded size, ready to send to a server, with
blank nodes skolemised to content-derived IRIs (and turned back into blank nodes on the way out).

A server gives every blank node it receives a fresh identity, so loading a file twice would
duplicate its blank-node triples. Each blank node is sent instead as an IRI under
:data:`GENID` named from a digest of its file and the order in which it first appears there:
the same file gives the same IRIs (a second load adds nothing, as with ``--store``), and two
files never share one. Answers turn those IRIs back into blank nodes (:func:`unskolemise`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CHUNK = 50_000  # triples per Graph Store request: a few MB of N-Triples
# RDF 1.1 skolem IRIs live under /.well-known/genid/ of an authority; this one is mktgraph's.
GENID = "https://w3id.org/mktgraph/.well-known/genid/"
_READ_BLOCK = 1 << 20


@dataclass
class Chunk:
    """Triples in N-Triples, one triple a line (blank nodes already skolemised)."""

    triples: int
    data: bytes = b""

    def body(self, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
        """The request body: the triples between ``prefix`` and ``suffix``."""
        return prefix + self.data + suffix if prefix or suffix else self.data

    def parts(self, size: int) -> Iterator[tuple[int, bytes]]:
        """The chunk as pieces of at most ``size`` triples: (triples, N-Triples)."""
        lines = self.data.splitlines(keepends=True)
        for start in range(0, len(lines), size):
            piece = lines[start : start + size]
            yield len(piece), b"".join(piece)

    def close(self) -> None:
        """Nothing to release (kept so that senders can treat every body alike)."""


def file_digest(path: Path) -> str:
    """A digest of the file's bytes: the stem of its blank nodes' skolem IRIs."""
    import hashlib  # here: its OpenSSL binding costs a light command (query --store) 3 ms

    digest = hashlib.blake2b(digest_size=12)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_READ_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def input_digest(file: Any) -> str:
    """The digest of an input (a DataFile): of its bytes as stored (standard input: as read)."""
    from mktgraph.graph import _stdin

    if not file.is_stdin:
        return file_digest(Path(file.name))
    handle = _stdin()
    import hashlib

    digest = hashlib.blake2b(digest_size=12)
    for block in iter(lambda: handle.read(_READ_BLOCK), b""):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


def _triples(paths: Sequence[Any]) -> Iterator:
    """The triples of every file, as pyoxigraph triples (named graphs of quad formats merged),
    each blank node replaced by its skolem IRI."""
    from mktgraph.graph import check_input, reading

    files = [check_input(path) for path in paths]  # every file before anything is sent
    for file in files:
        stem = skolem_stem(file)
        with reading(file) as opened:
            yield from skolemised(opened.quads(), stem)


def first_seen_names(
    make: Callable[[int], Any], names: dict[Any, Any] | None = None
) -> Callable[[Any], Any]:
    """A function giving each distinct term (blank node, label) the name ``make(order)``, by
    the order in which it was first met: the same input, the same names. ``names``, if given,
    holds the names given so far (to carry them on from one call to the next)."""
    known = {} if names is None else names

    def name(term: Any) -> Any:
        found = known.get(term)
        if found is None:
            found = known[term] = make(len(known))
        return found

    return name


def skolem_stem(file: Any) -> str:
    """The start of the skolem IRIs of an input's blank nodes (a DataFile): from its digest."""
    return f"{GENID}b{input_digest(file)}x"


def skolemised(quads: Iterable[Any], stem: str) -> Iterator:
    """The triples of one input's quads (pyoxigraph), each blank node replaced by the IRI
    ``stem`` + the order in which it first appears: the same input, the same IRIs. The load
    and the as-written records of its literals (fastshacl.lexical) name blank nodes alike."""
    import pyoxigraph as ox

    blank_node, named_node, triple = ox.BlankNode, ox.NamedNode, ox.Triple
    skolem = first_seen_names(lambda order: named_node(f"{stem}{order}"))

    for quad in quads:
        subject, obj = quad.subject, quad.object
        subject_blank, object_blank = type(subject) is blank_node, type(obj) is blank_node
        if subject_blank or object_blank:
            yield triple(
                skolem(subject) if subject_blank else subject,
                quad.predicate,
                skolem(obj) if object_blank else obj,
            )
        else:
            yield quad.triple


def iter_chunks(paths: Sequence[Path], size: int = DEFAULT_CHUNK) -> Iterator[Chunk]:
    """Chunks of at most ``size`` triples, parsed as they are needed (memory bounded by
    ``size``)."""
    import pyoxigraph as ox

    stream = _triples(list(paths))
    while True:
        taken = 0

        def take() -> Iterator:
            nonlocal taken
            for item in stream:
                taken += 1
                yield item
                if taken >= size:
                    return

        data = ox.serialize(take(), format=ox.RdfFormat.N_TRIPLES)
        if taken:
            yield Chunk(taken, data)
        if taken < size:
            break


_SKOLEM_LABEL = re.compile(r"b[0-9a-f]{24}x[0-9]+")


def skolem_iri(label: str) -> str | None:
    """The skolem IRI a blank node labelled ``label`` stands for, when the label is one that
    ``skolem_stem`` names make (the label after GENID); else None."""
    return GENID + label if _SKOLEM_LABEL.fullmatch(label) else None


def is_skolem(iri: str) -> bool:
    """Whether ``iri`` stands for a blank node mktgraph sent to a server."""
    return iri.startswith(GENID)


def unskolemise(term: Any) -> Any:
    """An rdflib term with mktgraph's skolem IRIs turned back into blank nodes (the same IRI
    gives the same blank node, so pages of one answer join up)."""
    from rdflib import BNode, URIRef

    if type(term) is URIRef and term.startswith(GENID):
        return BNode(term[len(GENID) :])
    return term
