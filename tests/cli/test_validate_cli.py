"""`mktgraph validate`: every output format, the fail levels, and exit codes 0, 1 and 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from mktgraph import cli as cli_module
from mktgraph import validate as validate_module

PREFIXES = """\
@prefix ex: <https://example.org/co/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A campaign, a prospect and a lead that conform to every shape.
GOOD = (
    PREFIXES
    + """
ex:smb a mkt:MarketSegment ; schema:name "Small businesses" .
ex:webinars a mkt:MarketingCampaign ;
    mkt:channel mkt:WebinarChannel ;
    mkt:startDate "2024-03-01"^^xsd:date ;
    mkt:endDate "2024-03-31"^^xsd:date ;
    mkt:targetSegment ex:smb .
ex:acme a schema:Organization , mkt:Prospect ; schema:name "Acme GmbH" .
ex:lead a mkt:Lead ;
    mkt:prospect ex:acme ;
    mkt:generatedBy ex:webinars ;
    mkt:createdAt "2024-03-05T10:15:00Z"^^xsd:dateTime ;
    mkt:contactEmail "buyer@acme.example" .
"""
)

# The same plus a deal that is won without an amount: one warning, nothing else.
WARNING_ONLY = (
    GOOD
    + """
ex:deal a mkt:Deal ;
    mkt:worksLead ex:lead ;
    mkt:dealStage mkt:WonStage ;
    mkt:closeDate "2024-04-15"^^xsd:date .
"""
)

# A campaign without an end date: one info, nothing else.
INFO_ONLY = GOOD.replace('    mkt:endDate "2024-03-31"^^xsd:date ;\n', "")

# Two violations (an end before the start; a malformed e-mail), one warning, one info.
MIXED = (
    PREFIXES
    + """
ex:launch a mkt:MarketingCampaign ;
    mkt:channel mkt:EmailChannel ;
    mkt:startDate "2024-04-01"^^xsd:date ;
    mkt:endDate "2024-03-01"^^xsd:date .
ex:acme a schema:Organization , mkt:Prospect ; schema:name "Acme GmbH" .
ex:lead a mkt:Lead ;
    mkt:prospect ex:acme ;
    mkt:generatedBy ex:launch ;
    mkt:createdAt "2024-03-05T10:15:00Z"^^xsd:dateTime ;
    mkt:contactEmail "buyer at acme" .
ex:deal a mkt:Deal ;
    mkt:worksLead ex:lead ;
    mkt:dealStage mkt:WonStage ;
    mkt:closeDate "2024-04-15"^^xsd:date .
"""
)

EX = "https://example.org/co/"
MIXED_ROWS = [
    {
        "focus": f"{EX}lead",
        "path": "mkt:contactEmail",
        "value": "buyer at acme",
        "severity": "violation",
        "message": "A lead has at most one contact e-mail (mkt:contactEmail), and it must look "
        "like an e-mail address: name@domain.tld.",
        "shape": "mktsh:Lead-contactEmail",
        "component": "sh:PatternConstraintComponent",
    },
    {
        "focus": f"{EX}launch",
        "path": "mkt:startDate",
        "value": "2024-04-01",
        "severity": "violation",
        "message": "A campaign cannot end before it starts: its start date is later than its "
        "end date.",
        "shape": "mktsh:MarketingCampaign-startDate-order",
        "component": "sh:LessThanOrEqualsConstraintComponent",
    },
    {
        "focus": f"{EX}deal",
        "path": "",
        "value": "",
        "severity": "warning",
        "message": "This deal is won but records no amount (mkt:amount), so revenue figures "
        "will leave it out.",
        "shape": "mktsh:WonDealShape",
        "component": "sh:OrConstraintComponent",
    },
    {
        "focus": f"{EX}launch",
        "path": "mkt:targetSegment",
        "value": "",
        "severity": "info",
        "message": "This campaign names no target segment (mkt:targetSegment), so its results "
        "cannot be compared by segment.",
        "shape": "mktsh:MarketingCampaign-targetSegment-missing",
        "component": "sh:MinCountConstraintComponent",
    },
]
MIXED_SUMMARY = "4 results: 2 violations, 1 warning, 1 info"


@pytest.fixture
def write(tmp_path: Path):
    def write_file(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write_file


def report_keys(graph: Graph) -> set[tuple]:
    return {
        (
            str(graph.value(r, SH.focusNode)),
            str(graph.value(r, SH.sourceShape)),
            str(graph.value(r, SH.resultSeverity)),
        )
        for r in graph.subjects(RDF.type, SH.ValidationResult)
    }


MIXED_KEYS = {
    (f"{EX}launch", f"https://w3id.org/mktgraph/shapes/{shape}", f"{SH}{severity}")
    for shape, severity in (
        ("MarketingCampaign-startDate-order", "Violation"),
        ("MarketingCampaign-targetSegment-missing", "Info"),
    )
} | {
    (f"{EX}lead", "https://w3id.org/mktgraph/shapes/Lead-contactEmail", f"{SH}Violation"),
    (f"{EX}deal", "https://w3id.org/mktgraph/shapes/WonDealShape", f"{SH}Warning"),
}


def test_conforming_data_exits_0_and_says_so(run_cli, write):
    result = run_cli("validate", write("good.ttl", GOOD))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "conforms\n", "")


@pytest.mark.slow
def test_the_sample_graph_conforms(run_cli):
    result = run_cli("validate", "--example")
    assert (result.exit_code, result.stdout) == (0, "conforms\n")


def test_text_gives_a_summary_then_results_grouped_by_shape(run_cli, write):
    result = run_cli("validate", write("mixed.ttl", MIXED))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == MIXED_SUMMARY
    headers = [line for line in lines if line.startswith("mktsh:")]
    assert headers == [
        "mktsh:Lead-contactEmail (1 result)",
        "mktsh:MarketingCampaign-startDate-order (1 result)",
        "mktsh:WonDealShape (1 result)",
        "mktsh:MarketingCampaign-targetSegment-missing (1 result)",
    ]
    # Each group is a table of focus, path, value, severity and message, IRIs shortened.
    assert "│ focus" in result.stdout and "│ message" in result.stdout
    assert "│ mkt:contactEmail │ buyer at acme │ violation │" in result.stdout
    assert "https://w3id.org/mktgraph/def/" not in result.stdout


@pytest.mark.slow
def test_csv_has_one_row_per_result(run_cli, write):
    result = run_cli("validate", write("mixed.ttl", MIXED), "--format", "csv")
    assert result.exit_code == 1
    assert list(csv.DictReader(io.StringIO(result.stdout))) == MIXED_ROWS
    assert result.stderr == MIXED_SUMMARY + "\n"


def test_json_has_the_counts_and_the_rows(run_cli, write):
    result = run_cli("validate", write("mixed.ttl", MIXED), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "conforms": False,
        "inference": "rdfs",
        "counts": {"violation": 2, "warning": 1, "info": 1},
        "results": MIXED_ROWS,
        "warnings": [],
    }


@pytest.mark.slow
def test_table_is_one_table_with_every_column(run_cli, write, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell wraps
    result = run_cli("validate", write("mixed.ttl", MIXED), "--format", "table")
    assert result.exit_code == 1
    header = result.stdout.splitlines()[1]
    assert [c.strip() for c in header.strip("│").split("│")] == [
        "focus",
        "path",
        "value",
        "severity",
        "message",
        "shape",
        "component",
    ]
    cells = [
        [c.strip() for c in line.strip("│").split("│")] for line in result.stdout.splitlines()[3:-1]
    ]
    assert cells == [list(row.values()) for row in MIXED_ROWS]


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("json-ld", "json-ld")])
@pytest.mark.slow
def test_rdf_formats_write_the_standard_validation_report(run_cli, write, fmt, parse_as):
    result = run_cli("validate", write("mixed.ttl", MIXED), "--format", fmt)
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format=parse_as)
    reports = list(report.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert report.value(reports[0], SH.conforms).toPython() is False
    assert report_keys(report) == MIXED_KEYS
    if fmt == "json-ld":
        assert '"sh:ValidationReport"' in result.stdout  # compacted with our own context


@pytest.mark.slow
def test_output_file_gets_the_report_and_the_exit_code_stays(run_cli, write, tmp_path):
    target = tmp_path / "report.ttl"
    result = run_cli("validate", write("mixed.ttl", MIXED), "--format", "turtle", "-o", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == MIXED_SUMMARY + "\n"
    assert report_keys(Graph().parse(target)) == MIXED_KEYS


@pytest.mark.slow
def test_warnings_alone_pass_unless_fail_on_warning(run_cli, write):
    data = write("warning.ttl", WARNING_ONLY)
    passed = run_cli("validate", data)
    assert passed.exit_code == 0
    assert passed.stdout.splitlines()[0] == "1 result: 0 violations, 1 warning, 0 infos"
    assert run_cli("validate", data, "--fail-on", "warning").exit_code == 1
    assert run_cli("validate", data, "--fail-on", "info").exit_code == 1


@pytest.mark.slow
def test_infos_fail_only_with_fail_on_info(run_cli, write):
    data = write("info.ttl", INFO_ONLY)
    assert run_cli("validate", data).exit_code == 0
    assert run_cli("validate", data, "--fail-on", "warning").exit_code == 0
    result = run_cli("validate", data, "--fail-on", "info")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "1 result: 0 violations, 0 warnings, 1 info"


@pytest.mark.slow
def test_own_shapes_replace_mktgraphs(run_cli, write):
    shapes = write(
        "mine.ttl",
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix my: <https://example.org/shapes/> .
my:NamedOrganization a sh:NodeShape ;
    sh:targetClass schema:Organization ;
    sh:property [ sh:path schema:legalName ; sh:minCount 1 ; sh:message "No legal name." ] .
""",
    )
    # The malformed e-mail of MIXED is not checked by these shapes; the missing legal name is.
    result = run_cli("validate", write("mixed.ttl", MIXED), "--shapes", shapes, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["focus"], r["path"], r["message"]) for r in rows] == [
        (f"{EX}acme", "schema:legalName", "No legal name.")
    ]


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_inference_none_and_rdfs_agree_on_our_shapes(run_cli, write, inference):
    result = run_cli(
        "validate", write("mixed.ttl", MIXED), "--inference", inference, "--format", "csv"
    )
    assert result.exit_code == 1
    assert list(csv.DictReader(io.StringIO(result.stdout))) == MIXED_ROWS


@pytest.mark.slow
def test_inference_owlrl_agrees_too(run_cli, write):
    result = run_cli(
        "validate", write("mixed.ttl", MIXED), "--inference", "owlrl", "--format", "json"
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["results"] == MIXED_ROWS


def test_data_files_and_example_combine(run_cli, write):
    result = run_cli("validate", "--example", write("mixed.ttl", MIXED), "--format", "csv")
    assert result.exit_code == 1
    assert list(csv.DictReader(io.StringIO(result.stdout))) == MIXED_ROWS


@pytest.mark.parametrize(
    "args,message",
    [
        (["missing.ttl"], "error: missing.ttl: no such file\n"),
        ([], "error: no data to validate: give one or more data files, or --example\n"),
    ],
)
def test_missing_input_exits_2_in_one_line(run_cli, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_malformed_data_exits_2_naming_file_and_line(run_cli, write):
    path = write("broken.ttl", PREFIXES + "ex:a ex:b .\n")
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}:5: malformed Turtle: ")
    assert len(result.stderr.splitlines()) == 1


def test_missing_or_malformed_shapes_exit_2_naming_the_file(run_cli, write):
    data = write("good.ttl", GOOD)
    missing = run_cli("validate", data, "--shapes", "no-such-shapes.ttl")
    assert (missing.exit_code, missing.stderr) == (2, "error: no-such-shapes.ttl: no such file\n")
    broken = write(
        "broken-shapes.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:a sh:b .\n"
    )
    malformed = run_cli("validate", data, "--shapes", broken)
    assert malformed.exit_code == 2
    assert malformed.stderr.startswith(f"error: {broken}:2: malformed Turtle: ")
    assert len(malformed.stderr.splitlines()) == 1


def test_shapes_that_are_not_valid_shacl_exit_2_in_one_line(run_cli, write):
    shapes = write(
        "bad-shacl.ttl",
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
<https://example.org/S> a sh:NodeShape ; sh:targetClass schema:Organization ;
    sh:property [ sh:path schema:name ; sh:minCount "many" ] .
""",
    )
    result = run_cli("validate", write("good.ttl", GOOD), "--shapes", shapes)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {shapes}: unusable SHACL shapes: MinCountConstraintComponent sh:minCount "
        "must be a literal with datatype xsd:integer.\n"
    )


def test_the_cli_choices_are_the_librarys():
    options = {param.name: param for param in cli_module.validate.params}
    assert tuple(options["inference"].type.choices) == validate_module.INFERENCE_MODES
    assert tuple(options["fail_on"].type.choices) == validate_module.SEVERITIES
    assert validate_module.SEVERITIES == ("violation", "warning", "info")
    assert validate_module.DEFAULT_INFERENCE == "rdfs"
