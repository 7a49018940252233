"""The eight marketing frameworks: listing them and showing one, answered by the named queries."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from mktgraph import queries
from mktgraph.errors import InputError
from mktgraph.sources import FileSource, GraphSource

# The CLI and SPARQL users get their answers from the same two named queries, so they agree.
LIST_QUERY = "frameworks"
COMPONENTS_QUERY = "framework-components"


@dataclass(frozen=True)
class Framework:
    """One framework as the ``frameworks`` query lists it."""

    iri: str
    name: str
    originator: str
    year: int | None
    components: int
    extends: str | None
    refines: str | None
    source: str

    def as_record(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Component:
    """One component of a framework, as the ``framework-components`` query gives it."""

    position: int | None
    name: str
    iri: str
    definition: str

    def as_record(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FrameworkDetail:
    """A framework with its components, in order when the framework has one."""

    framework: Framework
    components: tuple[Component, ...]

    @property
    def ordered(self) -> bool:
        return all(c.position is not None for c in self.components)

    def as_dict(self) -> dict:
        record = self.framework.as_record()
        del record["components"]  # the count: the list below says it
        return {
            **record,
            "ordered": self.ordered,
            "components": [c.as_record() for c in self.components],
        }


def _rows(name: str, source: GraphSource, params: dict[str, str] | None = None) -> list[dict]:
    text, source_name = queries.prepare(name, params)
    return source.select_texts(text, source_name)


def _int(value: str | None) -> int | None:
    return None if value in (None, "") else int(value)


def list_frameworks(source: GraphSource | None = None) -> list[Framework]:
    """The frameworks in the bundled ontology (or in ``source``), in the source article's order."""
    source = FileSource() if source is None else source
    return [
        Framework(
            iri=row["framework"],
            name=row["name"],
            originator=row["originator"] or "",
            year=_int(row["year"]),
            components=int(row["components"]),
            extends=row["extends"],
            refines=row["refines"],
            source=row["source"] or "",
        )
        for row in _rows(LIST_QUERY, source)
    ]


def find_framework(name: str, source: GraphSource | None = None) -> FrameworkDetail:
    """One framework with its components, found by IRI (full or ``mkt:``), label, alternative
    label or notation, ignoring case, spaces and punctuation ("7ps", "marketing mix").

    Raises InputError, naming the known frameworks, when nothing (or more than one) matches.
    """
    source = FileSource() if source is None else source
    rows = _rows(COMPONENTS_QUERY, source, {"framework": name.strip()})
    found = sorted({row["framework"] for row in rows})
    frameworks = {f.iri: f for f in list_frameworks(source)}
    if len(found) != 1:
        known = ", ".join(f.name for f in frameworks.values())
        problem = "unknown framework" if not found else "more than one framework is called"
        raise InputError(
            f"{problem} {name!r}; known frameworks: {known} "
            "(alternative names such as 7ps or 'marketing mix', and IRIs, work too)"
        )
    components = tuple(
        Component(
            position=_int(row["position"]),
            name=row["name"] or "",
            iri=row["component"],
            definition=row["definition"] or "",
        )
        for row in rows
    )
    return FrameworkDetail(frameworks[found[0]], components)
