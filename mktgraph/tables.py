"""Reading spreadsheets (CSV in UTF-8 or Windows-1252, any delimiter; .xlsx) and normalising
their cells to what the shapes require: dates, date-times, numbers, currencies, booleans."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mktgraph.errors import InputError

ENCODINGS = ("utf-8-sig", "cp1252")  # what Excel and CRMs write; anything else is refused
DELIMITERS = (",", ";", "\t", "|")


class CellError(ValueError):
    """A cell that cannot be read as what the mapping needs (the message says what it expected)."""


def where(file: str, row: int | None = None, column: str | None = None) -> str:
    """``deals.csv, row 17, column 'Amount'``: how every import error starts."""
    text = file
    if row is not None:
        text += f", row {row}"
    if column is not None:
        text += f", column {column!r}"
    return text


@dataclass
class Table:
    """A table's header and its rows; ``rows`` yields (spreadsheet row number, cells)."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = "utf-8"
    delimiter: str = ","


def open_table(path: Path, delimiter: str | None = None) -> Table:
    """The table in ``path``: .xlsx (first sheet) or delimited text, encoding and delimiter
    found out (UTF-8 with or without BOM, Windows-1252; comma, semicolon, tab or bar)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    head = path.read_bytes()[:65536]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\0" in head:
        raise InputError(
            f"{where(str(path), 1)}: not UTF-8 or Windows-1252 text (it looks like UTF-16); "
            "save it as CSV UTF-8"
        )
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise InputError(f"{path}: empty file: no header row")
    if delimiter is None:
        delimiter = _sniff_delimiter(first)
    elif len(delimiter) != 1:
        raise InputError(f"--delimiter must be one character, not {delimiter!r}")
    header = next(csv.reader([first], delimiter=delimiter))
    header = [name.strip() for name in header]
    return Table(path, header, _csv_rows(path, encoding, delimiter), encoding, delimiter)


def _encoding(path: Path) -> str:
    """UTF-8 (BOM or not) when the whole file decodes as such, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    decoder = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as handle:
        row = 1
        try:
            while block := handle.read(1 << 20):
                text = decoder.decode(block)
                row += text.count("\n")
        except UnicodeDecodeError as error:
            # the five bytes Windows-1252 leaves undefined: neither encoding fits
            row += block[: error.start].count(b"\n")
            raise InputError(
                f"{where(str(path), row)}: not UTF-8 or Windows-1252 text "
                f"(byte 0x{block[error.start]:02x}); save it as CSV UTF-8"
            ) from None
    return "cp1252"


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        row = 1
        for cells in reader:
            row += 1
            if cells:
                yield row, cells


def _open_xlsx(path: Path) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of mktgraph
        raise InputError(f"{path}: reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile.BadZipFile, KeyError, InvalidFileException...
        raise InputError(f"{path}: not a readable .xlsx workbook: {error}") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None or all(cell is None for cell in first):
        raise InputError(f"{path}: empty file: no header row")
    header = [_xlsx_text(cell).strip() for cell in first]

    def body() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(rows, start=2):
            cells = [_xlsx_text(cell) for cell in values]
            if any(cells):
                yield number, cells
        book.close()

    return Table(path, header, body(), "xlsx", "")


def _xlsx_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        if cell.time() == dt.time(0):
            return cell.date().isoformat()
        return cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


# -- normalising cells ----------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # US order, as CRMs export
_YMD_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_TIME = re.compile(
    r"[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([AaPp][Mm])?\s*(Z|[+-]\d{2}:?\d{2})?"
)


def _date_part(text: str) -> tuple[dt.date, str]:
    for pattern, order in (
        (_ISO_DATE, "ymd"),
        (_YMD_SLASHED, "ymd"),
        (_DOTTED_DATE, "dmy"),
        (_SLASHED_DATE, "mdy"),
    ):
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"]), text[match.end() :]
            except ValueError:
                break
    raise CellError(f"unreadable date {text!r} (write it as 2024-03-31)")


@lru_cache(maxsize=4096)  # exports repeat their dates
def to_date(text: str) -> str:
    """A date as xsd:date: ``2024-03-31`` from ISO, ``31.03.2024``, ``3/31/2024`` or a
    date-time at midnight."""
    text = text.strip()
    day, rest = _date_part(text)
    if rest.strip() and not _TIME.fullmatch(rest.rstrip()):
        raise CellError(f"unreadable date {text!r} (write it as 2024-03-31)")
    return day.isoformat()


@lru_cache(maxsize=4096)
def to_datetime(text: str) -> str:
    """A date-time as xsd:dateTime (a date alone is midnight); the time zone is kept."""
    text = text.strip()
    try:
        day, rest = _date_part(text)
    except CellError:
        raise CellError(
            f"unreadable date and time {text!r} (write it as 2024-03-01T09:30:00)"
        ) from None
    rest = rest.rstrip()
    if not rest:
        return f"{day.isoformat()}T00:00:00"
    match = _TIME.fullmatch(rest)
    if not match:
        raise CellError(f"unreadable date and time {text!r} (write it as 2024-03-01T09:30:00)")
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3] or 0)
    if match[5]:
        if not 1 <= hour <= 12:
            raise CellError(f"unreadable date and time {text!r}: hour {hour} with AM/PM")
        hour = hour % 12 + (12 if match[5].lower() == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f"unreadable date and time {text!r}: no such time of day")
    zone = match[6] or ""
    if zone and zone != "Z" and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    fraction = (match[4] or "").rstrip("0").rstrip(".")  # canonical: no trailing zeros
    if zone in ("+00:00", "-00:00"):
        zone = "Z"
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{fraction}{zone}"


CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "Fr.": "CHF"}
_MONEY_NOISE = re.compile(r"^(?:[A-Z]{3}|US\$|Fr\.|[€$£¥])\s*|\s*(?:[A-Z]{3}|[€$£¥])$")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_CANONICAL_DECIMAL = re.compile(
    r"0|-?(?:0|[1-9][0-9]*)\.[0-9]*[1-9]|-?[1-9][0-9]*(?:\.[0-9]*[1-9])?"
)


def to_decimal(text: str, *, decimal_comma: bool = False) -> str:
    """A number as xsd:decimal text: currency signs and thousands separators dropped,
    ``1.234,50`` and ``1,234.50`` both read as 1234.50 (a lone comma is a decimal comma when
    the file is semicolon-separated or two digits or fewer follow it)."""
    if _CANONICAL_DECIMAL.fullmatch(text):
        return text  # most cells: nothing to do
    original = text
    text = _MONEY_NOISE.sub("", text.strip()).replace("\u00a0", "").replace(" ", "")
    text = text.replace("'", "")  # Swiss thousands separator
    negative = text.startswith("(") and text.endswith(")")  # accounting style
    if negative:
        text = "-" + text[1:-1]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        head, _, tail = text.rpartition(",")
        if text.count(",") == 1 and (decimal_comma or len(tail) != 3):
            text = f"{head}.{tail}"
        else:
            text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")  # 1.234.567: dots as thousands separators
    if text.startswith("+"):
        text = text[1:]
    if not _PLAIN_NUMBER.fullmatch(text):
        raise CellError(f"not a number: {original!r}")
    return canonical_decimal(text)


def canonical_decimal(text: str) -> str:
    """``005880.50`` -> ``5880.5``, ``-0.00`` -> ``0``: the form a triple store keeps, so that
    what is imported is what a store holds."""
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    number = f"{whole}.{fraction}" if fraction else whole
    return "-" + number if negative and number != "0" else number


def to_integer(text: str, *, decimal_comma: bool = False) -> str:
    number = to_decimal(text, decimal_comma=decimal_comma)
    whole, _, fraction = number.partition(".")
    if fraction.strip("0"):
        raise CellError(f"not a whole number: {text!r}")
    return str(int(whole))


def to_boolean(text: str) -> str:
    value = text.strip().lower()
    if value in ("true", "yes", "y", "1", "wahr", "ja", "x"):
        return "true"
    if value in ("false", "no", "n", "0", "falsch", "nein"):
        return "false"
    raise CellError(f"not true or false: {text!r}")


@lru_cache(maxsize=256)
def to_currency(text: str) -> str:
    """An ISO 4217 code in capitals: ``eur`` -> EUR, ``€`` -> EUR."""
    value = text.strip()
    value = CURRENCY_SYMBOLS.get(value, value).upper()
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise CellError(f"not a currency code: {text!r} (write a code such as EUR)")
    return value


def fold(text: str) -> str:
    """How names of stages, channels and other fixed values are compared: case, spaces,
    hyphens and underscores ignored."""
    return re.sub(r"[\s_\-]+", "", text).casefold()
