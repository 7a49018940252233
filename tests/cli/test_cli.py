"""CLI behaviour of the foundation commands: query, queries, export, info; errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from rdflib import Graph

from mktgraph import __version__
from mktgraph.cli import cli

DIMENSIONS = [
    "audience",
    "strategy",
    "time horizon",
    "targets",
    "product",
    "buying cycle",
    "promotion",
    "reputation",
]


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"mktgraph, version {__version__}\n"


def test_every_command_has_help_with_an_example(run_cli):
    for name, command in cli.commands.items():
        result = run_cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, f"{name} --help has no example"
        assert command.help, name


def test_help_does_not_import_the_heavy_libraries():
    code = (
        "import sys\n"
        "from mktgraph.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('owlready2', 'pyshacl', 'pyoxigraph', 'requests')"
        " if m in sys.modules]\n"
        "print('heavy:' + ','.join(heavy), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: " in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "heavy:"


def test_query_csv_gives_the_eight_rows(run_cli):
    result = run_cli("query", "sales-vs-marketing", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["dimension", "marketing", "sales"]
    assert [r[0] for r in rows[1:]] == DIMENSIONS


def test_query_default_format_off_a_terminal_is_csv(run_cli):
    result = run_cli("query", "sales-vs-marketing")
    assert result.stdout.splitlines()[0] == "dimension,marketing,sales"


def test_query_table_is_readable_and_wraps(run_cli):
    result = run_cli("query", "sales-vs-marketing", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].split("│")[1:4] == [
        " dimension    ",
        " marketing" + " " * 41,
        " sales" + " " * 45,
    ]
    assert "│ audience     │ One to many" in result.stdout
    assert max(len(line) for line in lines) <= 120


def test_query_tsv_uses_sparql_term_syntax(run_cli):
    result = run_cli("query", "end-to-end", "--format", "tsv")
    lines = result.stdout.splitlines()
    assert lines[0] == "?position\t?stage\t?activity\t?isSales"
    # Numbers and booleans in Turtle's short form, as in the W3C TSV examples.
    assert lines[1].split("\t") == [
        "1",
        '"understand the market"@en',
        '"market research"@en',
        "false",
    ]
    assert len(lines) == 10


def test_query_json_is_sparql_results_json(run_cli):
    result = run_cli("query", "sales-vs-marketing", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["head"]["vars"] == ["dimension", "marketing", "sales"]
    assert [b["dimension"]["value"] for b in doc["results"]["bindings"]] == DIMENSIONS


def test_query_xml_is_sparql_results_xml(run_cli):
    result = run_cli("query", "sales-vs-marketing", "--format", "xml")
    assert result.exit_code == 0
    assert "http://www.w3.org/2005/sparql-results#" in result.stdout
    assert result.stdout.count("<result>") == 8


def test_query_file_with_parameter(run_cli, tmp_path):
    query = tmp_path / "stance.rq"
    query.write_text(
        "# title: One dimension\n"
        "# param dimension: the label of a contrast dimension\n"
        "PREFIX mkt: <https://w3id.org/mktgraph/def/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?position WHERE { ?d a mkt:ContrastDimension ; rdfs:label ?l ;"
        " mkt:position ?position"
        " FILTER(str(?l) = $dimension) }\n"
    )
    result = run_cli("query", str(query), "-p", "dimension=targets", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["position", "4"]


def test_query_missing_parameter_is_a_usage_error(run_cli, tmp_path):
    query = tmp_path / "p.rq"
    query.write_text("# param x: needed\nSELECT * WHERE { ?s ?p $x }\n")
    result = run_cli("query", str(query))
    assert result.exit_code == 2
    assert result.stderr == "error: query 'p' needs -p x=VALUE (needed)\n"
    assert result.stdout == ""


def test_ask_prints_true_or_false(run_cli, tmp_path):
    query = tmp_path / "ask.rq"
    query.write_text(
        "PREFIX mkt: <https://w3id.org/mktgraph/def/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "ASK { mkt:SalesActivity rdfs:subClassOf mkt:MarketingActivity }\n"
    )
    result = run_cli("query", str(query))
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_construct_prints_rdf(run_cli, tmp_path):
    query = tmp_path / "c.rq"
    query.write_text(
        "PREFIX mkt: <https://w3id.org/mktgraph/def/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "CONSTRUCT { ?c rdfs:subClassOf mkt:MarketingActivity } "
        "WHERE { ?c rdfs:subClassOf mkt:MarketingActivity FILTER(?c = mkt:SalesActivity) }\n"
    )
    result = run_cli("query", str(query), "--format", "nt")
    assert result.stdout == (
        "<https://w3id.org/mktgraph/def/SalesActivity> "
        "<http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        "<https://w3id.org/mktgraph/def/MarketingActivity> .\n"
    )


def test_query_over_data_files(run_cli, tmp_path):
    data = tmp_path / "d.nt"
    data.write_text(
        "<https://example.org/deal1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/mktgraph/def/SalesActivity> .\n"
    )
    query = tmp_path / "q.rq"
    query.write_text(
        "PREFIX mkt: <https://w3id.org/mktgraph/def/>\nSELECT ?x WHERE { ?x a mkt:SalesActivity }\n"
    )
    result = run_cli("query", str(query), "--data", str(data))
    assert result.stdout.splitlines() == ["x", "https://example.org/deal1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "is a SPARQL Update; 'query' is read-only and never changes data",
        ),
        (
            "SELECT * WHERE { SERVICE <https://dbpedia.org/sparql> { ?s ?p ?o } }",
            "uses SERVICE, which would reach the network; pass --allow-service to allow it",
        ),
    ],
)
def test_updates_and_service_are_refused(run_cli, tmp_path, text, message):
    query = tmp_path / "q.rq"
    query.write_text(text)
    result = run_cli("query", str(query))
    assert result.exit_code == 2
    assert result.stderr == f"error: {query}: {message}\n"


def test_sparql_syntax_error_names_file_and_line(run_cli, tmp_path):
    query = tmp_path / "bad.rq"
    query.write_text("SELECT ?s\nWHERE { ?s ?p }\n")
    result = run_cli("query", str(query))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {query}: SPARQL syntax error at line ")
    assert len(result.stderr.splitlines()) == 1


def test_unknown_query_lists_the_named_ones(run_cli):
    result = run_cli("query", "no-such-query")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown query 'no-such-query'; named queries: ")
    assert "sales-vs-marketing" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.ttl", None, "missing.ttl: no such file"),
        (
            "bad.ttl",
            '@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n',
            "bad.ttl:3: malformed Turtle: ",
        ),
        (
            "bad.nt",
            "<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n",
            "bad.nt:2: malformed N-Triples: ",
        ),
        ("bad.jsonld", '{"@id": "http://x",\n "a": }', "bad.jsonld:2: malformed JSON-LD: "),
        (
            "remote.jsonld",
            '{"@context": "https://schema.org/", "@id": "http://x", "name": "a"}',
            "remote.jsonld: its JSON-LD @context is remote; mktgraph never fetches one",
        ),
        ("data.csv", "a,b\n", "data.csv: unknown file extension '.csv'"),
    ],
)
def test_bad_data_files_give_one_line_naming_the_file(run_cli, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = run_cli("query", "sales-vs-marketing", "--data", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: {tmp_path / expected}")


def test_queries_lists_names_titles_and_parameters(run_cli):
    result = run_cli("queries", "--format", "json")
    listed = {q["name"]: q for q in json.loads(result.stdout)}
    assert listed["sales-vs-marketing"] == {
        "name": "sales-vs-marketing",
        "title": "How sales and marketing differ",
        "parameters": "",
    }
    assert {"marketing-activities", "end-to-end"} <= set(listed)


def test_info_reports_iris_and_counts(run_cli):
    result = run_cli("info", "--format", "json")
    facts = json.loads(result.stdout)
    assert facts["ontology_iri"] == "https://w3id.org/mktgraph/def"
    assert facts["version_iri"] == f"https://w3id.org/mktgraph/def/{__version__}"
    assert facts["package_version"] == facts["version_info"] == __version__
    assert facts["classes"] >= 24 and facts["triples"] > 700


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt", "nquads", "xml"])
@pytest.mark.slow
def test_export_writes_each_format_to_a_file(run_cli, tmp_path, fmt, ontology_graph):
    target = tmp_path / f"out.{fmt}"
    result = run_cli("export", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    parsed = Graph().parse(target, format={"nquads": "nt"}.get(fmt, fmt))
    assert len(parsed) == len(ontology_graph)


def test_export_does_not_touch_the_output_file_on_bad_input(run_cli, tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("previous content\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all")
    result = run_cli("export", "--data", str(bad), "-o", str(target))
    assert result.exit_code == 2
    assert target.read_text() == "previous content\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_python_dash_m_works():
    out = subprocess.run(
        [sys.executable, "-m", "mktgraph", "query", "sales-vs-marketing", "--format", "csv"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 9


def test_ill_typed_literals_are_loaded_quietly(run_cli, tmp_path):
    """An ill-typed literal is legal RDF (SHACL reports it); loading it prints nothing."""
    data = tmp_path / "ill.ttl"
    data.write_text(
        "<https://example.org/a> <https://example.org/b> "
        '"twenty"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )
    result = run_cli("query", "sales-vs-marketing", "--data", str(data))
    assert (result.exit_code, result.stderr) == (0, "")
