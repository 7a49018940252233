"""The source layer (mktgraph.sources): one protocol for files, a store and a server; each
source refuses what it cannot do with one line and exit 2, before any work."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mktgraph import resources
from mktgraph.api import export_graph, load_data, run_query, validate_data
from mktgraph.errors import UsageError
from mktgraph.sources import (
    FileSource,
    GraphSource,
    ServerSource,
    SourceSpec,
    StoreSource,
    open_source,
)

LEAD_WITHOUT_TIME = (
    "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n<https://example.org/lead-1> a mkt:Lead .\n"
)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("sources") / "sample.db"
    load_data(SourceSpec(store=path), example=True)
    return path


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["query", "open-leads", "--store", "s.db", "--endpoint", "http://127.0.0.1:9"],
            "error: --store is an embedded store: --endpoint, --graph and --protocol are for "
            "servers\n",
        ),
        (
            ["query", "open-leads", "--store", "s.db", "--example", "--data", "data.ttl"],
            "error: with --store the data are the store's (add files with `mktgraph load "
            "--store`); --data and --example do not apply\n",
        ),
        (
            ["validate", "data.ttl", "--endpoint", "http://127.0.0.1:9"],
            "error: with --endpoint the data are the server's graph (send files with "
            "`mktgraph load`); --data works on local files\n",
        ),
        (
            ["export", "--example", "--endpoint", "http://127.0.0.1:9"],
            "error: with --endpoint the data are the server's graph (send files with "
            "`mktgraph load`); --example works on local files\n",
        ),
        (
            ["query", "open-leads", "--allow-partial", "--example"],
            "error: --allow-partial needs --endpoint URL\n",
        ),
        (
            ["query", "open-leads", "--allow-partial", "--store", "s.db"],
            "error: --allow-partial is for servers' answers: give --endpoint URL\n",
        ),
        (
            ["load", "--example", "--store", "s.db", "--protocol", "gsp"],
            "error: --store is an embedded store: --endpoint, --graph and --protocol are for "
            "servers\n",
        ),
        (
            ["load", "--example"],
            "error: load needs --endpoint URL (a server) or --store DIR (an embedded store)\n",
        ),
        (
            ["reason", "--example", "--remove"],
            "error: --remove drops the inferences kept in a store or a server: give --store "
            "DIR or --endpoint URL\n",
        ),
        (
            ["query", "open-leads", "--endpoint", "http://127.0.0.1:9", "--reasoner", "rl"],
            "error: with --endpoint, --reason reads the inferences `mktgraph reason --endpoint` "
            "kept: --reasoner does not apply\n",
        ),
        (
            ["query", "open-leads", "--endpoint", "http://127.0.0.1:9", "--reason"],
            "error: with --endpoint, --reason reads the data's graph and its inference graph "
            "together, which a query can only do for named graphs: load the data into one "
            "(--graph IRI)\n",
        ),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else None,
)
def test_options_a_source_cannot_honour_are_one_line_and_exit_2(
    run_cli, tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.ttl").write_text(LEAD_WITHOUT_TIME)
    result = run_cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    # Refused before any work: no store was created, nothing was written.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.ttl"]


def test_open_source_decides_the_kind_and_checks_once():
    with open_source(SourceSpec(example=True)) as source:
        assert isinstance(source, FileSource) and isinstance(source, GraphSource)
        assert source.kind == "files"
    with open_source(endpoint="http://127.0.0.1:9", graph="https://example.org/g") as source:
        assert isinstance(source, ServerSource) and isinstance(source, GraphSource)
        assert source.store.graph == "https://example.org/g"
    with pytest.raises(UsageError) as refused:
        open_source(store="s.db", example=True)
    assert str(refused.value) == (
        "with --store the data are the store's (add files with `mktgraph load --store`); "
        "--example does not apply"
    )
    with pytest.raises(UsageError) as refused:
        open_source(graph="https://example.org/g")
    assert str(refused.value) == "--graph needs --endpoint URL"


def test_a_store_source_is_the_store(sample_store):
    with open_source(store=sample_store) as source:
        assert isinstance(source, StoreSource) and isinstance(source, GraphSource)
        with pytest.raises(UsageError) as refused:
            source.reason(explain=True)
        assert str(refused.value) == (
            "with --store the inferences stay in the store: --explain is for files"
        )


def test_files_cannot_be_loaded_into():
    with open_source(SourceSpec(example=True)) as source, pytest.raises(UsageError) as refused:
        source.load([])
    assert str(refused.value) == (
        "load needs --endpoint URL (a server) or --store DIR (an embedded store)"
    )


def _rows(result) -> list[list[str]]:
    from mktgraph.output import render_result

    return list(csv.reader(io.StringIO(render_result(result, "csv"))))


def test_paths_graphs_and_a_store_give_the_same_rows(sample_store):
    files = resources.example_files()
    graph = Graph()
    for path in files:
        graph.parse(path)
    by_path = run_query("open-leads", files)
    by_graph = run_query("open-leads", graph)
    by_store = run_query("open-leads", SourceSpec(store=sample_store))
    assert _rows(by_path) == _rows(by_graph) == _rows(by_store)
    assert len(by_path) == 14


@pytest.mark.slow
def test_validation_of_a_graph_a_file_and_a_store(tmp_path):
    data = tmp_path / "lead.ttl"
    data.write_text(LEAD_WITHOUT_TIME)
    graph = Graph().parse(data)
    store = tmp_path / "lead.db"
    load_data(SourceSpec(store=store), [data])
    results = [validate_data(graph), validate_data(data), validate_data(SourceSpec(store=store))]
    assert {r.summary() for r in results} == {"4 results: 3 violations, 1 warning, 0 infos"}
    assert len({tuple(tuple(row.as_dict().items()) for row in r.rows) for r in results}) == 1


@pytest.mark.slow
def test_export_of_a_graph_equals_export_of_its_file(tmp_path):
    data = tmp_path / "lead.ttl"
    data.write_text(LEAD_WITHOUT_TIME)
    from_path = export_graph(data, "nt", ontology=False)
    from_graph = export_graph(Graph().parse(data), "nt", ontology=False)
    assert (
        from_path
        == from_graph
        == (
            "<https://example.org/lead-1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<https://w3id.org/mktgraph/def/Lead> .\n"
        )
    )
    with_ontology = Graph().parse(data=export_graph(Graph().parse(data), "nt"), format="nt")
    from mktgraph.graph import load_with_ontology

    assert isomorphic(with_ontology, load_with_ontology([data]))


def test_the_package_exports_the_api_lazily():
    import subprocess
    import sys

    code = (
        "import sys, mktgraph\n"
        "assert 'rdflib' not in sys.modules and 'mktgraph.api' not in sys.modules\n"
        "from mktgraph import run_query, validate_data, export_graph, load_data, reason_over\n"
        "from mktgraph import open_source, SourceSpec, GraphSource\n"
        "import mktgraph.api as api\n"
        "assert run_query is api.run_query and open_source is api.open_source\n"
        "print('ok')\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")
