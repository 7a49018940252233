"""Named SPARQL queries: registry (name = file stem, header = metadata), parameters, checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mktgraph import resources
from mktgraph.errors import InputError, NetworkRefused, QueryError
from mktgraph.prefixes import PREFIX_IRIS

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

_HEADER_LINE = re.compile(r"^#\s*(title|description|param)\b\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][\w-]*)\s*(?:=\s*(?P<default>[^:]*?))?\s*:\s*(?P<doc>.*)$")
_PLACEHOLDER = r"\${name}(?![\w-])"


@dataclass(frozen=True)
class Parameter:
    """A value a named query takes from ``-p name=value``; ``$name`` in its text."""

    name: str
    description: str
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class CsvAnswer:
    """A SELECT answer already written as SPARQL 1.1 CSV (by the embedded store itself)."""

    text: str
    type: str = "SELECT"


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its name, title, description and parameters."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    path: Path | None = None


def parse_header(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """Read the ``# title:``, ``# description:`` and ``# param NAME[=DEFAULT]:`` header lines."""
    title = description = ""
    parameters: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        key, rest = match.groups()
        if key == "title":
            title = rest.lstrip(":").strip()
        elif key == "description":
            description = rest.lstrip(":").strip()
        else:
            param = _PARAM.match(rest.strip())
            if param is None:
                raise QueryError(f"{path or name}: malformed parameter line: {line.strip()}")
            parameters.append(Parameter(param["name"], param["doc"].strip(), param["default"]))
    return NamedQuery(name, text, title, description, tuple(parameters), path)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every bundled named query, by name."""
    return {
        path.stem: parse_header(path.stem, path.read_text(encoding="utf-8"), path)
        for path in resources.query_files()
    }


def get_query(name_or_file: str) -> NamedQuery:
    """A bundled query by name, or a query read from a ``.rq``/``.sparql`` file."""
    queries = named_queries()
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.suffix.lower() in (".rq", ".sparql", ".ru") or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{path}: cannot read: {error}") from None
        return parse_header(path.stem, text, path)
    known = ", ".join(sorted(queries))
    raise QueryError(f"unknown query {name_or_file!r}; named queries: {known}")


def prepare(name_or_file: str, params: dict[str, str] | None = None) -> tuple[str, str]:
    """(text, source) of a named query or a .rq file with its parameters bound; ``source``
    names it in messages (the file for a file, else the query's name)."""
    named = get_query(name_or_file)
    text = bind_parameters(named, params or {})
    from_file = named.path is not None and named.name not in named_queries()
    return text, str(named.path) if from_file else named.name


def parameter_term(value: str) -> str:
    """A ``-p`` value as a SPARQL term: an IRI (``<...>``, ``http(s)://...``, ``urn:...`` or a
    prefixed name with one of our prefixes), otherwise a plain string literal."""
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], value)
    if re.match(r"^(https?|urn|file):", value):
        return _iri(value, value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIX_IRIS and re.fullmatch(r"[\w.-]*", local):
        return f"<{PREFIX_IRIS[prefix]}{local}>"
    return '"' + value.translate(_STRING_ESCAPES) + '"'


# Characters an IRI may not hold (RFC 3987), which would also break out of SPARQL's <...>.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# What a SPARQL string literal in double quotes must escape (ECHAR).
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(iri: str, given: str) -> str:
    bad = _NOT_IN_IRI.search(iri)
    if bad:
        raise QueryError(f"-p value {given!r} is not a valid IRI: it holds {bad.group()!r}")
    return f"<{iri}>"


def bind_parameters(query: NamedQuery, values: dict[str, str]) -> str:
    """The query's text with each ``$name`` replaced by the given (or default) value."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {unknown[0]!r}; it accepts: {accepted}"
        )
    text = query.text
    for name, param in declared.items():
        value = values.get(name, param.default)
        if value is None:
            raise QueryError(
                f"query {query.name!r} needs -p {name}=VALUE ({param.description or 'required'})"
            )
        term = parameter_term(value)
        text = re.sub(_PLACEHOLDER.format(name=re.escape(name)), lambda _m, t=term: t, text)
    return text


def _contains(node, name: str) -> bool:
    """Whether a parsed SPARQL tree contains a node of the given rule name."""
    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_contains(v, name) for v in node.values())
    if isinstance(node, (str, bytes)):
        return False
    try:
        return any(_contains(v, name) for v in node)
    except TypeError:  # not iterable: a leaf
        return False


class _Compiled(NamedTuple):  # not a dataclass: light commands skip building one (~1 ms)
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    uses_service: bool
    prepared: object  # rdflib's translated Query, which graph.query runs as it is
    error: str = ""  # why it cannot be translated (an unknown prefix, say)


# rdflib's SPARQL parser takes about half a second a query (pyparsing): each text is parsed
# once, and a query run again (the frameworks' queries, once per page or diagram) not at all.
@lru_cache(maxsize=256)
def _compile(text: str) -> _Compiled:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    tree = parseQuery(text)
    # Read the tree before translating it: translation rewrites it in place.
    form = tree[1].name.removesuffix("Query").upper()
    uses_service = _contains(tree, "ServiceGraphPattern")
    try:
        return _Compiled(form, uses_service, translateQuery(tree))
    except Exception as error:  # rdflib raises many kinds while translating
        return _Compiled(form, uses_service, None, str(error) or type(error).__name__)


def check_query(text: str, source: str, *, allow_service: bool = False) -> str:
    """Refuse updates, syntax errors and (unless allowed) SERVICE; return the query form."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        compiled = _compile(text)
    except ParseException as error:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(
                f"{source}: SPARQL syntax error at line {error.lineno}, column {error.column}: "
                f"{error.msg}"
            ) from None
        raise QueryError(
            f"{source}: is a SPARQL Update; 'query' is read-only and never changes data"
        ) from None
    if not allow_service and compiled.uses_service:
        raise NetworkRefused(
            f"{source}: uses SERVICE, which would reach the network; "
            "pass --allow-service to allow it"
        )
    return compiled.form


def run(text: str, graph: Graph, source: str = "query", *, allow_service: bool = False) -> Result:
    """Run a checked SPARQL query over an rdflib graph."""
    check_query(text, source, allow_service=allow_service)
    compiled = _compile(text)
    if compiled.error:
        raise QueryError(f"{source}: query failed: {compiled.error}")
    try:
        result = graph.query(compiled.prepared)
        # rdflib evaluates a SELECT lazily: an error in it (a bad regex, say) would surface
        # only while the rows are written, past this handler. Evaluate it here.
        if result.type == "SELECT":
            result.bindings  # noqa: B018
        return result
    except Exception as error:  # rdflib raises many kinds while evaluating
        raise QueryError(f"{source}: query failed: {error}") from None
