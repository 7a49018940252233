"""OWL 2 RL inside Oxigraph (`--reasoner rl`) against owlrl: the same instance inferences, every
difference explained by rule; the same contradictions; a timeout that keeps nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from reasoning_support import data_file

from mktgraph import reason as reasoning
from mktgraph import rl
from mktgraph.graph import load_with_ontology, term_converter

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_reason import generate  # noqa: E402

# Outside the quick subset (-m "not slow and not integration"):
# each test runs OWL 2 RL reasoners over the sample graph.
pytestmark = pytest.mark.slow

TARGET = ox.NamedNode("urn:mktgraph:inferred:test")
SCHEMA_VOCABULARY = (str(RDFS), str(OWL))


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def store_of(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(input=graph.serialize(format="nt", encoding="utf-8"),
                    format=ox.RdfFormat.N_TRIPLES)  # fmt: skip
    return store


def rl_closure(graph: Graph) -> set:
    store = store_of(graph)
    rl.close(store, rl.compile_rules(rl.schema_of(graph)), TARGET)
    convert = term_converter()
    return {
        (convert(q.subject), convert(q.predicate), convert(q.object))
        for q in store.quads_for_pattern(None, None, None, TARGET)
    }


def owlrl_closure(graph: Graph) -> set:
    closed = Graph()
    for triple in graph:
        closed.add(triple)
    reasoning.rl_closure(closed, propagate_equality=True)
    return set(closed) - set(graph)


def why_owlrl_alone(triple) -> str | None:
    """The rule-level reason owlrl infers a triple that the rl path does not keep, or None."""
    s, p, o = triple
    if isinstance(s, Literal):
        return "dt-type: a literal typed with its datatype (not RDF a data graph can hold)"
    if str(p).startswith(SCHEMA_VOCABULARY) and p != OWL.sameAs:
        return "scm-*: the schema's own closure, kept in the rule cache, not in the data"
    if p == RDF.type and o in (OWL.Thing, RDFS.Resource):
        return "cls-thing / rdfs4: every individual is an owl:Thing"
    if p == RDF.type and not isinstance(o, URIRef):
        return "cax-sco on a class expression (a blank node), not a class anyone can name"
    if p == RDF.type and str(o).startswith(SCHEMA_VOCABULARY + (str(RDF),)):
        return "the schema's own terms typed (owl:Class, rdfs:Datatype, rdf:Property...)"
    return None


def compare(graph: Graph) -> tuple[set, set]:
    ours, theirs = rl_closure(graph), owlrl_closure(graph)
    unexplained = {t for t in theirs - ours if why_owlrl_alone(t) is None}
    return ours - theirs, unexplained


def test_the_sample_graph_closes_as_owlrl_closes_it():
    graph = reasoning.prepare(load_with_ontology([], example=True))
    only_ours, unexplained = compare(graph)
    assert only_ours == set()
    assert unexplained == set()


@pytest.mark.slow
def test_generated_company_data_closes_as_owlrl_closes_it():
    graph = reasoning.prepare(load_with_ontology([]) + generate(2000))
    only_ours, unexplained = compare(graph)
    assert only_ours == set()
    assert unexplained == set()


def test_the_inferred_facts_a_user_sees_are_owlrls():
    graph = reasoning.prepare(load_with_ontology([data_file("classify.ttl")]))
    schema = rl.schema_of(graph)
    outcome, raw = reasoning._reason_rl(graph, schema, timeout=None)
    assert outcome["status"] == "ok"
    ours = reasoning._materialise(graph, raw)
    theirs = reasoning.reason(load_with_ontology([data_file("classify.ttl")]), "owlrl").inferred
    assert set(ours) == set(theirs)
    assert len(ours) > 0


def test_contradictions_are_found_and_explained_as_owlrl_explains_them():
    graph = reasoning.prepare(load_with_ontology([data_file("contradictory.ttl")]))
    schema = rl.schema_of(graph)
    outcome, raw = reasoning._reason_rl(graph, schema, timeout=None)
    theirs = reasoning.reason(load_with_ontology([data_file("contradictory.ttl")]), "owlrl")
    assert outcome["status"] == "inconsistent"
    assert len(raw) == 0
    ours = [reasoning._problem_from_json(p) for p in outcome["problems"]]
    assert {p.why for p in ours} == {p.why for p in theirs.problems}
    assert {i for p in ours for i in p.individuals} == set(theirs.involved)


def test_a_value_outside_a_data_range_is_a_contradiction():
    graph = reasoning.prepare(load_with_ontology([data_file("out-of-range.ttl")]))
    outcome, _raw = reasoning._reason_rl(graph, rl.schema_of(graph), timeout=None)
    theirs = reasoning.reason(load_with_ontology([data_file("out-of-range.ttl")]), "owlrl")
    assert outcome["status"] == "inconsistent"
    assert {p["why"] for p in outcome["problems"]} == {p.why for p in theirs.problems}


def test_a_timeout_stops_the_closure_and_keeps_nothing():
    graph = reasoning.prepare(load_with_ontology([], example=True))
    store = store_of(graph)
    rules = rl.compile_rules(rl.schema_of(graph))
    with pytest.raises(reasoning.ReasonerFailed, match=r"did not finish within 0 s \(--timeout\)"):
        reasoning.close_in_store(store, rules, TARGET, timeout=0)
    assert list(store.quads_for_pattern(None, None, None, TARGET)) == []
    assert list(store.named_graphs()) == []


def test_the_compiled_rules_are_cached_per_schema(tmp_path):
    graph = load_with_ontology([])
    schema = rl.schema_of(graph)
    first = rl.compile_rules(schema)
    cached = list((tmp_path / "cache" / "mktgraph").glob("rl-rules-*.json"))
    assert len(cached) == 1
    assert rl.compile_rules(schema) == first
    extended = Graph()
    for triple in schema:
        extended.add(triple)
    extended.add((URIRef("https://example.org/Webinar"), RDFS.subClassOf, URIRef(
        "https://w3id.org/mktgraph/def/MarketingCampaign")))  # fmt: skip
    assert rl.schema_digest(extended) != rl.schema_digest(schema)


def test_the_schema_digest_does_not_depend_on_blank_node_labels():
    once, twice = load_with_ontology([]), load_with_ontology([])
    assert rl.schema_digest(rl.schema_of(once)) == rl.schema_digest(rl.schema_of(twice))


def test_reason_files_with_rl_reads_the_files_into_oxigraph_and_shows_what_owlrl_shows():
    ours = reasoning.reason_files([data_file("classify.ttl")], reasoner="rl")
    theirs = reasoning.reason_files([data_file("classify.ttl")], reasoner="owlrl")
    assert ours.reasoner == "rl" and ours.consistent
    assert set(ours.inferred) == set(theirs.inferred)
    assert ours.counts() == theirs.counts()
