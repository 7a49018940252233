"""The fast validator judges and reports literals as written, as pySHACL does, although Oxigraph
stores them in canonical form: in memory and in the embedded store (a server: tests/integration)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import XSD
from written_cases import CASES, graphs, pyshacl_counter, report_counter

from mktgraph.fastshacl import lexical, validate_runner, validate_store
from mktgraph.fastshacl.runner import MemoryRunner
from mktgraph.stores.embedded import EmbeddedStore


@pytest.fixture(autouse=True)
def _quiet(quiet_rdflib_terms):
    """Ill-typed literals on purpose: rdflib would log a traceback for each."""


@pytest.mark.parametrize("name", sorted(CASES))
def test_in_memory_equals_pyshacl(name, tmp_path):
    text, data, shapes = graphs(name)
    expected = pyshacl_counter(data, shapes)
    path = tmp_path / "data.ttl"
    path.write_text(text)
    from_file = validate_runner(MemoryRunner.from_files([path]), shapes, inference="none")
    assert report_counter(from_file.report) == expected
    from_graph = validate_runner(MemoryRunner.from_graph(data), shapes, inference="none")
    assert report_counter(from_graph.report) == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_in_the_embedded_store_equals_pyshacl(name, tmp_path):
    text, data, shapes = graphs(name)
    path = tmp_path / "data.ttl"
    path.write_text(text)
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.load([path])
        fast = validate_store(store.oxigraph, shapes, inference="none")
    assert report_counter(fast.report) == pyshacl_counter(data, shapes)


def test_the_cases_do_find_results():
    # Each case but the conforming ones makes pySHACL report something (no vacuous case).
    empty = [name for name in CASES if not pyshacl_counter(*graphs(name)[1:])]
    assert empty == []


def test_two_loads_keep_a_canonical_writing_beside_a_later_rewritten_one(tmp_path):
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    first.write_text(
        '<https://e.org/a> <https://e.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )
    second.write_text(
        '<https://e.org/a> <https://e.org/p> "1.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )
    _text, _data, shapes = graphs("maxCount-two-writings-of-one-decimal")
    shapes_text = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . <https://e.org/S> sh:targetNode "
        "<https://e.org/a> ; sh:property [ sh:path <https://e.org/p> ; sh:maxCount 1 ] ."
    )
    from rdflib import Graph

    shapes = Graph().parse(data=shapes_text, format="turtle")
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.load([first])
        store.load([second])
        fast = validate_store(store.oxigraph, shapes, inference="none")
    assert fast.results == 1


def test_canonical_forms_are_oxigraphs():
    canonicalise = lexical.Canonicaliser()
    decimal = ox.NamedNode(str(XSD.decimal))
    for written, stored in (("1.00", "1"), ("490.00", "490"), ("-5.50", "-5.5"), ("-0", "0")):
        assert canonicalise(ox.Literal(written, datatype=decimal)).value == stored
    as_int = canonicalise(ox.Literal("5", datatype=ox.NamedNode(str(XSD.int))))
    assert as_int.datatype.value == str(XSD.integer)
    assert canonicalise(ox.Literal("Hi", language="EN")).language == "en"


def test_an_encoded_literal_decodes_to_the_writing():
    for literal in (
        ox.Literal("1.00", datatype=ox.NamedNode(str(XSD.decimal))),
        ox.Literal("Hi", language="EN"),
    ):
        encoded = lexical.encode(literal)
        assert encoded.datatype.value.startswith(lexical.WRITTEN_PREFIX)
        assert lexical.decode(encoded) == literal
    assert Literal("1.00", datatype=XSD.decimal) != Literal("1.0", datatype=XSD.decimal)


# rdflib's reading of decimals and dateTimes, done without rdflib (lexical._rdflib_form), against
# rdflib's own: generated writings, valid or not, and hostile ones.
_HOSTILE_DECIMALS = (
    "490.00", "-0.0", "+1.50", "1.", ".5", ".", "", " 1 ", "1 ", "\t2.0\n", "1_000.5", "1e5",
    "1E-7", "-1E+3", "NaN", "-nan", "sNaN", "Infinity", "-Inf", "inf", "0x10", "１２.５０",
    "١٢٣.٤٠", "1" * 80 + ".0", "0." + "0" * 60 + "1", "--1", "1.2.3", "½", "1,5",
)  # fmt: skip
_HOSTILE_DATETIMES = (
    "2024-01-01T00:00:00", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00z", "2024-01-01T24:00:00",
    "2024-01-01", "2024-01-01T00:00:00.123456789", "2024-01-01T00:00:00.5+01:00",
    "2024-01-01T00:00:00+14:00", "2024-01-01T00:00:00-00:00", "2024-01-01T00:00:00+05:30:15",
    "2024-01-01T00:00:00+0530", "2024-01-01T00:00:00+05", "2024-01-01 00:00:00", "20240101T000000",
    "2024-W01-1T10:00", "2024-001T10:00:00", "-0001-01-01T00:00:00", "0000-01-01T00:00:00",
    "10000-01-01T00:00:00", "2024-02-30T00:00:00", "2024-01-01T10", "2024-01-01T10:00",
    "2024-01-01T10:00:00,5", "２０２４-01-01T00:00:00", "2024-01-01T00:00:00.000000+00:00", "",
    " 2024-01-01T00:00:00", "2024-01-01T00:00:60",
)  # fmt: skip
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def _as_rdflib_reads(text: str, datatype) -> str:
    from mktgraph.fastshacl.checks import quiet_rdflib

    with quiet_rdflib():
        return str(Literal(text, datatype=datatype))


def _as_read_here(text: str, datatype) -> str:
    literal = ox.Literal(text, datatype=ox.NamedNode(str(datatype)))
    return lexical._rdflib_form(literal).value


@pytest.mark.parametrize("text", _HOSTILE_DECIMALS)
def test_hostile_decimals_read_as_rdflib_reads_them(text):
    assert _as_read_here(text, XSD.decimal) == _as_rdflib_reads(text, XSD.decimal)


@pytest.mark.parametrize("text", _HOSTILE_DATETIMES)
def test_hostile_datetimes_read_as_rdflib_reads_them(text):
    assert _as_read_here(text, XSD.dateTime) == _as_rdflib_reads(text, XSD.dateTime)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        _TEXT,
        st.from_regex(r"\A[+-]?[0-9]{0,25}(\.[0-9]{0,25})?([eE][+-]?[0-9]{1,3})?\Z"),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )
)
def test_decimals_read_as_rdflib_reads_them(text):
    assert _as_read_here(text, XSD.decimal) == _as_rdflib_reads(text, XSD.decimal)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        _TEXT,
        st.from_regex(
            r"\A-?[0-9]{4,5}-[0-9]{2}-[0-9]{2}"
            r"([T ][0-9]{2}(:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,12})?)?)?)?"
            r"(Z|z|[+-][0-9]{2}(:?[0-9]{2}(:[0-9]{2})?)?)?\Z"
        ),
        st.datetimes(timezones=st.none() | st.timezones()).map(lambda value: value.isoformat()),
    )
)
def test_datetimes_read_as_rdflib_reads_them(text):
    assert _as_read_here(text, XSD.dateTime) == _as_rdflib_reads(text, XSD.dateTime)


@pytest.mark.parametrize("datatype", sorted(lexical.surely_canonical_patterns()))
def test_surely_canonical_writings_are_kept_as_written(datatype):
    """A writing the load passes straight to the bulk loader, unrecorded, is one Oxigraph keeps
    as it is (days 29-31 of any month included, existing or not)."""
    pattern = lexical.surely_canonical_patterns()[datatype]

    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(pattern, fullmatch=True))
    def kept(text):
        store, subject = ox.Store(), ox.NamedNode("urn:s")
        store.add(ox.Quad(subject, subject, ox.Literal(text, datatype=ox.NamedNode(datatype))))
        assert next(iter(store)).object.value == text

    kept()
    for text in ("2023-02-30", "2024-02-29", "2023-04-31", "2023-12-31"):
        if datatype.endswith("#date"):
            assert (
                lexical.Canonicaliser()(ox.Literal(text, datatype=ox.NamedNode(datatype))).value
                == text
            )
