"""Exports: indicator tables and record-level tables as CSV or XLSX, with pseudonyms on request.

A pseudonym is the HMAC-SHA256 of the value (trimmed, case-folded, inner spaces collapsed) keyed
with SECRET_KEY, truncated: the same name or phone number always gives the same pseudonym, so
rows of one person can still be counted together, and nobody can read the value back without
the key. Exports larger than `JIGIYA_EXPORT_MAX_ROWS` (default 100 000) are refused whole.
"""

import csv
import datetime
import hashlib
import hmac
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from jigiya.indicators.catalog import RecordColumn, Unit
from jigiya.indicators.selectors import TableRow

DEFAULT_MAX_ROWS = 100_000
PSEUDONYM_LENGTH = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TABLE_HEADER = [
    "indicator",
    "place_code",
    "place",
    "place_kind",
    "month",
    "numerator",
    "denominator",
    "value",
    "unit",
]


def max_rows() -> int:
    return int(getattr(settings, "JIGIYA_EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def check_size(rows: int) -> None:
    """Refuse an export larger than the configured limit, before anything is written."""
    limit = max_rows()
    if rows > limit:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "This export has %(rows)s rows, more than the limit of %(limit)s: "
                        "choose a smaller place or period."
                    )
                    % {"rows": rows, "limit": limit}
                ]
            },
            code="too_large",
        )


def pseudonym(value: Any) -> str:
    """A stable stand-in for a name or phone number ("" stays "")."""
    text = " ".join(str(value or "").split()).casefold()
    if not text:
        return ""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"jigiya.pseudonym\x00" + text.encode(), hashlib.sha256
    ).hexdigest()
    return "P-" + digest[:PSEUDONYM_LENGTH]


def _rounded(value: float | None, unit: str) -> float | int | None:
    if value is None:
        return None
    if unit in (Unit.PERCENT, Unit.AVERAGE, Unit.FCFA_AVERAGE):
        return round(value, 1)
    return int(value)


def table_rows(rows: Iterable[TableRow]) -> Iterable[list[Any]]:
    for row in rows:
        yield [
            row.indicator.code,
            row.area.code,
            row.area.name,
            row.area.place_kind,
            f"{row.point.month:%Y-%m}",
            row.point.numerator,
            row.point.denominator,
            _rounded(row.point.value, row.indicator.unit),
            row.indicator.unit,
        ]


def _read(record: Any, path: str) -> Any:
    value = record
    for part in path.replace(".", "__").split("__"):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def record_header(columns: Sequence[RecordColumn]) -> list[str]:
    return [column.path for column in columns]


def record_rows(
    records: QuerySet | Iterable[Any], columns: Sequence[RecordColumn], *, pseudonyms: bool
) -> Iterable[list[Any]]:
    for record in records:
        row = []
        for column in columns:
            value = _plain(_read(record, column.path))
            row.append(pseudonym(value) if pseudonyms and column.personal else value)
        yield row


def respond(
    header: list[str], rows: Iterable[list[Any]], *, filename: str, fmt: str
) -> HttpResponse:
    """The rows as a downloadable CSV (UTF-8 with BOM, for spreadsheet programs) or XLSX."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title="jigiya")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
