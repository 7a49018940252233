"""`reason --store`: the closure kept in a named graph of its own, replaceable and removable;
stale after a load; nothing kept when the data is inconsistent or the reasoner times out."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDF
from reasoning_support import data_file

from mktgraph import inferred
from mktgraph import reason as reasoning
from mktgraph.graph import load_with_ontology
from mktgraph.namespaces import MKT
from mktgraph.stores.embedded import EmbeddedStore

pytestmark = pytest.mark.integration  # OWL 2 RL has HermiT check the ontology (Java) once


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def make_store(path, *files):
    with EmbeddedStore(path, create=True) as store:
        store.load(files)
    return path


def graphs(path) -> list[str]:
    with EmbeddedStore(path) as store:
        return sorted(g.value for g in store.oxigraph.named_graphs())


def inference_triples(path) -> set[tuple[str, str, str]]:
    with EmbeddedStore(path) as store:
        graph = inferred.current(store.oxigraph)
        return {
            (q.subject.value, q.predicate.value, q.object.value)
            for q in store.oxigraph.quads_for_pattern(None, None, None, graph)
        }


def test_the_closure_goes_to_its_own_graph_and_equals_the_file_path(tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    stated_before = EmbeddedStore(path).triple_count()
    result = reasoning.reason_store(path, reasoner="rl")
    assert result.consistent and result.reasoner == "rl"
    from_files = reasoning.reason(load_with_ontology([data_file("classify.ttl")]), "rl").inferred
    kept = inference_triples(path)
    expected = {(str(s), str(p), str(o)) for s, p, o in from_files}
    assert expected <= kept
    assert result.inferred_count == len(kept)
    assert EmbeddedStore(path).triple_count() == stated_before  # the default graph unchanged
    assert [g for g in graphs(path) if g.startswith("urn:mktgraph:inferred:")] != []
    assert not [g for g in graphs(path) if g.startswith("urn:mktgraph:rl:")]


def test_reasoning_again_replaces_the_graph_and_remove_drops_it(tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    reasoning.reason_store(path, reasoner="rl")
    first = [g for g in graphs(path) if g.startswith(inferred.INFERRED_PREFIX)]
    reasoning.reason_store(path, reasoner="rl")
    second = [g for g in graphs(path) if g.startswith(inferred.INFERRED_PREFIX)]
    assert len(first) == len(second) == 1 and first != second
    assert reasoning.remove_inferences(path) > 0
    assert [g for g in graphs(path) if g.startswith(inferred.INFERRED_PREFIX)] == []
    assert reasoning.remove_inferences(path) == 0


def test_a_load_marks_the_inferences_stale(tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    reasoning.reason_store(path, reasoner="rl")
    with EmbeddedStore(path) as store:
        assert not inferred.is_stale(store.oxigraph)
        store.load([data_file("dates.ttl")])
        assert inferred.is_stale(store.oxigraph)
    reasoning.reason_store(path, reasoner="rl")
    with EmbeddedStore(path) as store:
        assert not inferred.is_stale(store.oxigraph)


def test_inconsistent_data_keeps_nothing_and_names_the_individuals(tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    reasoning.reason_store(path, reasoner="rl")
    before = inference_triples(path)
    with EmbeddedStore(path) as store:
        store.load([data_file("contradictory.ttl")])
    result = reasoning.reason_store(path, reasoner="rl")
    assert not result.consistent
    assert result.involved == [
        "https://example.org/contradictory/deal-both",
        "https://example.org/contradictory/promo-mixed",
    ]
    assert inference_triples(path) == before  # the earlier inferences are kept, stale
    assert len([g for g in graphs(path) if g.startswith(inferred.INFERRED_PREFIX)]) == 1


def test_a_timeout_leaves_the_store_as_it_was(tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    reasoning.reason_store(path, reasoner="rl")  # the ontology check is cached from here on
    before = graphs(path), inference_triples(path)
    with pytest.raises(reasoning.ReasonerFailed, match="--timeout"):
        reasoning.reason_store(path, reasoner="rl", timeout=0)
    assert (graphs(path), inference_triples(path)) == before


def test_a_dl_reasoner_on_a_small_store_keeps_its_inferences_too(tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    result = reasoning.reason_store(path, reasoner="hermit")
    assert result.consistent
    converted = {
        s
        for s, p, o in inference_triples(path)
        if p == str(RDF.type) and o == str(MKT.ConvertedLead)
    }
    assert converted == {
        "https://example.org/classify/lead-won",
        "https://example.org/classify/lead-retried",
        "https://example.org/classify/lead-inverse",
    }


def test_an_interrupted_run_leaves_a_graph_that_the_next_run_drops(tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    with EmbeddedStore(path) as store:  # as if killed while writing a closure
        store.oxigraph.add(
            ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.NamedNode("urn:y"),
                    ox.NamedNode(f"{inferred.INFERRED_PREFIX}killed"))
        )  # fmt: skip
    reasoning.reason_store(path, reasoner="rl")
    assert f"{inferred.INFERRED_PREFIX}killed" not in graphs(path)
