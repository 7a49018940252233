"""A SPARQL server over HTTP: SPARQL 1.1 Protocol queries, Update, and the Graph Store Protocol."""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from mktgraph import __version__
from mktgraph.errors import InputError
from mktgraph.stores import (
    DEFAULT_MAX_RESPONSE,
    DEFAULT_TIMEOUT,
    LOAD_TIMEOUT,
    EndpointSpec,
    LoadReport,
    Progress,
    StoreError,
    StoreWarning,
    size_text,
    transport,
)
from mktgraph.stores.chunks import DEFAULT_CHUNK, Chunk, iter_chunks
from mktgraph.stores.layout import Layout, layout_for, require
from mktgraph.stores.redact import redact_url, scrub
from mktgraph.stores.transport import Answer

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
NTRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update; charset=utf-8"
# Answers meaning "no Graph Store Protocol here": a load may switch to SPARQL Update.
NO_GRAPH_STORE = (404, 405, 501)
_MESSAGE_LIMIT = 300
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")


def check_iri(value: str, flag: str = "--graph") -> str:
    """``value`` if it is an absolute IRI that can go between < and > in SPARQL."""
    if not _IRI.match(value):
        raise InputError(
            f"{flag} {value!r}: expected an absolute IRI, such as https://example.org/g"
        )
    return value


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def server_message(response: Answer) -> str:
    """The server's explanation of a failed request, on one short line (HTML tags removed,
    Virtuoso's echo of the whole query left out, credentials scrubbed)."""
    text = response.head(65536).decode(response.encoding or "utf-8", errors="replace")
    if "<" in text and re.search(r"</?(html|body|h\d|p|title|xmp|pre)\b", text, re.I):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.split(r"\bSPARQL query:", text)[0]
    text = scrub(" ".join(text.split()))
    if len(text) > _MESSAGE_LIMIT:
        text = text[: _MESSAGE_LIMIT - 1].rstrip() + "…"
    return text


def _network_reason(error: BaseException) -> str:
    """Why a connection failed, in a few words (from the innermost OS error)."""
    text = str(error)
    found = re.findall(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if found:
        return found[-1].strip().lower()
    for words in (
        "Connection reset by peer",
        "Connection aborted",
        "Broken pipe",
        "Remote end closed connection without response",
    ):
        if words in text:
            return words.lower()
    return text.splitlines()[0][:_MESSAGE_LIMIT] if text else type(error).__name__


class StoreTimeout(StoreError):
    """The server did not answer in time (it may still be working on the request)."""


class AnswerTooLarge(StoreError):
    """The server's answer exceeds --max-response."""


class _NoGraphStore(StoreError):
    """The Graph Store endpoint is not there (it answered 404, 405 or 501)."""


class _Chunks:
    """Chunks with a look-ahead of one; each is closed once it has been sent."""

    def __init__(self, iterator: Iterator[Chunk]) -> None:
        self._iterator = iterator
        self._next: Chunk | None = None

    def peek(self) -> Chunk | None:
        if self._next is None:
            self._next = next(self._iterator, None)
        return self._next

    def __iter__(self) -> Iterator[Chunk]:
        while (chunk := self.peek()) is not None:
            yield chunk
            self._next = None
            chunk.close()

    def close(self) -> None:
        if self._next is not None:
            self._next.close()
            self._next = None


class _Upload:
    """A file being uploaded; reads report the lines (N-Triples: triples) that went out."""

    def __init__(self, file: IO[bytes], on_lines: Callable[[int], None]) -> None:
        self._file = file
        self._on_lines = on_lines
        file.seek(0, os.SEEK_END)
        self._size = file.tell()
        file.seek(0)

    def __len__(self) -> int:
        return self._size

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._on_lines(data.count(b"\n"))
        return data

    def tell(self) -> int:
        return self._file.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)


class HttpStore:
    """A graph in a SPARQL server: queries, counts, loads and whole-graph fetches."""

    def __init__(self, spec: EndpointSpec, *, graph: str | None = None) -> None:
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        self.spec = spec
        self.layout: Layout = layout_for(spec)
        self.graph = check_iri(graph) if graph else None
        self._session = transport.session()
        self._session.headers["User-Agent"] = f"mktgraph/{__version__}"
        if spec.credentials:
            scheme = HTTPDigestAuth if spec.credentials.scheme == "digest" else HTTPBasicAuth
            self._session.auth = scheme(spec.credentials.user, spec.credentials.password)
        self.sent = 0
        self.requests = 0  # those that carried data
        self._timeout = spec.timeout or DEFAULT_TIMEOUT
        self.max_response = spec.max_response or DEFAULT_MAX_RESPONSE

    # -- HTTP ---------------------------------------------------------------------------------

    def _secrets(self) -> list[str]:
        credentials = self.spec.credentials
        if credentials is None:
            return []
        return [credentials.password, f"{credentials.user}:{credentials.password}"]

    def _request(self, method: str, url: str, **kwargs: Any) -> Answer:
        """One request and its whole answer (within the deadline and --max-response); a
        StoreError for anything but a 2xx answer."""
        import requests

        where = f"{method} {redact_url(_without_query(url))}"
        try:
            answer = transport.fetch(
                self._session,
                method,
                url,
                deadline=self._timeout,
                max_response=self.max_response,
                **kwargs,
            )
        except transport.DeadlinePassed:
            raise StoreTimeout(
                f"{where}: no complete answer within {self._timeout:g} s (raise it with --timeout)"
            ) from None
        except transport.TooLarge as error:
            raise AnswerTooLarge(
                f"{where}: the answer is larger than {size_text(error.limit)} "
                "(--max-response): raise the limit, or ask for less"
            ) from None
        except transport.ConnectionLost as error:
            raise StoreError(
                f"{where}: connection lost in the middle of the answer "
                f"({scrub(_network_reason(error), self._secrets())}); nothing was used of it"
            ) from None
        except requests.exceptions.RequestException as error:
            reason = scrub(_network_reason(error), self._secrets())
            lost = re.search(r"reset|abort|closed|pipe", reason)
            what = "connection lost" if lost else "cannot connect"
            raise StoreError(f"{where}: {what}: {reason}") from None
        if 300 <= answer.status < 400:
            location = redact_url(answer.headers.get("Location", "?"))
            answer.close()
            raise StoreError(
                f"{where}: HTTP {answer.status} {answer.reason}: the server redirects "
                f"to {location}; give that URL instead"
            )
        if answer.status >= 400:
            message = scrub(server_message(answer), self._secrets())
            answer.close()
            to_graph_store = bool(self.layout.gsp_url) and url.startswith(self.layout.gsp_url)
            error_class = (
                _NoGraphStore if answer.status in NO_GRAPH_STORE and to_graph_store else StoreError
            )
            if answer.status in (401, 403) and not message:
                message = (
                    "check --user and the password in the --password-env variable"
                    if self.spec.credentials
                    else "the server wants a user: give --user NAME and --password-env VAR"
                )
            raise error_class(
                f"{where}: HTTP {answer.status} {scrub(answer.reason, self._secrets())}"
                + (f": {message}" if message else "")
            )
        return answer

    # -- queries ------------------------------------------------------------------------------

    def query(self, text: str, source: str = "query", *, allow_service: bool = False) -> Result:
        """Run a checked, read-only query on the server (SPARQL 1.1 Protocol, POST form)."""
        from mktgraph.queries import check_query

        form = check_query(text, source, allow_service=allow_service)
        # The store's graph becomes the query's default graph (SPARQL 1.1 Protocol).
        return self._query(
            text, form, source, {"default-graph-uri": self.graph} if self.graph else None
        )

    def _query(self, text: str, form: str, source: str, params: dict | None = None) -> Result:
        data = {"query": text, **(params or {})}
        accept = RESULTS_ACCEPT if form in ("SELECT", "ASK") else GRAPH_ACCEPT
        try:
            response = self._request(
                "POST", self.layout.query_url, data=data, headers={"Accept": accept}
            )
        except StoreError as error:
            raise StoreError(f"{source}: {error}") from None
        with contextlib.closing(response):
            limit = response.headers.get("X-SPARQL-MaxRows")
            if limit:
                warnings.warn(
                    StoreWarning(
                        f"{source}: the server cut the result at {limit} rows (its own limit, "
                        "such as Virtuoso's ResultSetMaxRows)"
                    ),
                    stacklevel=2,
                )
            if form in ("SELECT", "ASK"):
                return _parse_results(response, source)
            from rdflib.query import Result

            result = Result(form)
            result.graph = _parse_graph(response, source)
            return result

    def _pattern(self) -> tuple[str, dict[str, str]]:
        """The graph pattern matching every triple of the store's graph, and query parameters."""
        if self.graph:
            return f"GRAPH <{self.graph}> {{ ?s ?p ?o }}", {}
        if self.layout.union_default_graph:
            if not self.layout.default_graph_iri:
                raise StoreError(self._no_default_graph())
            return "?s ?p ?o", {"default-graph-uri": self.layout.default_graph_iri}
        return "?s ?p ?o", {}

    def _no_default_graph(self) -> str:
        return (
            f"{self.layout.server} has no default graph of its own (its queries see every "
            "graph): name a graph with --graph IRI"
        )

    def triple_count(self) -> int:
        """The number of triples in the graph, by a COUNT query."""
        pattern, params = self._pattern()
        result = self._query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", "SELECT", "triple count", params
        )
        rows = list(result)
        try:
            return int(rows[0][0])
        except (IndexError, TypeError, ValueError):
            raise StoreError(f"triple count: the server gave no number: {rows[:1]}") from None

    def fetch(self) -> Graph:
        """The whole graph (CONSTRUCT; in ORDER BY pages where it exceeds the page size)."""
        from rdflib import Graph

        from mktgraph.namespaces import bind_prefixes

        expected = self.triple_count()
        pattern, params = self._pattern()
        graph = bind_prefixes(Graph())
        size = self.layout.page_size
        if expected <= size:
            pages = [f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}"]
        elif self.layout.order_in_subquery:
            pages = [
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ {pattern} }} "
                f"ORDER BY ?s ?p ?o }} }} LIMIT {size} OFFSET {offset}"
                for offset in range(0, expected, size)
            ]
        else:
            pages = [
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }} ORDER BY ?s ?p ?o "
                f"LIMIT {size} OFFSET {offset}"
                for offset in range(0, expected, size)
            ]
        for text in pages:
            page = self._query(text, "CONSTRUCT", "fetch", params).graph
            for triple in page:
                graph.add(triple)
        if len(graph) != expected:
            raise StoreError(
                f"fetch: got {len(graph)} of the graph's {expected} triples (the graph changed "
                "meanwhile, or the server cut its answers)"
            )
        return graph

    # -- loading ------------------------------------------------------------------------------

    def load(
        self,
        paths: Sequence[Path],
        *,
        replace: bool = False,
        protocol: str | None = None,
        progress: Progress | None = None,
        chunk_size: int = DEFAULT_CHUNK,
    ) -> LoadReport:
        """Send RDF files to the graph, streamed in chunks of ``chunk_size`` triples.

        Graph Store Protocol by default: a POST per chunk adds; with ``replace``, one PUT of
        every chunk from a temporary file, which the server applies at once. SPARQL Update with
        ``protocol="update"``, or when the server has no Graph Store endpoint: INSERT DATA in
        chunks of the layout's update size; with ``replace``, into a staging graph then one
        MOVE. The graph's triples are counted by a query afterwards.
        """
        layout = self.layout
        if protocol == "gsp":
            require(layout.gsp_url, "Graph Store endpoint", "--gsp-endpoint")
        chosen = protocol or ("gsp" if layout.gsp_url else "update")
        if chosen == "update":
            require(layout.update_url, "SPARQL Update endpoint", "--update-endpoint")
        if self.graph is None and not layout.gsp_default_graph:
            raise StoreError(self._no_default_graph())
        before = None if replace else self.triple_count()
        self.sent, self.requests = 0, 0
        self._timeout = self.spec.timeout or LOAD_TIMEOUT
        self._progress, self._started = progress, time.monotonic()
        self._last_progress = 0.0
        chunks = _Chunks(iter_chunks(paths, chunk_size))
        try:
            try:
                self._send(chunks, chosen, replace)
            except _NoGraphStore as error:
                if protocol is not None or self.sent or not layout.update_url:
                    raise
                warnings.warn(
                    StoreWarning(f"{error}; sending the data by SPARQL Update instead"),
                    stacklevel=2,
                )
                chosen = "update"
                self._send(chunks, chosen, replace)
        except (StoreError, InputError) as error:
            note = self._failure_note(replace, timed_out=isinstance(error, StoreTimeout))
            raise type(error)(f"{error}; {note}") from None
        finally:
            chunks.close()
            self._timeout = self.spec.timeout or DEFAULT_TIMEOUT
        after = self.triple_count()
        report = LoadReport(
            graph=self.graph,
            sent=self.sent,
            triples_before=before,
            triples_after=after,
            protocol=chosen,
            requests=self.requests,
            replaced=replace,
        )
        if replace and after != self.sent:
            warnings.warn(
                StoreWarning(
                    f"{self.sent} triples were sent but {report.where} holds {after}: the data "
                    "repeat triples, or the store merged equal values"
                ),
                stacklevel=2,
            )
        return report

    def _failure_note(self, replace: bool, *, timed_out: bool = False) -> str:
        if timed_out:
            return f"{self.sent} triples were sent; the server may still apply the last request"
        if not self.sent:
            return "nothing was sent, the graph is as it was"
        if replace:
            return f"{self.sent} triples were sent; with --replace the graph is left as it was"
        return f"{self.sent} triples were sent before the failure, and the graph may hold them"

    def _sent(self, triples: int) -> None:
        """A request carrying ``triples`` has been answered."""
        self.requests += 1
        self.sent += triples
        if self._progress is not None:
            self._progress(self.sent, time.monotonic() - self._started)

    def _sent_lines(self, triples: int) -> None:
        """Part of a long upload has gone out (N-Triples: one line per triple)."""
        self.sent += triples
        now = time.monotonic()
        if self._progress is not None and now - self._last_progress >= 0.2:
            self._last_progress = now
            self._progress(self.sent, now - self._started)

    def _send(self, chunks: _Chunks, protocol: str, replace: bool) -> None:
        if protocol == "gsp":
            # An empty POST adds nothing: it finds out whether the Graph Store is there (and
            # lets digest authentication get its challenge) before any data is read.
            self._gsp("POST", self.graph, b"", 0, count=False)
            if replace:
                self._gsp_put(chunks)
            else:
                for chunk in chunks:
                    self._gsp("POST", self.graph, chunk.body(), chunk.triples)
            return
        if not replace:
            for chunk in chunks:
                self._insert(chunk, self.graph)
            return
        if chunks.peek() is None:  # nothing to load: the graph becomes empty
            self._update(f"CLEAR SILENT {self._graph_ref(self.graph)}")
            return
        # Fill a fresh graph, then swap it in with one MOVE: the graph changes at once.
        staging = f"urn:mktgraph:load:{uuid.uuid4()}"
        try:
            for chunk in chunks:
                self._insert(chunk, staging)
            self._update(f"MOVE SILENT GRAPH <{staging}> TO {self._graph_ref(self.graph)}")
        except BaseException:
            with contextlib.suppress(StoreError):
                self._update(f"DROP SILENT GRAPH <{staging}>")
            raise

    def _gsp_put(self, chunks: _Chunks) -> None:
        """One PUT of every chunk, from a temporary file (memory stays bounded): the server
        replaces the graph in one transaction, so a failure leaves it as it was."""
        base = self.sent
        with tempfile.TemporaryFile() as spool:
            triples = 0
            for chunk in chunks:
                body = chunk.body()
                if isinstance(body, bytes):
                    spool.write(body)
                else:
                    with body:
                        shutil.copyfileobj(body, spool)
                triples += chunk.triples
            spool.seek(0)
            upload = _Upload(spool, self._sent_lines)
            self._gsp("PUT", self.graph, upload, triples, count=False)
        self.sent = base  # the upload counted lines as they went; now the whole request
        self._sent(triples)

    @staticmethod
    def _graph_ref(graph: str | None) -> str:
        return f"GRAPH <{graph}>" if graph else "DEFAULT"

    def _gsp(
        self, method: str, graph: str | None, body: Any, triples: int, *, count: bool = True
    ) -> None:
        url = require(self.layout.gsp_url, "Graph Store endpoint", "--gsp-endpoint")
        separator = "&" if "?" in url else "?"
        target = f"graph={quote(graph, safe='')}" if graph else "default"
        try:
            self._request(
                method, f"{url}{separator}{target}", data=body, headers={"Content-Type": NTRIPLES}
            ).close()
        finally:
            if hasattr(body, "close"):
                body.close()
        if count:
            self._sent(triples)

    def _update(self, text: str | bytes | Any) -> None:
        url = require(self.layout.update_url, "SPARQL Update endpoint", "--update-endpoint")
        body = text.encode("utf-8") if isinstance(text, str) else text
        try:
            self._request("POST", url, data=body, headers={"Content-Type": SPARQL_UPDATE}).close()
        finally:
            if hasattr(body, "close"):
                body.close()

    def _insert(self, chunk: Chunk, graph: str | None) -> None:
        """INSERT DATA in pieces of the server's update size; a blank-node chunk in one
        INSERT ... WHERE {} (INSERT DATA may not hold blank nodes on every server, and one
        request keeps each blank node one node)."""
        open_graph = f"GRAPH <{graph}> {{\n".encode() if graph else b""
        close_graph = b"}\n" if graph else b""
        if chunk.blank_nodes:
            self._update(chunk.body(b"INSERT {\n" + open_graph, close_graph + b"} WHERE {}"))
            self._sent(chunk.triples)
            return
        for triples, data in chunk.parts(self.layout.update_chunk):
            self._update(b"INSERT DATA {\n" + open_graph + data + close_graph + b"}")
            self._sent(triples)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._session.close()

    def __enter__(self) -> HttpStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- answers as rdflib objects ------------------------------------------------------------------


def _parse_results(response: Answer, source: str) -> Result:
    """A SELECT or ASK answer as an rdflib Result; xsd:string literals made plain, as
    mktgraph's local results have them (RDF 1.1 makes them one and the same)."""
    from rdflib import Literal
    from rdflib.namespace import XSD
    from rdflib.query import Result

    media = response.media_type
    fmt = {
        "application/sparql-results+json": "json",
        "application/json": "json",
        "application/sparql-results+xml": "xml",
        "application/xml": "xml",
        "text/xml": "xml",
    }.get(media)
    if fmt is None:
        raise StoreError(
            f"{source}: the server answered in {media or 'no media type'}, "
            "not in a SPARQL results format"
        )
    try:
        result = Result.parse(response.body, format=fmt)
    except Exception as error:  # the parsers raise many kinds
        raise StoreError(f"{source}: cannot read the server's answer: {error}") from None
    if result.type == "SELECT":
        for row in result.bindings:
            for variable, value in row.items():
                if isinstance(value, Literal) and value.datatype == XSD.string:
                    row[variable] = Literal(str(value))
    return result


def _parse_graph(response: Answer, source: str) -> Graph:
    """A CONSTRUCT or DESCRIBE answer as an rdflib Graph with mktgraph's prefixes; blank
    nodes keep the server's labels, so pages of one graph join up."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from mktgraph.graph import to_rdflib
    from mktgraph.namespaces import bind_prefixes

    media = response.media_type
    fmt = ox.RdfFormat.from_media_type(media) if media else None
    if fmt is None:
        raise StoreError(
            f"{source}: the server answered in {media or 'no media type'}, not in an RDF format"
        )
    graph = bind_prefixes(Graph())
    add = graph.add
    try:
        for quad in ox.parse(response.body, fmt):
            add((to_rdflib(quad.subject), URIRef(quad.predicate.value), to_rdflib(quad.object)))
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"{source}: cannot read the server's answer: {error}") from None
    return graph
