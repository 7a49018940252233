"""Unix conventions on the command line: '-' for stdin and stdout, --input-format, gzip, the
-o file's extension choosing the format, -o never over an input or into a store, CSV instead
of tables in a pipe."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from rdflib import Graph

from mktgraph import resources

SAMPLE = resources.example_files()[0]
TRIPLE = "<http://example.org/a> <http://example.org/p> <http://example.org/o> .\n"


def test_dash_as_output_is_stdout(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("export", "--no-ontology", "--example", "--format", "nt", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 692
    assert list(tmp_path.iterdir()) == []


def test_dash_as_data_is_stdin_with_its_format(run_cli):
    result = run_cli(
        "export", "--no-ontology", "--data", "-", "--input-format", "nt", "--format", "nt",
        input=TRIPLE,
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (0, TRIPLE)
    unnamed = run_cli("export", "--data", "-", input=TRIPLE)
    assert unnamed.exit_code == 2
    assert unnamed.stderr == (
        "error: -: standard input has no file name to tell its format; give --input-format\n"
    )


def test_input_format_for_a_file_whose_extension_does_not_tell(run_cli, tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text(TRIPLE)
    args = ["export", "--no-ontology", "--format", "nt", "--data", str(path)]
    assert run_cli(*args).exit_code == 2
    result = run_cli(*args, "--input-format", "nt")
    assert (result.exit_code, result.stdout) == (0, TRIPLE)


@pytest.mark.slow
def test_gzipped_data_on_every_command(run_cli, tmp_path):
    path = tmp_path / "northwind.ttl.gz"
    path.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    plain = run_cli("query", "lead-to-deal", "--format", "csv", "--data", str(SAMPLE))
    zipped = run_cli("query", "lead-to-deal", "--format", "csv", "--data", str(path))
    assert (zipped.exit_code, zipped.stdout) == (0, plain.stdout)
    assert run_cli("validate", str(path)).stdout == "conforms\n"


@pytest.mark.parametrize(
    ("name", "parse_as"),
    [("out.nt", "nt"), ("out.owl", "xml"), ("out.rdf", "xml"), ("out.jsonld", "json-ld"),
     ("out.nq", "nquads"), ("out.ttl", "turtle")],
)  # fmt: skip
def test_export_writes_the_format_its_file_name_asks_for(run_cli, tmp_path, name, parse_as):
    out = tmp_path / name
    result = run_cli("export", "--no-ontology", "--example", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert len(Graph().parse(out, format=parse_as)) == 692


@pytest.mark.parametrize(("name", "parse_as"), [("inferred.owl", "xml"), ("inferred.trig", "trig")])
@pytest.mark.slow
def test_reason_writes_rdf_xml_and_trig(run_cli, tmp_path, name, parse_as):
    out = tmp_path / name
    result = run_cli("reason", "--example", "--reasoner", "owlrl", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(out, format=parse_as)
    assert len(dataset.default_graph) == 339
    assert [g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier] == []


@pytest.mark.slow
def test_query_and_validate_follow_the_file_name(run_cli, tmp_path):
    answers = tmp_path / "answers.json"
    assert run_cli("query", "lead-to-deal", "--example", "-o", str(answers)).exit_code == 0
    assert json.loads(answers.read_text())["head"]["vars"][0] == "campaign"
    rows = tmp_path / "answers.tsv"
    assert run_cli("query", "lead-to-deal", "--example", "-o", str(rows)).exit_code == 0
    assert rows.read_text().startswith("?campaign\t?name\t")
    report = tmp_path / "report.ttl"
    assert run_cli("validate", "--example", "-o", str(report)).exit_code == 0
    assert len(Graph().parse(report, format="turtle")) == 2  # a conforming sh:ValidationReport


def test_output_never_overwrites_an_input(run_cli, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(TRIPLE)
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n")
    for args in (
        ["export", "--data", str(data), "-o", str(data)],
        ["query", "lead-to-deal", "--data", str(data), "-o", str(data)],
        ["reason", str(data), "--reasoner", "owlrl", "-o", str(data)],
        ["validate", str(data), "--format", "turtle", "-o", str(data)],
        ["validate", str(data), "--shapes", str(shapes), "-o", str(shapes)],
    ):
        result = run_cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr.endswith("is an input of this command; give another output file\n")
    assert data.read_text() == TRIPLE


def test_export_from_a_store_into_the_store_is_refused(run_cli, tmp_path):
    store = tmp_path / "st"
    assert run_cli("load", str(SAMPLE), "--store", str(store)).exit_code == 0
    before = {p.name: p.read_bytes() for p in store.iterdir() if p.is_file()}
    result = run_cli("export", "--store", str(store), "-o", str(store / "CURRENT"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {store / 'CURRENT'}: is an input of this command; give another output file\n"
    )
    assert (store / "CURRENT").read_bytes() == before["CURRENT"]
    assert run_cli("query", "open-leads", "--store", str(store), "--format", "csv").exit_code == 0


def test_load_of_a_missing_file_leaves_no_store(run_cli, tmp_path):
    result = run_cli("load", str(tmp_path / "missing.ttl"), "--store", str(tmp_path / "new"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing.ttl'}: no such file\n"
    assert not (tmp_path / "new").exists()


@pytest.mark.slow
def test_info_and_reason_write_csv_into_a_pipe(run_cli):
    info = run_cli("info")
    assert info.stdout.splitlines()[:2] == ["property,value", f"package_version,{_version()}"]
    reason = run_cli("reason", "--example", "--reasoner", "owlrl")
    assert reason.exit_code == 0, reason.stderr
    assert reason.stdout.splitlines()[:2] == ["kind,term,facts", "type,mkt:FrameworkComponent,32"]
    assert reason.stderr.startswith("consistent; no unsatisfiable classes\n")
    assert "┌" not in reason.stdout + info.stdout


def _version() -> str:
    from mktgraph import __version__

    return __version__


def test_output_through_a_symlink_keeps_the_link(run_cli, tmp_path):
    real = tmp_path / "real.nt"
    link = tmp_path / "link.nt"
    link.symlink_to(real)
    result = run_cli("export", "--no-ontology", "--example", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and len(real.read_text().splitlines()) == 692
    assert oct(os.stat(real).st_mode & 0o777) != "0o600"
    assert Path(os.readlink(link)) == real


@pytest.mark.slow
def test_each_run_reads_its_own_stdin_and_a_command_may_read_it_twice(run_cli):
    other = TRIPLE.replace("/o>", "/other>")
    args = ["export", "--no-ontology", "--data", "-", "--input-format", "nt", "--format", "nt"]
    assert run_cli(*args, input=TRIPLE).stdout == TRIPLE
    assert run_cli(*args, input=other).stdout == other
    # validate --reason parses its data twice (alone, and with the ontology to reason on).
    sample = SAMPLE.read_text(encoding="utf-8")
    args = ["validate", "-", "--input-format", "turtle", "--reason", "--reasoner", "owlrl"]
    result = run_cli(*args, input=sample)
    assert (result.exit_code, result.stdout) == (0, "conforms\n"), result.stderr
