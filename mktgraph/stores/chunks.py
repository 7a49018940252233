"""RDF files as a stream of N-Triples chunks of bounded size, ready to send to a server."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

DEFAULT_CHUNK = 50_000  # triples per Graph Store request: a few MB of N-Triples
_SPOOL_IN_MEMORY = 8 << 20  # blank-node triples beyond 8 MB go to a temporary file


@dataclass
class Chunk:
    """Triples in N-Triples (one triple a line), in memory or in a spooled temporary file.

    Triples with blank nodes all come in one last chunk (``blank_nodes``): a blank node is
    scoped to one request, so splitting them over several would split the node.
    """

    triples: int
    data: bytes = b""
    spool: IO[bytes] | None = None
    blank_nodes: bool = False

    def body(self, prefix: bytes = b"", suffix: bytes = b"") -> bytes | IO[bytes]:
        """The request body: the triples between ``prefix`` and ``suffix`` (a rewindable file
        for a spooled chunk, so memory stays bounded and digest authentication can resend)."""
        if self.spool is None:
            return prefix + self.data + suffix if prefix or suffix else self.data
        body = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 (returned)
        body.write(prefix)
        self.spool.seek(0)
        while block := self.spool.read(1 << 20):
            body.write(block)
        body.write(suffix)
        body.seek(0)
        return body

    def parts(self, size: int) -> Iterator[tuple[int, bytes]]:
        """The chunk as pieces of at most ``size`` triples: (triples, N-Triples)."""
        if self.spool is not None:
            raise ValueError("a chunk with blank nodes must be sent whole")
        lines = self.data.splitlines(keepends=True)
        for start in range(0, len(lines), size):
            piece = lines[start : start + size]
            yield len(piece), b"".join(piece)

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


def _triples(paths: Sequence[Path], on_blank: Callable) -> Iterator:
    """The triples of every file, as pyoxigraph triples (named graphs of quad formats merged).

    Triples with a blank node go to ``on_blank`` instead, their blank nodes renamed per file:
    two files never share a blank node, as when they are merged locally.
    """
    import pyoxigraph as ox

    from mktgraph.graph import check_input, reading

    for path in paths:
        check_input(path)  # every file before anything is sent
    blank_node, triple = ox.BlankNode, ox.Triple
    for index, path in enumerate(paths):
        prefix = f"m{index}x"

        def rename(term, prefix=prefix):
            return blank_node(prefix + term.value) if type(term) is blank_node else term

        with reading(path) as opened:
            for quad in opened.quads():
                subject, obj = quad.subject, quad.object
                if type(subject) is blank_node or type(obj) is blank_node:
                    on_blank(triple(rename(subject), quad.predicate, rename(obj)))
                else:
                    yield quad.triple


class _BlankSpool:
    """Triples with blank nodes, kept as N-Triples in a spooled temporary file."""

    def __init__(self) -> None:
        self.count = 0
        self._pending: list = []
        self._file: IO[bytes] | None = None

    def add(self, triple) -> None:
        self._pending.append(triple)
        if len(self._pending) >= 10_000:
            self._flush()

    def _flush(self) -> None:
        import pyoxigraph as ox

        if not self._pending:
            return
        if self._file is None:
            self._file = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
        self._file.write(ox.serialize(self._pending, format=ox.RdfFormat.N_TRIPLES))
        self.count += len(self._pending)
        self._pending = []

    def chunk(self) -> Chunk | None:
        self._flush()
        if self._file is None:
            return None
        return Chunk(self.count, spool=self._file, blank_nodes=True)


def iter_chunks(paths: Sequence[Path], size: int = DEFAULT_CHUNK) -> Iterator[Chunk]:
    """Chunks of at most ``size`` triples, parsed as they are needed (memory bounded by
    ``size``), then one chunk of every triple that has a blank node."""
    import pyoxigraph as ox

    blank = _BlankSpool()
    stream = _triples(list(paths), blank.add)
    while True:
        taken = 0

        def take() -> Iterator:
            nonlocal taken
            for triple in stream:
                taken += 1
                yield triple
                if taken >= size:
                    return

        data = ox.serialize(take(), format=ox.RdfFormat.N_TRIPLES)
        if taken:
            yield Chunk(taken, data)
        if taken < size:
            break
    last = blank.chunk()
    if last is not None:
        yield last
