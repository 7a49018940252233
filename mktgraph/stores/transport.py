"""HTTP requests with a total deadline and bounded answers, streamed to a temporary file.

``requests``' own timeout bounds each socket read, so a server that drips one byte a second
holds a client forever. Here a watchdog thread shuts the request's sockets down when its
deadline passes, whatever phase it is in (headers, body, a digest retry). Answers are read
into a spooled temporary file (memory stays small) and refused beyond ``max_response`` bytes.
Answers may come gzip-compressed (Virtuoso compresses its SPARQL results 20 to 60 times);
they are decompressed here, so that both sizes are known: on the wire and as read.
"""

from __future__ import annotations

import contextlib
import socket
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_SPOOL_IN_MEMORY = 8 << 20  # answers beyond 8 MB go to disk
_BLOCK = 1 << 16
_watching = threading.local()


class DeadlinePassed(Exception):
    """The request's deadline passed before the whole answer had arrived."""


class TooLarge(Exception):
    """The answer is larger than the limit it was read with."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class ConnectionLost(Exception):
    """The connection broke before the whole answer had arrived."""


class _Watch:
    """The connections one request uses, shut down by a timer when its deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def add(self, connection: Any) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.expired:
                _shut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                _shut(connection)

    def __enter__(self) -> _Watch:
        _watching.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _watching.current = None


def _shut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _watched(pool_class: type) -> type:
    class Pool(pool_class):
        def _get_conn(self, timeout: float | None = None) -> Any:
            connection = super()._get_conn(timeout)
            watch = getattr(_watching, "current", None)
            if watch is not None:
                watch.add(connection)
            return connection

    Pool.__name__ = f"Watched{pool_class.__name__}"
    return Pool


_POOLS = {"http": _watched(HTTPConnectionPool), "https": _watched(HTTPSConnectionPool)}


class _WatchedAdapter(HTTPAdapter):
    """An adapter whose connections the request's watchdog can shut down."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)


def session() -> requests.Session:
    """A requests session whose requests :func:`fetch` can cut off at their deadline."""
    made = requests.Session()
    # The one compression this module decodes itself (_blocks), counting the bytes on the wire.
    made.headers["Accept-Encoding"] = "gzip"
    for prefix in ("http://", "https://"):
        made.mount(prefix, _WatchedAdapter())
    return made


@dataclass
class Answer:
    """A server's answer: status, headers, and the body in a rewindable temporary file."""

    status: int
    reason: str
    headers: Any
    encoding: str | None
    body: IO[bytes] = field(repr=False)
    size: int
    wire_size: int = 0  # the body's bytes as they came, compressed or not

    @property
    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def head(self, limit: int = 65536) -> bytes:
        """The first ``limit`` bytes of the body (for an error message)."""
        self.body.seek(0)
        data = self.body.read(limit)
        self.body.seek(0)
        return data

    def close(self) -> None:
        self.body.close()


def fetch(
    http: requests.Session,
    method: str,
    url: str,
    *,
    deadline: float,
    max_response: int,
    read_timeout: float | None = None,
    **kwargs: Any,
) -> Answer:
    """One request, its whole answer read within ``deadline`` seconds and ``max_response``
    bytes. Raises requests' exceptions for connection failures, :class:`DeadlinePassed`,
    :class:`TooLarge` or :class:`ConnectionLost`."""
    started = time.monotonic()
    per_read = min(read_timeout or deadline, deadline)
    with _Watch(deadline) as watch:
        try:
            response = http.request(
                method, url, timeout=per_read, allow_redirects=False, stream=True, **kwargs
            )
        except requests.exceptions.RequestException as error:
            if watch.expired or isinstance(error, requests.exceptions.Timeout):
                raise DeadlinePassed from None
            raise
        try:
            limit = max_response if response.status_code < 400 else 65536
            body, size, wire = _read(response, limit, watch, truncate=response.status_code >= 400)
        finally:
            response.close()
    if watch.expired or time.monotonic() - started > deadline:
        body.close()
        raise DeadlinePassed
    return Answer(
        status=response.status_code,
        reason=response.reason or "",
        headers=response.headers,
        encoding=response.encoding,
        body=body,
        size=size,
        wire_size=wire,
    )


def _read(
    response: Any, limit: int, watch: _Watch, *, truncate: bool
) -> tuple[IO[bytes], int, int]:
    """The body in a spooled file, its size as read and its size on the wire."""
    body = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 (returned)
    size = 0
    wire = [0]
    try:
        for block in _blocks(response, watch, wire):
            size += len(block)
            if size > limit:
                if truncate:
                    body.write(block[: len(block) - (size - limit)])
                    break
                raise TooLarge(limit)
            body.write(block)
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body, min(size, limit), wire[0]


def _blocks(response: Any, watch: _Watch, wire: list[int]) -> Iterator[bytes]:
    """The body's blocks, decompressed; ``wire[0]`` counts the bytes as they came."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity", "gzip"):  # not asked for: urllib3 decodes it
        for block in _raw_blocks(response, watch, decode=True):
            wire[0] += len(block)
            yield block
        return
    # wbits 16 + MAX_WBITS: the gzip format (header and trailer)
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
    try:
        for block in _raw_blocks(response, watch, decode=False):
            wire[0] += len(block)
            yield decoder.decompress(block) if decoder else block
        if decoder:
            yield decoder.flush()
    except zlib.error as error:
        raise ConnectionLost(f"a gzip answer that does not decompress: {error}") from None


def _raw_blocks(response: Any, watch: _Watch, *, decode: bool) -> Iterator[bytes]:
    try:
        yield from response.raw.stream(_BLOCK, decode_content=decode)
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        if watch.expired or "timed out" in str(error).lower():
            raise DeadlinePassed from None
        raise ConnectionLost(str(error)) from None
