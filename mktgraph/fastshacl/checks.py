"""The exact per-value tests, written as pySHACL's constraint components decide them.

The SPARQL side of the fast path only proves values *good* when that is certain (a canonical
decimal compared with a decimal, a string of the right length...); every other value comes here,
as an rdflib term, and is judged the way pySHACL judges it, so the two agree on odd literals too;
but for one deliberate choice: an xsd:date and an xsd:dateTime never compare (see
``dates_meet_date_times``).
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from mktgraph.errors import InputError

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


# An xsd:date and an xsd:dateTime cannot be compared: they are distinct primitive types of XSD
# (no order between their value spaces), and SHACL asks for a result when the values of a range
# or property-pair constraint cannot be compared (sections 4.3, 4.4.3, 4.4.4); Jena SHACL reports
# the pair. pySHACL compares them through rdflib, which orders literals of two datatypes by
# their datatype IRIs: a date comes before every date-time ("...#date" < "...#dateTime"),
# so it passes `date sh:lessThan dateTime` and `date sh:maxInclusive dateTime` whatever the
# days, and fails the other order. mktgraph reports both orders, on every path it validates
# itself (files, store, server); shapes left to pySHACL keep pySHACL's reading (README).
_DATE_TYPES = (XSD.date,)
_DATE_TIME_TYPES = (XSD.dateTime, XSD.dateTimeStamp)


def dates_meet_date_times(one, other) -> bool:
    """Whether one of two terms is an xsd:date literal and the other an xsd:dateTime one
    (well formed or not: an ill-formed date is no more comparable with a date-time)."""
    datatypes = [t.datatype if isinstance(t, Literal) else None for t in (one, other)]
    return any(d in _DATE_TYPES for d in datatypes) and any(
        d in _DATE_TIME_TYPES for d in datatypes
    )


def range_ok(value, bound: Literal, op: str) -> bool:
    """sh:minExclusive (op '>'), sh:minInclusive ('>='), sh:maxExclusive ('<'),
    sh:maxInclusive ('<='), as pySHACL's value range components, but for an xsd:date against
    an xsd:dateTime: never ok (see ``dates_meet_date_times``)."""
    from pyshacl.rdfutil.compare import compare_literal

    if not isinstance(value, Literal):
        return False
    if dates_meet_date_times(value, bound):
        return False
    bound_is_string = isinstance(bound.value, str)
    value_is_string = isinstance(value.value, str)
    if bound_is_string != value_is_string:
        return False
    try:
        order = compare_literal(value, bound)
    except (TypeError, NotImplementedError):
        return False
    if op == ">":
        return order > 0
    if op == ">=":
        return order >= 0
    if op == "<":
        return order < 0
    return order <= 0


def _comparable(node):
    if isinstance(node, BNode):
        raise InputError("Cannot use sh:lessThan or sh:lessThanOrEquals to compare a blank node")
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def pair_fails(value, other, or_equal: bool) -> bool:
    """Whether one (value, other) pair of sh:lessThan / sh:lessThanOrEquals fails, as pySHACL,
    but for an xsd:date against an xsd:dateTime: always fails (see ``dates_meet_date_times``)."""
    left, left_string = _comparable(value)
    right, right_string = _comparable(other)
    if left_string != right_string or dates_meet_date_times(value, other):
        return True
    try:
        return not (left <= right) if or_equal else not (left < right)
    except TypeError as error:  # pySHACL stops here too
        raise InputError(f"cannot compare {value} with {other}: {error}") from None
