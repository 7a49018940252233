"""Triple stores behind one small protocol: where a graph lives, and the library calls on it.

A backend is a class that takes its spec, offers the :class:`Store` methods, and is named in
``_BACKENDS`` (imported only when used, so ``mktgraph --help`` stays instant). The remote
backend (:mod:`mktgraph.stores.http`) speaks the SPARQL 1.1 Protocol, Update and Graph Store
HTTP Protocol to a server whose URLs come from one layout module per server kind
(:mod:`mktgraph.stores.oxigraph`, ``virtuoso``, ``fuseki``, ``graphdb``, ``generic``). An
embedded store (:mod:`mktgraph.stores.embedded`, a folder on disk) fits beside it: a spec whose
``backend`` names an entry of ``_BACKENDS``, and a class with these methods.
"""

from __future__ import annotations

import contextlib
import importlib
import ipaddress
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from mktgraph.errors import InputError, MktgraphError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

    from mktgraph.validate import ValidationResult

SERVER_KINDS = ("generic", "oxigraph", "virtuoso", "fuseki", "graphdb")
AUTH_SCHEMES = ("basic", "digest")
PROTOCOLS = ("gsp", "update")
DEFAULT_TIMEOUT = 60.0  # seconds a server may take to answer a query
LOAD_TIMEOUT = 600.0  # ... and to apply a large upload (a million triples take a minute)
DEFAULT_MAX_RESPONSE = 1 << 30  # bytes of one answer: 1 GiB (--max-response)
_SIZE_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}

# backend name -> (module, class); each class is built from its spec: cls(spec, graph=...)
_BACKENDS: dict[str, tuple[str, str]] = {
    "http": ("mktgraph.stores.http", "HttpStore"),
}

Progress = Callable[[int, float], None]  # (triples sent so far, seconds since the start)


class StoreError(MktgraphError):
    """A store cannot be reached or refused a request (HTTP status and the server's message)."""


class StoreWarning(UserWarning):
    """Something the user should know that does not stop the command (the CLI prints it)."""


class Store(Protocol):
    """What every backend offers; the CLI commands only use these."""

    def query(self, text: str, source: str = "query", *, allow_service: bool = False) -> Result:
        """Run a read-only SPARQL query; an rdflib Result, rendered like a local one."""

    def triple_count(self) -> int:
        """The number of triples in the graph the store was opened on."""

    def load(self, paths: Sequence[Path], **options: Any) -> Any:
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
    backend: str = "http"


@dataclass(frozen=True)
class LoadReport:
    """What a load into a server did, and the triple count of the target graph after it."""

    graph: str | None  # None: the default graph
    sent: int
    triples_before: int | None  # None with --replace (the old content does not matter)
    triples_after: int
    protocol: str  # "gsp" or "update"
    requests: int
    replaced: bool
    swapped_by: str | None = None  # "MOVE": a staging graph was swapped in by one Update

    @property
    def where(self) -> str:
        return f"graph <{self.graph}>" if self.graph else "the default graph"


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
    if server not in SERVER_KINDS:
        raise InputError(f"unknown server kind {server!r}; expected one of {SERVER_KINDS}")
    _check_url(url, "--endpoint")
    for value, flag in ((update_url, "--update-endpoint"), (gsp_url, "--gsp-endpoint")):
        if value:
            _check_url(value, flag)
    if timeout is not None and timeout <= 0:
        raise InputError(f"--timeout {timeout:g}: must be a positive number of seconds")
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
    return EndpointSpec(
        url=url,
        server=server,
        update_url=update_url,
        gsp_url=gsp_url,
        credentials=credentials,
        timeout=timeout,
        max_response=max_response,
    )


def _layout_module(server: str):
    return importlib.import_module(f"mktgraph.stores.{server}")


def open_store(spec: Any, *, graph: str | None = None) -> Store:
    """The backend for ``spec`` (its ``backend`` attribute names it), on ``graph``
    (None: the store's default graph)."""
    module_name, class_name = _BACKENDS[spec.backend]
    backend = getattr(importlib.import_module(module_name), class_name)
    return backend(spec, graph=graph)


# -- library functions the CLI commands call ---------------------------------------------------


def load(
    data: Iterable[str | Path],
    spec: Any,
    *,
    example: bool = False,
    with_ontology: bool = False,
    graph: str | None = None,
    replace: bool = False,
    protocol: str | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Send data files (plus the sample graph and the ontology if asked) to a store."""
    from mktgraph import resources

    files: list[Path] = []
    if with_ontology:
        files += resources.ontology_files()
    if example:
        files += resources.example_files()
    files += data
    if not files:
        raise InputError("nothing to load: give data files, --example or --with-ontology")
    with contextlib.closing(open_store(spec, graph=graph)) as store:
        report = store.load(files, replace=replace, protocol=protocol, progress=progress)
        if hasattr(store, "insert_quads"):
            # Literals the server rewrites, recorded as written for validation (fastshacl).
            from mktgraph.fastshacl.lexical import send_records

            send_records(store, files, replace=replace)
        return report


def run_query(
    name_or_file: str,
    spec: Any,
    params: dict[str, str] | None = None,
    *,
    graph: str | None = None,
    allow_service: bool = False,
    allow_partial: bool = False,
) -> Result:
    """Run a named query (or a .rq file) on a store: the same checks and parameters as local
    queries, the same kind of result, whole (paged where the server cuts answers; a cut
    answer that cannot be paged is an error unless ``allow_partial``)."""
    from mktgraph import queries

    named = queries.get_query(name_or_file)
    text = queries.bind_parameters(named, params or {})
    source = (
        str(named.path) if named.path and named.name not in queries.named_queries() else named.name
    )
    with contextlib.closing(open_store(spec, graph=graph)) as store:
        return store.query(text, source, allow_service=allow_service, allow_partial=allow_partial)


def fetch_graph(spec: Any, *, graph: str | None = None) -> Graph:
    """A whole graph of a store as an rdflib Graph (paged where the server needs it)."""
    with contextlib.closing(open_store(spec, graph=graph)) as store:
        return store.fetch()


def validate(
    spec: Any,
    *,
    graph: str | None = None,
    shapes: Iterable[str | Path] | None = None,
    inference: str | None = None,
) -> ValidationResult:
    """Fetch a store's graph and validate it locally, exactly as `mktgraph validate` does
    files (the same shapes, ontology and report)."""
    from mktgraph import validate as validation

    inference = inference or validation.DEFAULT_INFERENCE
    validation.check_inference(inference)
    shape_paths = list(shapes) if shapes is not None else None
    shapes_graph = validation.load_shapes(shape_paths) if shape_paths is not None else None
    data = fetch_graph(spec, graph=graph)
    try:
        return validation.validate_graph(data, shapes_graph, inference)
    except InputError as error:
        if not shape_paths:
            raise
        names = ", ".join(str(p) for p in shape_paths)
        raise InputError(f"{names}: {error}") from None
