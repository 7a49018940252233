"""Endpoint layouts, endpoint options and their checks, chunking, server messages (no server)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import BNode, Literal, URIRef

from mktgraph.errors import InputError
from mktgraph.stores import (
    Credentials,
    EndpointSpec,
    StoreError,
    StoreWarning,
    endpoint_spec,
    is_loopback,
)
from mktgraph.stores.chunks import GENID, file_digest, iter_chunks, unskolemise
from mktgraph.stores.http import check_iri, server_message
from mktgraph.stores.layout import layout_for
from mktgraph.stores.transport import Answer


def urls(spec: EndpointSpec) -> tuple:
    layout = layout_for(spec)
    return layout.query_url, layout.update_url, layout.gsp_url


def test_each_server_kind_has_its_documented_layout():
    assert urls(EndpointSpec("http://localhost:7878/", server="oxigraph")) == (
        "http://localhost:7878/query",
        "http://localhost:7878/update",
        "http://localhost:7878/store",
    )
    assert urls(EndpointSpec("http://localhost:8890", server="virtuoso")) == (
        "http://localhost:8890/sparql",
        "http://localhost:8890/sparql",
        "http://localhost:8890/sparql-graph-crud",
    )
    with_user = Credentials("dba", "secret", "digest")
    assert urls(
        EndpointSpec("http://localhost:8890", server="virtuoso", credentials=with_user)
    ) == (
        "http://localhost:8890/sparql",
        "http://localhost:8890/sparql-auth",
        "http://localhost:8890/sparql-graph-crud-auth",
    )
    assert urls(EndpointSpec("http://localhost:3030/company", server="fuseki")) == (
        "http://localhost:3030/company/query",
        "http://localhost:3030/company/update",
        "http://localhost:3030/company/data",
    )
    assert urls(EndpointSpec("http://localhost:7200/repositories/company", server="graphdb")) == (
        "http://localhost:7200/repositories/company",
        "http://localhost:7200/repositories/company/statements",
        "http://localhost:7200/repositories/company/rdf-graphs/service",
    )
    assert urls(EndpointSpec("https://sparql.example/query")) == (
        "https://sparql.example/query",
        None,
        None,
    )
    explicit = EndpointSpec(
        "https://sparql.example/query",
        update_url="https://sparql.example/update",
        gsp_url="https://sparql.example/data",
    )
    assert urls(explicit) == (
        "https://sparql.example/query",
        "https://sparql.example/update",
        "https://sparql.example/data",
    )


def test_virtuoso_pages_by_its_row_limit_and_has_no_default_graph():
    layout = layout_for(EndpointSpec("http://localhost:8890", server="virtuoso"))
    assert (layout.page_size, layout.order_in_subquery, layout.gsp_default_graph) == (
        10_000,
        True,
        False,
    )
    assert layout.update_chunk < 5_000


def test_password_comes_from_the_environment_and_never_shows(monkeypatch):
    monkeypatch.setenv("STORE_PW", "s3cret-value")
    spec = endpoint_spec(
        "http://localhost:8890", server="virtuoso", user="dba", password_env="STORE_PW"
    )
    assert spec.credentials == Credentials("dba", "s3cret-value", "digest")
    assert "s3cret-value" not in repr(spec)
    basic = endpoint_spec("http://127.0.0.1:3030/ds", user="u", password_env="STORE_PW")
    assert basic.credentials.scheme == "basic"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"user": "dba"}, "--user needs --password-env VAR"),
        ({"password_env": "STORE_PW"}, "--password-env needs --user NAME"),
        ({"auth": "digest"}, "--auth needs --user NAME and --password-env VAR"),
        (
            {"user": "dba", "password_env": "NOT_SET_ANYWHERE"},
            "--password-env NOT_SET_ANYWHERE: that environment variable is not set",
        ),
        ({"timeout": 0}, "--timeout 0: must be a positive number of seconds"),
        ({"gsp_url": "ftp://x/y"}, "--gsp-endpoint 'ftp://x/y': expected an http:// or https://"),
    ],
)
def test_endpoint_options_are_checked(monkeypatch, options, message):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(InputError) as caught:
        endpoint_spec("http://localhost:7878", **options)
    assert str(caught.value).startswith(message)


def test_credentials_in_the_url_are_refused():
    with pytest.raises(InputError) as caught:
        endpoint_spec("http://dba:secret@localhost:8890/sparql")
    assert "secret" not in str(caught.value)
    assert "--user NAME and --password-env VAR" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://store.example.org/sparql", True),
        ("http://10.1.2.3:8890", True),
        ("https://store.example.org/sparql", False),
        ("http://localhost:8890", False),
        ("http://127.0.0.5:8890", False),
        ("http://[::1]:8890", False),
    ],
)
def test_a_password_over_plain_http_to_another_host_warns(monkeypatch, url, warned):
    monkeypatch.setenv("STORE_PW", "pw")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        endpoint_spec(url, user="u", password_env="STORE_PW")
    messages = [str(w.message) for w in caught if issubclass(w.category, StoreWarning)]
    host = urlsplit(url).hostname
    expected = f"the password of u would go over plain http to {host}; use an https:// endpoint"
    assert messages == ([expected] if warned else [])


def test_loopback_hosts():
    assert [is_loopback(h) for h in ("localhost", "127.0.0.1", "::1", "[::1]", "a.localhost")] == [
        True
    ] * 5
    assert [is_loopback(h) for h in ("example.org", "10.0.0.1", "192.168.1.1", "")] == [False] * 4


def test_graph_iris_are_checked():
    assert check_iri("https://example.org/g") == "https://example.org/g"
    assert check_iri("urn:x:y") == "urn:x:y"
    for bad in ("relative/path", "https://example.org/a b", "https://example.org/<g>"):
        with pytest.raises(InputError):
            check_iri(bad)


def _Answer(text: str) -> Answer:  # noqa: N802 (reads like the class it builds)
    data = text.encode()
    return Answer(500, "Error", {}, "utf-8", io.BytesIO(data), len(data))


def test_server_messages_are_one_short_line():
    page = (
        "<!DOCTYPE HTML><html><head><title>Error 404</title></head><body><h3>Error "
        "HTTP/1.1 404 File not found</h3><pre>\nThe requested URL was not found &amp; more"
        "</pre></body></html>"
    )
    assert server_message(_Answer(page)) == (
        "Error HTTP/1.1 404 File not found The requested URL was not found & more"
    )
    virtuoso = (
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax\n\nSPARQL query:\nSELECT"
    )
    assert server_message(_Answer(virtuoso)) == (
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax"
    )
    long = server_message(_Answer("x" * 1000))
    assert len(long) == 300
    assert long.endswith("…")


def test_chunks_are_bounded_and_blank_nodes_become_skolem_iris_of_their_file(tmp_path):
    text = (
        "@prefix ex: <https://example.org/> .\n"
        + "".join(f"ex:s{i} ex:p {i} .\n" for i in range(25))
        + "ex:s0 ex:address [ ex:city 'Köln' ] .\n_:x ex:p 1 .\n"
    )
    data = write(tmp_path / "d.ttl", text)
    again = write(tmp_path / "again.ttl", text)
    other = write(tmp_path / "other.ttl", text + "# one more line\n")
    chunks = list(iter_chunks([data, again, other], size=20))
    assert [c.triples for c in chunks] == [20, 20, 20, 20, 4]
    lines = b"".join(c.data for c in chunks).decode().splitlines()
    assert all(len(c.data.splitlines()) == c.triples for c in chunks)
    assert not any("_:" in line for line in lines)
    stem = f"<{GENID}b{file_digest(data)}x"
    assert lines[25:28] == [
        f"<https://example.org/s0> <https://example.org/address> {stem}0> .",
        f'{stem}0> <https://example.org/city> "Köln" .',
        f'{stem}1> <https://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    ]
    # The same bytes give the same IRIs (a second load adds nothing); another file its own.
    assert lines[28:56] == lines[:28]
    skolems = {part for line in lines for part in line.split() if part.startswith(f"<{GENID}")}
    assert len(skolems) == 4
    assert [n for n, _ in chunks[0].parts(7)] == [7, 7, 6]
    assert chunks[0].body(b"A", b"Z")[:1] == b"A"


def test_skolem_iris_come_back_as_blank_nodes():
    assert unskolemise(URIRef(f"{GENID}b12x3")) == BNode("b12x3")
    assert unskolemise(URIRef("https://example.org/a")) == URIRef("https://example.org/a")
    assert unskolemise(Literal(f"{GENID}b12x3")) == Literal(f"{GENID}b12x3")


def test_a_missing_or_broken_file_names_itself(tmp_path):
    with pytest.raises(InputError) as caught:
        list(iter_chunks([tmp_path / "nothing.ttl"]))
    assert str(caught.value) == f"{tmp_path / 'nothing.ttl'}: no such file"
    broken = tmp_path / "broken.nt"
    broken.write_text("<https://example.org/a> <https://example.org/b> .\n")
    with pytest.raises(InputError) as caught:
        list(iter_chunks([broken]))
    assert str(caught.value).startswith(f"{broken}:1: malformed N-Triples: ")


def test_store_errors_exit_2():
    assert StoreError("x").exit_code == 2


def test_cli_store_options_need_an_endpoint(run_cli, tmp_path):
    result = run_cli("query", "frameworks", "--server", "oxigraph")
    assert result.exit_code == 2
    assert "--server needs --endpoint URL" in result.stderr
    result = run_cli("query", "frameworks", "--graph", "https://example.org/g")
    assert result.exit_code == 2
    assert "--graph needs --endpoint URL" in result.stderr
    result = run_cli("load", str(Path(__file__)))
    assert result.exit_code == 2
    assert "load needs --endpoint URL" in result.stderr
    result = run_cli("load", "--endpoint", "http://127.0.0.1:9")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: nothing to load: give data files, --example or --with-ontology\n"
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
