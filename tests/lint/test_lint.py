"""`mktgraph lint`: each check caught in an extension written for it; mktgraph's ontology clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from mktgraph import lint, resources
from mktgraph.errors import InputError

CASES = Path(__file__).parent / "cases"
EX = "https://example.org/ext/"

# Each case file triggers one check, and nothing else: (entity, property, value) per finding.
EXPECTED = {
    "missing-label": [(f"{EX}KeyAccountSale", "rdfs:label", "")],
    "missing-definition": [(f"{EX}KeyAccountSale", "skos:definition", "")],
    "multiple-labels": [
        (f"{EX}KeyAccountSale", "rdfs:label", "key account sale"),
        (f"{EX}KeyAccountSale", "rdfs:label", "strategic account sale"),
    ],
    "undeclared-term": [(f"{EX}AccountActivity", "rdf:type", "owl:Class")],
    "unknown-mktgraph-term": [("mkt:Campaign", "rdf:type", f"{EX}spring-launch")],
    "subclass-cycle": [
        (f"{EX}AccountSale", "rdfs:subClassOf", f"{EX}KeyAccountSale"),
        (f"{EX}KeyAccountSale", "rdfs:subClassOf", f"{EX}AccountSale"),
    ],
    "property-without-domain": [(f"{EX}accountManager", "rdfs:domain", "")],
    "illegal-punning": [(f"{EX}accountManager", "rdf:type", "owl:ObjectProperty")],
    "punning": [(f"{EX}GoldAccount", "rdf:type", "owl:NamedIndividual")],
    "equivalent-to-outside-term": [(f"{EX}Buyer", "owl:equivalentClass", "schema:Person")],
    "deprecated-term-used": [(f"{EX}RenewalSale", "rdfs:subClassOf", f"{EX}BigDeal")],
    "restriction-on-annotation-property": [
        (f"{EX}KeyAccountSale", "owl:onProperty", f"{EX}accountNote")
    ],
}


def found(result: lint.LintResult) -> list[tuple[str, str, str, str]]:
    return [
        (row["check"], row["entity"], row["property"], row["value"])
        for row in (f.as_dict() for f in result.findings)
    ]


def test_every_check_has_a_case_and_every_case_a_check():
    checks = sorted(lint.all_checks())
    assert len(checks) == 12
    assert sorted(EXPECTED) == checks
    assert sorted(p.stem for p in CASES.glob("*.ttl")) == sorted([*checks, "clean"])
    assert [p.stem for p in resources.lint_check_files()] == checks


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_each_case_triggers_its_check_and_no_other(check):
    result = lint.lint([CASES / f"{check}.ttl"])
    assert found(result) == [(check, *row) for row in EXPECTED[check]]
    severity = lint.all_checks()[check].severity
    assert result.fails(severity)
    assert result.fails("info")


def test_a_well_made_extension_has_no_findings():
    result = lint.lint([CASES / "clean.ttl"])
    assert result.findings == []
    assert result.summary() == f"{CASES / 'clean.ttl'}: no problems (12 checks)"
    assert not result.fails("info")


def test_mktgraph_ontology_has_no_errors():
    result = lint.lint()
    assert [f.as_dict() for f in result.findings if f.severity == "error"] == []
    assert not result.fails("error")


def test_mktgraph_ontology_warnings_are_the_properties_without_any_domain():
    # mkt:position describes components, stages and dimensions alike; precedes/follows order
    # stages and steps: no one class is their domain. Everything else states one.
    result = lint.lint()
    assert found(result) == [
        ("property-without-domain", "mkt:follows", "rdfs:domain", ""),
        ("property-without-domain", "mkt:position", "rdfs:domain", ""),
        ("property-without-domain", "mkt:precedes", "rdfs:domain", ""),
    ]
    assert result.counts == {"error": 0, "warning": 3, "info": 0}
    assert result.summary() == "mktgraph's ontology: 0 errors, 3 warnings, 0 infos (12 checks)"


def test_findings_mktgraph_itself_has_are_not_reported_against_an_extension():
    # The case files are linted with mktgraph's ontology; its own three warnings stay out.
    result = lint.lint([CASES / "missing-label.ttl"])
    assert [f.check for f in result.findings] == ["missing-label"]


def test_only_and_skip_choose_the_checks():
    case = CASES / "multiple-labels.ttl"
    assert lint.lint([case], only=["missing-label"]).findings == []
    assert lint.lint([case], skip=["multiple-labels"]).findings == []
    chosen = lint.lint([case], only=["multiple-labels", "punning"], skip=["punning"])
    assert chosen.checks == ["multiple-labels"]
    assert len(chosen.findings) == 2


def test_unknown_check_names_the_valid_ones():
    with pytest.raises(InputError) as error:
        lint.select_checks(only=["missing-labels"])
    assert str(error.value) == (
        "unknown check 'missing-labels'; the checks are: " + ", ".join(sorted(EXPECTED))
    )
    with pytest.raises(InputError, match="unknown check 'cycles'"):
        lint.select_checks(skip=["cycles"])


def test_malformed_target_names_file_and_line(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n")
    with pytest.raises(InputError) as error:
        lint.lint([broken])
    assert str(error.value).startswith(f"{broken}:3: malformed Turtle:")
    assert "\n" not in str(error.value)


def test_check_headers_are_required(tmp_path):
    check = tmp_path / "no-severity.rq"
    check.write_text("# title: t\n# message: m\n# description: d\nSELECT * {}\n")
    with pytest.raises(InputError, match="lacks a header line for severity"):
        lint.parse_check(check)
    check.write_text("# title: t\n# severity: fatal\n# message: m\n# description: d\nSELECT * {}\n")
    with pytest.raises(InputError, match="unknown severity 'fatal'"):
        lint.parse_check(check)


def test_every_bundled_check_says_its_severity_message_and_source():
    for check in lint.all_checks().values():
        assert check.severity in lint.SEVERITIES
        assert check.message and check.title and check.description
        assert "SELECT" in check.text and "?entity" in check.text


def test_unknown_terms_in_data_agree_with_the_lint_check(ontology_graph):
    data = Graph().parse(
        data="""
        @prefix mkt: <https://w3id.org/mktgraph/def/> .
        @prefix ex: <https://example.org/> .
        ex:c1 a mkt:Campaign ; mkt:budget 100 ; mkt:campaignBudget 5 .
        ex:l1 a mkt:Lead ; mkt:generatedBy ex:c1 .
        ex:d1 a mkt:Deal ; mkt:dealStage mkt:OpenStag .
        """,
        format="turtle",
    )
    unknown = lint.unknown_terms(data, ontology_graph)
    assert unknown == ["mkt:Campaign", "mkt:OpenStag", "mkt:campaignBudget"]
    merged = Graph()
    for triple in (*ontology_graph, *data):
        merged.add(triple)
    by_check = lint.run_checks(merged, [lint.all_checks()["unknown-mktgraph-term"]])
    assert sorted({f.as_dict()["entity"] for f in by_check}) == unknown
