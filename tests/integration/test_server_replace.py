"""`load --replace` is atomic on Oxigraph and Virtuoso: the server killed mid-load, or mktgraph
interrupted, leaves the old graph or the new one, never a mix, and no staging graph unnamed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sparql_servers import PASSWORD_VARIABLE, VIRTUOSO_PASSWORD, env_without_proxies, write

from mktgraph import stores

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
GRAPH = "https://example.org/test-graph/replaced"
OLD = 30


def triples(path: Path, count: int, kind: str) -> Path:
    return write(path, "".join(
        f'<https://example.org/{kind}/{i}> <https://schema.org/name> "{kind} {i}" .\n'
        for i in range(count)
    ))  # fmt: skip


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request, monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, VIRTUOSO_PASSWORD)
    return request.getfixturevalue(f"private_{request.param}")


def spec_of(server):
    if server.kind == "virtuoso":
        return stores.endpoint_spec(
            server.url, server="virtuoso", user="dba", password_env=PASSWORD_VARIABLE
        )
    return stores.endpoint_spec(server.url, server="oxigraph")


def staging_graphs(server) -> list[str]:
    with stores.open_store(spec_of(server), graph=GRAPH) as store:
        return [graph for graph, _since in store.leftover_staging()]


def _kill_after(server, triples_sent: int):
    def progress(sent: int, _seconds: float) -> None:
        if sent >= triples_sent:
            server.kill()

    return progress


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_a_server_killed_while_the_new_graph_is_sent_keeps_the_old_one(
    tmp_path, server, protocol, run_cli
):
    """Oxigraph's PUT is one transaction; elsewhere a staging graph is filled: killed half way,
    the server comes back with the old graph, and the next load names the staging graph."""
    old = triples(tmp_path / "old.nt", OLD, "old")
    new = triples(tmp_path / "new.nt", 20_000, "new")
    spec = spec_of(server)
    with stores.open_store(spec, graph=GRAPH) as store:
        assert store.load([old], replace=True).triples_after == OLD
        with pytest.raises(stores.StoreError) as caught:
            store.load(
                [new], replace=True, protocol=protocol, chunk_size=2_000,
                progress=_kill_after(server, 1 if protocol == "gsp" else 4_000),
            )  # fmt: skip
    message = str(caught.value)
    assert (
        message.endswith(
            f"; what graph <{GRAPH}> holds could not be counted (it held {OLD} triples before)"
        )
        or message.endswith("by DROP GRAPH")
        or "could not be removed" in message
    ), message
    server.start()
    assert server.count(GRAPH) == OLD
    staged = staging_graphs(server)
    put = server.kind == "oxigraph" and protocol == "gsp"
    assert (staged == []) if put else (len(staged) == 1)
    if staged:
        assert f"the staging graph <{staged[0]}> could not be removed" in message
        result = run_cli("load", str(old), "--graph", GRAPH, *server.options())
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith(
            f"warning: graph <{staged[0]}> is the staging graph of a load started "
        )
        assert result.stderr.endswith(
            f"did not finish; remove it with: DROP GRAPH <{staged[0]}> (unless that load is "
            "still running)\n"
        )


def test_a_server_killed_during_the_swap_holds_the_old_graph_or_the_new(tmp_path, server):
    """The MOVE that swaps the staging graph in is one transaction: killed while it runs, the
    server comes back with one graph or the other, never a mix."""
    old = triples(tmp_path / "old.nt", OLD, "old")
    new = triples(tmp_path / "new.nt", 100_000, "new")
    spec = spec_of(server)
    with stores.open_store(spec, graph=GRAPH) as store:
        assert store.load([old], replace=True).triples_after == OLD
        send = store._update

        def update(text):
            if str(text).startswith("MOVE"):
                threading.Timer(0.3, server.kill).start()
            return send(text)

        store._update = update
        try:
            store.load([new], replace=True, protocol="update")
        except stores.StoreError as error:
            assert "could not be counted" in str(error)
    server.start()
    assert server.count(GRAPH) in (OLD, 100_000)


@pytest.mark.parametrize(("signal_number", "code", "word"), [
    (signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated"),
], ids=["ctrl-c", "sigterm"])  # fmt: skip
def test_interrupting_mktgraph_leaves_the_old_graph_and_no_staging_graph(
    tmp_path, server, signal_number, code, word
):
    old = triples(tmp_path / "old.nt", OLD, "old")
    new = triples(tmp_path / "new.nt", 200_000, "new")
    with stores.open_store(spec_of(server), graph=GRAPH) as store:
        assert store.load([old], replace=True).triples_after == OLD
    env = env_without_proxies()
    env[PASSWORD_VARIABLE] = VIRTUOSO_PASSWORD
    process = subprocess.Popen(
        [sys.executable, "-m", "mktgraph", "load", str(new), "--replace", "--protocol",
         "update", "--graph", GRAPH, *server.options()],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not staging_graphs(server):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the load never started a staging graph"
        time.sleep(0.1)
    time.sleep(0.5)
    os.kill(process.pid, signal_number)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert stdout == ""
    assert stderr.startswith(f"error: {word}; ")
    assert stderr.endswith(f"; graph <{GRAPH}> is as it was: {OLD} triples, by a count\n")
    assert len(stderr.splitlines()) == 1
    assert server.count(GRAPH) == OLD
    time.sleep(3)  # a request the server was still working on must not bring the graph back
    assert staging_graphs(server) == []
    assert server.count(GRAPH) == OLD
