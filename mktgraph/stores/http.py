"""A SPARQL server over HTTP: SPARQL 1.1 Protocol queries, Update, and the Graph Store Protocol."""

from __future__ import annotations

import contextlib
import html
import os
import re
import signal
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
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
from mktgraph.stores.chunks import (
    DEFAULT_CHUNK,
    GENID,
    Chunk,
    is_skolem,
    iter_chunks,
    unskolemise,
)
from mktgraph.stores.discovery import (
    SD_ACCEPT,
    ServiceInfo,
    base_for,
    candidates,
    kind_from_headers,
    read_service_description,
)
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
# Each staging graph holds this one triple besides the data (removed by the request that swaps
# it in), so that a load can find staging graphs left behind with one cheap query.
STAGING_MARK = "urn:mktgraph:load"
STAGING_SINCE = "urn:mktgraph:stagingSince"
CLEANUP_TIMEOUT = 15.0  # seconds for dropping a staging graph and counting after a failure
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
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


class Interrupted(StoreError):
    """Ctrl-C (exit 130) or SIGTERM (exit 143) during a load, after its clean-up."""

    def __init__(self, message: str, exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _Terminated(BaseException):
    """SIGTERM arrived (raised in the main thread, so that clean-up code runs)."""


class _Stopper:
    """SIGINT and SIGTERM during a load: raised at once, or, while a request that fills or swaps
    the staging graph is with the server, when its answer arrives. A request cut off after its
    body has gone out may still be applied by the server after mktgraph dropped the staging
    graph; waiting for it (a chunk takes seconds) makes the clean-up final. A second signal
    stops at once."""

    def __init__(self) -> None:
        self.deferring = False
        self.pending: int | None = None

    def installed(self) -> contextlib.AbstractContextManager[None]:
        return _stop_signals_handled(self._handle)

    def _handle(self, number: int, _frame: Any) -> None:
        if self.deferring and self.pending is None:
            self.pending = number
            return
        _raise_for(number)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Signals wait meanwhile; raised on the way out."""
        self.deferring = True
        try:
            yield
        finally:
            self.deferring = False
        if self.pending is not None:
            number, self.pending = self.pending, None
            _raise_for(number)


def _raise_for(number: int) -> None:
    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise _Terminated


@contextlib.contextmanager
def _stop_signals_handled(handler: Any) -> Iterator[None]:
    """SIGINT and SIGTERM go to ``handler`` meanwhile (in the main thread: only it gets signals),
    then to their handlers of before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, handler) for number in _STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler_before in previous.items():
            signal.signal(number, handler_before)


def _uninterrupted() -> contextlib.AbstractContextManager[None]:
    """SIGINT and SIGTERM ignored meanwhile (a second Ctrl-C must not stop the clean-up)."""
    return _stop_signals_handled(signal.SIG_IGN)


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
        self.bytes_received = 0  # bodies of the server's answers, all requests together
        self.wire_bytes_received = 0  # the same as they came (gzip-compressed, where sent so)
        self._blank_labels: dict[str, Any] = {}  # the server's blank node labels, as terms
        self._last_max_rows: int | None = None  # the X-SPARQL-MaxRows of the last answer
        self._union: bool | None = None  # the default graph is the union (None: not known yet)
        # Graphs that queries read together with the store's graph, as their default graph
        # (its inference graph, for --reason: mktgraph.reason_server).
        self.also_read: tuple[str, ...] = ()

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
            self.bytes_received += answer.size
            self.wire_bytes_received += answer.wire_size
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

    def query(
        self,
        text: str,
        source: str = "query",
        *,
        allow_service: bool = False,
        allow_partial: bool = False,
    ) -> Result:
        """Run a checked, read-only query on the server (SPARQL 1.1 Protocol, POST form) and
        return its whole answer.

        Where the server has no row cap, one streamed request. Where it cuts answers (the
        layout's ``row_cap``, or an ``X-SPARQL-MaxRows`` header) and the answer reached the cut,
        a SELECT is asked again in pages (its own order made total by every projected variable,
        LIMIT and OFFSET over it as a subquery) until a page comes back short. An answer that
        stays cut is an error, or with ``allow_partial`` a warning. Where the server writes
        booleans as 1 and 0 (``layout.integer_booleans``), the variables the query binds to a
        boolean expression get ``true`` and ``false`` back.
        """
        from mktgraph.queries import check_query

        form = check_query(text, source, allow_service=allow_service)
        result = self._whole_answer(text, form, source, allow_partial)
        if form == "SELECT" and self.layout.integer_booleans:
            from mktgraph.stores.booleans import boolean_variables, booleans_from_integers

            booleans_from_integers(result, boolean_variables(text))
        return result

    def _whole_answer(self, text: str, form: str, source: str, allow_partial: bool) -> Result:
        # The store's graph becomes the query's default graph (SPARQL 1.1 Protocol).
        params = {"default-graph-uri": [self.graph, *self.also_read]} if self.graph else None
        cap = self.layout.row_cap
        if form == "SELECT" and cap is not None:
            # A slice beyond the cap: Virtuoso refuses the query itself (SR353), so page at once.
            variables = projected_variables(text)
            paging = paged_query(text, variables) if variables else None
            if paging and paging.limit is not None and paging.start + paging.limit > cap:
                return self._pages(paging, variables, cap, source, params)
        result, cut = self._answer(text, form, source, params)
        if cut is None:
            return result
        if form == "SELECT":
            variables = [str(v) for v in result.vars or ()]
            paging = paged_query(text, variables)
            if paging is not None:
                return self._pages(paging, variables, cut, source, params)
            why = "its text cannot be paged (VALUES after the WHERE clause)"
        else:
            why = f"a {form} answer cannot be paged; ask for fewer triples"
        message = (
            f"{source}: the server cut its answer at {cut} "
            f"{'rows' if form == 'SELECT' else 'triples'} (its own limit, such as Virtuoso's "
            f"ResultSetMaxRows), and {why}"
        )
        if not allow_partial:
            raise StoreError(f"{message}; --allow-partial accepts the partial answer")
        warnings.warn(StoreWarning(f"{message}: the answer is partial"), stacklevel=2)
        return result

    def _pages(
        self, paging: Paging, variables: list[str], size: int, source: str, params
    ) -> Result:
        """Every page of a SELECT answer, joined into one Result with ``variables``."""
        from rdflib import Variable
        from rdflib.query import Result

        rows: list = []
        offset = paging.start
        while paging.limit is None or len(rows) < paging.limit:
            wanted = size if paging.limit is None else min(size, paging.limit - len(rows))
            page, _cut = self._answer(paging.page(offset, wanted), "SELECT", source, params)
            rows.extend(page.bindings)
            if len(page.bindings) < wanted:
                break
            offset += wanted
        result = Result("SELECT")
        result.vars = [Variable(v) for v in variables]
        result.bindings = rows
        return result

    def _answer(
        self,
        text: str,
        form: str,
        source: str,
        params: dict | None = None,
    ) -> tuple[Result, int | None]:
        """The server's answer, and the row (or triple) count at which the server cut it, or
        None when it is whole."""
        result = self._query(text, form, source, params)
        if form == "ASK":  # a boolean: nothing to cut (and no bindings to count)
            return result, None
        cut = self._last_max_rows or self.layout.row_cap
        size = len(result.graph) if form in ("CONSTRUCT", "DESCRIBE") else len(result.bindings)
        if cut is None or size < cut:
            return result, None
        return result, cut

    def _query(self, text: str, form: str, source: str, params: dict | None = None) -> Result:
        with contextlib.closing(self._post_query(text, form, source, params)) as response:
            if form in ("SELECT", "ASK"):
                return _parse_results(response, source)
            from rdflib.query import Result

            result = Result(form)
            result.graph = _parse_graph(response, source)
            return result

    def _post_query(self, text: str, form: str, source: str, params: dict | None) -> Answer:
        """The server's answer to a query (its status checked; the caller closes it)."""
        data = {"query": text, **(params or {})}
        accept = RESULTS_ACCEPT if form in ("SELECT", "ASK") else GRAPH_ACCEPT
        try:
            response = self._request(
                "POST", self.layout.query_url, data=data, headers={"Accept": accept}
            )
        except StoreError as error:
            raise StoreError(f"{source}: {error}") from None
        limit = response.headers.get("X-SPARQL-MaxRows", "")
        self._last_max_rows = int(limit) if limit.isdigit() and int(limit) > 0 else None
        return response

    def select_terms(
        self, text: str, source: str = "query", *, named_graphs: Sequence[str] = ()
    ) -> tuple[list[str], list[tuple]]:
        """A SELECT query's variables and rows, the terms as pyoxigraph terms (no rdflib on the
        way: for many rows). The store's graph is the query's default graph; ``named_graphs``
        are the graphs its GRAPH clauses may read. The query is sent as it is (not checked:
        for queries mktgraph writes itself); the rows are the server's, not paged."""
        import json

        params: dict[str, Any] = {"query": text}
        if self.graph:
            params["default-graph-uri"] = [self.graph, *self.also_read]
            if named_graphs:
                params["named-graph-uri"] = list(named_graphs)
        elif self.layout.union_default_graph and self.layout.default_graph_iri:
            params["default-graph-uri"] = self.layout.default_graph_iri
            if named_graphs:
                params["named-graph-uri"] = list(named_graphs)
        tsv = self.layout.select_results == "tsv"
        accept = "text/tab-separated-values" if tsv else "application/sparql-results+json"
        try:
            response = self._request(
                "POST", self.layout.query_url, data=params, headers={"Accept": accept}
            )
        except StoreError as error:
            raise StoreError(f"{source}: {error}") from None
        if tsv and response.media_type == "text/tab-separated-values":
            import pyoxigraph as ox

            with contextlib.closing(response):
                response.body.seek(0)
                try:
                    answer = ox.parse_query_results(response.body.read(), ox.QueryResultsFormat.TSV)
                    names = [variable.value for variable in answer.variables]
                    rows = [tuple(solution) for solution in answer]
                except (SyntaxError, ValueError) as error:
                    raise StoreError(
                        f"{source}: cannot read the server's answer: {error}"
                    ) from None
            return names, rows
        with contextlib.closing(response):
            if response.media_type not in ("application/sparql-results+json", "application/json"):
                raise StoreError(
                    f"{source}: the server answered in {response.media_type or 'no media type'}"
                    ", not in SPARQL JSON results"
                )
            try:
                response.body.seek(0)
                answer = json.load(response.body)
                names = list(answer["head"]["vars"])
                bindings = answer["results"]["bindings"]
            except (ValueError, KeyError, TypeError) as error:
                raise StoreError(f"{source}: cannot read the server's answer: {error}") from None
        term = self._json_term
        rows = [tuple(term(binding.get(name)) for name in names) for binding in bindings]
        return names, rows

    def _json_term(self, value: dict | None) -> Any:
        """A term of SPARQL JSON results as a pyoxigraph term (blank nodes named by label)."""
        import pyoxigraph as ox

        if value is None:
            return None
        kind = value.get("type")
        text = value.get("value", "")
        if kind == "uri":
            return ox.NamedNode(text)
        if kind == "bnode":
            node = self._blank_labels.get(text)
            if node is None:
                node = self._blank_labels[text] = ox.BlankNode()
                self._blank_labels[node.value] = text
            return node
        if kind in ("literal", "typed-literal"):
            if "xml:lang" in value:
                return ox.Literal(text, language=value["xml:lang"])
            if "datatype" in value:
                return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
            return ox.Literal(text)
        raise StoreError(f"the server answered a term of unknown type {kind!r}")

    def insert_quads(self, quads: Sequence[Any], *, clear: Sequence[str] = ()) -> int:
        """Add quads (pyoxigraph, each in a named graph, no blank nodes) by SPARQL Update
        INSERT DATA, in requests of the layout's update size, after clearing the graphs
        ``clear``; how many quads were sent."""
        url = require(self.layout.update_url, "SPARQL Update endpoint", "--update-endpoint")
        del url  # checked here, used by _update
        for name in clear:
            self._update(f"CLEAR SILENT GRAPH <{name}>")
        size = max(1, self.layout.update_chunk)
        for start in range(0, len(quads), size):
            lines = "\n".join(
                f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                for q in quads[start : start + size]
            )
            self._update(f"INSERT DATA {{\n{lines}\n}}")
        return len(quads)

    def blank_node_reference(self, node: Any) -> str | None:
        """SPARQL text naming a blank node of an answer in a later query, where the server
        allows it (``Layout.blank_node_iri``: Virtuoso's ``<nodeID://...>``); else None."""
        label = self._blank_labels.get(getattr(node, "value", None))
        if (
            label is None
            or not self.layout.blank_node_iri
            or not label.startswith(self.layout.blank_node_iri)
        ):
            return None
        return f"<{label}>"

    def _pattern(self) -> tuple[str, dict[str, str]]:
        """The graph pattern matching every triple of the store's graph, and query parameters."""
        if self.graph:
            return f"GRAPH <{self.graph}> {{ ?s ?p ?o }}", {}
        if self.union_default_graph():
            if not self.layout.default_graph_iri:
                raise StoreError(self._no_default_graph())
            return "?s ?p ?o", {"default-graph-uri": self.layout.default_graph_iri}
        return "?s ?p ?o", {}

    def _no_default_graph(self) -> str:
        if self.layout.union_default_graph:
            return (
                f"{self.layout.server} has no default graph of its own (its queries see every "
                "graph): name a graph with --graph IRI"
            )
        return (
            "the server's queries see every graph as the default graph (its Service "
            "Description has sd:UnionDefaultGraph): name a graph with --graph IRI"
        )

    def union_default_graph(self) -> bool:
        """Whether a query without a graph sees every graph: from the layout (Virtuoso,
        GraphDB), else from the server's Service Description (read once; an Oxigraph server
        started with --union-default-graph says so there)."""
        if self.layout.union_default_graph:
            return True
        if self._union is None:
            self._union = self.spec.union_default_graph
        if self._union is None:
            try:
                with self._deadline(min(self._timeout, 10.0)):
                    answer = self._request(
                        "GET", self.layout.query_url, headers={"Accept": SD_ACCEPT}
                    )
                with contextlib.closing(answer):
                    self._union = read_service_description(answer)[1]
            except StoreError:
                self._union = False  # no description: the standard default graph
        return self._union

    def triple_count(self) -> int:
        """The number of triples in the graph, by a COUNT query; the default graph of a server
        whose queries see every graph and that has no name for it, by the lines of a Graph
        Store GET of it (N-Triples: a triple a line)."""
        if self.graph is None and self.union_default_graph() and not self.layout.default_graph_iri:
            if self.layout.gsp_url and self.layout.gsp_default_graph:
                return self._count_by_graph_store()
            raise StoreError(self._no_default_graph())
        pattern, params = self._pattern()
        result = self._query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", "SELECT", "triple count", params
        )
        rows = list(result)
        try:
            return int(rows[0][0])
        except (IndexError, TypeError, ValueError):
            raise StoreError(f"triple count: the server gave no number: {rows[:1]}") from None

    def _count_by_graph_store(self) -> int:
        url = require(self.layout.gsp_url, "Graph Store endpoint", "--gsp-endpoint")
        separator = "&" if "?" in url else "?"
        try:
            answer = self._request("GET", f"{url}{separator}default", headers={"Accept": NTRIPLES})
        except StoreError as error:
            raise StoreError(f"triple count: {error}") from None
        with contextlib.closing(answer):
            if answer.media_type != NTRIPLES:
                media = answer.media_type or "no media type"
                raise StoreError(
                    f"triple count: the Graph Store answered in {media}, not N-Triples"
                )
            answer.body.seek(0)
            blocks = iter(lambda: answer.body.read(1 << 20), b"")
            return sum(block.count(b"\n") for block in blocks)

    def warn_if_empty(self) -> bool:
        """Warn (StoreWarning) when the graph holds no triple: a misspelt --graph IRI, or
        data not loaded yet. Whether it is empty."""
        if self.triple_count():
            return False
        where = f"graph <{self.graph}>" if self.graph else "the default graph"
        warnings.warn(
            StoreWarning(
                f"{where} of {redact_url(self.layout.query_url)} holds no triples "
                "(is the --graph IRI right? load data with `mktgraph load`)"
            ),
            stacklevel=2,
        )
        return True

    def triples(self) -> Iterator[Any]:
        """Every triple of the graph as pyoxigraph triples, a page at a time (CONSTRUCT, in
        ORDER BY pages where the graph exceeds the server's page size): memory stays bounded.
        Blank nodes keep the server's labels, so the pages of one graph join up."""
        expected = self.triple_count()
        pattern, params = self._pattern()
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
        got = 0
        for text in pages:
            with contextlib.closing(self._post_query(text, "CONSTRUCT", "fetch", params)) as page:
                for triple in _parse_triples(page, "fetch"):
                    got += 1
                    yield triple
        if got != expected:
            raise StoreError(
                f"fetch: got {got} of the graph's {expected} triples (the graph changed "
                "meanwhile, or the server cut its answers)"
            )

    def fetch(self) -> Graph:
        """The whole graph as an rdflib Graph (only for graphs that fit in memory)."""
        from rdflib import Graph

        from mktgraph.namespaces import bind_prefixes

        graph = bind_prefixes(Graph())
        _add_triples(graph, self.triples())
        return graph

    def export(self, output: IO[bytes], fmt: str = "turtle", *, extra: Any = None) -> None:
        """Stream the graph as the server holds it (then the pyoxigraph triples of ``extra``,
        if given) to a binary file, a page at a time; N-Quads of it are its N-Triples lines."""
        import itertools

        import pyoxigraph as ox

        from mktgraph.formats import GRAPH_FORMATS
        from mktgraph.graph import ox_format
        from mktgraph.namespaces import PREFIXES

        if fmt not in GRAPH_FORMATS:
            raise InputError(
                f"unknown export format {fmt!r}; expected one of {', '.join(GRAPH_FORMATS)}"
            )
        prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        triples = itertools.chain(self.triples(), extra or ())
        ox_fmt = ox_format("nt" if fmt == "nquads" else fmt)
        ox.serialize(triples, output, ox_fmt, prefixes=prefixes)

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

        Graph Store Protocol by default: a POST per chunk adds. SPARQL Update with
        ``protocol="update"``, or when the server has no Graph Store endpoint: INSERT DATA in
        chunks of the layout's update size. With ``replace``, where the server's Graph Store
        PUT is one transaction (``layout.atomic_put``), one PUT of every chunk from a temporary
        file; elsewhere the chunks fill a staging graph ``urn:mktgraph:load:<uuid>`` that one
        Update request MOVEs onto the graph. On any failure, Ctrl-C or SIGTERM the staging graph
        is dropped and the message says what the graph holds, by a count. Staging graphs left
        by a load that could not clean up are named in a warning. The graph's triples are
        counted by a query afterwards.
        """
        layout = self.layout
        if protocol == "gsp":
            require(layout.gsp_url, "Graph Store endpoint", "--gsp-endpoint")
        chosen = protocol or ("gsp" if layout.gsp_url else "update")
        if chosen == "update":
            require(layout.update_url, "SPARQL Update endpoint", "--update-endpoint")
        if self.graph is None and not layout.gsp_default_graph:
            raise StoreError(self._no_default_graph())
        before = self.triple_count()
        self.warn_leftover_staging()
        self.sent, self.requests, self.swapped_by = 0, 0, None
        self._staging: str | None = None
        self._stopper = _Stopper()
        self._timeout = self.spec.timeout or LOAD_TIMEOUT
        self._progress, self._started = progress, time.monotonic()
        self._last_progress = 0.0
        chunks = _Chunks(iter_chunks(paths, chunk_size))
        try:
            with self._stopper.installed():
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
        except BaseException as error:
            self._timeout = self.spec.timeout or DEFAULT_TIMEOUT
            note = self._recover(replace, before, timed_out=isinstance(error, StoreTimeout))
            if isinstance(error, (StoreError, InputError)):
                raise type(error)(f"{error}; {note}") from None
            if isinstance(error, (KeyboardInterrupt, _Terminated)):
                raise Interrupted(
                    f"{'interrupted' if isinstance(error, KeyboardInterrupt) else 'terminated'}"
                    f"; {note}",
                    exit_code=130 if isinstance(error, KeyboardInterrupt) else 143,
                ) from None
            raise
        finally:
            chunks.close()
            self._timeout = self.spec.timeout or DEFAULT_TIMEOUT
        after = self.triple_count()
        report = LoadReport(
            files=len(paths),
            graph=self.graph,
            sent=self.sent,
            triples_before=None if replace else before,
            triples_after=after,
            protocol=chosen,
            requests=self.requests,
            replaced=replace,
            swapped_by=self.swapped_by,
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

    # -- staging graphs and what a failed load leaves -------------------------------------------

    def leftover_staging(self) -> list[tuple[str, str]]:
        """Staging graphs of loads that did not finish: (graph IRI, when it started)."""
        result = self._query(
            f"SELECT ?g ?t WHERE {{ GRAPH ?g {{ <{STAGING_MARK}> <{STAGING_SINCE}> ?t }} }}",
            "SELECT",
            "staging graphs",
        )
        return sorted((str(row[0]), str(row[1])) for row in result)

    def warn_leftover_staging(self) -> None:
        """A warning naming each staging graph left by a load that could not clean up."""
        for graph, since in self.leftover_staging():
            warnings.warn(
                StoreWarning(
                    f"graph <{graph}> is the staging graph of a load started {since} that did "
                    f"not finish; remove it with: DROP GRAPH <{graph}> (unless that load is "
                    "still running)"
                ),
                stacklevel=3,
            )

    def _recover(self, replace: bool, before: int, *, timed_out: bool) -> str:
        """After a failed or interrupted load: drop the staging graph (Ctrl-C ignored for the
        few seconds this takes), count the graph, and say what it holds."""
        notes = []
        with _uninterrupted(), self._deadline(CLEANUP_TIMEOUT):
            staging, self._staging = self._staging, None
            if staging is not None:
                try:
                    self._update(f"DROP SILENT GRAPH <{staging}>")
                except StoreError:
                    notes.append(
                        f"the staging graph <{staging}> could not be removed: `mktgraph load` "
                        f"names it until DROP GRAPH <{staging}> removes it"
                    )
            try:
                now: int | None = self.triple_count()
            except StoreError:
                now = None
        where = f"graph <{self.graph}>" if self.graph else "the default graph"
        if timed_out:
            notes.insert(0, "the server may still apply the last request")
        sent = f"{self.sent} triples were sent" if self.sent else "nothing was sent"
        if now is None:
            state = (
                f"{sent}; what {where} holds could not be counted (it held {before} triples before)"
            )
        elif now == before and (replace or not self.sent):
            state = f"{sent}; {where} is as it was: {now} triples, by a count"
        else:
            state = f"{sent}; {where} now holds {now} triples, by a count (before: {before})"
        return "; ".join([state, *notes])

    @contextlib.contextmanager
    def _deadline(self, seconds: float) -> Iterator[None]:
        saved, self._timeout = self._timeout, min(self._timeout, seconds)
        try:
            yield
        finally:
            self._timeout = saved

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
        if not replace:
            for chunk in chunks:
                if protocol == "gsp":
                    self._gsp("POST", self.graph, chunk.body(), chunk.triples)
                else:
                    self._insert(chunk, self.graph)
            return
        if protocol == "gsp" and (self.layout.atomic_put or not self.layout.update_url):
            if not self.layout.atomic_put:
                warnings.warn(
                    StoreWarning(
                        "no SPARQL Update endpoint to swap a staging graph in with: --replace "
                        "is one Graph Store PUT, which this server may not apply atomically "
                        "(give --update-endpoint URL for an atomic swap)"
                    ),
                    stacklevel=3,
                )
            self._gsp_put(chunks)
            return
        self._stage_and_swap(chunks, protocol)

    def _stage_and_swap(self, chunks: _Chunks, protocol: str) -> None:
        """Fill a fresh staging graph, then MOVE it onto the graph in one Update request (one
        transaction on Virtuoso and Oxigraph: a server killed during it comes back with the old
        graph or the new one, checked by tests/integration/test_server_replace.py)."""
        staging = f"urn:mktgraph:load:{uuid.uuid4()}"
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        mark = f'<{STAGING_MARK}> <{STAGING_SINCE}> "{started}" .'
        # The mark goes with every request that fills the graph: a request the server finishes
        # after mktgraph dropped the graph (it was cut off mid-upload) leaves a marked graph,
        # which the next load names.
        marked = f"{mark}\n".encode()
        self._staging = staging
        deferred = self._stopper.deferred
        with deferred():
            self._update(f"INSERT DATA {{ GRAPH <{staging}> {{ {mark} }} }}")
        for chunk in chunks:
            if protocol == "gsp":
                with deferred():
                    self._gsp("POST", staging, chunk.body(suffix=marked), chunk.triples)
            else:
                self._insert(chunk, staging, marked, deferred)
        target = self._graph_ref(self.graph)
        in_target = f"GRAPH <{self.graph}> {{ {mark} }}" if self.graph else mark
        with deferred():
            self._update(
                f"MOVE SILENT GRAPH <{staging}> TO {target} ;\nDELETE DATA {{ {in_target} }}"
            )
            self._staging = None
            self.swapped_by = "MOVE"

    def _gsp_put(self, chunks: _Chunks) -> None:
        """One PUT of every chunk, from a temporary file (memory stays bounded): the server
        replaces the graph in one transaction, so a failure leaves it as it was."""
        base = self.sent
        with tempfile.TemporaryFile() as spool:
            triples = 0
            for chunk in chunks:
                spool.write(chunk.body())
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

    def _insert(
        self,
        chunk: Chunk,
        graph: str | None,
        extra: bytes = b"",
        around: Callable[[], Any] = contextlib.nullcontext,
    ) -> None:
        """INSERT DATA in pieces of the server's update size (blank nodes are skolem IRIs by
        now, so any piece stands alone), each with the triples of ``extra`` too, each request
        inside the context ``around`` gives."""
        open_graph = f"GRAPH <{graph}> {{\n".encode() if graph else b""
        close_graph = b"}\n" if graph else b""
        for triples, data in chunk.parts(self.layout.update_chunk):
            with around():
                self._update(b"INSERT DATA {\n" + open_graph + data + extra + close_graph + b"}")
                self._sent(triples)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._session.close()

    def __enter__(self) -> HttpStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def discover(url: str, timeout: float = DEFAULT_TIMEOUT) -> ServiceInfo:
    """What the server at ``url`` (its base URL or its query URL) says it is: the kind its
    Server header names, and its Service Description's features (``--server auto``)."""
    import requests

    where = redact_url(url)
    found_kind, header, union, described = None, "", False, False
    with transport.session() as http:
        http.headers["User-Agent"] = f"mktgraph/{__version__}"
        reached = False
        for candidate in candidates(url):
            try:
                answer = transport.fetch(
                    http,
                    "GET",
                    candidate,
                    deadline=timeout,
                    max_response=4 << 20,
                    headers={"Accept": SD_ACCEPT},
                )
            except (requests.exceptions.RequestException, transport.TooLarge):
                continue
            except (transport.DeadlinePassed, transport.ConnectionLost):
                continue
            reached = True
            with contextlib.closing(answer):
                kind = kind_from_headers(answer.headers)
                header = header or answer.headers.get("Server", "")
                found_kind = found_kind or kind
                is_description, has_union = read_service_description(answer)
            if is_description:
                described, union = True, has_union
                break
    if not reached:
        raise StoreError(f"--server auto: cannot reach {where} to ask what server it is")
    return ServiceInfo(
        kind=found_kind,
        base_url=base_for(found_kind, url) if found_kind else url,
        server_header=header,
        described=described,
        union_default_graph=union,
    )


# -- paging ------------------------------------------------------------------------------------

_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n|(?i:PREFIX)\s+[\w.-]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*")
_LIMIT_OFFSET = re.compile(r"(?is)(?:\s*\b(?:LIMIT|OFFSET)\s+\d+)+\s*\Z")
_TRAILING_VALUES = re.compile(r"(?i)\bVALUES\b[^{}]*\{[^{}]*\}\s*\Z")
_COMMENT_LINE = re.compile(r"(?m)#[^\n<>\"']*$")


def projected_variables(text: str) -> list[str]:
    """The variables a SELECT query projects, in order (parsed by rdflib); [] if unknown."""
    try:
        from rdflib.plugins.sparql import prepareQuery

        algebra = prepareQuery(text).algebra
    except Exception:  # the server will say what is wrong with the query
        return []
    return [str(v) for v in algebra.get("PV", [])]


@dataclass(frozen=True)
class Paging:
    """How to ask for a SELECT answer a page at a time: the text of a page, and the slice of
    the solutions the query itself asks for (its OFFSET, and its LIMIT or None)."""

    page: Callable[[int, int], str]  # (offset, rows) -> query text
    start: int = 0
    limit: int | None = None


def paged_query(text: str, variables: Sequence[str]) -> Paging | None:
    """How to page ``text``'s answer, or None when its text cannot be paged safely.

    The query, without its own LIMIT and OFFSET, goes into a subquery whose order is made
    total: its own ORDER BY keys first (so rows come in the order it asks for), then every
    projected variable (so no two pages share or skip a row). The outer query takes a LIMIT and
    OFFSET of it (Virtuoso keeps a subquery's order that way: its "scrollable cursor"); the
    query's own OFFSET and LIMIT become the first offset and the total.
    """
    prologue = _PROLOGUE.match(text)
    head = prologue.group(0) if prologue else ""
    body = _COMMENT_LINE.sub("", text[len(head) :]).rstrip()
    if _TRAILING_VALUES.search(body):
        return None
    close = body.rfind("}")
    if close < 0 or not variables:
        return None
    tail = body[close + 1 :]
    modifiers = _LIMIT_OFFSET.search(tail)
    slicing = modifiers.group(0) if modifiers else ""
    ordering = tail[: len(tail) - len(slicing)] if slicing else tail
    limit = re.search(r"(?i)\bLIMIT\s+(\d+)", slicing)
    offset = re.search(r"(?i)\bOFFSET\s+(\d+)", slicing)
    keys = " ".join(f"?{v}" for v in variables)
    if re.search(r"(?i)\bORDER\s+BY\b", ordering):
        ordering = f"{ordering.rstrip()} {keys}"
    else:
        ordering = f"{ordering.rstrip()} ORDER BY {keys}"
    inner = f"{body[: close + 1]}{ordering}"

    def page(start: int, rows: int) -> str:
        return f"{head}SELECT {keys} WHERE {{\n{{ {inner}\n}}\n}} LIMIT {rows} OFFSET {start}"

    return Paging(
        page,
        start=int(offset.group(1)) if offset else 0,
        limit=int(limit.group(1)) if limit else None,
    )


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
                if isinstance(value, Literal):
                    if value.datatype == XSD.string:
                        row[variable] = Literal(str(value))
                else:
                    row[variable] = unskolemise(value)
    return result


def _parse_triples(response: Answer, source: str) -> Iterator[Any]:
    """The triples of a CONSTRUCT or DESCRIBE answer as pyoxigraph triples; blank nodes keep
    the server's labels, and skolem IRIs become blank nodes again, so pages of one graph join
    up."""
    import pyoxigraph as ox

    media = response.media_type
    fmt = ox.RdfFormat.from_media_type(media) if media else None
    if fmt is None:
        raise StoreError(
            f"{source}: the server answered in {media or 'no media type'}, not in an RDF format"
        )

    def unskolemised(term):
        if type(term) is ox.NamedNode and is_skolem(term.value):
            return ox.BlankNode(term.value[len(GENID) :])
        return term

    try:
        for quad in ox.parse(response.body, fmt):
            yield ox.Triple(unskolemised(quad.subject), quad.predicate, unskolemised(quad.object))
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"{source}: cannot read the server's answer: {error}") from None


def _add_triples(graph: Graph, triples: Iterator[Any]) -> None:
    from rdflib import URIRef

    from mktgraph.graph import to_rdflib

    add = graph.add
    for triple in triples:
        subject, obj = to_rdflib(triple.subject), to_rdflib(triple.object)
        add((subject, URIRef(triple.predicate.value), obj))


def _parse_graph(response: Answer, source: str) -> Graph:
    """A CONSTRUCT or DESCRIBE answer as an rdflib Graph with mktgraph's prefixes."""
    from rdflib import Graph

    from mktgraph.namespaces import bind_prefixes

    graph = bind_prefixes(Graph())
    _add_triples(graph, _parse_triples(response, source))
    return graph
