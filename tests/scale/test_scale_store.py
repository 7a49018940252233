"""The embedded store: loading is idempotent (triples are a set, blank nodes included), and
queries and exports through it equal the answers of the same files in memory."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from scalecheck import generator_module

from mktgraph import resources
from mktgraph.api import export_graph, load_data, run_query
from mktgraph.errors import InputError
from mktgraph.graph import term_converter
from mktgraph.queries import CsvAnswer, named_queries
from mktgraph.sources import SourceSpec
from mktgraph.stores.embedded import EmbeddedStore

BLANK_TURTLE = """@prefix ex: <https://example.org/b/> .
ex:a ex:budget [ ex:value 10.50 ; ex:currency "EUR" ] ;
    ex:steps ( ex:one ex:two ) .
_:x ex:label "labelled" .
"""
SAME_LABEL = '_:x <https://example.org/b/label> "{}" .\n'


def ontology_triples() -> int:
    """The triples of the bundled ontology as one ontology (its modules merged)."""
    from mktgraph.oxrdf import merge_module_quads

    store = ox.Store()
    for path in resources.ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return len(merge_module_quads(list(store)))


def test_loading_the_same_files_twice_adds_nothing(tmp_path):
    nt = tmp_path / "plain.nt"
    nt.write_text('<https://example.org/a> <https://example.org/p> "1" .\n')
    ttl = tmp_path / "blank.ttl"
    ttl.write_text(BLANK_TURTLE)
    with EmbeddedStore(tmp_path / "s", create=True) as store:
        first = store.load([nt, ttl])
        assert first.triples_after == ontology_triples() + 1 + 9
        second = store.load([nt, ttl])
        assert second.added == 0
        assert second.triples_after == first.triples_after
        # ... and the ontology is there once, whatever the number of loads
        assert store.ensure_ontology() is False


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    one.write_text(SAME_LABEL.format("one"))
    two.write_text(SAME_LABEL.format("two"))
    with EmbeddedStore(tmp_path / "s", create=True) as store:
        store.load([one, two, one])
        rows = store.query_raw(
            "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b <https://example.org/b/label> ?l }"
        )
        assert int(next(iter(rows))[0].value) == 2


# Blank nodes as subject and object, `_:` inside a literal and an IRI (no blank node there), a
# line ended by a lone CR, and a decimal the store rewrites, held by a blank node.
AWKWARD_NT = (
    '_:m <https://example.org/b/value> "490.00"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    "<https://example.org/b/d> <https://example.org/b/amount> _:m .\r"
    '<https://example.org/b/a_:b> <https://example.org/b/label> "_:m [ (" .\r\n'
    "\t_:n<https://example.org/b/next>_:m.\n"
)


def test_n_triples_blank_nodes_go_in_once_and_keep_their_records(tmp_path):
    from mktgraph.fastshacl.lexical import AS_WRITTEN

    nt = tmp_path / "awkward.nt"
    nt.write_bytes(AWKWARD_NT.encode())
    other = tmp_path / "other.nt"
    other.write_bytes(AWKWARD_NT.replace("490.00", "491.00").encode())
    with EmbeddedStore(tmp_path / "s", create=True) as store:
        first = store.load([nt])
        assert first.triples_after == ontology_triples() + 4
        assert store.load([nt]).added == 0
        assert store.load([other]).added == 3  # its own blank nodes; the IRI triple is held
        labels = "SELECT ?l WHERE { <https://example.org/b/a_:b> ?p ?l }"
        assert [row[0].value for row in store.query_raw(labels)] == ["_:m [ ("]
        linked = """SELECT (COUNT(*) AS ?n) WHERE {
            ?n <https://example.org/b/next> ?m . <https://example.org/b/d> ?p ?m .
            ?m <https://example.org/b/value> ?v }"""
        assert int(next(iter(store.query_raw(linked)))[0].value) == 2
        # The decimals as written are recorded about the very nodes the store holds.
        records = list(store.oxigraph.quads_for_pattern(None, None, None, AS_WRITTEN))
        assert sorted(q.object.value for q in records) == ["490.00", "491.00"]
        for record in records:
            assert isinstance(record.subject, ox.BlankNode)
            held = store.oxigraph.quads_for_pattern(
                record.subject, record.predicate, None, ox.DefaultGraph()
            )
            assert len(list(held)) == 1


def test_a_syntax_error_after_blank_nodes_names_the_files_line(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text(
        "_:x <https://example.org/p> <https://example.org/o> .\n"
        "<https://example.org/s> <https://example.org/p> _:x .\n"
        "<https://example.org/s> <https://example.org/p> .\n"
    )
    with EmbeddedStore(tmp_path / "s", create=True) as store, pytest.raises(InputError) as error:
        store.load([bad])
    assert str(error.value).startswith(f"{bad}:3")


def test_replace_drops_the_data_and_keeps_the_ontology(tmp_path):
    nt = tmp_path / "plain.nt"
    nt.write_text('<https://example.org/a> <https://example.org/p> "1" .\n')
    other = tmp_path / "other.nt"
    other.write_text('<https://example.org/b> <https://example.org/p> "2" .\n')
    with EmbeddedStore(tmp_path / "s", create=True) as store:
        store.load([nt])
        report = store.load([other], replace=True)
        assert report.triples_after == ontology_triples() + 1
        assert not store.query_raw("ASK { <https://example.org/a> ?p ?o }")
        assert store.query_raw("ASK { <https://example.org/b> ?p ?o }")


@pytest.mark.slow
def test_progress_is_reported_while_loading(tmp_path):
    path = tmp_path / "g.nt"
    module = generator_module()
    module.write(path, module.Generator(120_000, 0.0, 1))
    seen = []
    with EmbeddedStore(tmp_path / "s", create=True) as store:
        store.load([path], progress=lambda n, seconds: seen.append(n))
    assert seen == [50_000, 100_000]


def test_a_folder_that_is_no_store_is_refused(tmp_path):
    with pytest.raises(InputError, match="no mktgraph store here"):
        EmbeddedStore(tmp_path / "missing", read_only=True)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file.txt").write_text("x")
    with pytest.raises(InputError, match="not an empty folder"):
        EmbeddedStore(tmp_path / "full", create=True)


def test_a_syntax_error_names_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n")
    with EmbeddedStore(tmp_path / "s", create=True) as store, pytest.raises(InputError) as error:
        store.load([bad])
    assert str(error.value).startswith(f"{bad}:2")


def _normal(term):
    """A term as the comparison sees it: numbers and dates by value (the store keeps canonical
    forms), strings by their text (Oxigraph's GROUP_CONCAT keeps a common language tag where
    rdflib's drops it)."""
    if isinstance(term, Literal):
        if term.value is not None and not isinstance(term.value, str):
            return ("value", term.value)
        return ("text", str(term))
    return term


def _rows(result) -> Counter:
    if result.type == "ASK":
        return Counter([result.askAnswer])
    return Counter(tuple(_normal(row.get(v)) for v in result.vars) for row in result.bindings)


SAMPLE_PARAMS = {"framework": "mkt:SevenPs"}


def _params(name: str) -> dict[str, str]:
    return {p.name: SAMPLE_PARAMS[p.name] for p in named_queries()[name].parameters if p.required}


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    module = generator_module()
    folder = tmp_path_factory.mktemp("scale")
    generated = folder / "generated.nt"
    module.write(generated, module.Generator(3_000, 0.05, 2))
    files = [*resources.example_files(), generated]
    load_data(SourceSpec(store=folder / "store"), files)
    return folder / "store", files


@pytest.mark.parametrize("name", sorted(named_queries()))
@pytest.mark.slow
def test_named_query_through_the_store_equals_in_memory(name, sample_store):
    store, files = sample_store
    params = _params(name)
    in_memory = run_query(name, files, params)
    through_store = run_query(name, SourceSpec(store=store), params)
    assert through_store.type == in_memory.type
    assert [str(v) for v in through_store.vars or []] == [str(v) for v in in_memory.vars or []]
    assert _rows(through_store) == _rows(in_memory)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_the_stores_own_csv_holds_every_row_as_written(name, sample_store):
    """CSV straight from the store: each cell the term's own lexical form (rdflib would write
    "+00:00" for the data's "Z"), rows in the query's order."""
    import csv
    import io

    from mktgraph.queries import bind_parameters

    store, _files = sample_store
    params = _params(name)
    native = run_query(name, SourceSpec(store=store), params, csv=True)
    assert isinstance(native, CsvAnswer)
    with EmbeddedStore(store, read_only=True) as opened:
        answer = opened.query_raw(bind_parameters(named_queries()[name], params))
        expected = [[v.value for v in answer.variables]]
        expected += [["" if term is None else term.value for term in row] for row in answer]
    assert list(csv.reader(io.StringIO(native.text, newline=""))) == expected


def _canonical(data: bytes, fmt: ox.RdfFormat) -> Graph:
    """A graph with the store's literal forms (so "6500.00" and "6500" compare equal)."""
    store = ox.Store()
    store.load(data, format=fmt)
    graph = Graph()
    convert = term_converter()
    for quad in store:
        graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return graph


@pytest.mark.parametrize("ontology", [True, False], ids=["with-ontology", "data-only"])
@pytest.mark.parametrize("fmt", ["nt", "turtle"])
@pytest.mark.slow
def test_export_through_the_store_equals_in_memory(fmt, ontology, sample_store, tmp_path):
    store, files = sample_store
    out = tmp_path / f"out.{fmt}"
    with out.open("wb") as handle:
        export_graph(SourceSpec(store=store), fmt, out=handle, ontology=ontology)
    ox_fmt = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
    exported = _canonical(out.read_bytes(), ox_fmt)
    expected = _canonical(export_graph(files, fmt, ontology=ontology).encode(), ox_fmt)
    assert len(exported) == len(expected)
    assert isomorphic(exported, expected)
    if fmt == "turtle":
        assert b"@prefix mkt: <https://w3id.org/mktgraph/def/> ." in out.read_bytes()


def test_export_is_the_same_bytes_every_time(sample_store, tmp_path):
    store, _files = sample_store
    for name in ("a.ttl", "b.ttl"):
        with (tmp_path / name).open("wb") as handle:
            export_graph(SourceSpec(store=store), "turtle", out=handle)
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


def test_the_command_line_does_not_import_the_store():
    code = (
        "import sys, mktgraph.cli; "
        "print(any(m in sys.modules for m in ('pyoxigraph', 'rdflib', 'mktgraph.fastshacl')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_integer_derived_datatypes_are_judged_as_written(tmp_path):
    """Oxigraph keeps "5"^^xsd:int as "5"^^xsd:integer, but the store records the writing
    (fastshacl/lexical.py): validation gives pySHACL's results on the file, with no note."""
    from scalecheck import fast_report, pyshacl_keys, report_keys

    from mktgraph import graph as graphs

    data = tmp_path / "data.ttl"
    data.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://example.org/s> a mkt:ServiceQualityAssessment ; "
        'mkt:respondents "40"^^xsd:int .\n'
    )
    shapes = graphs.load(resources.shape_files())
    warnings: list[str] = []
    fast = fast_report(tmp_path / "store", [data], shapes, "rdfs", warnings)
    assert not any("derived from xsd:integer" in w for w in warnings)
    expected = pyshacl_keys(graphs.load([data]), shapes, "rdfs")
    assert any(key[2].endswith("DatatypeConstraintComponent") for key in expected)
    assert report_keys(fast.report) == expected


def test_store_queries_are_read_only_and_offline(sample_store):
    from mktgraph.errors import NetworkRefused, QueryError

    store, _files = sample_store
    with EmbeddedStore(store, read_only=True) as opened:
        with pytest.raises(QueryError, match="SPARQL Update"):
            opened.query("INSERT DATA { <https://e/a> <https://e/b> <https://e/c> }")
        with pytest.raises(NetworkRefused, match="SERVICE"):
            opened.query("SELECT * WHERE { SERVICE <https://e/sparql> { ?s ?p ?o } }")
        assert opened.query("ASK { ?service ?p ?o }").askAnswer is True


def test_the_embedded_store_offers_the_store_protocol(tmp_path):
    """mktgraph.stores.Store: what every backend offers, so that the embedded one fits beside
    the HTTP one (a spec whose backend is "embedded")."""
    from mktgraph.stores import Store
    from mktgraph.stores.embedded import EmbeddedSpec

    nt = tmp_path / "a.nt"
    nt.write_text('<https://example.org/a> <https://example.org/p> "1" .\n')
    spec = EmbeddedSpec(str(tmp_path / "s"))
    assert spec.backend == "embedded"
    with EmbeddedStore(spec, create=True) as store:
        for name in ("query", "triple_count", "load", "close"):
            assert callable(getattr(store, name)) and hasattr(Store, name)
        report = store.load([nt], replace=False, protocol=None, progress=None)
        assert store.triple_count() == report.triples_after == ontology_triples() + 1
        answer = store.query("SELECT ?o WHERE { <https://example.org/a> ?p ?o }", "q")
        assert [str(row[0]) for row in answer] == ["1"]
    with pytest.raises(InputError, match="--graph does not apply"):
        EmbeddedStore(spec, graph="https://example.org/g")
