"""The exact per-value tests, written as pySHACL's constraint components decide them.

The SPARQL side of the fast path only proves values *good* when that is certain (a canonical
decimal compared with a decimal, a string of the right length...); every other value comes here,
as an rdflib term, and is judged the way pySHACL judges it, so the two agree on odd literals too;
but for one deliberate choice: values are ordered (sh:lessThan, the ranges) only within one kind,
as SPARQL and XPath order them, and two values of different kinds cannot be compared (see
``compare``), where pySHACL orders them by their datatype IRIs.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from mktgraph.graph import DERIVED_INTEGERS

_quiet_lock = threading.Lock()
_quiet_depth = [0, logging.NOTSET]  # how many callers want quiet, and the level to restore


@contextmanager
def quiet_rdflib():
    """rdflib logs a traceback for every ill-typed literal it meets; pySHACL's verdict on such
    literals is what we want, not the noise. Safe when threads nest it: the last one out
    restores the level."""
    logger = logging.getLogger("rdflib.term")
    with _quiet_lock:
        if _quiet_depth[0] == 0:
            _quiet_depth[1] = logger.level
            logger.setLevel(logging.CRITICAL)
        _quiet_depth[0] += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth[0] -= 1
            if _quiet_depth[0] == 0:
                logger.setLevel(_quiet_depth[1])


# The Python types rdflib gives well-typed values of these datatypes (pySHACL's test).
_PYTHON_TYPES = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _actual_datatype_ok(value: Literal, rule) -> bool:
    expected = _PYTHON_TYPES.get(rule)
    return expected is None or isinstance(value.value, expected)


def datatype_ok(value, rule) -> bool:
    """sh:datatype, as pySHACL's DatatypeConstraintComponent."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == rule:
        if getattr(value, "ill_typed", None) is True:
            return False
        return _actual_datatype_ok(value, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and rule == XSD.string:
        return _actual_datatype_ok(value, rule)
    if rule == RDF.langString and value.language:
        return _actual_datatype_ok(value, rule)
    return False


def value_string(value) -> str:
    """pySHACL's string of a value node for sh:pattern and the length constraints."""
    if isinstance(value, Literal):
        if value.value is not None and value.datatype in (None, RDF.langString, XSD.string):
            return str(value.value)
        return str(value)
    return str(value)


def length_ok(value, bound: int, minimum: bool) -> bool:
    """sh:minLength (``minimum``) or sh:maxLength."""
    if minimum and bound == 0:
        return True
    if isinstance(value, BNode):
        return False
    length = len(value_string(value))
    return length >= bound if minimum else length <= bound


def compile_pattern(pattern: Literal, flags) -> re.Pattern:
    """The regular expression pySHACL compiles for sh:pattern (with sh:flags i and m only)."""
    re_flags = 0
    if flags is not None:
        text = str(flags.value if isinstance(flags, Literal) else flags).lower()
        if "i" in text:
            re_flags |= re.I
        if "m" in text:
            re_flags |= re.M
    source = (
        str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    )
    return re.compile(source, re_flags)


# Python's \\s (str patterns): every character for which str.isspace() is true. Written out, it
# means the same in an XPath regular expression (whose own \\s is narrower).
_PYTHON_SPACE = "".join(chr(code) for code in range(0x3000 + 1) if chr(code).isspace())
# Escapes that mean the same in Python and XPath regular expressions. Not \\d: Unicode digits,
# whose set grows with each Unicode version (Oxigraph's REGEX takes Kawi digits, U+11F50, for
# digits, Python 3.11's re does not), so it is written [0-9], a part of Python's \\d. \\D stays:
# a character that is no digit in a later Unicode version is none in an earlier one.
_SAME_ESCAPES = set(".\\-+*?()[]{}|^$Dntr")


def sparql_regex(pattern: Literal, flags) -> str | None:
    """The pattern as an XPath regular expression for SPARQL REGEX that matches a string only
    where Python's ``re.search`` (pySHACL) matches it too; None for a pattern outside the
    subset where that is sure (flags, the w and b escapes, look-arounds, back-references...)."""
    if flags is not None and str(flags.value if isinstance(flags, Literal) else flags):
        return None
    source = str(pattern)
    out = []
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            if index + 1 >= len(source):
                return None
            escaped = source[index + 1]
            if escaped == "s":
                out.append(_PYTHON_SPACE if in_class else f"[{_PYTHON_SPACE}]")
            elif escaped == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif escaped in _SAME_ESCAPES:
                out.append("\\" + escaped)
            else:
                return None
            index += 2
            continue
        if char == "(" and source[index + 1 : index + 2] == "?":
            return None  # Python's extensions (non-capturing groups, look-arounds, flags)
        if char == "-" and source[index + 1 : index + 2] == "[":
            return None  # XPath's class subtraction
        if char == "[":
            if in_class:
                return None  # a nested "[" is literal in Python, a subtraction in XPath
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    translated = "".join(out)
    try:
        re.compile(translated)
    except re.error:
        return None
    return translated


def pattern_ok(value, matcher: re.Pattern) -> bool:
    if isinstance(value, BNode):
        return False
    text = value_string(value)
    return bool(matcher.match(text) or matcher.search(text))


def language_ok(value, wanted: list[str]) -> bool:
    """sh:languageIn (``wanted`` lowercased), as pySHACL's LanguageInConstraintComponent."""
    if not isinstance(value, Literal) or not value.language:
        return False
    language = str(value.language).lower()
    if "*" in wanted or language in wanted:
        return True
    return language.split("-")[0] in wanted


# Which values can be compared. SHACL compares the values of sh:lessThan, sh:lessThanOrEquals
# and the range constraints with SPARQL's < and <= and asks for a result where two values
# "cannot be compared" (sections 4.3, 4.4.3, 4.4.4). SPARQL 1.1 and XPath order values only
# within one kind: numbers (integer, decimal, float, double and the types derived from them),
# strings (xsd:string, plain literals and the types derived from xsd:string), booleans,
# date-times (and xsd:dateTimeStamp), dates, times, each of gYear, gYearMonth, gMonth,
# gMonthDay and gDay, and durations; Apache Jena's SHACL orders language-tagged strings of
# one language tag among themselves, and so does mktgraph. Every other pair (two kinds, an
# IRI, a blank node, an ill-typed literal, xsd:anyURI, binary or unknown datatypes, a NaN,
# a date-time without a time zone within 14 hours of one with a zone) cannot be compared,
# and gives a result in either order. pySHACL instead compares through rdflib, which orders
# literals of two datatypes by their datatype IRIs (so an xsd:date comes before every
# xsd:dateTime, whatever the days) and IRIs as strings: those verdicts, documented in the
# README ("How values are compared"), are the known differences from pySHACL.
_STRING_TYPES = frozenset(
    XSD[name]
    for name in (
        "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
        "ID", "IDREF", "ENTITY",
    )
)  # fmt: skip
_NUMERIC_TYPES = frozenset(
    {XSD.integer, XSD.decimal, XSD.float, XSD.double, *map(URIRef, DERIVED_INTEGERS)}
)
# The Gregorian types: the fields each one has, read from the lexical form (rdflib gives them
# no value), with the time zone.
_GREGORIAN = {
    XSD.gYear: re.compile(r"(-?\d{4,})(Z|[+-]\d\d:\d\d)?"),
    XSD.gYearMonth: re.compile(r"(-?\d{4,})-(\d\d)(Z|[+-]\d\d:\d\d)?"),
    XSD.gMonth: re.compile(r"--(\d\d)(Z|[+-]\d\d:\d\d)?"),
    XSD.gMonthDay: re.compile(r"--(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?"),
    XSD.gDay: re.compile(r"---(\d\d)(Z|[+-]\d\d:\d\d)?"),
}
_DURATION_TYPES = (XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration)
# A value without a time zone stands for any zone from -14:00 to +14:00 (XSD's partial order).
_ZONE_SPREAD = timedelta(hours=14)
_TIME_DAY = date(1972, 12, 31)  # XSD's reference day for comparing times


def _gregorian_key(value: Literal):
    match = _GREGORIAN[value.datatype].fullmatch(str(value))
    if match is None:
        return None
    *fields, zone = match.groups()
    return tuple(int(field) for field in fields), zone


def _duration_key(value: Literal):
    """A duration as (months, the rest as a timedelta), from rdflib's value."""
    duration = value.value
    if isinstance(duration, timedelta):
        return 0, duration
    months = getattr(duration, "years", None)
    if months is None:
        return None
    return months * 12 + duration.months, duration.tdelta


def order_key(term):
    """The kind of value a term is, as (kind, value): two terms compare only when they are of
    one kind. None for a term that SPARQL and XPath do not order (see above)."""
    if not isinstance(term, Literal) or getattr(term, "ill_typed", None) is True:
        return None
    datatype = term.datatype
    if term.language:
        return ("lang", term.language.lower()), str(term)
    if datatype is None or datatype in _STRING_TYPES:
        return "string", str(term)
    if datatype in _GREGORIAN:
        key = _gregorian_key(term)
        return None if key is None else (datatype, key)
    value = term.value
    if datatype == XSD.dateTimeStamp:  # rdflib gives it no value: read as an xsd:dateTime
        value = Literal(str(term), datatype=XSD.dateTime).value
        return None if getattr(value, "tzinfo", None) is None else ("dateTime", value)
    if value is None:
        return None
    if datatype in _NUMERIC_TYPES and isinstance(value, (int, Decimal, float)):
        if isinstance(value, bool) or value != value:  # NaN is unordered
            return None
        if isinstance(value, Decimal) and not value.is_finite():
            return None
        return "number", value
    if datatype == XSD.boolean and isinstance(value, bool):
        return "boolean", value
    if datatype == XSD.dateTime and isinstance(value, datetime):
        return "dateTime", value
    if datatype == XSD.date and isinstance(value, date):
        return "date", value
    if datatype == XSD.time and isinstance(value, time):
        return "time", datetime.combine(_TIME_DAY, value)
    if datatype in _DURATION_TYPES:
        key = _duration_key(term)
        return None if key is None else ("duration", key)
    return None


def _sign(left, right) -> int:
    return (left > right) - (left < right)


def _instant_order(left: datetime, right: datetime) -> int | None:
    zoned = (left.tzinfo is not None, right.tzinfo is not None)
    if zoned[0] == zoned[1]:
        return _sign(left, right)
    naive, other, flip = (left, right, 1) if not zoned[0] else (right, left, -1)
    earliest = naive.replace(tzinfo=timezone.utc) - _ZONE_SPREAD
    latest = naive.replace(tzinfo=timezone.utc) + _ZONE_SPREAD
    if latest < other:
        return -flip
    if earliest > other:
        return flip
    return None  # indeterminate


def compare(one, other) -> int | None:
    """-1, 0 or 1 as ``one`` is less than, equal to or greater than ``other``; None when the
    two cannot be compared."""
    left, right = order_key(one), order_key(other)
    if left is None or right is None or left[0] != right[0]:
        return None
    kind, a = left
    b = right[1]
    if kind in ("dateTime", "time"):
        return _instant_order(a, b)
    if isinstance(kind, URIRef):  # a Gregorian type: comparable within one time zone only
        (fields_a, zone_a), (fields_b, zone_b) = a, b
        return _sign(fields_a, fields_b) if zone_a == zone_b else None
    if kind == "duration":
        (months_a, rest_a), (months_b, rest_b) = a, b
        months, rest = _sign(months_a, months_b), _sign(rest_a, rest_b)
        if months == rest or rest == 0:
            return months
        return rest if months == 0 else None
    return _sign(a, b)


def comparable(one, other) -> bool:
    """Whether two terms can be compared (see ``compare``)."""
    return compare(one, other) is not None


def range_ok(value, bound: Literal, op: str) -> bool:
    """sh:minExclusive (op '>'), sh:minInclusive ('>='), sh:maxExclusive ('<'),
    sh:maxInclusive ('<='): never ok for a value that cannot be compared with the bound."""
    order = compare(value, bound)
    if order is None:
        return False
    if op == ">":
        return order > 0
    if op == ">=":
        return order >= 0
    if op == "<":
        return order < 0
    return order <= 0


def pair_fails(value, other, or_equal: bool) -> bool:
    """Whether one (value, other) pair of sh:lessThan / sh:lessThanOrEquals fails: always for
    two values that cannot be compared."""
    order = compare(value, other)
    return order is None or order > 0 or (order == 0 and not or_equal)
