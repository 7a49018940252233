"""Values of two kinds under sh:lessThan, sh:lessThanOrEquals and the range constraints: they
cannot be compared (SPARQL 1.1 and XPath order values within one kind only; SHACL 4.3 and 4.4
ask for a result), so each such pair is reported in both orders, as Apache Jena's SHACL does,
where pySHACL orders literals of two datatypes by their datatype IRIs and IRIs as strings.
The case, and the exact results every path of mktgraph's own validator gives (files, store,
servers: tests/integration/test_server_incomparable.py)."""

from __future__ import annotations

import csv
import io

DATA = """\
@prefix ex: <https://example.org/dates/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# A date against a date-time, in both orders: in UTC, without a time zone, on the same day,
# and a date with a time zone.
ex:date-then-utc a ex:Period ;
    ex:start "2022-03-01"^^xsd:date ; ex:end "2022-04-01T10:00:00Z"^^xsd:dateTime .
ex:utc-then-date a ex:Period ;
    ex:start "2022-03-01T10:00:00Z"^^xsd:dateTime ; ex:end "2022-04-01"^^xsd:date .
ex:same-day-date-then-local a ex:Period ;
    ex:start "2022-04-01"^^xsd:date ; ex:end "2022-04-01T00:00:00"^^xsd:dateTime .
ex:same-day-local-then-date a ex:Period ;
    ex:start "2022-04-01T00:00:00"^^xsd:dateTime ; ex:end "2022-04-01"^^xsd:date .
ex:same-day-zoned-date-then-zoned a ex:Period ;
    ex:start "2022-04-01+02:00"^^xsd:date ; ex:end "2022-04-01T09:00:00+02:00"^^xsd:dateTime .

# Other kinds against each other: a number and a date, a string and a number, a
# language-tagged string and a number, a string, or one of another language; a time and a
# date; a year and a date; a boolean and a number; two IRIs; a string and an IRI; a date-time
# without a time zone two hours from one in UTC (it stands for any zone from -14:00 to +14:00:
# neither before nor after).
ex:number-then-date a ex:Period ; ex:start 1 ; ex:end "2022-04-01"^^xsd:date .
ex:date-then-number a ex:Period ; ex:start "2022-03-01"^^xsd:date ; ex:end 20220401 .
ex:string-then-number a ex:Period ; ex:start "10" ; ex:end 20 .
ex:number-then-string a ex:Period ; ex:start 10 ; ex:end "20" .
ex:tagged-then-number a ex:Period ; ex:start "10"@en ; ex:end 20 .
ex:tagged-then-string a ex:Period ; ex:start "a"@en ; ex:end "b" .
ex:tagged-other-language a ex:Period ; ex:start "a"@en ; ex:end "b"@fr .
ex:time-then-date a ex:Period ; ex:start "10:00:00"^^xsd:time ; ex:end "2022-04-01"^^xsd:date .
ex:year-then-date a ex:Period ; ex:start "2021"^^xsd:gYear ; ex:end "2022-04-01"^^xsd:date .
ex:boolean-then-number a ex:Period ; ex:start false ; ex:end 1 .
ex:iri-then-iri a ex:Period ; ex:start ex:a ; ex:end ex:b .
ex:string-then-iri a ex:Period ; ex:start "a" ; ex:end ex:b .
ex:local-near-utc a ex:Period ;
    ex:start "2022-04-01T10:00:00"^^xsd:dateTime ; ex:end "2022-04-01T12:00:00Z"^^xsd:dateTime .

# Comparable pairs still compare: in order, and equal (fails sh:lessThan only); numbers of
# different datatypes, strings of a type derived from xsd:string, tagged strings of one
# language, years, times, booleans, and a date-time without a time zone far enough from one
# in UTC all compare (these pass).
ex:numbers-in-order a ex:Period ; ex:start "1"^^xsd:int ; ex:end 2.5e0 .
ex:integer-then-decimal a ex:Period ; ex:start 1 ; ex:end 2.5 .
ex:strings-in-order a ex:Period ; ex:start "a" ; ex:end "b"^^xsd:token .
ex:tagged-in-order a ex:Period ; ex:start "a"@en ; ex:end "b"@en .
ex:years-in-order a ex:Period ; ex:start "2021"^^xsd:gYear ; ex:end "2022"^^xsd:gYear .
ex:times-in-order a ex:Period ;
    ex:start "10:00:00"^^xsd:time ; ex:end "11:00:00"^^xsd:time .
ex:booleans-in-order a ex:Period ; ex:start false ; ex:end true .
ex:local-far-from-utc a ex:Period ;
    ex:start "2022-04-01T10:00:00"^^xsd:dateTime ; ex:end "2022-04-03T10:00:00Z"^^xsd:dateTime .
ex:dates-in-order a ex:Period ;
    ex:start "2022-01-01"^^xsd:date ; ex:end "2022-02-01"^^xsd:date .
ex:utc-in-order a ex:Period ;
    ex:start "2022-01-01T08:00:00Z"^^xsd:dateTime ; ex:end "2022-01-01T09:00:00Z"^^xsd:dateTime .
ex:dates-equal a ex:Period ;
    ex:start "2022-05-05"^^xsd:date ; ex:end "2022-05-05"^^xsd:date .

# Range bounds: a date under a date-time maximum, a date-time above a date minimum (both
# incomparable), and values of the bound's own datatype in range.
ex:dates-in-order ex:due "2022-06-30"^^xsd:date ; ex:opened "2022-06-30T12:00:00"^^xsd:dateTime .
ex:utc-in-order ex:due "2022-06-30T00:00:00Z"^^xsd:dateTime ; ex:opened "2022-06-30"^^xsd:date .

# A number bound: a string, a tagged string and a date are not numbers (results); a decimal
# and an xsd:byte are (in range).
ex:dates-in-order ex:size "5" .
ex:utc-in-order ex:size "5"@en .
ex:dates-equal ex:size "2022-01-01"^^xsd:date .
ex:integer-then-decimal ex:size 5.5 .
ex:numbers-in-order ex:size "5"^^xsd:byte .
"""

SHAPES = """\
@prefix ex: <https://example.org/dates/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:PeriodShape a sh:NodeShape ;
    sh:targetClass ex:Period ;
    sh:property ex:Period-lessThan, ex:Period-lessThanOrEquals, ex:Period-due, ex:Period-opened,
        ex:Period-size .
ex:Period-lessThan a sh:PropertyShape ; sh:path ex:start ; sh:lessThan ex:end .
ex:Period-lessThanOrEquals a sh:PropertyShape ; sh:path ex:start ; sh:lessThanOrEquals ex:end .
ex:Period-due a sh:PropertyShape ;
    sh:path ex:due ; sh:maxInclusive "2023-01-01T00:00:00Z"^^xsd:dateTime .
ex:Period-opened a sh:PropertyShape ;
    sh:path ex:opened ; sh:minInclusive "2022-01-01"^^xsd:date .
ex:Period-size a sh:PropertyShape ; sh:path ex:size ; sh:minInclusive 1 .
"""

_EX = "https://example.org/dates/"
_LT = "sh:LessThanConstraintComponent"
_LTE = "sh:LessThanOrEqualsConstraintComponent"


def _pair(focus: str, start: str, start_repr: str) -> list[tuple[str, ...]]:
    """The two results of a pair that fails both property-pair shapes."""
    return [
        (
            f"{_EX}{focus}",
            f"{_EX}start",
            start,
            f"Value of <{_EX}{focus}>-><{_EX}end> {sign} {start_repr}",
            f"{_EX}Period-{name}",
            component,
        )
        for name, sign, component in (("lessThan", "<=", _LT), ("lessThanOrEquals", "<", _LTE))
    ]


def _date(lexical: str) -> str:
    return f'Literal("{lexical}", datatype=xsd:date)'


def _date_time(lexical: str, value: str) -> str:
    return f'Literal("{lexical}" = {value}, datatype=xsd:dateTime)'


# (focus, path, value, message, shape, component) of each result, as `validate --format csv`
# writes them (values as rdflib writes them: "Z" as "+00:00").
EXPECTED: list[tuple[str, ...]] = sorted(
    [
        *_pair("date-then-utc", "2022-03-01", _date("2022-03-01")),
        *_pair(
            "utc-then-date",
            "2022-03-01T10:00:00+00:00",
            _date_time("2022-03-01T10:00:00+00:00", "2022-03-01 10:00:00+00:00"),
        ),
        *_pair("same-day-date-then-local", "2022-04-01", _date("2022-04-01")),
        *_pair(
            "same-day-local-then-date",
            "2022-04-01T00:00:00",
            _date_time("2022-04-01T00:00:00", "2022-04-01 00:00:00"),
        ),
        # rdflib reads a date's time zone and drops it ("2022-04-01+02:00" is "2022-04-01"):
        # mktgraph reads literals as rdflib does, on every path.
        *_pair("same-day-zoned-date-then-zoned", "2022-04-01", _date("2022-04-01")),
        *_pair("number-then-date", "1", 'Literal("1", datatype=xsd:integer)'),
        *_pair("date-then-number", "2022-03-01", _date("2022-03-01")),
        *_pair("string-then-number", "10", 'Literal("10")'),
        *_pair("number-then-string", "10", 'Literal("10", datatype=xsd:integer)'),
        *_pair("tagged-then-number", "10", 'Literal("10", lang=en)'),
        *_pair("tagged-then-string", "a", 'Literal("a", lang=en)'),
        *_pair("tagged-other-language", "a", 'Literal("a", lang=en)'),
        *_pair("time-then-date", "10:00:00", 'Literal("10:00:00", datatype=xsd:time)'),
        *_pair("year-then-date", "2021", 'Literal("2021", datatype=xsd:gYear)'),
        *_pair("boolean-then-number", "false", 'Literal("false" = False, datatype=xsd:boolean)'),
        *_pair("iri-then-iri", f"{_EX}a", f"<{_EX}a>"),
        *_pair("string-then-iri", "a", 'Literal("a")'),
        *_pair(
            "local-near-utc",
            "2022-04-01T10:00:00",
            _date_time("2022-04-01T10:00:00", "2022-04-01 10:00:00"),
        ),
        *(
            (
                f"{_EX}{focus}",
                f"{_EX}size",
                value,
                'Value is not >= Literal("1", datatype=xsd:integer)',
                f"{_EX}Period-size",
                "sh:MinInclusiveConstraintComponent",
            )
            for focus, value in (
                ("dates-in-order", "5"),
                ("utc-in-order", "5"),
                ("dates-equal", "2022-01-01"),
            )
        ),
        (
            f"{_EX}dates-equal",
            f"{_EX}start",
            "2022-05-05",
            f"Value of <{_EX}dates-equal>-><{_EX}end> <= {_date('2022-05-05')}",
            f"{_EX}Period-lessThan",
            _LT,
        ),
        (
            f"{_EX}dates-in-order",
            f"{_EX}due",
            "2022-06-30",
            'Value is not <= Literal("2023-01-01T00:00:00+00:00" = 2023-01-01 00:00:00+00:00, '
            "datatype=xsd:dateTime)",
            f"{_EX}Period-due",
            "sh:MaxInclusiveConstraintComponent",
        ),
        (
            f"{_EX}dates-in-order",
            f"{_EX}opened",
            "2022-06-30T12:00:00",
            'Value is not >= Literal("2022-01-01", datatype=xsd:date)',
            f"{_EX}Period-opened",
            "sh:MinInclusiveConstraintComponent",
        ),
    ]
)

# What pySHACL reports of the same (where mktgraph leaves a shape to it: --inference owlrl, or a
# shape the compiler does not cover) lacks these results: pySHACL orders literals of two
# datatypes by their datatype IRIs ("...#date" before "...#dateTime" and "...#integer", a
# string before a tagged string...), IRIs as strings, and a date-time without a time zone
# before one with a zone; and it passes a date under a date-time maximum. The known
# differences, documented in the README.
PYSHACL_MISSES = sorted(
    row
    for row in EXPECTED
    if row[0].rsplit("/", 1)[1]
    in (
        "date-then-utc", "same-day-date-then-local", "same-day-zoned-date-then-zoned",
        "date-then-number", "iri-then-iri", "string-then-iri", "local-near-utc",
        "boolean-then-number",
        "tagged-other-language", "tagged-then-string",
    )
    or row[5] == "sh:MaxInclusiveConstraintComponent"
)  # fmt: skip


def rows(csv_text: str) -> list[tuple[str, ...]]:
    """`validate --format csv` output as sorted (focus, path, value, message, shape, component)."""
    table = list(csv.DictReader(io.StringIO(csv_text)))
    assert all(row["severity"] == "violation" for row in table), csv_text
    return sorted(
        tuple(row[k] for k in ("focus", "path", "value", "message", "shape", "component"))
        for row in table
    )
