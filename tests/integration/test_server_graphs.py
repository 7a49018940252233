"""Which graph a command works on, said plainly: empty or misspelt graphs warned about, counts
of the target graph whatever the server's union setting, and --server auto."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sparql_servers import PASSWORD_VARIABLE, VIRTUOSO_PASSWORD, Oxigraph, write

from mktgraph import stores

pytestmark = pytest.mark.integration

ACME = """\
<https://example.org/acme> <https://schema.org/name> "Acme" .
<https://example.org/acme> <https://schema.org/legalName> "Acme GmbH" .
"""
BETA = '<https://example.org/beta> <https://schema.org/name> "Beta" .\n'
MISSPELT = "https://example.org/test-graph/no-such-graph"


def test_a_query_on_an_empty_graph_warns(run_cli, oxigraph):
    result = run_cli("query", "marketing-activities", "--graph", MISSPELT, *oxigraph.options())
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"warning: graph <{MISSPELT}> of {oxigraph.url}/query holds no triples (is the --graph "
        "IRI right? load data with `mktgraph load`)\n"
    )


def test_validate_on_an_empty_graph_does_not_just_say_conforms(run_cli, oxigraph):
    result = run_cli("validate", "--graph", MISSPELT, *oxigraph.options())
    assert result.stderr.startswith(
        f"warning: graph <{MISSPELT}> of {oxigraph.url}/query holds no triples"
    )


def test_a_query_with_rows_does_not_count(run_cli, oxigraph, tmp_path):
    data = write(tmp_path / "acme.nt", ACME)
    assert run_cli("load", str(data), *oxigraph.options()).exit_code == 0
    query = write(tmp_path / "names.rq", "SELECT ?n WHERE { ?s <https://schema.org/name> ?n }")
    result = run_cli("query", str(query), "--format", "csv", *oxigraph.options())
    assert (result.exit_code, result.stdout, result.stderr) == (0, "n\nAcme\n", "")


@pytest.fixture
def union_oxigraph(tmp_path):
    """Oxigraph started with --union-default-graph: its queries see every graph."""
    server = Oxigraph(tmp_path / "db")
    server.command.append("--union-default-graph")
    server.start()
    yield server
    server.stop()


def test_counts_are_of_the_default_graph_alone_on_a_union_server(run_cli, union_oxigraph, tmp_path):
    acme, beta = write(tmp_path / "acme.nt", ACME), write(tmp_path / "beta.nt", BETA)
    graph = "https://example.org/test-graph/beta"
    result = run_cli("load", str(beta), "--graph", graph, *union_oxigraph.options())
    assert result.exit_code == 0, result.stderr
    result = run_cli("load", str(acme), *union_oxigraph.options())
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "added 2 triples to the default graph (Graph Store Protocol, 1 request)\n"
        "the default graph now holds 2 triples (before: 0)\n"
    )
    # The server's own count without a graph is the union.
    assert union_oxigraph.count() == 3


class _NoDescription(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_server_auto_reads_the_service_description_and_headers(oxigraph, virtuoso, monkeypatch):
    for url in (oxigraph.url, f"{oxigraph.url}/query", f"{oxigraph.url}/"):
        spec = stores.endpoint_spec(url, server="auto")
        assert (spec.server, spec.url, spec.union_default_graph) == (
            "oxigraph",
            oxigraph.url,
            False,
        )
    monkeypatch.setenv(PASSWORD_VARIABLE, VIRTUOSO_PASSWORD)
    for url in (virtuoso.url, f"{virtuoso.url}/sparql"):
        spec = stores.endpoint_spec(url, server="auto", user="dba", password_env=PASSWORD_VARIABLE)
        assert (spec.server, spec.url, spec.credentials.scheme) == (
            "virtuoso",
            virtuoso.url,
            "digest",
        )


def test_server_auto_sees_a_union_default_graph(union_oxigraph):
    spec = stores.endpoint_spec(union_oxigraph.url, server="auto")
    assert (spec.server, spec.union_default_graph) == ("oxigraph", True)


def test_server_auto_on_an_unknown_server_is_generic_with_a_note():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NoDescription)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        with pytest.warns(stores.StoreWarning) as warned:
            spec = stores.endpoint_spec(url, server="auto")
    finally:
        server.shutdown()
        server.server_close()
    assert (spec.server, spec.url) == ("generic", url)
    assert [str(w.message) for w in warned] == [
        f"{url} did not say which server it is (no Service Description or known Server "
        "header): using the generic layout, with --endpoint as the query URL; name the kind "
        "with --server KIND"
    ]


def test_server_auto_loads_and_queries(run_cli, virtuoso, new_graph, tmp_path):
    data = write(tmp_path / "acme.nt", ACME)
    options = ["--endpoint", virtuoso.url, "--server", "auto", "--user", "dba",
               "--password-env", PASSWORD_VARIABLE, "--graph", new_graph]  # fmt: skip
    result = run_cli("load", str(data), *options)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == f"graph <{new_graph}> now holds 2 triples (before: 0)"
