"""Formatting query results (table, CSV, TSV, JSON, XML); files.py writes them safely."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from mktgraph.errors import InputError
from mktgraph.namespaces import shorten

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
MIN_COLUMN_WIDTH = 12


def display(term) -> str:
    """A term as a person reads it: IRIs shortened by our prefixes, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def _fit_widths(natural: list[int], total: int) -> list[int]:
    """Column widths that fit ``total`` characters of table, shrinking the widest first."""
    widths = list(natural)
    budget = total - (3 * len(widths) + 1)  # "| " + " | " ... + " |"
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= MIN_COLUMN_WIDTH:
            break
        widths[widest] -= 1
    return widths


def render_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None
) -> str:
    """A text table that wraps long cells to fit the terminal (or ``width``)."""
    from prettytable import PrettyTable, TableStyle

    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns
    table = PrettyTable()
    table.set_style(TableStyle.SINGLE_BORDER)
    table.field_names = list(header)
    table.align = "l"
    natural = [
        max([len(h)] + [max((len(x) for x in str(r[i]).splitlines()), default=0) for r in rows])
        for i, h in enumerate(header)
    ]
    for name, fitted in zip(header, _fit_widths(natural, width), strict=True):
        table.max_width[name] = fitted
    for row in rows:
        table.add_row(list(row))
    return table.get_string()


def _tsv_term(term) -> str:
    # W3C SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax, tabs and newlines escaped.
    return "" if term is None else term.n3()


def render_result(result: Result, fmt: str, width: int | None = None) -> str:
    """A SELECT or ASK result in one of RESULT_FORMATS (ASK in csv/tsv/table is true/false)."""
    if result.type == "ASK":
        if fmt in ("json", "xml"):
            return result.serialize(format=fmt).decode("utf-8")
        return "true\n" if result.askAnswer else "false\n"
    variables = [str(v) for v in result.vars or []]
    if fmt == "table":
        rows = [[display(row[i]) for i in range(len(variables))] for row in result]
        return render_table(variables, rows, width) + "\n"
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(row[i]) for i in range(len(variables))) for row in result]
        return "\n".join(lines) + "\n"
    if fmt in ("csv", "json", "xml"):
        text = result.serialize(format=fmt).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    raise InputError(f"unknown result format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}")


def atomic_output(path: str | Path):  # -> ContextManager[IO[bytes]]
    """A binary file to write or stream into (see ``files.output_file``: atomic for a regular
    file, through symlinks, devices and FIFOs written in place)."""
    from mktgraph.files import output_file

    return output_file(path)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` all at once (see ``files.output_file``)."""
    from mktgraph.files import write_output

    write_output(path, data)
