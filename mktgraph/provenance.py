"""Where imported triples came from (file, row, column), kept beside the data graph: a SQLite
side table next to an output file or inside a store, a named graph on a server."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SIDE_SUFFIX = ".sources.db"  # company.ttl -> company.ttl.sources.db
STORE_FILE = "mktgraph-sources.db"  # inside an embedded store's folder
SERVER_GRAPH = "urn:mktgraph:sources"  # on a SPARQL server
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NS = "urn:mktgraph:sources#"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (subject TEXT NOT NULL, file TEXT NOT NULL,
    row INTEGER NOT NULL, template TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS columns (file TEXT NOT NULL, template TEXT NOT NULL,
    predicate TEXT NOT NULL, col TEXT NOT NULL);
"""
_INDEX = "CREATE INDEX IF NOT EXISTS rows_subject ON rows (subject);"


def beside(output: Path) -> Path:
    """The side table of an output file."""
    return output.with_name(output.name + SIDE_SUFFIX)


def in_store(folder: Path) -> Path:
    return folder / STORE_FILE


class Recorder:
    """Collects an import's provenance in a SQLite file in its work folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path)
        # a scratch file in the import's work folder: no journal, no waiting for the disk
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self._pending: list[tuple[str, str, int, str]] = []

    def add_columns(self, file: str, predicates: dict[str, list[tuple[str, str]]]) -> None:
        self._db.executemany(
            "INSERT INTO columns VALUES (?, ?, ?, ?)",
            [(file, t, p, c) for t, pairs in predicates.items() for p, c in pairs],
        )

    def add_row(self, subject: str, file: str, row: int, template: str) -> None:
        self._pending.append((subject, file, row, template))
        if len(self._pending) >= 50_000:
            self.flush()

    def add_rows(self, rows: Iterable[tuple[str, str, int, str]]) -> None:
        self.flush()
        self._db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", rows)

    def flush(self) -> None:
        if self._pending:
            self._db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", self._pending)
            self._pending.clear()
        self._db.commit()

    def filled_pairs(self) -> Iterator[tuple[str, str]]:
        """(subject, predicate) pairs the imported rows fill, rdf:type aside (a subject may
        have types from other files)."""
        self.flush()
        yield from self._db.execute(
            "SELECT DISTINCT r.subject, c.predicate FROM rows r JOIN columns c "
            "ON r.file = c.file AND r.template = c.template WHERE c.predicate != ?",
            (RDF_TYPE,),
        )

    def filled_predicates(self) -> list[str]:
        """The predicates of filled_pairs()."""
        self.flush()
        return [
            p
            for (p,) in self._db.execute(
                "SELECT DISTINCT predicate FROM columns WHERE predicate != ?", (RDF_TYPE,)
            )
        ]

    def subjects_filling(self, predicate: str) -> set[str]:
        """The subjects of filled_pairs() with ``predicate``."""
        self.flush()
        return {
            s
            for (s,) in self._db.execute(
                "SELECT r.subject FROM rows r JOIN columns c "
                "ON r.file = c.file AND r.template = c.template WHERE c.predicate = ?",
                (predicate,),
            )
        }

    def files(self) -> list[str]:
        return [f for (f,) in self._db.execute("SELECT DISTINCT file FROM columns")]

    def save_as(self, target: Path) -> None:
        """Write the side table to ``target`` whole (atomically)."""
        self.flush()
        self._db.execute(_INDEX)
        self._db.commit()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        os.close(fd)
        try:
            backup = sqlite3.connect(tmp)
            self._db.backup(backup)
            backup.close()
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def merge_into(self, target: Path) -> None:
        """Add this import to a store's side table, replacing what the same files gave."""
        self.flush()
        if not target.exists():  # the store's first import: the side table is this one
            self.save_as(target)
            return
        db = sqlite3.connect(target)
        try:
            db.executescript(_SCHEMA + _INDEX)
            db.execute("ATTACH DATABASE ? AS new", (str(self.path),))
            with db:
                for file in self.files():
                    db.execute("DELETE FROM rows WHERE file = ?", (file,))
                    db.execute("DELETE FROM columns WHERE file = ?", (file,))
                db.execute("INSERT INTO main.rows SELECT * FROM new.rows")
                db.execute("INSERT INTO main.columns SELECT * FROM new.columns")
            db.execute("DETACH DATABASE new")
        finally:
            db.close()

    def as_ntriples(self) -> Iterator[str]:
        """The provenance as N-Triples for a server's graph (one node per row and column)."""
        self.flush()
        integer = "<http://www.w3.org/2001/XMLSchema#integer>"
        rows = self._db.execute("SELECT subject, file, row, template FROM rows")
        for number, (subject, file, row, template) in enumerate(rows):
            yield f"<{subject}> <{_NS}row> _:r{number} .\n"
            values = {"file": _literal(file), "number": f'"{row}"^^{integer}'}
            yield from _described(f"_:r{number}", {**values, "template": _literal(template)})
        columns = self._db.execute("SELECT file, template, predicate, col FROM columns")
        for number, (file, template, predicate, column) in enumerate(columns):
            values = {"file": _literal(file), "template": _literal(template)}
            values |= {"predicate": f"<{predicate}>", "column": _literal(column)}
            yield from _described(f"_:c{number}", values)

    def send_to_server(self, endpoint) -> None:
        """Load the provenance into the server's ``urn:mktgraph:sources`` graph, replacing
        what earlier imports of the same files put there."""
        import contextlib

        from mktgraph import stores

        with contextlib.closing(stores.open_store(endpoint, graph=SERVER_GRAPH)) as store:
            for file in self.files():
                for link in ("row", None):
                    head = f"?s <{_NS}row> ?n . " if link else ""
                    match = f"{head}?n <{_NS}file> {_literal(file)} ; ?p ?o"
                    text = (
                        f"DELETE {{ GRAPH <{SERVER_GRAPH}> {{ {head}?n ?p ?o }} }} "
                        f"WHERE {{ GRAPH <{SERVER_GRAPH}> {{ {match} }} }}"
                    )
                    store._update(text)  # the store's SPARQL Update call (stores/http.py)
        out = self.path.with_suffix(".nt")
        with out.open("w", encoding="utf-8") as handle:
            handle.writelines(self.as_ntriples())
        from mktgraph.api import load_data
        from mktgraph.sources import SourceSpec

        load_data(SourceSpec(endpoint=endpoint, graph=SERVER_GRAPH), [out])


def _described(node: str, values: dict[str, str]) -> Iterator[str]:
    """N-Triples lines giving ``node`` each value (N-Triples text) of a provenance property."""
    for name, value in values.items():
        yield f"{node} <{_NS}{name}> {value} .\n"


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


@dataclass(frozen=True)
class Origin:
    """Where a validation result's value came from."""

    file: str
    row: int | None
    column: str


class Locator:
    """Answers "which file, row and column gave this focus node's value on this path?"."""

    def __init__(self, databases: Iterable[Path]) -> None:
        self._dbs = [sqlite3.connect(f"file:{p}?mode=ro", uri=True) for p in databases]

    @classmethod
    def for_files(cls, files: Iterable[str | Path]) -> Locator | None:
        found = [beside(Path(f)) for f in files if beside(Path(f)).is_file()]
        return cls(found) if found else None

    @classmethod
    def for_store(cls, folder: str | Path) -> Locator | None:
        path = in_store(Path(folder))
        return cls([path]) if path.is_file() else None

    @classmethod
    def for_server(cls, endpoint) -> Locator | None:
        """The provenance a server holds in its ``urn:mktgraph:sources`` graph, copied into
        an in-memory side table."""
        import contextlib

        from mktgraph import stores

        text = (
            f"SELECT ?s ?file ?row ?template WHERE {{ GRAPH <{SERVER_GRAPH}> {{ ?s <{_NS}row> ?r . "
            f"?r <{_NS}file> ?file ; <{_NS}number> ?row ; <{_NS}template> ?template }} }}"
        )
        columns = (
            f"SELECT ?file ?template ?p ?column WHERE {{ GRAPH <{SERVER_GRAPH}> {{ "
            f"?c <{_NS}predicate> ?p ; <{_NS}file> ?file ; <{_NS}template> ?template ; "
            f"<{_NS}column> ?column }} }}"
        )
        with contextlib.closing(stores.open_store(endpoint)) as store:
            rows = [tuple(str(v) for v in r) for r in store.query(text)]
            if not rows:
                return None
            cells = [tuple(str(v) for v in r) for r in store.query(columns)]
        db = sqlite3.connect(":memory:")
        db.executescript(_SCHEMA + _INDEX)
        db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO columns VALUES (?, ?, ?, ?)", cells)
        locator = cls([])
        locator._dbs = [db]
        return locator

    def locate(self, focus: str, path: str | None) -> Origin | None:
        fallback = typed = None
        for db in self._dbs:
            rows = db.execute(
                "SELECT file, row, template FROM rows WHERE subject = ? ORDER BY file, row",
                (focus,),
            ).fetchall()
            for file, row, template in rows:
                if path:
                    found = db.execute(
                        "SELECT col FROM columns WHERE file = ? AND template = ? "
                        "AND predicate = ? LIMIT 1",
                        (file, template, path),
                    ).fetchone()
                    if found:
                        return Origin(file, row, found[0])
                fallback = fallback or Origin(file, row, "")
                if (
                    typed is None
                    and db.execute(
                        "SELECT 1 FROM columns WHERE file = ? AND template = ? AND predicate = ?",
                        (file, template, RDF_TYPE),
                    ).fetchone()
                ):
                    typed = Origin(file, row, "")  # the row that says what the node is
        return typed or fallback

    def close(self) -> None:
        for db in self._dbs:
            db.close()


def annotate(result, locator: Locator):
    """``result`` with the file, row and column of each result's value, where the locator
    knows them: on its rows, and as annotations of each sh:ValidationResult of its report."""
    from dataclasses import replace

    from rdflib import RDF, Literal, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import SH, XSD

    from mktgraph.validate import path_text

    report = result.report
    origins = {}
    for node in list(report.subjects(RDF.type, SH.ValidationResult)):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        step = path
        if step is not None and (step, RDF.first, None) in report:
            step = next(iter(Collection(report, step)), None)  # a sequence: its first step
        origin = locator.locate(str(focus), str(step) if isinstance(step, URIRef) else None)
        if origin is None:
            continue
        report.add((node, URIRef(_NS + "file"), Literal(origin.file)))
        if origin.row is not None:
            report.add((node, URIRef(_NS + "row"), Literal(origin.row, datatype=XSD.integer)))
        report.add((node, URIRef(_NS + "column"), Literal(origin.column)))
        key = (focus, path_text(report, path), report.value(node, SH.sourceShape))
        origins[key] = origin
    rows = []
    for row in result.rows:
        origin = origins.get((row.focus, row.path, row.shape))
        if origin is not None:
            row = replace(row, file=origin.file, row=origin.row, column=origin.column)
        rows.append(row)
    return replace(result, rows=rows)


def locator_for(files=(), store: str | None = None, endpoint=None, graph=None):
    """The locator for validated data: side tables beside the files or in the store, or the
    server's ``urn:mktgraph:sources`` graph; None when the data were not imported."""
    if store is not None:
        return Locator.for_store(store)
    if endpoint is not None:
        return Locator.for_server(endpoint)
    return Locator.for_files(files)
