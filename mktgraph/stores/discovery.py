"""What a SPARQL server says about itself: its SPARQL 1.1 Service Description (features such
as ``sd:UnionDefaultGraph``) and its ``Server`` header, from which ``--server auto`` picks a
layout."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SD = "http://www.w3.org/ns/sparql-service-description#"
SD_ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8"
_SD_LIMIT = 4 << 20  # a Service Description is small; anything larger is not one
# Server headers (or other headers) that name a server kind, and the query path of that kind
# below the URL its layout starts from (stripped when --endpoint gives the query URL itself).
_SIGNATURES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("oxigraph", "/query", re.compile(r"\boxigraph\b", re.IGNORECASE)),
    ("virtuoso", "/sparql", re.compile(r"\bvirtuoso\b", re.IGNORECASE)),
    ("fuseki", "/query", re.compile(r"\bfuseki\b", re.IGNORECASE)),
    ("graphdb", "", re.compile(r"\b(graphdb|rdf4j)\b", re.IGNORECASE)),
)


@dataclass(frozen=True)
class ServiceInfo:
    """What the server at a URL told about itself."""

    kind: str | None  # a SERVER_KINDS entry, or None when nothing names one
    base_url: str  # the URL the kind's layout starts from
    server_header: str = ""
    described: bool = False  # it answered a Service Description
    union_default_graph: bool = False  # sd:feature sd:UnionDefaultGraph


def read_service_description(answer: Any) -> tuple[bool, bool]:
    """(whether the answer is an RDF Service Description, whether it has the
    ``sd:UnionDefaultGraph`` feature)."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(answer.media_type) if answer.media_type else None
    if fmt is None or answer.status >= 300:
        return False, False
    described = union = False
    try:
        answer.body.seek(0)
        for quad in ox.parse(answer.body, fmt, base_iri="http://localhost/"):
            predicate, obj = quad.predicate.value, quad.object
            if predicate == SD + "endpoint" or obj == ox.NamedNode(SD + "Service"):
                described = True
            if predicate == SD + "feature" and obj == ox.NamedNode(SD + "UnionDefaultGraph"):
                union = True
    except (SyntaxError, ValueError):
        return False, False
    finally:
        answer.body.seek(0)
    return described, union


def kind_from_headers(headers: Any) -> str | None:
    """The server kind a response's headers name (Server, or Fuseki's own request id)."""
    text = " ".join(
        f"{name}: {value}"
        for name, value in headers.items()
        if name.lower() in ("server", "x-powered-by") or name.lower().startswith("fuseki")
    )
    for kind, _path, signature in _SIGNATURES:
        if signature.search(text):
            return kind
    return None


def base_for(kind: str, url: str) -> str:
    """The URL the layout of ``kind`` starts from, given its base or its query URL."""
    path = dict((k, p) for k, p, _s in _SIGNATURES).get(kind, "")
    parts = urlsplit(url)
    stripped = parts.path.rstrip("/")
    if path and stripped.endswith(path):
        stripped = stripped[: -len(path)]
    return urlunsplit((parts.scheme, parts.netloc, stripped, "", ""))


def candidates(url: str) -> list[str]:
    """Where a Service Description may be: the URL, then the usual query paths below it."""
    root = url.rstrip("/")
    found = [url]
    for _kind, path, _signature in _SIGNATURES:
        if path and not root.endswith(path) and f"{root}{path}" not in found:
            found.append(f"{root}{path}")
    return found
