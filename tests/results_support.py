"""Reading SPARQL results back with rdflib's and Oxigraph's parsers, as comparable rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

OX_FORMATS = {
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


class Answer:
    """Variables and rows of one SELECT answer, or a boolean, with terms as keys that two
    parsers agree on; blank nodes numbered by first appearance (labels are not kept)."""

    def __init__(self, variables, rows, boolean=None) -> None:
        self.variables = list(variables)
        self.rows = rows
        self.boolean = boolean

    def __eq__(self, other) -> bool:
        return (self.variables, self.rows, self.boolean) == (
            other.variables,
            other.rows,
            other.boolean,
        )

    def columns(self, names: list[str]) -> Answer:
        """The same answer with its columns in the order of ``names`` (engines order the
        variables of ``SELECT *`` as they like); blank nodes numbered again."""
        order = [self.variables.index(name) for name in names]
        blank: dict = {}
        rows = [
            tuple(
                ("bnode", blank.setdefault(key[1], len(blank)))
                if key is not None and key[0] == "bnode"
                else key
                for key in (row[i] for i in order)
            )
            for row in self.rows
        ]
        return Answer(names, rows, self.boolean)

    def __repr__(self) -> str:
        if self.boolean is not None:
            return f"Answer({self.boolean})"
        return f"Answer({self.variables}, {self.rows})"


def _term_key(term, blank: dict, exact: bool):
    """``exact``: the lexical form as written; otherwise the value (as rdflib reads it), so
    "1.0E6" and "1.0e6" are one double, and language tags compare case-insensitively."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | URIRef):
        return ("uri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, ox.BlankNode | BNode):
        label = term.value if isinstance(term, ox.BlankNode) else str(term)
        return ("bnode", blank.setdefault(label, len(blank)))
    if isinstance(term, ox.Literal):
        lexical, language = term.value, term.language or ""
        datatype = "" if language else term.datatype.value
    else:
        lexical, language = str(term), term.language or ""
        datatype = "" if language else str(term.datatype or XSD.string)
    if datatype == str(XSD.string):
        datatype = ""
    if not exact and datatype:
        value = Literal(lexical, datatype=URIRef(datatype)).value
        if isinstance(value, Decimal):
            value = value.normalize() if value else Decimal(0)  # 1.50 = 1.5, -0.0 = 0
        if value is not None and (not isinstance(value, float) or value == value):
            return ("literal", repr(value), "", datatype)
    return ("literal", lexical, language.lower(), datatype)


def from_oxigraph(answer, *, exact: bool = True) -> Answer:
    if isinstance(answer, ox.QueryBoolean):
        return Answer([], [], bool(answer))
    variables = [v.value for v in answer.variables]
    blank: dict = {}
    rows = [tuple(_term_key(s[i], blank, exact) for i in range(len(variables))) for s in answer]
    return Answer(variables, rows)


def from_rdflib(result: Result, *, exact: bool = True) -> Answer:
    if result.type == "ASK":
        return Answer([], [], bool(result.askAnswer))
    variables = list(result.vars or [])
    blank: dict = {}
    # ``bindings``: iterating a Result drops the solutions that bind no variable.
    rows = [
        tuple(_term_key(row.get(v), blank, exact) for v in variables) for row in result.bindings
    ]
    return Answer([str(v) for v in variables], rows)


def read_oxigraph(text: str | bytes, fmt: str, *, exact: bool = True) -> Answer:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return from_oxigraph(ox.parse_query_results(data, OX_FORMATS[fmt]), exact=exact)


def read_rdflib(text: str | bytes, fmt: str, *, exact: bool = True) -> Answer:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return from_rdflib(Result.parse(io.BytesIO(data), format=fmt), exact=exact)


def read_csv(text: str) -> list[list[str]]:
    """CSV cells, with blank node labels numbered by first appearance."""
    blank: dict = {}
    # An empty line is a row of one empty cell (one unbound variable), not of none.
    rows = [row or [""] for row in csv.reader(io.StringIO(text, newline=""))]
    return [
        [f"_:{blank.setdefault(cell, len(blank))}" if cell.startswith("_:") else cell for cell in r]
        for r in rows
    ]


def csv_cells(answer: Answer) -> list[list[str]]:
    """The CSV an answer should give: IRIs and lexical forms, blank nodes as ``_:n``."""
    cells = [list(answer.variables) or [""]]
    for row in answer.rows:
        line = []
        for key in row:
            if key is None:
                line.append("")
            elif key[0] == "bnode":
                line.append(f"_:{key[1]}")
            else:
                line.append(key[1])
        cells.append(line or [""])
    return cells


def numbers(rows: list[list[str]]) -> list[list[object]]:
    """CSV cells that are numbers as floats, so that lexical forms of one number compare
    equal (CSV keeps no datatypes, and stores write numbers in canonical form)."""

    def value(cell: str) -> object:
        try:
            return float(cell)
        except ValueError:
            return cell

    return [[value(cell) for cell in row] for row in rows]


def integer_types_as_integer(answer: Answer) -> Answer:
    """Oxigraph's store keeps the integer types derived from xsd:integer as xsd:integer
    ("-3"^^xsd:negativeInteger of csvtsv03 comes back as "-3"^^xsd:integer)."""
    derived = {str(XSD[name]) for name in INTEGER_TYPES}

    def change(key):
        if key is not None and key[0] == "literal" and key[3] in derived:
            return (*key[:3], str(XSD.integer))
        return key

    rows = [tuple(change(key) for key in row) for row in answer.rows]
    return Answer(answer.variables, rows, answer.boolean)


INTEGER_TYPES = [
    "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger", "unsignedLong",
    "unsignedInt", "unsignedShort", "unsignedByte", "nonPositiveInteger", "negativeInteger",
]  # fmt: skip


# -- the awkward answer: tests/output/awkward-results.ttl ------------------------------------

AWKWARD_DATA = Path(__file__).parent / "output" / "awkward-results.ttl"
AWKWARD_QUERY = """\
# title: Awkward values
PREFIX ex: <https://example.org/awkward/>
SELECT ?row ?value WHERE { ?row ex:order ?order OPTIONAL { ?row ex:value ?value } }
ORDER BY ?order
"""
_EX = Namespace("https://example.org/awkward/")
# Each row's ?value as the data write it (None: unbound; a BNode: any blank node).
AWKWARD_VALUES = [
    Literal("0", datatype=XSD.integer),
    Literal("0.0", datatype=XSD.decimal),
    Literal("0.0e0", datatype=XSD.double),
    Literal("false", datatype=XSD.boolean),
    Literal(""),
    Literal("chat", lang="fr-CA"),
    Literal("2024-03-01T09:30:00+01:00", datatype=XSD.dateTime),
    BNode(),
    Literal("tab\there"),
    Literal("line\nbreak\r\nand a Windows one"),
    Literal('say "hi", it\'s \\\\ <fine>'),
    Literal("-1.50", datatype=XSD.decimal),
    None,
    URIRef("https://example.org/awkward/iri?q=1&r=%3C2%3E"),
    Literal("ünïcödé ☃ 𝄞 ]]> &amp;"),
    Literal(" padded "),
    Literal("42", datatype=_EX.customType),
]


def awkward_answer() -> Answer:
    """The rows AWKWARD_QUERY should give, by value."""
    blank: dict = {}
    rows = [
        (_term_key(_EX[f"r{number:02d}"], blank, False), _term_key(value, blank, False))
        for number, value in enumerate(AWKWARD_VALUES, start=1)
    ]
    return Answer(["row", "value"], rows)


def awkward_csv() -> list[list[str]]:
    """The CSV cells AWKWARD_QUERY should give (numbers to be compared with ``numbers``)."""
    cells = [["row", "value"]]
    for number, value in enumerate(AWKWARD_VALUES, start=1):
        if value is None:
            text = ""
        elif isinstance(value, BNode):
            text = "_:0"
        else:
            text = str(value)
        cells.append([str(_EX[f"r{number:02d}"]), text])
    return cells


def answer_of(variables: list[str], rows: list[tuple]) -> Answer:
    """An expected answer, by value, from rows of rdflib terms (None: unbound)."""
    blank: dict = {}
    keyed = [tuple(_term_key(term, blank, False) for term in row) for row in rows]
    return Answer(variables, keyed)
