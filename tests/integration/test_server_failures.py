"""HTTP failures against real servers: one line with the status and the server's message, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sparql_servers import PASSWORD_VARIABLE, Oxigraph, write

from mktgraph import stores
from mktgraph.errors import InputError

pytestmark = pytest.mark.integration

DATA = "".join(
    f'<https://example.org/item/{i}> <https://schema.org/name> "item {i}" .\n' for i in range(500)
)


@pytest.fixture
def items(tmp_path) -> Path:
    return write(tmp_path / "items.nt", DATA)


def test_connection_refused_when_the_server_is_stopped(run_cli, private_oxigraph, items):
    result = run_cli("load", str(items), *private_oxigraph.options())
    assert result.exit_code == 0, result.stderr
    private_oxigraph.stop()
    url = private_oxigraph.url
    result = run_cli("query", "marketing-activities", *private_oxigraph.options())
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: marketing-activities: POST {url}/query: cannot connect: connection refused\n"
    )
    result = run_cli("load", str(items), *private_oxigraph.options())
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: triple count: POST {url}/query: cannot connect: connection refused\n"
    )


def _stop_after(server: Oxigraph, triples: int):
    def progress(sent: int, _seconds: float) -> None:
        if sent >= triples:
            server.kill()

    return progress


def test_server_stopped_during_a_load_says_how_much_was_sent(private_oxigraph, items):
    spec = stores.endpoint_spec(private_oxigraph.url, server="oxigraph")
    with stores.open_store(spec) as store, pytest.raises(stores.StoreError) as caught:
        store.load([items], chunk_size=100, progress=_stop_after(private_oxigraph, 200))
    assert str(caught.value) == (
        f"POST {private_oxigraph.url}/store: cannot connect: connection refused; "
        "200 triples were sent; what the default graph holds could not be counted (it held 0 "
        "triples before)"
    )


def test_a_syntax_error_in_a_replace_changes_nothing(tmp_path, private_oxigraph, items):
    spec = stores.endpoint_spec(private_oxigraph.url, server="oxigraph")
    broken = write(tmp_path / "broken.nt", DATA + "<https://example.org/x> oops .\n")
    with stores.open_store(spec) as store:
        assert store.load([items], replace=True).triples_after == 500
        for protocol in ("gsp", "update"):
            with pytest.raises(InputError) as caught:
                store.load([broken], replace=True, protocol=protocol, chunk_size=100)
            assert str(caught.value).startswith(
                f"{broken}:501: malformed N-Triples: at line 501 between columns 25 and 29: The "
                "predicate of a triple must be an IRI; "
            )
            assert store.triple_count() == 500


def test_wrong_password(run_cli, virtuoso, items, new_graph, monkeypatch):
    secret = "not-the-password-4711"
    monkeypatch.setenv(PASSWORD_VARIABLE, secret)
    result = run_cli("load", str(items), "--graph", new_graph, *virtuoso.options())
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: POST {virtuoso.url}/sparql-graph-crud-auth: HTTP 401 Unauthorized: check "
        "--user and the password in the --password-env variable; nothing was sent; "
        f"graph <{new_graph}> is as it was: 0 triples, by a count\n"
    )
    assert secret not in result.stderr + result.stdout
    assert virtuoso.count(new_graph) == 0


def test_no_user_where_the_server_wants_one(run_cli, virtuoso, items, new_graph):
    """Virtuoso's anonymous Graph Store refuses writes (its SPARQL user has no grant)."""
    result = run_cli(
        "load", str(items), "--graph", new_graph, "--endpoint", virtuoso.url,
        "--server", "virtuoso",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: POST {virtuoso.url}/sparql-graph-crud: HTTP 403 Forbidden: "
    )
    assert "SECURITY: No permission" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_wrong_path(run_cli, oxigraph_server, virtuoso):
    url = f"{oxigraph_server.url}/nowhere"
    result = run_cli("query", "frameworks", "--endpoint", url, "--server", "oxigraph")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: frameworks: POST {url}/query: HTTP 404 Not Found: POST /nowhere/query is not "
        "supported by this server\n"
    )
    url = f"{virtuoso.url}/nowhere"
    result = run_cli("query", "frameworks", "--endpoint", url)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: frameworks: POST {url}: HTTP 404 File not found: Error HTTP/1.1 404 File not "
        "found The requested URL was not found URI = '/nowhere'\n"
    )


def test_server_error(run_cli, virtuoso, items):
    """A 500: Virtuoso's Graph Store has no default graph, asked through the generic layout."""
    result = run_cli(
        "load", str(items), "--endpoint", f"{virtuoso.url}/sparql",
        "--gsp-endpoint", f"{virtuoso.url}/sparql-graph-crud-auth",
        "--user", "dba", "--password-env", PASSWORD_VARIABLE, "--auth", "digest",
    )  # fmt: skip
    assert result.exit_code == 2
    # Virtuoso's Service Description says its queries see every graph, so the default graph
    # is counted from a Graph Store GET of it, which Virtuoso refuses: nothing is sent.
    assert result.stderr == (
        f"error: triple count: GET {virtuoso.url}/sparql-graph-crud-auth: HTTP 500 Request "
        "Failed: HTTP/1.1 500 Request Failed Error 22023 The request to "
        'SPARQL 1.1 Graph Store endpoint contains "default" param but the endpoint is not '
        "configured to have default graph\n"
    )


def test_timeout(run_cli, private_oxigraph):
    private_oxigraph.pause()
    try:
        result = run_cli("query", "frameworks", "--timeout", "1", *private_oxigraph.options())
    finally:
        private_oxigraph.resume()
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: frameworks: POST {private_oxigraph.url}/query: no complete answer within 1 s "
        "(raise it with --timeout)\n"
    )


def test_timeout_during_a_load(private_oxigraph, items):
    spec = stores.endpoint_spec(private_oxigraph.url, server="oxigraph", timeout=1)

    def freeze(sent: int, _seconds: float) -> None:
        if sent >= 100:
            private_oxigraph.pause()

    try:
        with stores.open_store(spec) as store, pytest.raises(stores.StoreError) as caught:
            store.load([items], chunk_size=100, progress=freeze)
    finally:
        private_oxigraph.resume()
    assert str(caught.value) == (
        f"POST {private_oxigraph.url}/store: no complete answer within 1 s "
        "(raise it with --timeout); 100 triples were sent; what the default graph holds could "
        "not be counted (it held 0 triples before); the server may still apply the last request"
    )
