"""`--store DIR` on the command line: load, query, validate and export an embedded store."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph

from mktgraph import resources


@pytest.fixture
def store(run_cli, tmp_path):
    folder = tmp_path / "company.db"
    result = run_cli("load", "--example", "--store", str(folder))
    assert result.exit_code == 0, result.stderr
    return folder


def test_load_reports_the_triples_and_a_second_load_adds_none(run_cli, store):
    again = run_cli("load", "--example", "--store", str(store))
    assert again.exit_code == 0, again.stderr
    assert "+0 triples" in again.stdout
    assert "the store now holds" in again.stdout
    assert again.stderr == ""  # no progress line when stderr is not a terminal


def test_query_through_the_store_gives_the_rows_of_files(run_cli, store):
    through_store = run_cli("query", "lead-to-deal", "--store", str(store), "--format", "csv")
    from_files = run_cli("query", "lead-to-deal", "--example", "--format", "csv")
    assert through_store.exit_code == 0, through_store.stderr
    rows = list(csv.reader(io.StringIO(through_store.stdout)))
    assert rows == list(csv.reader(io.StringIO(from_files.stdout)))
    assert len(rows) > 2


@pytest.mark.slow
def test_export_through_the_store(run_cli, store, tmp_path):
    out = tmp_path / "company.nt"
    result = run_cli("export", "--store", str(store), "--format", "nt", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    exported = Graph().parse(out, format="nt")
    in_memory = Graph().parse(
        data=run_cli("export", "--example", "--format", "nt").stdout, format="nt"
    )
    assert len(exported) == len(in_memory)
    to_stdout = run_cli("export", "--store", str(store), "--format", "turtle", "--no-ontology")
    assert to_stdout.exit_code == 0
    data_only = Graph().parse(data=to_stdout.stdout, format="turtle")
    example = Graph()
    for path in resources.example_files():
        example.parse(path, format="turtle")
    assert len(data_only) == len(example)


@pytest.mark.slow
def test_validate_through_the_store_reports_like_files(run_cli, store, tmp_path):
    from mktgraph.cli import cli

    validate = cli.commands.get("validate")
    assert validate is not None
    if not any(p.name == "store" for p in validate.params):
        pytest.fail("mktgraph validate has no --store option yet")
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n<https://example.org/lead> a mkt:Lead .\n"
    )
    run_cli("load", str(bad), "--store", str(store))
    through_store = run_cli("validate", "--store", str(store), "--format", "csv")
    from_files = run_cli("validate", "--example", str(bad), "--format", "csv")
    assert through_store.exit_code == from_files.exit_code == 1
    assert through_store.stdout == from_files.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "open-leads", "--store", "nowhere"], "no mktgraph store here"),
        (["export", "--store", "nowhere"], "no mktgraph store here"),
        (
            ["load", "--example", "--store", "x", "--endpoint", "http://localhost:1"],
            "--store is an embedded store",
        ),
        (["query", "open-leads", "--store", "x", "--example"], "with --store the data"),
    ],
)
def test_store_misuse_is_one_line_and_exit_2(run_cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run_cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
