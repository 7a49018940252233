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


CONVERTED_QUERY = """PREFIX mkt: <https://w3id.org/mktgraph/def/>
SELECT ?lead WHERE { ?lead a mkt:ConvertedLead } ORDER BY ?lead
"""


def test_query_and_validate_with_reason_read_the_kept_inferences(run_cli, tmp_path):
    query = tmp_path / "converted.rq"
    query.write_text(CONVERTED_QUERY, encoding="utf-8")
    path = make_store(tmp_path / "store", data_file("classify.ttl"), data_file("deep-discount.ttl"))
    missing = run_cli("query", str(query), "--store", str(path), "--reason")
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"error: {path}: the store holds no inferences; make them with "
        f"`mktgraph reason --store {path}`\n"
    )
    kept = run_cli("reason", "--store", str(path), "--reasoner", "rl")
    assert kept.exit_code == 0, kept.stderr
    plain = run_cli("query", str(query), "--store", str(path), "--format", "csv")
    assert plain.stdout.splitlines() == ["lead"]
    reasoned = run_cli("query", str(query), "--store", str(path), "--reason", "--format", "csv")
    files = run_cli(
        "query", str(query), "--data", data_file("classify.ttl"), "--data",
        data_file("deep-discount.ttl"), "--reasoner", "rl", "--format", "csv",
    )  # fmt: skip
    assert reasoned.exit_code == 0 and reasoned.stderr == ""
    assert reasoned.stdout == files.stdout
    assert reasoned.stdout.splitlines()[1:] == [
        "https://example.org/classify/lead-inverse",
        "https://example.org/classify/lead-retried",
        "https://example.org/classify/lead-won",
    ]
    deep = "https://example.org/deep-discount/half-price-week"
    csv = ["--format", "csv", "--fail-on", "warning"]
    validated = run_cli("validate", "--store", str(path), "--reason", *csv)
    unreasoned = run_cli("validate", "--store", str(path), *csv)
    validated_files = run_cli(
        "validate", data_file("classify.ttl"), data_file("deep-discount.ttl"), "--reasoner", "rl",
        *csv,
    )  # fmt: skip
    assert validated.exit_code == 1
    rows = {line.split(",")[0] for line in validated.stdout.splitlines()[1:]}
    assert deep in rows
    assert deep not in {line.split(",")[0] for line in unreasoned.stdout.splitlines()[1:]}
    assert sorted(validated.stdout.splitlines()) == sorted(validated_files.stdout.splitlines())


def test_stale_inferences_are_used_with_a_warning(run_cli, tmp_path):
    query = tmp_path / "converted.rq"
    query.write_text(CONVERTED_QUERY, encoding="utf-8")
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    assert run_cli("reason", "--store", str(path), "--reasoner", "rl").exit_code == 0
    assert run_cli("load", data_file("dates.ttl"), "--store", str(path)).exit_code == 0
    result = run_cli("query", str(query), "--store", str(path), "--reason", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {path}: data were loaded after the inferences were made; run "
        f"`mktgraph reason --store {path}` to bring them up to date\n"
    )
    assert len(result.stdout.splitlines()) == 4


def test_reasoner_does_not_apply_to_a_stores_kept_inferences(run_cli, tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    result = run_cli("query", "open-leads", "--store", str(path), "--reasoner", "rl")
    assert result.exit_code == 2
    assert "--reasoner does not apply" in result.stderr


def test_reason_store_cli_reports_and_removes(run_cli, tmp_path):
    path = make_store(tmp_path / "store", data_file("classify.ttl"))
    result = run_cli("reason", "--store", str(path), "--reasoner", "rl")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "consistent; no unsatisfiable classes"
    assert lines[1].startswith("reasoner: OWL 2 RL, as asked; ")
    assert lines[2].startswith("ontology: checked by HermiT in ")
    assert lines[-1].startswith(f"kept in {path}, apart from the stated data")
    count = inferred.count(EmbeddedStore(path).oxigraph)
    removed = run_cli("reason", "--store", str(path), "--remove")
    assert removed.stdout == f"removed {count:,} inferred facts from {path}\n"


def test_an_ill_typed_literal_in_a_store_is_a_contradiction(tmp_path):
    data = tmp_path / "bad.ttl"
    data.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://example.org/p> a mkt:Promotion ; "
        'mkt:discountPercent "twenty"^^xsd:decimal .\n',
        encoding="utf-8",
    )
    path = make_store(tmp_path / "store", str(data))
    result = reasoning.reason_store(path, reasoner="rl")
    assert not result.consistent
    assert result.involved == ["https://example.org/p"]
    assert [p.why for p in result.problems] == ['"twenty"^^xsd:decimal is not a valid xsd:decimal']
