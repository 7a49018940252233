"""Loading into the embedded store: the byte-level search of the literals the store rewrites
finds what a full parse finds, so the as-written records are the same."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mktgraph.fastshacl import lexical
from mktgraph.stores.embedded import _record_n_triples
from mktgraph.stores.ntriples import RewrittenLiterals, line_blocks, scope_labels

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scale"))

XSD = "http://www.w3.org/2001/XMLSchema#"
SCOPE = "0123456789abcdef01234567"

# A rewritten writing beside a canonical one of the same value (both count), an escaped
# writing, a derived-integer type, literals in comments and strings that look typed, CR ends.
AWKWARD = (
    f'_:m <https://e.org/v> "1.0"^^<{XSD}decimal> .\n'
    f'_:m <https://e.org/v> "1"^^<{XSD}decimal> .\n'
    f'<https://e.org/a> <https://e.org/v> "\\u0031.50"^^<{XSD}decimal> .\n'
    f'<https://e.org/a> <https://e.org/n> "5"^^<{XSD}int> .\r'
    f'<https://e.org/a> <https://e.org/n> "07"^^<{XSD}integer> .\r\n'
    f'<https://e.org/a> <https://e.org/s> "say \\"2.50\\"^^<{XSD}decimal> \\" _:m" .\n'
    f'# "3.10"^^<{XSD}decimal>\n'
    f'<https://e.org/a> <https://e.org/t> "2024-01-31T10:00:00+01:00"^^<{XSD}dateTime> .\n'
    f'<https://e.org/a> <https://e.org/t> "2024-01-31T10:00:00.500Z"^^<{XSD}dateTime> .\n'
    f'<https://e.org/a> <https://e.org/t> "2024-01-31T10:00:00.50Z"^^<{XSD}dateTime> .\n'
    f'<https://e.org/a> <https://e.org/b> "1"^^<{XSD}boolean> .\n'
    f'<https://e.org/a> <https://e.org/l> "x"@EN .\n'
)


def full_watch(path: Path) -> lexical.Recorder:
    """The recorder shown every triple of the file (the blank nodes named as the loader does)."""
    recorder = lexical.Recorder()
    text = scope_labels(b"".join(line_blocks(path.open("rb"))), b"_:b" + SCOPE.encode() + b"x")
    for _quad in recorder.watch(ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES)):
        pass
    return recorder


def scanned(path: Path) -> lexical.Recorder:
    recorder = lexical.Recorder()
    _record_n_triples(recorder, path, SCOPE, path.resolve().as_uri())
    return recorder


@pytest.fixture(autouse=True)
def _quiet(quiet_rdflib_terms):
    """Ill-typed literals on purpose."""


def test_the_scan_records_what_a_full_parse_records(tmp_path):
    path = tmp_path / "awkward.nt"
    path.write_bytes(AWKWARD.encode())
    expected = full_watch(path)
    found = scanned(path)
    assert set(found.records()) == set(expected.records())
    assert found.derived_integers is expected.derived_integers is True
    written = {q.object.value for q in expected.records() if q.graph_name == lexical.AS_WRITTEN}
    # 1.0 and the canonical 1 of the same node both count; "07" and ".50Z" read by rdflib
    # are what the store keeps.
    assert written == {"1.0", "1", "1.50", "5"}


def test_the_scan_records_what_a_full_parse_records_on_realistic_data(tmp_path):
    from scalecheck import generator_module

    module = generator_module()
    path = tmp_path / "realistic.nt"
    module.write(path, module.Generator(30_000, 0.05, 3, realistic=True))
    expected = full_watch(path)
    assert len(expected.records()) > 100
    assert set(scanned(path).records()) == set(expected.records())


def test_candidates_are_whole_lines_each_once():
    finder = RewrittenLiterals(lexical.by_value_datatypes(), lexical.surely_canonical_patterns())
    block = (
        f'<https://e.org/a> <https://e.org/v> "1.0"^^<{XSD}decimal> . # "2.0"^^<{XSD}decimal>\n'
        f'<https://e.org/a> <https://e.org/v> "2"^^<{XSD}decimal> .\n'
        f'<https://e.org/a> <https://e.org/v> "3"^^<{XSD}int> .\n'
    ).encode()
    lines = block.splitlines(keepends=True)
    assert finder.candidates(block) == [lines[0], lines[2]]
    assert finder.writings(block, {(b"2", b"decimal")}) == [lines[1]]
