"""Exports: indicator tables and record-level tables as CSV or XLSX, with pseudonyms on request.

A pseudonym is the HMAC-SHA256 of the value (trimmed, case-folded, inner spaces collapsed) keyed
with SECRET_KEY, truncated: the same name or phone number always gives the same pseudonym, so
rows of one person can still be counted together, and nobody can read the value back without
the key. Exports larger than `JIGIYA_EXPORT_MAX_ROWS` (default 100 000) are refused whole.
"""

import datetime
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from jigiya.core.spreadsheets import XLSX_CONTENT_TYPE, csv_text, xlsx_bytes
from jigiya.indicators.catalog import RecordColumn, Unit
from jigiya.indicators.selectors import TableRow

DEFAULT_MAX_ROWS = 100_000
PSEUDONYM_LENGTH = 12
XLSX = XLSX_CONTENT_TYPE

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
    if value is None or isinstance(value, int | float | Decimal | str):
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


# CSV dialects: `dialect=fr` is what Excel set to French opens as columns (semicolons, decimal
# commas); without it, commas and decimal points, as programs and other spreadsheets read them.
FRENCH = "fr"
DIALECTS = ("", FRENCH)


def parse_dialect(text: str | None) -> str:
    """`dialect=` of a CSV export: "" (commas) or "fr" (French Excel); anything else is 400."""
    if (text or "") not in DIALECTS:
        raise ValidationError(
            {"dialect": _("Choose the CSV for French Excel (fr) or the plain CSV (empty).")}
        )
    return text or ""


def respond(
    header: list[str],
    rows: Iterable[list[Any]],
    *,
    filename: str,
    fmt: str,
    dialect: str = "",
) -> HttpResponse:
    """The rows as a downloadable CSV (UTF-8 with BOM, for spreadsheet programs; semicolons and
    decimal commas for French Excel with `dialect="fr"`) or XLSX, each cell made safe by
    `core.spreadsheets` (no cell a spreadsheet program would run)."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header, rows), content_type=XLSX)
    else:
        text = (
            csv_text(header, rows, delimiter=";", decimal_comma=True)
            if dialect == FRENCH
            else csv_text(header, rows)
        )
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
