"""The OWL 2 RL rounds wherever the stated data are: the default graph (an embedded store) or a
named graph (a server's --graph), with delta graphs of the run's own; the same closure."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from reasoning_support import data_file

from mktgraph import rl
from mktgraph.graph import load_with_ontology

STATED = "https://example.org/company"
TARGET = "urn:mktgraph:inferred:test"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def data():
    graph = load_with_ontology([data_file("classify.ttl"), data_file("deep-discount.ttl")])
    return graph, graph.serialize(format="nt", encoding="utf-8")


def inferred(store: ox.Store) -> set:
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(TARGET)))


def test_a_named_graph_of_stated_data_gives_the_default_graphs_closure(data):
    graph, text = data
    rules = rl.compile_rules(rl.schema_of(graph))
    in_default = ox.Store()
    in_default.bulk_load(input=text, format=ox.RdfFormat.N_TRIPLES)
    rl.close(in_default, rules, ox.NamedNode(TARGET))
    in_named = ox.Store()
    in_named.bulk_load(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(STATED))
    other = ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:b"))
    in_named.add(other)  # the default graph is not the stated data here: never read
    where = rl.Where(stated=STATED, deltas="urn:mktgraph:rl:delta:run-1")
    figures = rl.close_in(rl.StoreBackend(in_named), rules, TARGET, where)
    assert inferred(in_named) == inferred(in_default) != set()
    assert figures.kept == len(inferred(in_default))
    names = sorted(g.value for g in in_named.named_graphs())
    assert names == sorted([STATED, TARGET])  # the run's delta graphs are gone
    assert list(in_named.quads_for_pattern(None, None, None, ox.DefaultGraph())) == [other]


def test_every_atom_reads_the_stated_graph_it_is_given():
    rule = rl.Rule("other", "?x a ?c", "D{ ?x ?p ?y } F{ ?y a ?d } N{ ?x a ?c }")
    local = rl._update(rule, TARGET, 0, True)
    assert "GRAPH <https://" not in local
    named = rl._update(rule, TARGET, 0, True, rl.Where(stated=STATED, deltas="urn:d:run"))
    assert named.count(f"GRAPH <{STATED}>") == 3  # D (the first round), F and N
    assert "urn:d:run:1" in named and "urn:mktgraph:rl:delta" not in named
