"""Formatting query results (table, CSV, TSV, JSON, XML); files.py writes them safely."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from mktgraph.errors import InputError, QueryError
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


_RESULTS_FORMATS = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "xml": "XML"}
# A blank node label that N-Triples (and so every SPARQL results parser) accepts.
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)\Z")
# A TSV cell holding a negative decimal written bare, as Turtle allows (rdflib's TSV parser
# fails on it: it negates the Decimal as if it were an int or a float).
_BARE_NEGATIVE_DECIMAL = re.compile(r"(?<![^\t\n])-[0-9]*\.[0-9]+(?![^\t\n])")
# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_result(result, fmt: str, width: int | None = None) -> str:
    """A SELECT or ASK result in one of RESULT_FORMATS (ASK in csv/tsv/table is true/false).

    ``result`` is an rdflib ``Result`` or a pyoxigraph answer (``QuerySolutions`` or
    ``QueryBoolean``). The W3C formats are written by Oxigraph's result serialisers, which
    write every term exactly (rdflib's write zero, ``0.0`` and ``false`` as empty literals in
    XML, and tabs and newlines raw in TSV); every output ends with a newline.
    """
    if fmt not in RESULT_FORMATS:
        raise InputError(
            f"unknown result format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}"
        )
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return _render_boolean(bool(result), fmt)
    if not isinstance(result, ox.QuerySolutions) and result.type == "ASK":
        return _render_boolean(bool(result.askAnswer), fmt)
    if fmt == "table":
        if isinstance(result, ox.QuerySolutions):
            result = _to_rdflib(result)
        variables = list(result.vars or [])
        rows = [[display(row.get(v)) for v in variables] for row in result.bindings]
        return render_table([str(v) for v in variables], rows, width) + "\n"
    solutions = result if isinstance(result, ox.QuerySolutions) else oxigraph_solutions(result)
    return _serialize(solutions, fmt)


def _render_boolean(answer: bool, fmt: str) -> str:
    if fmt in ("json", "xml"):
        import pyoxigraph as ox

        boolean = ox.parse_query_results(
            '{"head":{},"boolean":%s}' % ("true" if answer else "false"),
            ox.QueryResultsFormat.JSON,
        )
        return _serialize(boolean, fmt)
    return "true\n" if answer else "false\n"


def _serialize(answer, fmt: str) -> str:
    import pyoxigraph as ox

    try:
        data = answer.serialize(format=getattr(ox.QueryResultsFormat, _RESULTS_FORMATS[fmt]))
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"cannot write the answer as {fmt}: {error}") from None
    text = data.decode("utf-8")
    if fmt == "xml":
        bad = _NOT_XML.search(text)
        if bad:
            raise QueryError(
                f"the answer holds the character U+{ord(bad.group()):04X}, which XML cannot "
                "carry; use --format json or tsv"
            )
        # Oxigraph writes a carriage return inside a literal raw, and XML parsers read it as a
        # newline: a character reference keeps it. The writer itself puts none in its markup.
        text = text.replace("\r", "&#13;")
    elif fmt == "tsv" and "-" in text:
        text = _BARE_NEGATIVE_DECIMAL.sub(lambda m: f'"{m.group()}"^^<{XSD.decimal}>', text)
    return text if text.endswith("\n") else text + "\n"


def oxigraph_solutions(result: Result):
    """An rdflib SELECT ``Result`` as pyoxigraph ``QuerySolutions``, every term as it is.

    pyoxigraph has no constructor for solutions, and its query engine would canonicalise
    literals given as bindings ("1.50" -> "1.5"), so the rows go through its JSON results
    parser, which keeps each lexical form.
    """
    import pyoxigraph as ox

    variables = list(result.vars or [])
    labels: dict[str, str] = {}
    bindings = []
    # ``result.bindings``, not iteration, which drops the solutions that bind no variable.
    for row in result.bindings:
        binding = {}
        for variable in variables:
            term = row.get(variable)
            if term is not None:
                binding[str(variable)] = _json_term(term, labels)
        bindings.append(binding)
    names = [str(v) for v in variables]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
    try:
        return ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise QueryError(f"the answer holds a term no results format can carry: {error}") from None


def _json_term(term, labels: dict[str, str]) -> dict[str, str]:
    """An rdflib term in the W3C SPARQL JSON results syntax."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        label = str(term)
        if not _BLANK_LABEL.match(label):
            # A label some engine made up that N-Triples cannot write: a fresh one, the same
            # for every occurrence, so the rows still join on it.
            label = labels.setdefault(label, f"mktgraphb{len(labels)}")
        return {"type": "bnode", "value": label}
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": str(term), "xml:lang": term.language}
        if term.datatype is not None and term.datatype != XSD.string:
            return {"type": "literal", "value": str(term), "datatype": str(term.datatype)}
        return {"type": "literal", "value": str(term)}
    raise QueryError(f"the answer holds {term!r}, which no SPARQL results format can carry")


def _to_rdflib(solutions) -> Result:
    from mktgraph.stores.embedded import to_rdflib_result

    return to_rdflib_result(solutions, "SELECT")


def atomic_output(path: str | Path):  # -> ContextManager[IO[bytes]]
    """A binary file to write or stream into (see ``files.output_file``: atomic for a regular
    file, through symlinks, devices and FIFOs written in place)."""
    from mktgraph.files import output_file

    return output_file(path)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` all at once (see ``files.output_file``)."""
    from mktgraph.files import write_output

    write_output(path, data)
