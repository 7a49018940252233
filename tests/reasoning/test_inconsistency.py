"""Contradictory data: every reasoner finds it, and the report names the individuals and facts
involved; unsatisfiable classes, values outside a range and ill-typed literals likewise."""

from __future__ import annotations

import pytest
from rdflib import Literal, Namespace
from rdflib.namespace import RDF, XSD
from reasoning_support import data_file

from mktgraph.errors import EXIT_NEGATIVE
from mktgraph.graph import load_ontology, load_with_ontology
from mktgraph.namespaces import MKT
from mktgraph.reason import InconsistentData, reason, reason_files, with_inferences

EX = Namespace("https://example.org/contradictory/")
DEAL, PROMO = str(EX["deal-both"]), str(EX["promo-mixed"])
REASONERS = [
    pytest.param("hermit", marks=pytest.mark.integration),
    pytest.param("pellet", marks=pytest.mark.integration),
    "owlrl",
    pytest.param("rl", marks=pytest.mark.integration),  # HermiT checks the ontology once
]


def facts(result) -> set[tuple]:
    return {(f.subject, f.predicate, f.object, f.asserted) for f in result.facts}


@pytest.mark.parametrize("reasoner", REASONERS)
@pytest.mark.slow
def test_contradictory_data_is_inconsistent_and_the_individuals_are_named(reasoner):
    result = reason_files([data_file("contradictory.ttl")], reasoner=reasoner)
    assert not result.consistent and not result.ok
    assert result.involved == [DEAL, PROMO]
    assert facts(result) >= {
        (DEAL, str(MKT.dealStage), str(MKT.WonStage), True),
        (DEAL, str(MKT.dealStage), str(MKT.LostStage), True),
        (PROMO, str(RDF.type), str(MKT.BrandPromotion), True),
        (PROMO, str(RDF.type), str(MKT.DiscountPromotion), False),
        (PROMO, str(MKT.discountPercent), '"20.0"^^xsd:decimal', True),
    }
    assert len(result.inferred) == 0


@pytest.mark.integration
def test_cli_reports_the_contradiction_and_exits_1(run_cli):
    result = run_cli("reason", data_file("contradictory.ttl"))
    assert result.exit_code == EXIT_NEGATIVE
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "inconsistent: the data contradicts the ontology (HermiT)"
    assert f"individuals involved: <{DEAL}> <{PROMO}>" in lines
    assert f"   <{DEAL}> mkt:dealStage mkt:WonStage .  # stated" in lines
    assert f"   <{PROMO}> rdf:type mkt:DiscountPromotion .  # inferred" in lines
    assert "explanation (Pellet):" not in lines


@pytest.mark.integration
@pytest.mark.parametrize("reasoner", ["pellet", "hermit"])
def test_explain_adds_pellets_explanation(run_cli, reasoner):
    result = run_cli("reason", data_file("contradictory.ttl"), "--reasoner", reasoner, "--explain")
    assert result.exit_code == EXIT_NEGATIVE
    text = result.stdout
    assert "explanation (Pellet):" in text
    explanation = text.split("explanation (Pellet):", 1)[1]
    # Pellet stops at the first contradiction it proves: the deal's two stages.
    assert "Functional dealStage" in explanation
    assert "deal-both dealStage WonStage" in explanation
    assert "deal-both dealStage LostStage" in explanation


@pytest.mark.integration
@pytest.mark.parametrize("reasoner", ["hermit", "pellet"])
def test_an_unsatisfiable_class_is_named_and_exits_1(run_cli, reasoner):
    cls = "https://example.org/unsatisfiable/BroadcastDeal"
    result = reason_files([data_file("unsatisfiable.ttl")], reasoner=reasoner)
    assert result.consistent
    assert result.unsatisfiable == [cls]
    cli = run_cli("reason", data_file("unsatisfiable.ttl"), "--reasoner", reasoner)
    assert cli.exit_code == EXIT_NEGATIVE
    assert cli.stdout.splitlines()[0] == "consistent, but 1 unsatisfiable class(es)"
    assert f"unsatisfiable: <{cls}>" in cli.stdout.splitlines()


@pytest.mark.parametrize("reasoner", REASONERS)
@pytest.mark.slow
def test_a_value_outside_the_range_is_found_and_named(reasoner):
    result = reason_files([data_file("out-of-range.ttl")], reasoner=reasoner)
    assert not result.consistent
    words = "https://example.org/out-of-range/promo-words"
    assert result.involved == [words]
    assert facts(result) == {(words, str(MKT.discountPercent), '"twenty"', True)}
    assert [p.why for p in result.problems] == [
        'the values of mkt:discountPercent are xsd:decimal, but "twenty" is not'
    ]


@pytest.mark.parametrize("reasoner", REASONERS)
def test_an_ill_typed_literal_is_inconsistent_without_asking_the_reasoner(reasoner):
    graph = load_ontology()
    promo = EX["promo-typo"]
    graph.add((promo, RDF.type, MKT.Promotion))
    graph.add((promo, MKT.discountPercent, Literal("2O", datatype=XSD.decimal)))
    result = reason(graph, reasoner=reasoner)
    assert not result.consistent
    assert result.involved == [str(promo)]
    assert [p.why for p in result.problems] == ['"2O"^^xsd:decimal is not a valid xsd:decimal']


@pytest.mark.slow
def test_with_inferences_refuses_inconsistent_data_with_exit_1():
    graph = load_with_ontology([data_file("contradictory.ttl")])
    with pytest.raises(InconsistentData) as caught:
        with_inferences(graph, "owlrl")
    assert caught.value.exit_code == EXIT_NEGATIVE
    message = str(caught.value)
    assert "\n" not in message
    assert f"<{DEAL}>" in message and f"<{PROMO}>" in message


@pytest.mark.slow
def test_query_with_reason_on_inconsistent_data_exits_1_with_one_line(run_cli, tmp_path):
    query = tmp_path / "deals.rq"
    query.write_text(
        "PREFIX mkt: <https://w3id.org/mktgraph/def/>\n"
        "SELECT ?d WHERE { ?d a mkt:Deal } ORDER BY ?d\n",
        encoding="utf-8",
    )
    result = run_cli(
        "query", str(query), "--data", data_file("contradictory.ttl"), "--reasoner", "owlrl"
    )
    assert result.exit_code == EXIT_NEGATIVE
    assert result.stdout == ""
    assert result.stderr.startswith("error: the data is inconsistent (owlrl)")
    assert result.stderr.count("\n") == 1


@pytest.mark.slow
def test_a_lead_that_is_also_an_activity_is_a_contradiction():
    graph = load_ontology()
    odd = EX["lead-campaign"]
    graph.add((odd, RDF.type, MKT.Lead))
    graph.add((odd, RDF.type, MKT.MarketingCampaign))
    result = reason(graph, reasoner="owlrl")
    assert not result.consistent
    assert result.involved == [str(odd)]
    assert [p.why for p in result.problems] == [
        f"mkt:Lead and mkt:MarketingActivity are disjoint, but <{odd}> is both"
    ]
