"""The spreadsheets Jigiya writes (CSV and XLSX), made so that no cell can run code.

A spreadsheet program reads a cell beginning with `=`, `+`, `-` or `@` (some also a tab or a
carriage return) as a formula: a household named `=HYPERLINK("http://…"&A1,"Cliquez")` becomes a
live link that sends the row to whoever wrote it. OWASP's rule: such a text cell gets a single
quote in front, so every program shows it as text. Only text is touched: numbers stay numbers (a
negative amount written as a number is a number, not a formula). In XLSX every text cell is
written as text (type "s"), never as a formula, and the control characters XML cannot carry are
dropped instead of failing the whole export.

Every CSV or XLSX file Jigiya writes goes through `csv_text` or `xlsx_bytes`.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What a spreadsheet program may take for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = Sequence[Any]


def safe_cell(value: Any) -> Any:
    """`value` as a cell that cannot run code: text that could start a formula gets a leading
    single quote; numbers, dates and empty cells are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal)


def _decimal_comma(value: Any) -> Any:
    """A number with a fractional part written with a decimal comma (`12,5`), as French
    spreadsheet programs read numbers; made after `safe_cell`, so `-3,5` stays a number."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return value


def csv_text(
    header: Row, rows: Iterable[Row], *, delimiter: str = ",", decimal_comma: bool = False
) -> str:
    """The header and rows as CSV (CRLF line ends, a UTF-8 byte order mark first so that
    spreadsheet programs read accents right), every cell made safe; None is an empty cell.
    French Excel: `delimiter=";"` and `decimal_comma=True`."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    number = _decimal_comma if decimal_comma else (lambda cell: cell)
    for row in rows:
        writer.writerow(["" if cell is None else number(safe_cell(cell)) for cell in row])
    return "\ufeff" + text.getvalue()


def xlsx_bytes(header: Row, rows: Iterable[Row], *, title: str = "jigiya") -> bytes:
    """The header and rows as an XLSX workbook of one sheet, written row by row (constant
    memory): text cells as text, numbers as numbers, None as an empty cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title)

    def cells(row: Row) -> list[Any]:
        out = []
        for value in row:
            if value is None or _is_number(value):
                out.append(value)
                continue
            # Dropped first, so that "\x01=…" cannot become a formula once the \x01 is gone.
            cell = WriteOnlyCell(sheet, value=safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value))))
            cell.data_type = "s"  # a string, whatever it begins with: never a formula
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
