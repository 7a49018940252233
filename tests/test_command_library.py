"""The library functions the commands call (mktgraph.sources.source_spec, mktgraph.api,
mktgraph.output): what cli.py used to work out itself, tested without Click."""

from __future__ import annotations

from pathlib import Path

import pytest

from mktgraph import output
from mktgraph.api import framework_svg, frameworks_of, load_data, remove_inferences
from mktgraph.errors import UsageError
from mktgraph.frameworks import FrameworkDetail
from mktgraph.sources import SourceSpec, source_spec


def test_source_spec_from_the_options():
    spec = source_spec(data=("a.ttl",), example=True, reason=None, reasoner="rl")
    assert spec == SourceSpec(data=("a.ttl",), example=True, reasoner="rl")
    assert spec.kind == "files"


def test_source_spec_reads_the_server_options():
    spec = source_spec(endpoint="http://127.0.0.1:7878", server="oxigraph", graph="urn:x:g")
    assert spec.kind == "server"
    assert spec.graph == "urn:x:g"
    assert (spec.endpoint.url, spec.endpoint.server) == ("http://127.0.0.1:7878", "oxigraph")


@pytest.mark.parametrize(
    "given, flag",
    [
        ({"server": "oxigraph"}, "--server"),
        ({"gsp_endpoint": "http://127.0.0.1:9/store"}, "--gsp-endpoint"),
        ({"max_response": "1G", "graph": "urn:x:g"}, "--max-response"),
        ({"graph": "urn:x:g"}, "--graph"),
    ],
)
def test_server_options_need_an_endpoint(given, flag):
    with pytest.raises(UsageError) as error:
        source_spec(**given)
    assert str(error.value) == f"{flag} needs --endpoint URL"


def test_source_spec_takes_the_declared_input_format(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("<https://example.org/a> a <https://example.org/B> .\n")
    spec = source_spec(data=(str(path),), input_format="nt")
    assert [(item.name, item.format) for item in spec.data] == [(str(path), "nt")]


def test_inputs_are_the_files_and_the_store_a_command_reads():
    spec = SourceSpec(data=("a.ttl", Path("b.nt")), store=None)
    assert spec.inputs("shapes.ttl", None, "") == ("a.ttl", "b.nt", "shapes.ttl")
    assert SourceSpec(store="s.db").inputs("q.rq") == ("s.db", "q.rq")


def test_inputs_include_files_read_in_a_declared_format(tmp_path):
    data = tmp_path / "data.txt"
    spec = source_spec(data=(str(data), "-"), input_format="nt")
    assert spec.inputs() == (str(data), "-")


def test_output_over_a_file_read_in_a_declared_format_is_refused(run_cli, tmp_path):
    data = tmp_path / "data.nt"
    stated = '<https://example.org/a> <https://example.org/b> "c" .\n'
    data.write_text(stated)
    result = run_cli(
        "query", "sales-vs-marketing", "--data", str(data), "--input-format", "nt", "-o", str(data)
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {data}: is an input of this command; give another output file\n"
    )
    assert data.read_text() == stated


@pytest.mark.parametrize(
    "fmt, output_file, terminal, expected",
    [
        (None, None, True, "table"),
        (None, None, False, "csv"),
        (None, "-", False, "csv"),
        (None, "answers.srj", False, "json"),
        (None, "answers.unknown", False, "csv"),
        ("tsv", "answers.json", False, "tsv"),
    ],
)
def test_table_format(fmt, output_file, terminal, expected):
    assert output.table_format(fmt, output_file, terminal=terminal) == expected


@pytest.mark.parametrize(
    "fmt, output_file, expected",
    [(None, None, "text"), (None, "r.ttl", "turtle"), (None, "r.md", "text"), ("csv", "r", "csv")],
)
def test_validation_format(fmt, output_file, expected):
    assert output.validation_format(fmt, output_file) == expected


def test_load_progress_lines():
    assert output.load_progress(12_345, 2.0, kind="store") == (
        "\r12,345 triples loaded, 6,172 triples/s"
    )
    assert output.load_progress(7, 0.0, kind="server") == "\r7 triples sent"


def test_kept_place_names_the_store_or_the_graph_without_secrets():
    assert output.kept_place(SourceSpec(store="s.db")) == ("s.db", "--store s.db")
    spec = source_spec(endpoint="http://127.0.0.1:7878/?key=secret", graph="urn:x:g")
    where, flags = output.kept_place(spec)
    assert "secret" not in where + flags
    assert where.startswith("graph <urn:x:g> of http://127.0.0.1:7878/")
    assert flags.endswith(" --graph urn:x:g")


def test_local_data_keep_no_inferences_to_remove():
    with pytest.raises(UsageError) as error:
        remove_inferences(SourceSpec(example=True))
    assert str(error.value) == (
        "--remove drops the inferences kept in a store or a server: give --store DIR or "
        "--endpoint URL"
    )


def test_load_data_takes_the_files_from_the_spec(tmp_path):
    data = tmp_path / "one.ttl"
    data.write_text("<https://example.org/a> a <https://w3id.org/mktgraph/def/Lead> .\n")
    report = load_data(SourceSpec(data=(str(data),), store=tmp_path / "s.db"))
    assert (report.files, report.added > 0) == (1, True)


def test_frameworks_of_lists_or_finds_one():
    listed = frameworks_of()
    assert len(listed) == 8
    seven = frameworks_of(name="7ps")
    assert isinstance(seven, FrameworkDetail)
    assert output.render_frameworks(seven, "csv") == output.render_framework(seven, "csv")


def test_framework_svg_is_a_drawing():
    svg = framework_svg((), "7ps")
    assert svg.lstrip().startswith(("<?xml", "<svg"))
    assert "</svg>" in svg
