"""Fixtures: the Oxigraph and Virtuoso servers the integration tests run against."""

from __future__ import annotations

import uuid

import pytest
from sparql_servers import PASSWORD_VARIABLE, VIRTUOSO_PASSWORD, Oxigraph, Virtuoso


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, VIRTUOSO_PASSWORD)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """One Oxigraph server for the session (tests that need it empty use ``oxigraph``)."""
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph") / "db").start()
    yield server
    server.stop()


@pytest.fixture
def oxigraph(oxigraph_server):
    """The session's Oxigraph server, emptied."""
    oxigraph_server.update("DROP SILENT ALL")
    return oxigraph_server


@pytest.fixture
def private_oxigraph(tmp_path):
    """An Oxigraph server of the test's own, to stop or freeze."""
    server = Oxigraph(tmp_path / "db").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """One Virtuoso server for the session; tests write to graphs of their own (new_graph)."""
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


@pytest.fixture
def new_graph() -> str:
    """A graph IRI no other test uses."""
    return f"https://example.org/test-graph/{uuid.uuid4()}"


@pytest.fixture(params=["oxigraph", "virtuoso"])
def target(request, new_graph):
    """Each server in turn, and the options naming the graph to use on it: Oxigraph's default
    graph (emptied), a named graph of the test's own on Virtuoso. A test module may have its
    own ``target``."""
    if request.param == "oxigraph":
        server = request.getfixturevalue("oxigraph")
        return server, server.options()
    server = request.getfixturevalue("virtuoso")
    return server, [*server.options(), "--graph", new_graph]


@pytest.fixture
def private_virtuoso(tmp_path):
    """A Virtuoso server of the test's own, to kill and restart."""
    server = Virtuoso(tmp_path / "virtuoso").start()
    yield server
    server.stop()
