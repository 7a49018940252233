"""`--example` adds the bundled sample knowledge graph as data to `query` and `export`,
also from an installed wheel."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mktgraph.graph import load_examples, load_ontology

ROOT = Path(__file__).resolve().parents[2]
NW = "https://example.org/northwind/"


def test_query_with_example_answers_from_the_sample(run_cli):
    result = run_cli("query", "activities-by-discipline", "--example", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "discipline,activities",
        "marketing,28",
        "sales,10",
        "marketing other than sales,18",
    ]


def test_query_without_example_has_no_instance_data(run_cli):
    result = run_cli("query", "open-leads", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["lead,prospect,contactEmail,generatedBy,createdAt"]


def test_query_with_example_and_data_adds_both(run_cli, tmp_path):
    extra = tmp_path / "more.ttl"
    extra.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"<{NW}lead-99> a mkt:Lead ; mkt:generatedBy <{NW}campaign-margin-display> ;\n"
        '    mkt:createdAt "2024-06-20T09:00:00+02:00"^^xsd:dateTime .\n',
        encoding="utf-8",
    )
    result = run_cli("query", "lead-to-deal", "--example", "--data", str(extra), "--format", "csv")
    assert result.exit_code == 0
    answer = list(csv.DictReader(io.StringIO(result.stdout)))
    (display,) = [row for row in answer if row["campaign"] == NW + "campaign-margin-display"]
    # One lead and no deal: a conversion rate of zero, no longer undefined.
    assert (display["leads"], display["won"], display["conversionRate"]) == ("1", "0", "0")


def test_query_table_on_the_sample_shortens_vocabulary_iris(run_cli):
    result = run_cli("query", "service-gaps", "--example", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "service" in lines[1] and "gap" in lines[1]
    assert sum("Northwind Managed Analytics" in line for line in lines) == 5


def test_export_example_without_ontology_is_the_sample_graph(run_cli):
    result = run_cli("export", "--example", "--no-ontology", "--format", "turtle")
    assert result.exit_code == 0
    exported = Graph().parse(data=result.stdout, format="turtle")
    assert isomorphic(exported, load_examples())


def test_export_example_adds_the_sample_to_the_ontology(run_cli):
    result = run_cli("export", "--example", "--format", "nt")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == len(load_ontology() + load_examples())
    assert f"<{NW}deal-01> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " in "\n".join(lines)


def test_export_example_json_ld_parses_back(run_cli):
    result = run_cli("export", "--example", "--no-ontology", "--format", "json-ld")
    assert result.exit_code == 0
    assert isomorphic(Graph().parse(data=result.stdout, format="json-ld"), load_examples())


def _export_example_turtle() -> bytes:
    return subprocess.run(
        [sys.executable, "-m", "mktgraph", "export", "--example", "--no-ontology"],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout


def test_export_example_turtle_is_byte_identical_from_run_to_run():
    assert _export_example_turtle() == _export_example_turtle()


@pytest.mark.slow
def test_the_wheel_ships_the_sample(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("mktgraph/data/examples/northwind.ttl")
    assert shipped == (ROOT / "examples" / "northwind.ttl").read_bytes()


def test_the_readme_shows_the_real_output_of_its_sample_command(run_cli):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sample knowledge graph", 1)[1].split("\n## ", 1)[0]
    assert "mktgraph query service-gaps --example\n" in section
    shown = section.split("```\n┌", 1)[1].split("```", 1)[0]
    result = run_cli("query", "service-gaps", "--example", "--format", "table")
    assert result.stdout == "┌" + shown
