"""Loading into the embedded store: the byte-level search of the literals the store rewrites
finds what a full parse finds, so the as-written records are the same."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mktgraph.errors import InputError
from mktgraph.fastshacl import lexical
from mktgraph.stores.chunks import file_digest
from mktgraph.stores.embedded import EmbeddedStore
from mktgraph.stores.ntriples import (
    RewrittenLiterals,
    Writings,
    line_blocks,
    scope_labels,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scale"))

XSD = "http://www.w3.org/2001/XMLSchema#"

# A rewritten writing beside a canonical one of the same value (both count; the canonical one
# on a line with a blank node, so set aside, and on a plain line, so bulk-loaded), an escaped
# writing, a derived-integer type, literals in comments and strings that look typed, CR ends.
AWKWARD = (
    f'_:m <https://e.org/v> "1.0"^^<{XSD}decimal> .\n'
    f'_:m <https://e.org/v> "1"^^<{XSD}decimal> .\n'
    f'<https://e.org/a> <https://e.org/v> "\\u0031.50"^^<{XSD}decimal> .\n'
    f'<https://e.org/a><https://e.org/w>"2.50"^^<{XSD}decimal>.\n'
    f'<https://e.org/a> <https://e.org/w> "2.5"^^<{XSD}decimal> .\n'
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
    label = b"_:b" + file_digest(path).encode() + b"x"
    with path.open("rb") as raw:
        text = scope_labels(b"".join(line_blocks(raw)), label)
    for _quad in recorder.watch(ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES)):
        pass
    return recorder


def records(store: EmbeddedStore) -> set[ox.Quad]:
    found = set()
    for graph in (lexical.AS_WRITTEN, lexical.CANONICALISED):
        found.update(store.oxigraph.quads_for_pattern(None, None, None, graph))
    return found


def loaded(path: Path, folder: Path) -> set[ox.Quad]:
    """The records a load of ``path`` into a new store makes."""
    with EmbeddedStore(folder, create=True) as store:
        store.load([path])
        return records(store)


@pytest.fixture(autouse=True)
def _quiet(quiet_rdflib_terms):
    """Ill-typed literals on purpose."""


def test_the_scan_records_what_a_full_parse_records(tmp_path):
    path = tmp_path / "awkward.nt"
    path.write_bytes(AWKWARD.encode())
    expected = full_watch(path)
    assert loaded(path, tmp_path / "store") == set(expected.records())
    assert expected.derived_integers
    written = {q.object.value for q in expected.records() if q.graph_name == lexical.AS_WRITTEN}
    # 1.0 and the canonical 1 of the same node both count, as 2.50 and 2.5 do; "07" and
    # ".50Z" read by rdflib are what the store keeps.
    assert written == {"1.0", "1", "1.50", "2.50", "2.5", "5"}


def test_the_scan_records_what_a_full_parse_records_on_realistic_data(tmp_path):
    from scalecheck import generator_module

    module = generator_module()
    path = tmp_path / "realistic.nt"
    module.write(path, module.Generator(30_000, 0.05, 3, realistic=True))
    expected = full_watch(path)
    assert len(expected.records()) > 100
    assert loaded(path, tmp_path / "store") == set(expected.records())


@pytest.mark.parametrize("ends", ["as written", "LF only", "canonical first"])
def test_the_second_read_finds_canonical_writings_before_and_after(tmp_path, ends):
    """Into an empty store, whether a rewritten value is also written canonically comes from a
    second read of the file."""
    text = AWKWARD if ends == "as written" else AWKWARD.replace("\r\n", "\n").replace("\r", "\n")
    if ends == "canonical first":
        lines = text.splitlines(keepends=True)
        text = "".join(reversed(lines))
    path = tmp_path / "awkward.nt"
    path.write_bytes(text.encode())
    expected = full_watch(path)
    assert loaded(path, tmp_path / "store") == set(expected.records())
    written = {q.object.value for q in expected.records() if q.graph_name == lexical.AS_WRITTEN}
    assert written == {"1.0", "1", "1.50", "2.50", "2.5", "5"}


def test_writings_are_found_by_their_closing_and_lexical_form():
    block = (
        f'<https://e.org/a> <https://e.org/s> "say \\"2"^^<{XSD}decimal> .\n'
        f'<https://e.org/a> <https://e.org/v> "2"^^<{XSD}decimal> .\n'
        f'<https://e.org/a> <https://e.org/v> "12"^^<{XSD}decimal> .\n'
        f'<https://e.org/a> <https://e.org/v> "2"^^<{XSD}integer> .\n'
        f'<https://e.org/a> <https://e.org/v> "2"^^<{XSD}decimal> .'
    ).encode()
    lines = block.splitlines(keepends=True)
    writings = Writings({(b"2", b"decimal")})
    # The escaped quote's line too (the parse tells it apart), the last line without its LF.
    assert writings(block) == [lines[0], lines[1], lines[4]]
    assert Writings(set())(block) == []


def test_candidates_are_whole_lines_each_once():
    finder = RewrittenLiterals(lexical.by_value_datatypes(), lexical.surely_canonical_patterns())
    block = (
        f'<https://e.org/a> <https://e.org/v> "1.0"^^<{XSD}decimal> . # "2.0"^^<{XSD}decimal>\n'
        f'<https://e.org/a> <https://e.org/v> "2"^^<{XSD}decimal> .\n'
        f'<https://e.org/a> <https://e.org/v> "3"^^<{XSD}int> .\n'
    ).encode()
    lines = block.splitlines(keepends=True)
    assert finder.candidates(block) == [lines[0], lines[2]]
    assert Writings({(b"2", b"decimal")})(block) == [lines[1]]


def blank_node_count(store: EmbeddedStore) -> int:
    """The blank nodes of the data (the ontology has its own)."""
    rows = store.query_raw(
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b <https://e.org/v> ?o FILTER(isBlank(?b)) }"
    )
    return int(next(iter(rows))[0].value)


def test_gzipped_n_triples_load_once_apart_from_the_plain_file(tmp_path):
    import gzip

    plain = tmp_path / "awkward.nt"
    plain.write_bytes(AWKWARD.encode())
    packed = tmp_path / "awkward.nt.gz"
    packed.write_bytes(gzip.compress(AWKWARD.encode()))
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        first = store.load([packed])
        assert blank_node_count(store) == 1
        assert store.load([packed]).added == 0
        # The plain file is another file: its blank node is its own (RDF merge).
        assert store.load([plain]).added == 1  # "1.0" and "1" of one node: one value
        assert blank_node_count(store) == 2
        assert store.load([plain, packed]).added == 0
        assert first.added > 0
        written = {q.object.value for q in records(store) if q.graph_name == lexical.AS_WRITTEN}
        assert {"1.0", "1", "1.50", "2.50", "5"} <= written


def test_standard_input_loads_once(tmp_path):
    from click.testing import CliRunner

    from mktgraph.cli import cli

    store = str(tmp_path / "store")
    command = ["load", "-", "--input-format", "nt", "--store", store]
    runner = CliRunner()
    first = runner.invoke(cli, command, input=AWKWARD.encode())
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, command, input=AWKWARD.encode())
    assert second.exit_code == 0, second.output
    assert "+0 triples" in second.stdout
    with EmbeddedStore(store, read_only=True) as opened:
        assert blank_node_count(opened) == 1


def test_progress_does_not_change_the_blank_nodes(tmp_path):
    path = tmp_path / "awkward.nt"
    path.write_bytes(AWKWARD.encode())
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.load([path])
        assert store.load([path], progress=lambda n, s: None).added == 0


TURTLE = """@prefix ex: <https://e.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:budget [ ex:v 10.50 ; ex:currency "EUR" ] ;
    ex:steps ( ex:one ex:two ) ;
    ex:note "a [ bracket, a ( paren and _:x inside a string" ;
    ex:when "2024-01-31T10:00:00.50Z"^^xsd:dateTime .
_:x ex:v "1"^^xsd:int .
"""


def test_turtle_with_blank_nodes_loads_once_and_keeps_its_records(tmp_path):
    ttl = tmp_path / "blank.ttl"
    ttl.write_text(TURTLE)
    other = tmp_path / "other.ttl"
    other.write_text(TURTLE)  # the same bytes: the same file as far as blank nodes go
    copy = tmp_path / "copy.ttl"
    copy.write_text(TURTLE + "\n")  # another file
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.ensure_ontology()
        before = store.triple_count()
        # 4 of ex:a, 2 of the budget node, 4 of the list, 1 of _:x
        assert store.load([ttl]).triples_after == before + 11
        assert store.load([ttl, other]).added == 0
        assert blank_node_count(store) == 2
        # its own budget node, list and _:x, and ex:a's links to them
        assert store.load([copy]).added == 9
        assert blank_node_count(store) == 4
        note = "SELECT ?n WHERE { <https://e.org/a> <https://e.org/note> ?n }"
        assert [row[0].value for row in store.query_raw(note)] == [
            "a [ bracket, a ( paren and _:x inside a string"
        ]
        written = {q.object.value for q in records(store) if q.graph_name == lexical.AS_WRITTEN}
        assert written == {"10.50", "1"}


def test_a_bracket_in_a_string_changes_nothing(tmp_path):
    plain = f'<https://e.org/a> <https://e.org/v> "1.50"^^<{XSD}decimal> .\n'
    bracket = '<https://e.org/a> <https://e.org/l> "[ ( _:x" .\n'
    found = []
    for name, text in (("plain.ttl", plain), ("bracket.ttl", plain + bracket)):
        path = tmp_path / name
        path.write_text(text)
        with EmbeddedStore(tmp_path / name.replace(".ttl", ""), create=True) as store:
            first = store.load([path])
            assert store.load([path]).added == 0
            found.append((first.added, records(store), blank_node_count(store)))
    assert found[0][0] + 1 == found[1][0]
    assert found[0][1:] == found[1][1:]
    assert len(found[0][1]) == 2  # the decimal's record, in both graphs


def test_a_later_file_writing_a_recorded_value_canonically_counts_its_writing(tmp_path):
    # The first file's 1.0 is recorded as rewritten; the second writes the same value as 1
    # (kept as written) and as 1.00: each writing is a value of its own for pySHACL, and the
    # store's look-up alone cannot tell the canonical writing from the earlier rewritten one.
    first = tmp_path / "first.nt"
    first.write_text(
        f'<https://e.org/a> <https://e.org/v> "1.0"^^<{XSD}decimal> .\n'
        f'<https://e.org/c> <https://e.org/v> "3.0"^^<{XSD}decimal> .\n'
    )
    second = tmp_path / "second.nt"
    second.write_text(
        f'<https://e.org/a> <https://e.org/v> "1"^^<{XSD}decimal> .\n'
        f'<https://e.org/a> <https://e.org/v> "1.00"^^<{XSD}decimal> .\n'
    )
    # Another writing of c's recorded value, none of it canonical: no canonical writing.
    alone = tmp_path / "alone.nt"
    alone.write_text(
        f'<https://e.org/b> <https://e.org/v> "2.0"^^<{XSD}decimal> .\n'
        f'<https://e.org/c> <https://e.org/v> "3.00"^^<{XSD}decimal> .\n'
    )
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.load([first])
        assert store.load([second]).added == 0  # one value, already held
        store.load([alone])
        written = sorted(
            (q.subject.value, q.object.value)
            for q in records(store)
            if q.graph_name == lexical.AS_WRITTEN
        )
    assert written == [
        ("https://e.org/a", "1"),
        ("https://e.org/a", "1.0"),
        ("https://e.org/a", "1.00"),
        ("https://e.org/b", "2.0"),
        ("https://e.org/c", "3.0"),
        ("https://e.org/c", "3.00"),
    ]


@pytest.mark.parametrize(
    ("where", "line"),
    [
        ("on a plain line", "<https://e.org/a> <https://e.org/v> .\n"),
        ("on a line with a blank node", "_:m <https://e.org/v> .\n"),
        ("on a held line", f'<https://e.org/a> "1.0"^^<{XSD}decimal> .\n'),
    ],
)
def test_a_syntax_error_leaves_the_store_as_it_was(tmp_path, where, line):
    # The lines go to two bulk loads (the plain lines through a pipe, the others beside it):
    # a bad line in either stops both, wherever it is.
    good = tmp_path / "good.nt"
    good.write_bytes(AWKWARD.encode())
    bad = tmp_path / "bad.nt"
    bad.write_bytes((AWKWARD.replace("_:m", "_:n") + line + AWKWARD).encode())
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.load([good])
        before = set(store.oxigraph)
        with pytest.raises(InputError) as caught:
            store.load([bad])
        assert str(caught.value).startswith(f"{bad}:15: malformed N-Triples: "), where
        assert set(store.oxigraph) == before
    with EmbeddedStore(tmp_path / "new", create=True) as store:  # its loads end otherwise
        with pytest.raises(InputError) as caught:
            store.load([bad])
        assert str(caught.value).startswith(f"{bad}:15: malformed N-Triples: ")
        assert not set(store.oxigraph)
    memory = EmbeddedStore.in_memory()
    with pytest.raises(InputError) as caught:
        memory.load([bad])
    assert str(caught.value).startswith(f"{bad}:15: malformed N-Triples: ")


def test_a_failure_after_the_pipe_s_input_ended_leaves_a_new_store_empty(tmp_path, monkeypatch):
    # Into an empty store the pipe's load is told its input has ended (it then sorts and writes
    # on its own) before the second read of the file: a failure there empties the store again.
    from mktgraph.stores import embedded

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(embedded, "_written_canonically", interrupted)
    path = tmp_path / "awkward.nt"
    path.write_bytes(AWKWARD.encode())
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        with pytest.raises(KeyboardInterrupt):
            store.load([path])
        assert not set(store.oxigraph)
        monkeypatch.undo()
        store.load([path])
        assert loaded(path, tmp_path / "again") == records(store)
