"""The fast validator judges and reports literals as written, as pySHACL does, although Oxigraph
stores them in canonical form: in memory and in the embedded store (a server: tests/integration)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
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
    for written, stored in (("1.00", "1"), ("490.00", "490"), ("-5.50", "-5.5"), ("12.5", "12.5")):
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
