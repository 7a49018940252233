"""N-Triples as bytes: blank node labels scoped and the literals a store rewrites found in blocks
of lines by C-level searches, without a Python step per triple.

An N-Triples line holds one triple (lines end with LF, CR or both), its literal, if any, last:
the first ``"`` of a line opens its literal (IRIs and blank node labels hold no ``"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO

BLOCK = 1 << 20  # 4 MB blocks were fresh memory each time: 75k page faults, 0.2 s at 3M

_XSD = b"http://www.w3.org/2001/XMLSchema#"
_TYPED = b'"^^<' + _XSD
# Found by the regular-expression engine: bytes.find of a two-byte needle is a generic search,
# 2.5 times slower (0.12 against 0.04 s a million triples).
_LABEL_MARK = re.compile(b"_:")


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
        if b"\r" in block:  # an empty line more where CR LF was: nothing to N-Triples
            block = block.replace(b"\r", b"\n")
        end = block.rfind(b"\n") + 1
        if end == 0:
            carry += block
            continue
        # One copy of the block at most (the carried start of its first line joined to the
        # read up to its last LF): two copies of every block cost 0.2 s at 3M triples.
        whole = b"".join((carry, memoryview(block)[:end])) if carry else block[:end]
        carry = block[end:]
        yield whole


def scope_labels(lines: bytes, label: bytes) -> bytes:
    """``lines`` (whole N-Triples lines) with each blank node label ``_:x`` written ``label`` +
    ``x``: a Python step per ``_:``, none per triple.

    A ``_:`` that starts a line's term (at the line's start, or after a space, a tab or the
    ``>`` of an IRI) with no ``"`` and no ``<<`` before it on its line is a label. A line with
    any other ``_:`` (inside a literal or an IRI, or beside an RDF 1.2 triple term) is read by
    the parser instead, which says where its blank nodes are (``scope_line``).
    """
    parts = lines.split(b"_:")
    if len(parts) == 1:
        return lines
    # Most often every `_:` is a label: then the pieces between them are joined by the label.
    quoted = False  # a `"` or `<<` since the line's start
    for part in parts[:-1]:  # each is followed by a `_:`
        if not part or part[-1] == 10:  # a subject
            quoted = False
            continue
        at = part.rfind(b"\n") + 1
        if at:
            quoted = part.find(b'"', at) >= 0 or part.find(b"<<", at) >= 0
        elif not quoted:
            quoted = part.find(b'"') >= 0 or part.find(b"<<") >= 0
        if quoted or part[-1] not in _BEFORE_LABEL:
            return _scope_line_by_line(lines, label)
    return label.join(parts)


def _scope_line_by_line(lines: bytes, label: bytes) -> bytes:
    """scope_labels, deciding ``_:`` by ``_:``, and lines that need it by the parser."""
    return _relabel(lines, lambda at: (label, at + 2), lambda line: scope_line(line, label))


def _relabel(lines: bytes, new_label, whole_line) -> bytes:
    """``lines`` with each ``_:`` that is a label (as scope_labels decides) replaced:
    ``new_label(at)`` gives the new text for the ``_:`` at offset ``at`` and the offset up to
    which it replaces; each line holding another ``_:`` becomes ``whole_line(line)``. A Python
    step per ``_:``, none per line."""
    find, rfind = lines.find, lines.rfind
    at = find(b"_:")
    if at < 0:
        return lines
    kept: list[bytes] = []
    done = 0
    line_start, mark = -1, 0  # the line of the last label, where its pieces start in ``kept``
    while at >= 0:
        start = rfind(b"\n", 0, at) + 1
        if start != line_start:
            kept.append(lines[done:start])
            done, line_start, mark = start, start, len(kept) + 1
        if (
            (at == start or lines[at - 1] in _BEFORE_LABEL)
            and find(b'"', start, at) < 0
            and find(b"<<", start, at) < 0
        ):
            text, end = new_label(at)
            kept.append(lines[done:at])
            kept.append(text)
            done = end
            at = find(b"_:", done)
            continue
        end = find(b"\n", at) + 1 or len(lines)
        del kept[mark - 1 :]
        kept.append(whole_line(lines[start:end]))
        done = end
        at = find(b"_:", end)
    kept.append(lines[done:])
    return b"".join(kept)


_BEFORE_LABEL = frozenset(b" \t>")


def scope_line(line: bytes, label: bytes) -> bytes:
    """One N-Triples line, parsed, its blank nodes renamed as ``scope_labels`` names them, and
    written again (a SyntaxError for a bad line)."""
    prefix = label[2:].decode("ascii")
    return relabel_line(line, lambda value: prefix + value)


def relabel_line(line: bytes, rename) -> bytes:
    """One N-Triples line, parsed, each blank node ``_:x`` renamed ``_:`` + ``rename("x")``
    (in RDF 1.2 triple terms too), and written again (a SyntaxError for a bad line)."""
    import pyoxigraph as ox

    blank, triple = ox.BlankNode, ox.Triple

    def renamed(term):
        if type(term) is blank:
            return blank(rename(term.value))
        if type(term) is triple:
            return triple(renamed(term.subject), term.predicate, renamed(term.object))
        return term

    triples = [
        triple(renamed(quad.subject), quad.predicate, renamed(quad.object))
        for quad in ox.parse(input=line, format=ox.RdfFormat.N_TRIPLES)
    ]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else line


_WRITTEN_LABEL = re.compile(rb"[0-9a-f]*")


def number_labels(lines: bytes, names: dict[bytes, bytes], prefix: bytes) -> bytes:
    """N-Triples as pyoxigraph writes them after a parse that renamed every blank node (labels
    of hex digits), each label replaced by ``prefix`` + the order in which it first appeared:
    ``names`` remembers them from block to block. A Python step per ``_:``, as scope_labels
    (which says which ``_:`` are labels), none per triple."""
    from mktgraph.stores.chunks import first_seen_names

    number = first_seen_names(lambda order: prefix + str(order).encode("ascii"), names)

    def new_label(at: int) -> tuple[bytes, int]:
        end = _WRITTEN_LABEL.match(lines, at + 2).end()
        return number(lines[at + 2 : end]), end

    return _relabel(
        lines,
        new_label,
        lambda line: relabel_line(line, lambda v: number(v.encode("ascii"))[2:].decode()),
    )


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
    a candidate when its literal has one of those datatypes and is not surely canonical, or when
    it holds an escape (``\\``) and an XSD-typed literal. One regular-expression search in C per
    block; a Python step per candidate and per line with an escape.
    """

    def __init__(self, by_value: Iterable[str], surely: dict[str, str]) -> None:
        names = "|".join(re.escape(n) for n in reversed(_datatype_names(by_value)))
        xsd = re.escape(_XSD.decode())
        canonical = "|".join(
            f'(?:{pattern})"\\^\\^<{re.escape(iri)}>' for iri, pattern in surely.items()
        )
        # Tried at each quote that may open a literal (after a space, a tab or an IRI's `>`):
        # a lexical form without escape and a by-value datatype, rejected at once when the
        # writing is surely canonical.
        self._plain = re.compile(
            f'"(?<=[ \\t>]")(?!{canonical})[^"\\\\\\n]*"\\^\\^<{xsd}(?:{names})>'.encode()
        )

    def _positions(self, block: bytes) -> list[int]:
        """Offsets in the candidate lines of ``block`` (ascending, maybe several a line)."""
        positions = [match.start() for match in self._plain.finditer(block)]
        at = block.find(b"\\")
        if at < 0:
            return positions
        escaped = []
        find, rfind = block.find, block.rfind
        while at >= 0:
            start = rfind(b"\n", 0, at) + 1
            end = find(b"\n", at) + 1 or len(block)
            if find(_TYPED, start, end) >= 0:
                escaped.append(start)
            at = find(b"\\", end)
        return sorted(positions + escaped) if escaped else positions

    def candidates(self, block: bytes) -> list[bytes]:
        """The lines of ``block`` (whole lines) that may hold a literal the store rewrites."""
        return _lines_at(block, self._positions(block))

    def partition(self, block: bytes) -> tuple[list[bytes], list[bytes], list[memoryview]]:
        """``block`` in three: the candidate lines; the other lines holding ``_:``; and the
        rest, as views of the block (no copy), in order."""
        find, rfind = block.find, block.rfind
        spans: dict[int, tuple[int, bool]] = {}  # line start -> (line end, a candidate)
        for at in self._positions(block):
            start = rfind(b"\n", 0, at) + 1
            if start not in spans:
                spans[start] = (find(b"\n", at) + 1 or len(block), True)
        end = 0
        for at in [match.start() for match in _LABEL_MARK.finditer(block)]:
            if at < end:  # another `_:` of a line already taken
                continue
            start = rfind(b"\n", 0, at) + 1
            end = find(b"\n", at) + 1 or len(block)
            spans.setdefault(start, (end, False))
        view = memoryview(block)
        if not spans:
            return [], [], [view]
        held: list[bytes] = []
        blank: list[bytes] = []
        pieces: list[memoryview] = []
        done = 0
        for start in sorted(spans):
            end, candidate = spans[start]
            if start > done:
                pieces.append(view[done:start])
            (held if candidate else blank).append(block[start:end])
            done = end
        if done < len(block):
            pieces.append(view[done:])
        return held, blank, pieces


class Writings:
    """Finds the lines of blocks that write one of the ``wanted`` typed literals, given as
    (lexical form, XSD datatype name), without escapes. The datatypes' closing ``"^^<...>`` are
    found by ``find`` (a vectorised search in C, where a regular expression steps byte by byte:
    0.25 against 0.75 s at 3M triples, blocks already read), then the lexical form before each
    is looked up: a Python step per literal of a wanted datatype, none per line."""

    def __init__(self, wanted: set[tuple[bytes, bytes]]) -> None:
        self._forms: dict[bytes, set[bytes]] = {}
        for lexical, name in wanted:
            self._forms.setdefault(name, set()).add(lexical)

    def __call__(self, block: bytes) -> list[bytes]:
        """The lines of ``block`` (whole lines) writing a wanted literal."""
        positions: list[int] = []
        find, rfind = block.find, block.rfind
        for name, forms in self._forms.items():
            closing = b'"^^<' + _XSD + name + b">"
            at = find(closing)
            while at >= 0:
                # The quote that opens the literal (a wanted form holds none): a quote escaped
                # in a longer literal gives a line that the parse then tells apart.
                opening = rfind(b'"', 0, at)
                if block[opening + 1 : at] in forms:
                    positions.append(at)
                at = find(closing, at + 1)
        return _lines_at(block, sorted(positions))
