"""`mktgraph import --store`: the mapped parts streamed into one bulk load, written into the
store only once the whole import has succeeded."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from mktgraph.errors import InputError
from mktgraph.importing import run_import
from mktgraph.stores.embedded import ONTOLOGY_GRAPH
from mktgraph.streamed_load import StreamedLoad

HEADER = "id,name,deal_stage,works_lead_id,amount,amount_currency,close_date\n"
MKT = "https://w3id.org/mktgraph/def/"
BASE = "https://example.org/t/"


def _deals(path: Path, rows: int, *, bad_last: bool = False) -> Path:
    lines = [
        f"d{n},Deal {n},won,lead-{n},{100 + n}.5,EUR,2024-03-{1 + n % 28:02d}\n"
        for n in range(rows)
    ]
    if bad_last:
        lines[-1] = lines[-1].replace(",won,", ",maybe,")
    path.parent.mkdir(exist_ok=True)
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _parts(folder: Path, sizes: list[int]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    parts, start = [], 0
    for number, size in enumerate(sizes):
        part = folder / f"part-{number}.nt"
        part.write_text(
            "".join(
                f'<http://x.example/s{n}> <http://x.example/p> "{n}" .\n'
                for n in range(start, start + size)
            ),
            encoding="utf-8",
        )
        parts.append(part)
        start += size
    return parts


def _lines(part: Path) -> int:
    return part.read_bytes().count(b"\n")


def _fed(stream: StreamedLoad, triples: int) -> None:
    deadline = time.monotonic() + 60
    while stream.triples < triples:
        assert time.monotonic() < deadline, "the parts were not fed"
        time.sleep(0.01)


def _store_with_one_triple(path: Path) -> ox.Store:
    store = ox.Store(str(path))
    store.add(
        ox.Quad(
            ox.NamedNode("http://x.example/old"),
            ox.NamedNode("http://x.example/p"),
            ox.Literal("kept"),
        )
    )
    return store


def test_streamed_parts_go_in_at_commit(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    stream = StreamedLoad(store, tmp_path)
    parts = _parts(tmp_path / "parts", [3, 2])
    stream.start(lambda stop: iter(parts), _lines)
    assert stream.commit() == 5
    assert len(store) == 5
    assert not any(p.exists() for p in parts)  # each part is removed once fed


def test_abort_after_everything_was_fed_leaves_the_store_as_it_was(tmp_path):
    store = _store_with_one_triple(tmp_path / "store")
    stream = StreamedLoad(store, tmp_path)
    parts = _parts(tmp_path / "parts", [3, 2])

    def parts_then_wait(stop):
        yield from parts
        stop.wait(60)  # still mapping when the abort comes

    stream.start(parts_then_wait, _lines)
    _fed(stream, 5)
    stream.abort()
    assert [q.subject.value for q in store] == ["http://x.example/old"]


@pytest.mark.slow
def test_abort_after_the_loader_built_whole_batches_writes_nothing(tmp_path):
    """Past a million triples the bulk loader has built files for a batch already: they are
    dropped too."""
    store = _store_with_one_triple(tmp_path / "store")
    stream = StreamedLoad(store, tmp_path)
    parts = _parts(tmp_path / "parts", [600_000, 600_000, 300_000])
    stream.start(lambda stop: iter(parts), _lines)
    _fed(stream, 1_500_000)
    stream.abort()
    assert len(store) == 1


def test_a_failed_task_stops_the_load(tmp_path):
    store = _store_with_one_triple(tmp_path / "store")
    stream = StreamedLoad(store, tmp_path)
    parts = _parts(tmp_path / "parts", [3])

    def parts_then_fail(stop):
        yield parts[0]
        raise RuntimeError("a mapping task failed")

    stream.start(parts_then_fail, _lines)
    with pytest.raises(RuntimeError, match="a mapping task failed"):
        stream.commit()
    assert len(store) == 1


def test_a_part_the_loader_cannot_read_stops_the_load(tmp_path):
    store = _store_with_one_triple(tmp_path / "store")
    stream = StreamedLoad(store, tmp_path)
    parts = _parts(tmp_path / "parts", [3, 2])
    parts[1].write_text("<http://x.example/a b> <http://x.example/p> <x> .\n", encoding="utf-8")
    stream.start(lambda stop: iter(parts), _lines)
    with pytest.raises(SyntaxError):
        stream.commit()
    assert len(store) == 1


@pytest.mark.slow
def test_a_bad_cell_in_the_last_chunk_leaves_the_store_as_it_was(tmp_path):
    """The first chunks are mapped and streamed while the last is checked: its bad cell stops
    the import, and the store holds what it held before (its side table too)."""
    store = tmp_path / "store"
    first = _deals(tmp_path / "deals.csv", 3)
    run_import([first], store=str(store), base=BASE)
    before = sorted(str(q) for q in ox.Store.read_only(str(store)))
    side = (store / "mktgraph-sources.db").read_bytes()
    more = _deals(tmp_path / "more" / "deals.csv", 400, bad_last=True)
    with pytest.raises(InputError, match=r"row 401, column 'deal_stage': unknown value 'maybe'"):
        run_import([more], store=str(store), base=BASE, chunk_rows=50, processes=2)
    assert sorted(str(q) for q in ox.Store.read_only(str(store))) == before
    assert (store / "mktgraph-sources.db").read_bytes() == side


@pytest.mark.slow
def test_a_failed_import_into_a_new_store_leaves_no_store(tmp_path):
    store = tmp_path / "store"
    deals = _deals(tmp_path / "deals.csv", 200, bad_last=True)
    with pytest.raises(InputError, match="row 201"):
        run_import([deals], store=str(store), base=BASE, chunk_rows=50, processes=2)
    assert not store.exists()
    store.mkdir()  # an empty folder given: left empty
    with pytest.raises(InputError, match="row 201"):
        run_import([deals], store=str(store), base=BASE, chunk_rows=50, processes=2)
    assert list(store.iterdir()) == []


@pytest.mark.slow
def test_streamed_import_in_chunks_is_the_whole_graph(tmp_path):
    """Many small chunks, their parts streamed as they are mapped: the same graph as one
    import into a file; imported again, nothing changes."""
    deals = _deals(tmp_path / "deals.csv", 120)
    out = tmp_path / "deals.nt"
    run_import([deals], output=str(out), base=BASE)
    expected = {str(q.triple) for q in ox.parse(path=str(out), format=ox.RdfFormat.N_TRIPLES)}
    store = tmp_path / "store"
    report = run_import([deals], store=str(store), base=BASE, chunk_rows=25, processes=2)
    assert (report.rows, report.triples) == (120, 120 * 9)

    def data():
        db = ox.Store.read_only(str(store))
        ontology = ONTOLOGY_GRAPH
        held = {str(q.triple) for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        return held - {str(q.triple) for q in db.quads_for_pattern(None, None, None, ontology)}

    assert data() == expected
    run_import([deals], store=str(store), base=BASE, chunk_rows=25, processes=2)
    assert data() == expected


@pytest.mark.slow
def test_a_mapping_with_language_tags_goes_through_the_stores_own_load(tmp_path):
    """A language tag is stored lower-cased: such a mapping is not streamed, and the store's
    own load records the literal as written; --replace replaces it."""
    mapping = tmp_path / "tagged.yml"
    mapping.write_text(
        """prefixes:
  mkt: https://w3id.org/mktgraph/def/
  sdo: https://schema.org/
  base: http://mktgraph.invalid/base/
mappings:
  deal:
    sources:
      - [deals.csv~csv]
    s: base:$(id)
    po:
      - [a, mkt:Deal]
      - [sdo:name, $(name), en-GB~lang]
""",
        encoding="utf-8",
    )
    deals = tmp_path / "deals.csv"
    deals.write_text("id,name\nd1,Deal one\n", encoding="utf-8")
    store = tmp_path / "store"
    run_import([deals], str(mapping), store=str(store), base=BASE)
    deals.write_text("id,name\nd1,Deal uno\n", encoding="utf-8")
    report = run_import([deals], str(mapping), store=str(store), base=BASE, replace=True)
    assert report.replaced == 1
    db = ox.Store.read_only(str(store))
    names = db.quads_for_pattern(
        ox.NamedNode(BASE + "d1"), ox.NamedNode("https://schema.org/name"), None, ox.DefaultGraph()
    )
    assert [(q.object.value, q.object.language) for q in names] == [("Deal uno", "en-gb")]


@pytest.mark.slow
@pytest.mark.parametrize("rows", [1, 60])
def test_replace_removes_the_old_values_of_the_rows_imported(tmp_path, rows):
    """--replace with a few rows into a store holding many more values of the same properties
    (each subject looked up), or about as many (the property's values scanned)."""
    store = tmp_path / "store"
    run_import([_deals(tmp_path / "deals.csv", 60)], store=str(store), base=BASE)
    changed = _deals(tmp_path / "changed" / "deals.csv", rows)
    text = changed.read_text(encoding="utf-8").replace("d0,Deal 0,", "d0,Deal zero,")
    changed.write_text(text, encoding="utf-8")
    report = run_import([changed], store=str(store), base=BASE, replace=True)
    assert report.replaced == 7 * rows  # name, stage, lead, date, amount; value, currency
    db = ox.Store.read_only(str(store))
    name = ox.NamedNode("https://schema.org/name")
    names = {q.subject.value: q.object.value for q in db.quads_for_pattern(None, name, None)}
    assert len(names) == 60
    assert names[BASE + "d0"] == "Deal zero"
    assert names[BASE + "d59"] == "Deal 59"
