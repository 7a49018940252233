"""One written form per value for numbers, booleans, dates and date-times, whichever engine
answered: rdflib keeps ``6500.00`` and writes ``...+00:00``, Oxigraph stores ``6500`` and
``...Z``, Virtuoso has its own. Answers are written in Oxigraph's forms, which are the XSD 1.1
canonical ones for integers, decimals, booleans, dates and date-times (doubles and floats: the
shortest decimal numeral that reads back as the same number, never with an exponent)."""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
}  # fmt: skip
_DATE_TIME = re.compile(
    r"^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$"
)
_DATE = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$")


def canonical(lexical: str, datatype: str | None) -> str:
    """The written form of a literal of ``datatype`` (an IRI; None: a plain string), or
    ``lexical`` unchanged when it is not one of these types or not a valid value of it."""
    if not datatype or not datatype.startswith(XSD):
        return lexical
    text = lexical.strip()
    try:
        if datatype in _INTEGERS:
            return str(int(text))
        if datatype == XSD + "decimal":
            return _decimal(text)
        if datatype == XSD + "boolean":
            return {"true": "true", "1": "true", "false": "false", "0": "false"}.get(text, lexical)
        if datatype == XSD + "double":
            return _double(text)
        if datatype == XSD + "float":
            return _float(text)
        if datatype == XSD + "dateTime":
            return _date_time(text) or lexical
        if datatype == XSD + "date":
            return _date(text) or lexical
    except (ValueError, ArithmeticError):  # decimal's InvalidOperation is an ArithmeticError
        return lexical
    return lexical


def _decimal(text: str) -> str:
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(text)
    from decimal import Decimal

    value = Decimal(text)
    if value == value.to_integral_value():
        return str(int(value))
    written = format(value.normalize(), "f")
    return written


def _special(text: str) -> str | None:
    return {"INF": "INF", "+INF": "INF", "-INF": "-INF", "NaN": "NaN"}.get(text)


def _double(text: str) -> str:
    special = _special(text)
    if special:
        return special
    return _numeral(repr(float(text)))


def _float(text: str) -> str:
    special = _special(text)
    if special:
        return special
    import struct

    value = struct.unpack("f", struct.pack("f", float(text)))[0]
    for digits in range(1, 10):  # the shortest numeral that is the same 32-bit float
        written = f"{value:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(written)))[0] == value:
            return _numeral(written)
    return _numeral(repr(value))


def _numeral(shortest: str) -> str:
    """A float's shortest digits (Python's repr) as a plain numeral, without exponent or a
    trailing ``.0``."""
    from decimal import Decimal

    value = Decimal(shortest)
    if value.is_zero():
        return "-0" if shortest.startswith("-") else "0"
    written = format(value.normalize(), "f")
    return written


def _zone(zone: str | None) -> str:
    if not zone:
        return ""
    return "Z" if zone in ("Z", "+00:00", "-00:00") else zone


def _date_time(text: str) -> str | None:
    match = _DATE_TIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    fraction = (fraction or "").rstrip("0")
    fraction = "" if fraction == "." else fraction
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{fraction}{_zone(zone)}"


def _date(text: str) -> str | None:
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day, zone = match.groups()
    return f"{year}-{month}-{day}{_zone(zone)}"


def canonical_result(result):  # rdflib Result -> the same Result
    """A query's answer with every number, boolean, date and date-time of a SELECT written in
    its one form (in place; other answers, and a store's own CSV, are returned as they are)."""
    from mktgraph.queries import CsvAnswer

    if isinstance(result, CsvAnswer) or result.type != "SELECT":
        return result
    from rdflib import Literal

    rows = []
    for row in result.bindings:
        written_row = dict(row)
        for variable, term in written_row.items():
            if type(term) is Literal and term.datatype is not None and not term.language:
                written = canonical(str(term), str(term.datatype))
                if written != str(term):
                    rewritten = Literal(written, datatype=term.datatype, normalize=False)
                    written_row[variable] = rewritten
        rows.append(written_row)
    result.bindings = rows
    return result
