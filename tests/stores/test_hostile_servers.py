"""Servers that misbehave (drip, truncate, flood, echo credentials): one line, exit 2, no secret.

Each test runs a small HTTP server of its own on loopback, answering every request the way its
path says; mktgraph's generic layout sends queries to the --endpoint URL itself.
"""

from __future__ import annotations

import base64
import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PASSWORD = "s3cret-Pa55"
USER = "alice"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
ONE_ROW = json.dumps(
    {
        "head": {"vars": ["n"]},
        "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]},
    }
).encode()


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        name = self.path.split("?")[0].strip("/").split("/")[0].replace("-", "_")
        getattr(self, "answer_" + name)()

    do_GET = do_POST  # noqa: N815

    def _head(self, status: int, media: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def answer_ok(self) -> None:
        self._head(200, "application/sparql-results+json", len(ONE_ROW))
        self.wfile.write(ONE_ROW)

    def _gzip_labelled(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def answer_gzip(self) -> None:
        """The one-row answer compressed (padded with spaces, as a long answer repeats)."""
        self._gzip_labelled(gzip.compress(ONE_ROW + b" " * 100_000))

    def answer_bad_gzip(self) -> None:
        """Says gzip, sends bytes that are not."""
        self._gzip_labelled(b"not gzip at all" * 10)

    def answer_drip(self) -> None:
        """Headers at once, then a byte every 0.2 s for a minute."""
        self._head(200, "application/sparql-results+json", 1000)
        for _ in range(300):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.2)

    def answer_drip_headers(self) -> None:
        """The status line and headers themselves, a byte every 0.2 s."""
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X: " * 200:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def answer_truncated(self) -> None:
        """Says 100 kB are coming, sends half a row, and hangs up."""
        self._head(200, "application/sparql-results+json", 100_000)
        self.wfile.write(ONE_ROW[:40])
        self.wfile.flush()
        self.close_connection = True

    def answer_truncated_chunked(self) -> None:
        """A chunked answer whose connection drops before the last chunk."""
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"%x\r\n%s\r\n" % (40, ONE_ROW[:40]))
        self.wfile.flush()
        self.close_connection = True

    def answer_huge(self) -> None:
        """Three megabytes of rows."""
        row = b'{"n": {"type": "literal", "value": "1"}},'
        body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [' + row * 75_000
        body = body[:-1] + b"]}}"
        self._head(200, "application/sparql-results+json", len(body))
        self.wfile.write(body)

    def answer_echo(self) -> None:
        """An error page repeating the request's headers (as some proxies and servers do)."""
        echoed = "".join(f"{name}: {value}\n" for name, value in self.headers.items())
        body = (
            f"<html><body><h1>Internal error</h1><pre>{echoed}"
            f"user={USER} password={PASSWORD} token {TOKEN}</pre></body></html>"
        ).encode()
        self._head(500, "text/html", len(body))
        self.wfile.write(body)

    def answer_query(self) -> None:
        """A Service Description saying that queries see every graph (sd:UnionDefaultGraph)."""
        body = (
            b"@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            b"[] a sd:Service ; sd:endpoint <> ; sd:feature sd:UnionDefaultGraph .\n"
        )
        self._head(200, "text/turtle", len(body))
        self.wfile.write(body)

    def answer_store(self) -> None:
        """A Graph Store GET of the default graph that stops half way."""
        self._head(200, "application/n-triples", 10_000)
        self.wfile.write(b"<https://example.org/a> <https://example.org/b> <https://example")
        self.wfile.flush()
        self.close_connection = True

    def answer_redirect(self) -> None:
        self.send_response(302)
        self.send_header("Location", f"http://{USER}:{PASSWORD}@127.0.0.1:1/sparql?key=abc123")
        self.send_header("Content-Length", "0")
        self.end_headers()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up on a dripping answer is what the tests do: no traceback."""


@pytest.fixture(scope="module")
def hostile():
    server = QuietServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def run_query(run_cli, monkeypatch):
    monkeypatch.setenv("HOSTILE_PASSWORD", PASSWORD)

    def run(url: str, *options: str):
        started = time.monotonic()
        result = run_cli("query", "sales-vs-marketing", "--endpoint", url, *options)
        return result, time.monotonic() - started

    return run


def _one_error_line(result) -> str:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def _no_secret(text: str) -> None:
    for secret in (PASSWORD, TOKEN, TOKEN.rstrip("=")):
        assert secret not in text


def test_a_well_behaved_server_answers(hostile, run_query):
    result, _seconds = run_query(f"{hostile}/ok", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "n\n1\n"


def test_a_gzip_answer_is_read_and_both_sizes_are_counted(hostile, run_query):
    from mktgraph.stores import transport

    result, _seconds = run_query(f"{hostile}/gzip", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "n\n1\n"
    answer = transport.fetch(
        transport.session(), "POST", f"{hostile}/gzip", deadline=10, max_response=1 << 20
    )
    with answer.body:
        assert answer.body.read() == ONE_ROW + b" " * 100_000
    assert answer.size == len(ONE_ROW) + 100_000
    assert answer.wire_size == len(gzip.compress(ONE_ROW + b" " * 100_000))


def test_an_answer_that_is_not_the_gzip_it_claims_is_an_error(hostile, run_query):
    line = _one_error_line(run_query(f"{hostile}/bad-gzip")[0])
    assert line.startswith(
        f"error: sales-vs-marketing: POST {hostile}/bad-gzip: connection lost in the middle "
        "of the answer (a gzip answer that does not decompress: "
    ), line


@pytest.mark.parametrize("path", ["drip", "drip-headers"])
def test_a_dripping_server_is_cut_off_at_the_total_deadline(hostile, run_query, path):
    """One byte every 0.2 s never trips a per-read timeout; --timeout bounds the whole request."""
    result, seconds = run_query(f"{hostile}/{path}", "--timeout", "1.5")
    line = _one_error_line(result)
    assert line == (
        f"error: sales-vs-marketing: POST {hostile}/{path}: no complete answer within 1.5 s "
        "(raise it with --timeout)"
    )
    assert seconds < 6


@pytest.mark.parametrize("path", ["truncated", "truncated-chunked"])
def test_a_connection_dropped_mid_answer_is_an_error(hostile, run_query, path):
    line = _one_error_line(run_query(f"{hostile}/{path}")[0])
    assert line.startswith(
        f"error: sales-vs-marketing: POST {hostile}/{path}: connection lost in the middle "
        "of the answer ("
    )
    assert line.endswith("); nothing was used of it")


@pytest.mark.slow
def test_an_answer_beyond_max_response_is_refused(hostile, run_query):
    line = _one_error_line(run_query(f"{hostile}/huge", "--max-response", "1M")[0])
    assert line == (
        f"error: sales-vs-marketing: POST {hostile}/huge: the answer is larger than 1M "
        "(--max-response): raise the limit, or ask for less"
    )
    result, _seconds = run_query(f"{hostile}/huge", "--max-response", "4M", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "n\n" + "1\n" * 75_000


@pytest.mark.parametrize("size", ["0", "-1", "lots", "1X"])
def test_max_response_takes_a_size(hostile, run_query, size):
    line = _one_error_line(run_query(f"{hostile}/ok", "--max-response", size)[0])
    assert line == (f"error: --max-response {size!r}: expected a size such as 1G, 500M or 64K")


@pytest.mark.parametrize("auth", ["basic", "digest"])
def test_an_error_page_echoing_the_credentials_shows_none(hostile, run_query, auth):
    result, _seconds = run_query(
        f"{hostile}/echo", "--user", USER, "--password-env", "HOSTILE_PASSWORD", "--auth", auth
    )
    line = _one_error_line(result)
    _no_secret(line)
    assert line.startswith(f"error: sales-vs-marketing: POST {hostile}/echo: HTTP 500 ")
    assert "Internal error" in line
    if auth == "basic":  # digest sends no Authorization before the server's challenge
        assert "Authorization: ***" in line


def test_a_redirect_to_a_url_with_credentials_shows_none(hostile, run_query):
    line = _one_error_line(run_query(f"{hostile}/redirect")[0])
    _no_secret(line)
    assert "abc123" not in line
    assert line == (
        f"error: sales-vs-marketing: POST {hostile}/redirect: HTTP 302 Found: the server "
        "redirects to http://***@127.0.0.1:1/sparql?key=***; give that URL instead"
    )


@pytest.mark.parametrize(
    "url",
    [
        f"ftp://{USER}:{PASSWORD}@example.org/sparql",
        f"http://{USER}:{PASSWORD}@example.org/sparql",
        f"mailto:{USER}:{PASSWORD}@example.org",
    ],
)
def test_a_bad_endpoint_url_never_repeats_its_password(run_query, url):
    line = _one_error_line(run_query(url)[0])
    _no_secret(line)
    assert line.startswith("error: --endpoint")


def test_a_graph_store_get_that_stops_half_way_is_an_error(hostile, run_cli, tmp_path):
    """Counting the default graph of a union-default-graph server reads a Graph Store GET of
    it: cut off, that is one line and exit 2, never a count of what arrived."""
    data = tmp_path / "one.nt"
    data.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    result = run_cli("load", str(data), "--endpoint", hostile, "--server", "oxigraph")
    line = _one_error_line(result)
    assert line.startswith(
        f"error: triple count: GET {hostile}/store: connection lost in the middle of the answer"
    )
