"""Light commands start light: they do not import rdflib or pySHACL (issue 12, item 4)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mktgraph.cli import cli

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("rdflib", "pyshacl", "owlready2", "owlrl")

# Runs one command as `mktgraph` would, then writes which heavy libraries it imported.
_RUN = """
import json, sys
from mktgraph.cli import main
args, heavy_names, report = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
sys.argv = ["mktgraph", *args]
try:
    main()
except SystemExit as done:
    code = done.code
else:
    code = 0
heavy = [name for name in heavy_names if name in sys.modules]
with open(report, "w") as out:
    json.dump({"code": code, "heavy": heavy}, out)
"""


def _run(args: list[str], tmp_path: Path) -> tuple[dict, subprocess.CompletedProcess]:
    """`mktgraph ARGS` in a new interpreter: its exit status and heavy modules imported
    ("code", "heavy"), and the finished process (stdout, stderr)."""
    report = tmp_path / "imports.json"
    done = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(args), json.dumps(HEAVY), str(report)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(report.read_text()), done


def _imports_of(args: list[str], tmp_path: Path) -> tuple[int, list[str], str]:
    """(exit status, heavy modules imported, stdout) of `mktgraph ARGS` in a new interpreter."""
    seen, done = _run(args, tmp_path)
    return seen["code"], seen["heavy"], done.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("light") / "store"
    result = CliRunner().invoke(cli, ["load", "--example", "--store", str(folder)])
    assert result.exit_code == 0, result.stderr
    return str(folder)


def test_queries_imports_no_rdflib(tmp_path):
    code, heavy, out = _imports_of(["queries", "--format", "csv"], tmp_path)
    assert (code, heavy) == (0, [])
    assert out.splitlines()[0] == "name,title,parameters"


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["open-leads", "--format", "csv"], "lead,prospect,contactEmail,generatedBy,createdAt"),
        (["open-leads"], "lead,prospect,contactEmail,generatedBy,createdAt"),  # CSV in a pipe
        (
            ["framework-components", "-p", "framework=mkt:SevenPs", "--format", "csv"],
            "framework,position,component,name,definition",
        ),
    ],
)
def test_query_on_a_store_as_csv_imports_no_rdflib(tmp_path, store, args, first_line):
    code, heavy, out = _imports_of(["query", *args, "--store", store], tmp_path)
    assert (code, heavy) == (0, [])
    assert out.splitlines()[0] == first_line


def test_a_string_parameter_is_quoted_for_sparql(tmp_path, store):
    # A parameter that is not an IRI is a string literal, its quotes and backslashes escaped.
    code, heavy, out = _imports_of(
        ["query", "framework-components", "-p", 'framework=say "7ps" \\', "--store", store],
        tmp_path,
    )
    assert (code, heavy) == (0, [])
    assert out == "framework,position,component,name,definition\n"


def test_the_check_is_not_vacuous(tmp_path):
    # Files are parsed into rdflib: the check sees it.
    code, heavy, _out = _imports_of(["query", "open-leads", "--example"], tmp_path)
    assert (code, "rdflib" in heavy) == (0, True)


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["frameworks", "--format", "csv"], "name,originator,year,components,extends,refines,"),
        (["frameworks", "7ps", "--format", "csv"], "position,name,definition,iri"),
        (["frameworks", "marketing mix", "--format", "json"], "{"),
        (["frameworks", "--format", "table"], "┌"),
        (["info", "--format", "csv"], "property,value"),
        (["info", "--format", "json"], "{"),
    ],
)
def test_frameworks_and_info_import_no_rdflib(tmp_path, args, first_line):
    code, heavy, out = _imports_of(args, tmp_path)
    assert (code, heavy) == (0, [])
    assert out.startswith(first_line)


@pytest.mark.parametrize("command", ["frameworks", "info"])
def test_frameworks_and_info_on_a_store_import_no_rdflib(tmp_path, store, command):
    code, heavy, out = _imports_of([command, "--store", store], tmp_path)
    assert (code, heavy) == (0, [])
    # The same answer as from the bundled ontology in memory (rdflib), but the triple count:
    # the store holds the sample graph too.
    expected = CliRunner().invoke(cli, [command, "--format", "csv"]).stdout
    differ = [
        (mine, theirs)
        for mine, theirs in zip(out.splitlines(), expected.splitlines(), strict=True)
        if mine != theirs
    ]
    assert [mine.split(",")[0] for mine, _ in differ] == (["triples"] if command == "info" else [])


def test_info_counts_the_same_triples_in_memory_as_rdflib(run_cli):
    from mktgraph.graph import load_ontology
    from mktgraph.ontology import info

    assert info().triples == len(load_ontology())


def test_rdflib_imported_later_is_still_quiet(tmp_path):
    """The CLI quiets rdflib's logger when rdflib is first imported (not before, so that light
    commands do not import logging): an ill-typed literal, legal RDF, prints nothing."""
    data = tmp_path / "ill.ttl"
    data.write_text(
        "<https://example.org/a> <https://example.org/b> "
        '"twenty"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )
    seen, done = _run(["query", "sales-vs-marketing", "--data", str(data)], tmp_path)
    assert (seen["code"], "rdflib" in seen["heavy"], done.stderr) == (0, True, "")
    assert done.stdout.startswith("dimension,marketing,sales\n")
