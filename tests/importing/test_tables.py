"""Reading exports (encodings, delimiters, .xlsx) and normalising cells to the shapes' types."""

from __future__ import annotations

import pytest

from mktgraph.errors import InputError
from mktgraph.tables import (
    CellError,
    open_table,
    to_currency,
    to_date,
    to_datetime,
    to_decimal,
    to_integer,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-20", "2024-03-20"),
        ("2024-3-5", "2024-03-05"),
        ("20.03.2024", "2024-03-20"),
        ("3/20/2024", "2024-03-20"),
        ("2024/03/20", "2024-03-20"),
        ("2024-03-20 00:00", "2024-03-20"),
        ("2024-03-20T00:00:00.000Z", "2024-03-20"),
    ],
)
def test_dates(text, expected):
    assert to_date(text) == expected


@pytest.mark.parametrize("text", ["20/13/2024", "2024-02-30", "March 3rd", "2024-03-20 soon"])
def test_unreadable_dates(text):
    with pytest.raises(CellError, match="unreadable date"):
        to_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-08T10:05:00.000Z", "2024-02-08T10:05:00Z"),
        ("2024-02-08T10:05:00.250+00:00", "2024-02-08T10:05:00.25Z"),
        ("2024-02-08 11:05", "2024-02-08T11:05:00"),
        ("2024-02-08T11:05:00+01:00", "2024-02-08T11:05:00+01:00"),
        ("2024-02-08T11:05:00+0100", "2024-02-08T11:05:00+01:00"),
        ("2/8/2024 3:05 PM", "2024-02-08T15:05:00"),
        ("08.02.2024 11:05", "2024-02-08T11:05:00"),
        ("2024-02-08", "2024-02-08T00:00:00"),
    ],
)
def test_datetimes(text, expected):
    assert to_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("5880.00", False, "5880"),
        ("5,880.00", False, "5880"),
        ("5.880,00", False, "5880"),
        ("5880,5", False, "5880.5"),
        ("007.50", False, "7.5"),
        ("-0.00", False, "0"),
        ("1,500", False, "1500"),
        ("1,500", True, "1.5"),
        ("€ 5,880.00", False, "5880"),
        ("EUR 18000", False, "18000"),
        ("18 000,00 €", False, "18000"),
        ("1'234.50", False, "1234.5"),
        ("(250.00)", False, "-250"),
    ],
)
def test_decimals(text, comma, expected):
    assert to_decimal(text, decimal_comma=comma) == expected


@pytest.mark.parametrize("text", ["n/a", "12 EUR 5", "1.2.3,4,5", "five"])
def test_non_numeric(text):
    with pytest.raises(CellError, match="not a number"):
        to_decimal(text)


def test_integers_and_currencies():
    assert to_integer("1,200") == "1200"
    assert to_integer("12.0") == "12"
    with pytest.raises(CellError, match="not a whole number"):
        to_integer("12.5")
    assert [to_currency(c) for c in ("eur", " EUR", "€", "$", "£")] == [
        "EUR",
        "EUR",
        "EUR",
        "USD",
        "GBP",
    ]
    with pytest.raises(CellError, match="not a currency code"):
        to_currency("Euro")


def test_utf8_with_and_without_bom_and_windows_1252(tmp_path):
    text = "id,name\nn1,Hanse Möbelhaus – Süd\n"
    for name, data in [
        ("plain.csv", text.encode("utf-8")),
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("excel.csv", text.encode("cp1252")),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        table = open_table(path)
        assert table.header == ["id", "name"]
        assert list(table.rows) == [(2, ["n1", "Hanse Möbelhaus – Süd"])]


def test_other_encodings_are_refused(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("id,name\nn1,Süd\n".encode("utf-16"))
    with pytest.raises(InputError, match=r"utf16.csv, row 1: not UTF-8 or Windows-1252 text"):
        open_table(utf16)
    undefined = tmp_path / "undefined.csv"
    undefined.write_bytes(b"id,name\nn1,ok\nn2,bad \x81 byte\n")
    with pytest.raises(InputError, match=r"undefined.csv, row 3: not UTF-8 or Windows-1252"):
        open_table(undefined)


def test_delimiters_found_or_given(tmp_path):
    path = tmp_path / "semicolons.csv"
    path.write_text("id;amount\nd1;1.234,50\n", encoding="utf-8")
    table = open_table(path)
    assert (table.header, table.delimiter) == (["id", "amount"], ";")
    assert list(table.rows) == [(2, ["d1", "1.234,50"])]
    given = open_table(path, delimiter=",")
    assert given.header == ["id;amount"]


def test_empty_file(tmp_path):
    for data in (b"", b"\xef\xbb\xbf", b"\n\n"):
        path = tmp_path / "empty.csv"
        path.write_bytes(data)
        with pytest.raises(InputError, match="empty.csv: empty file: no header row"):
            open_table(path)


def test_xlsx(tmp_path):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Id", "CloseDate", "Amount"])
    sheet.append(["o1", dt.datetime(2024, 3, 20), 5880.0])
    sheet.append([None, None, None])
    sheet.append(["o2", dt.date(2024, 4, 10), 18000.5])
    book.save(tmp_path / "Opportunity.xlsx")
    table = open_table(tmp_path / "Opportunity.xlsx")
    assert table.header == ["Id", "CloseDate", "Amount"]
    assert list(table.rows) == [
        (2, ["o1", "2024-03-20", "5880"]),
        (4, ["o2", "2024-04-10", "18000.5"]),
    ]
