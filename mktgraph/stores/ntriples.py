"""N-Triples as bytes: blank node labels scoped and the literals a store rewrites found in blocks
of lines by C-level searches, without a Python step per triple.

An N-Triples line holds one triple (lines end with LF, CR or both), its literal, if any, last:
the first ``"`` of a line opens its literal (IRIs and blank node labels hold no ``"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO

BLOCK = 1 << 22

_XSD = b"http://www.w3.org/2001/XMLSchema#"


def line_blocks(raw: IO[bytes], size: int = BLOCK) -> Iterator[bytes]:
    """The bytes of ``raw`` in blocks of whole lines, each ended by LF (a CR becomes an LF: a
    literal holds neither unescaped)."""
    carry = b""
    while True:
        block = raw.read(size)
        if not block:
            if carry:
                yield carry if carry.endswith(b"\n") else carry + b"\n"
            return
        block = carry + block
        if b"\r" in block:  # an empty line more where CR LF was: nothing to N-Triples
            block = block.replace(b"\r", b"\n")
        end = block.rfind(b"\n") + 1
        if end == 0:
            carry = block
            continue
        carry = block[end:]
        yield block[:end]


def scope_labels(lines: bytes, label: bytes) -> bytes:
    """``lines`` with each blank node label ``_:x`` written ``label`` + ``x`` (a Python step per
    ``_:``, none per triple). A ``_:`` starts a label unless it stands inside a literal (a ``"``
    before it on its line) or inside an IRI (after a ``<`` not yet closed)."""
    find, rfind = lines.find, lines.rfind
    at = find(b"_:")
    if at < 0:
        return lines
    kept, done = [], 0
    while at >= 0:
        start = rfind(b"\n", 0, at) + 1
        head = lines[start:at]
        if b'"' not in head and head.rfind(b"<") <= head.rfind(b">"):
            kept.append(lines[done:at])
            kept.append(label)
            done = at + 2
        at = find(b"_:", at + 2)
    kept.append(lines[done:])
    return b"".join(kept)


def _lines_at(block: bytes, positions: Iterable[int]) -> list[bytes]:
    """The lines of ``block`` holding the given offsets (ascending), each once."""
    found, last_end = [], -1
    find, rfind = block.find, block.rfind
    for at in positions:
        if at < last_end:
            continue
        start = rfind(b"\n", 0, at) + 1
        last_end = find(b"\n", at) + 1 or len(block)
        found.append(block[start:last_end])
    return found


def _datatype_names(iris: Iterable[str]) -> list[str]:
    return sorted((iri[len(_XSD) :] for iri in iris if iri.startswith(_XSD.decode())), key=len)


class RewrittenLiterals:
    """Finds the lines whose typed literal a store may write otherwise than the file does.

    ``by_value``: the XSD datatypes whose literals the store keeps by value; ``surely``: for some
    of them, a regular expression (str) of writings that are surely canonical already. A line is
    a candidate when its literal has one of those datatypes and is not surely canonical (or holds
    an escape). One regular-expression search in C per block; a Python step per candidate.
    """

    def __init__(self, by_value: Iterable[str], surely: dict[str, str]) -> None:
        names = "|".join(re.escape(n) for n in reversed(_datatype_names(by_value)))
        xsd = re.escape(_XSD.decode())
        canonical = "|".join(
            f'(?:{pattern})"\\^\\^<{re.escape(iri)}>' for iri, pattern in surely.items()
        )
        # At a literal's opening quote: its whole lexical form, then a by-value datatype;
        # rejected at once when the writing is surely canonical. A block without a backslash
        # has no escape: the simpler form is twice as fast.
        head = f'"(?!{canonical})'
        tail = f'"\\^\\^<{xsd}(?:{names})>'
        self._plain = re.compile(f'{head}[^"\\\\\\n]*{tail}'.encode())
        self._escaped = re.compile(f'{head}[^"\\\\\\n]*(?:\\\\.[^"\\\\\\n]*)*{tail}'.encode())
        self._typed = re.compile(f'"([^"\\\\\\n]*)"\\^\\^<{xsd}(\\w+)>'.encode())

    def candidates(self, block: bytes) -> list[bytes]:
        """The lines of ``block`` (whole lines) that may hold a literal the store rewrites."""
        pattern = self._escaped if b"\\" in block else self._plain
        return _lines_at(block, (m.start() for m in pattern.finditer(block)))

    def writings(self, block: bytes, wanted: set[tuple[bytes, bytes]]) -> list[bytes]:
        """The lines of ``block`` holding one of the ``wanted`` typed literals, given as
        (lexical form, XSD datatype name), written without escapes."""
        present = wanted.intersection(self._typed.findall(block))
        if not present:
            return []
        positions: list[int] = []
        for lexical, name in present:
            needle = b'"' + lexical + b'"^^<' + _XSD + name + b">"
            at = block.find(needle)
            while at >= 0:
                positions.append(at)
                at = block.find(needle, at + 1)
        return _lines_at(block, sorted(positions))
