"""`mktgraph reason` and `mktgraph query --reason`: summaries, RDF output, the size rule."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace
from rdflib.compare import isomorphic
from reasoning_support import data_file

from mktgraph import reason as reasoning
from mktgraph.graph import load_with_ontology
from mktgraph.namespaces import MKT

EX = Namespace("https://example.org/classify/")
CONVERTED = {EX["lead-won"], EX["lead-retried"], EX["lead-inverse"]}


@pytest.fixture(scope="module")
def owlrl_classify():
    return reasoning.reason_files([data_file("classify.ttl")], reasoner="owlrl")


@pytest.mark.integration
def test_summary_of_the_sample_graph(run_cli):
    result = run_cli("reason", "--example")
    assert result.exit_code == 0, result.stderr
    # In a pipe (as here) the verdict goes to stderr and the facts by kind are CSV.
    lines = result.stderr.splitlines()
    assert lines[0] == "consistent; no unsatisfiable classes"
    assert lines[1].startswith("reasoner: HermiT, chosen for ")
    assert ": HermiT up to 1,500, OWL 2 RL above; " in lines[1]
    assert lines[2].startswith("inferred facts: ")
    assert result.stdout.startswith("kind,term,facts\n")
    assert "\ntype,mkt:ConvertedLead," in result.stdout


@pytest.mark.slow
def test_summary_counts_inferred_facts_by_kind(run_cli, owlrl_classify):
    result = run_cli("reason", data_file("classify.ttl"), "--reasoner", "owlrl")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()  # the verdict; the facts by kind on stdout, as CSV
    assert lines[1].startswith("reasoner: owlrl, as asked; ")
    assert lines[2] == "note: OWL 2 RL does not test classes for satisfiability"
    total = len(owlrl_classify.inferred)
    types = sum(n for kind, _term, n in owlrl_classify.counts() if kind == "type")
    assert (
        lines[3] == f"inferred facts: {total} ({types} new types, {total - types} property values)"
    )
    assert "\ntype,mkt:ConvertedLead,3\n" in result.stdout


@pytest.mark.integration  # OWL 2 RL has HermiT check the ontology once
def test_the_default_reasoner_depends_on_the_size(run_cli, monkeypatch):
    monkeypatch.setattr(reasoning, "DL_INDIVIDUAL_LIMIT", 10)
    result = run_cli("reason", data_file("classify.ttl"))
    assert result.exit_code == 0
    count = len(reasoning.individuals(load_with_ontology([data_file("classify.ttl")])))
    assert result.stderr.splitlines()[1].startswith(
        f"reasoner: OWL 2 RL, chosen for {count:,} individuals: HermiT up to 10, OWL 2 RL above;"
    )


@pytest.mark.parametrize(
    ("args", "fmt"),
    [
        (["-o", "{tmp}/inferred.ttl"], "turtle"),
        (["-o", "{tmp}/inferred.nt"], "nt"),
        (["-o", "{tmp}/inferred.jsonld"], "json-ld"),
        (["--format", "nt", "-o", "{tmp}/inferred.txt"], "nt"),
    ],
)
@pytest.mark.slow
def test_inferred_facts_are_written_as_rdf(run_cli, tmp_path, owlrl_classify, args, fmt):
    args = [a.format(tmp=tmp_path) for a in args]
    result = run_cli("reason", data_file("classify.ttl"), "--reasoner", "owlrl", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("consistent; no unsatisfiable classes\n")
    written = Graph().parse(args[-1], format=fmt)
    assert isomorphic(written, owlrl_classify.inferred)
    assert {
        s for s in written.subjects(None, MKT.ConvertedLead) if str(s).startswith(str(EX))
    } == CONVERTED


@pytest.mark.slow
def test_format_without_output_writes_rdf_to_stdout_and_the_summary_to_stderr(
    run_cli, owlrl_classify
):
    result = run_cli("reason", data_file("classify.ttl"), "--reasoner", "owlrl", "--format", "nt")
    assert result.exit_code == 0
    assert isomorphic(Graph().parse(data=result.stdout, format="nt"), owlrl_classify.inferred)
    assert result.stdout.splitlines() == sorted(result.stdout.splitlines())
    assert result.stderr.startswith("consistent; no unsatisfiable classes\n")


CONVERTED_QUERY = """PREFIX mkt: <https://w3id.org/mktgraph/def/>
SELECT ?lead WHERE { ?lead a mkt:ConvertedLead } ORDER BY ?lead
"""


@pytest.mark.parametrize(
    "flags",
    [
        [],
        ["--reasoner", "owlrl"],
        pytest.param(["--reason"], marks=pytest.mark.integration),
        pytest.param(["--reason", "--reasoner", "pellet"], marks=pytest.mark.integration),
    ],
)
@pytest.mark.slow
def test_query_runs_over_the_inferences_with_reason(run_cli, tmp_path, flags):
    query = tmp_path / "converted.rq"
    query.write_text(CONVERTED_QUERY, encoding="utf-8")
    result = run_cli(
        "query", str(query), "--data", data_file("classify.ttl"), "--format", "csv", *flags
    )
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0] == "lead"
    expected = [] if not flags else sorted(str(x) for x in CONVERTED)
    assert rows[1:] == expected


def test_reason_is_documented_with_an_example(run_cli):
    result = run_cli("reason", "--help")
    assert result.exit_code == 0
    assert "mktgraph reason --example" in result.stdout
    assert "--reasoner [hermit|pellet|rl|owlrl]" in result.stdout
    assert "--store DIR" in result.stdout and "--remove" in result.stdout
    query_help = run_cli("query", "--help").stdout
    assert "--reason " in query_help and "--reasoner" in query_help


@pytest.mark.slow
def test_data_with_inferences_adds_only_facts_about_the_datas_own_subjects():
    from rdflib.namespace import RDF

    from mktgraph.graph import load

    stated = load([data_file("classify.ttl")])
    graph = reasoning.data_with_inferences([data_file("classify.ttl")], reasoner="owlrl")
    assert set(stated) < set(graph)
    assert (EX["lead-won"], RDF.type, MKT.ConvertedLead) in graph
    assert (EX["acme"], MKT.hasLead, EX["lead-won"]) in graph
    assert {s for s in graph.subjects() if not str(s).startswith(str(EX))} == set()


@pytest.mark.parametrize(
    "flags",
    [["--reasoner", "owlrl"], pytest.param(["--reason"], marks=pytest.mark.integration)],
)
@pytest.mark.slow
def test_validate_with_reason_checks_the_inferred_types_too(run_cli, flags):
    path = data_file("deep-discount.ttl")
    plain = run_cli("validate", path, "--format", "csv", "--fail-on", "warning")
    assert plain.exit_code == 0, plain.stderr
    assert plain.stdout.splitlines()[1:] == []
    reasoned = run_cli("validate", path, "--format", "csv", "--fail-on", "warning", *flags)
    assert reasoned.exit_code == 1, reasoned.stderr
    rows = [line.split(",")[0] for line in reasoned.stdout.splitlines()[1:]]
    assert rows == ["https://example.org/deep-discount/half-price-week"]
    assert "mktsh:DiscountPromotion-discountPercent-deep" in reasoned.stdout


@pytest.mark.slow
def test_validate_with_reason_on_inconsistent_data_exits_1(run_cli):
    result = run_cli("validate", data_file("contradictory.ttl"), "--reasoner", "owlrl")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: the data is inconsistent (owlrl); individuals ")
