"""Triple stores behind one small protocol: where a graph lives, and the library calls on it.

A backend is a class that takes its spec, offers the :class:`Store` methods, and is named in
``_BACKENDS`` (imported only when used, so ``mktgraph --help`` stays instant). The remote
backend (:mod:`mktgraph.stores.http`) speaks the SPARQL 1.1 Protocol, Update and Graph Store
HTTP Protocol to a server whose URLs come from one layout module per server kind
(:mod:`mktgraph.stores.oxigraph`, ``virtuoso``, ``fuseki``, ``graphdb``, ``generic``). The
embedded store (:mod:`mktgraph.stores.embedded`, a folder on disk) is the other backend. What a
command does with a store is in :mod:`mktgraph.sources`.
"""

from __future__ import annotations

import importlib
import ipaddress
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from mktgraph.errors import InputError, MktgraphError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

SERVER_KINDS = ("generic", "oxigraph", "virtuoso", "fuseki", "graphdb")
# --server takes a kind, or "auto": read from the server's Service Description and headers.
SERVER_CHOICES = (*SERVER_KINDS, "auto")
AUTH_SCHEMES = ("basic", "digest")
PROTOCOLS = ("gsp", "update")
DEFAULT_TIMEOUT = 60.0  # seconds a server may take to answer a query
LOAD_TIMEOUT = 600.0  # ... and to apply a large upload (a million triples take a minute)
DEFAULT_MAX_RESPONSE = 1 << 30  # bytes of one answer: 1 GiB (--max-response)
_SIZE_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}

# backend name -> (module, class); each class is built from its spec: cls(spec, graph=...)
_BACKENDS: dict[str, tuple[str, str]] = {
    "http": ("mktgraph.stores.http", "HttpStore"),
    "embedded": ("mktgraph.stores.embedded", "EmbeddedStore"),
}

Progress = Callable[[int, float], None]  # (triples sent so far, seconds since the start)


class StoreError(MktgraphError):
    """A store cannot be reached or refused a request (HTTP status and the server's message)."""


class StoreWarning(UserWarning):
    """Something the user should know that does not stop the command (the CLI prints it)."""


class Store(Protocol):
    """What every backend offers; mktgraph.sources only uses these."""

    def query(self, text: str, source: str = "query", *, allow_service: bool = False) -> Result:
        """Run a read-only SPARQL query; an rdflib Result, rendered like a local one."""

    def triple_count(self) -> int:
        """The number of triples in the graph the store was opened on."""

    def fetch(self) -> Graph:
        """The whole graph as an rdflib Graph (for graphs that fit in memory)."""

    def export(self, output: IO[bytes], fmt: str = "turtle", **options: Any) -> None:
        """Stream the graph to a binary file in one of mktgraph.formats.GRAPH_FORMATS."""

    def load(self, paths: Sequence[Path], **options: Any) -> LoadReport:
        """Add RDF files (streamed, memory bounded); a report of what was done."""

    def close(self) -> None:
        """Release connections, files and locks."""


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP authentication; the password never appears in repr."""

    user: str
    password: str = field(repr=False)
    scheme: str = "basic"


@dataclass(frozen=True)
class EndpointSpec:
    """Where a remote store is and how to talk to it (the CLI's --endpoint option bundle)."""

    url: str
    server: str = "generic"
    update_url: str | None = None
    gsp_url: str | None = None
    credentials: Credentials | None = None
    timeout: float | None = None  # None: DEFAULT_TIMEOUT, or LOAD_TIMEOUT for writes
    max_response: int | None = None  # None: DEFAULT_MAX_RESPONSE
    # What the server's Service Description said (sd:UnionDefaultGraph); None: not read yet.
    union_default_graph: bool | None = None
    backend: str = "http"


@dataclass(frozen=True)
class LoadReport:
    """What a load did, and the triple count of the target graph after it (any backend)."""

    triples_before: int | None  # None when a server's graph was replaced (it does not matter)
    triples_after: int
    replaced: bool = False
    files: int = 0
    graph: str | None = None  # a server's named graph; None: its default graph
    path: str | None = None  # an embedded store's folder; None: a server
    sent: int = 0  # triples sent to a server
    protocol: str | None = None  # how they went: "gsp" or "update"; None: an embedded store
    requests: int = 0  # requests that carried data
    swapped_by: str | None = None  # "MOVE": a staging graph was swapped in by one Update

    @property
    def where(self) -> str:
        if self.path is not None:
            return self.path
        return f"graph <{self.graph}>" if self.graph else "the default graph"

    @property
    def added(self) -> int:
        """Triples the graph gained (after minus before)."""
        return self.triples_after - (self.triples_before or 0)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (localhost, 127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_size(text: str, flag: str = "--max-response") -> int:
    """A size such as ``1G``, ``500M``, ``64k`` or ``1000`` (bytes), in bytes (powers of 1024)."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:i?[bB])?\s*", text)
    if not match or float(match.group(1)) <= 0:
        raise InputError(f"{flag} {text!r}: expected a size such as 1G, 500M or 64K")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).upper()])


def size_text(size: int) -> str:
    """``size`` bytes in the units --max-response takes (1G, 500M, 64K, 100 bytes)."""
    for unit in ("T", "G", "M", "K"):
        if size >= _SIZE_UNITS[unit] and size % _SIZE_UNITS[unit] == 0:
            return f"{size // _SIZE_UNITS[unit]}{unit}"
    return f"{size} bytes"


def _check_url(url: str, flag: str) -> str:
    from mktgraph.stores.redact import redact_url

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{flag} {redact_url(url)!r}: expected an http:// or https:// URL")
    if parts.username or parts.password:
        raise InputError(
            f"{flag}: put no user or password in the URL; use --user NAME and "
            "--password-env VAR (the password is read from that environment variable)"
        )
    return url


def endpoint_spec(
    url: str,
    *,
    server: str | None = None,
    update_url: str | None = None,
    gsp_url: str | None = None,
    user: str | None = None,
    password_env: str | None = None,
    auth: str | None = None,
    timeout: float | None = None,
    max_response: int | str | None = None,
) -> EndpointSpec:
    """Check the endpoint options and read the password from its environment variable.

    Warns (:class:`StoreWarning`) when credentials would cross the network in plain http.
    """
    server = server or "generic"
    if server not in SERVER_CHOICES:
        raise InputError(f"unknown server kind {server!r}; expected one of {SERVER_CHOICES}")
    _check_url(url, "--endpoint")
    for value, flag in ((update_url, "--update-endpoint"), (gsp_url, "--gsp-endpoint")):
        if value:
            _check_url(value, flag)
    if timeout is not None and timeout <= 0:
        raise InputError(f"--timeout {timeout:g}: must be a positive number of seconds")
    union_default_graph = None
    if server == "auto":
        from mktgraph.stores.http import discover

        info = discover(url, timeout or DEFAULT_TIMEOUT)
        if info.kind is None:
            warnings.warn(
                StoreWarning(
                    f"{url} did not say which server it is (no Service Description or known "
                    "Server header): using the generic layout, with --endpoint as the query "
                    "URL; name the kind with --server KIND"
                ),
                stacklevel=2,
            )
        server, url = info.kind or "generic", info.base_url if info.kind else url
        union_default_graph = info.union_default_graph if info.described else None
    if isinstance(max_response, str):
        max_response = parse_size(max_response)
    elif max_response is not None and max_response <= 0:
        raise InputError(f"--max-response {max_response}: must be a positive size")
    credentials = None
    if password_env and not user:
        raise InputError("--password-env needs --user NAME")
    if user:
        if not password_env:
            raise InputError(
                "--user needs --password-env VAR: the name of the environment variable "
                "that holds the password (never the password itself)"
            )
        password = os.environ.get(password_env)
        if password is None:
            raise InputError(f"--password-env {password_env}: that environment variable is not set")
        if auth is None:
            auth = _layout_module(server).DEFAULT_AUTH
        credentials = Credentials(user, password, auth)
        for target in {url, update_url or url, gsp_url or url}:
            parts = urlsplit(target)
            if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
                warnings.warn(
                    StoreWarning(
                        f"the password of {user} would go over plain http to {parts.hostname}; "
                        "use an https:// endpoint"
                    ),
                    stacklevel=2,
                )
                break
    elif auth:
        raise InputError("--auth needs --user NAME and --password-env VAR")
    # The fields in their order, each from the local of its name.
    return EndpointSpec(
        url, server, update_url, gsp_url, credentials, timeout, max_response, union_default_graph
    )


def _layout_module(server: str):
    return importlib.import_module(f"mktgraph.stores.{server}")


def open_store(spec: Any, *, graph: str | None = None) -> Store:
    """The backend for ``spec`` (its ``backend`` attribute names it), on ``graph``
    (None: the store's default graph)."""
    module_name, class_name = _BACKENDS[spec.backend]
    backend = getattr(importlib.import_module(module_name), class_name)
    return backend(spec, graph=graph)
