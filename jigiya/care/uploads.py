"""A month's care lines uploaded as an XLSX workbook, from the template the health center
downloads (`template_bytes`): one row a line, in the columns of `COLUMNS`.

A file that is not a readable workbook, or whose first row is not the template's header, is
refused whole ("The file …"). Otherwise each row is recorded through `claims.care_line_record`,
the same checks as a line typed by hand, each in its own savepoint: a bad row is rejected with
its row number and reason, and the rest of the file is processed.
"""

import datetime
import io
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.care.claims import care_line_record
from jigiya.care.models import CareLine, Service
from jigiya.core.money import parse_fcfa
from jigiya.core.spreadsheets import xlsx_bytes
from jigiya.places.models import HealthCenter
from jigiya.registry.models import Person

COLUMNS = ("beneficiary_id", "beneficiary", "date", "service", "amount_fcfa")
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class UploadResult:
    recorded: list[CareLine] = field(default_factory=list)
    # (row number in the workbook, reason)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def template_bytes(people: Iterable[Person]) -> bytes:
    """The template: the header, then one row per covered beneficiary with the id and name
    filled in (date, service and amount left for the health center)."""
    rows = ([str(p.pk), str(p), None, None, None] for p in people)
    return xlsx_bytes(COLUMNS, rows, title="care")


def _rows(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the first sheet after its header; the file refused whole when
    it cannot be read or its header is not the template's."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is over 10 MB.")})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, IndexError, TypeError) as exc:
        raise ValidationError({"file": _("The file is not a readable XLSX workbook.")}) from exc
    names = tuple(str(cell).strip().lower() if cell is not None else "" for cell in header)
    if names[: len(COLUMNS)] != COLUMNS:
        raise ValidationError(
            {"file": _("The first row must be the template's header: %(columns)s.")
            % {"columns": ", ".join(COLUMNS)}}
        )  # fmt: skip
    try:
        for number, values in enumerate(rows, start=2):
            if number - 1 > MAX_ROWS:
                raise ValidationError(
                    {"file": _("The file has more than %(count)s rows.") % {"count": MAX_ROWS}}
                )
            if any(value not in (None, "") for value in values[: len(COLUMNS)]):
                yield number, tuple(values[: len(COLUMNS)]) + (None,) * len(COLUMNS)
    finally:
        book.close()


def _day(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError(
            {"date": _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}}
        ) from exc


def _service(value: Any) -> str:
    text = str(value or "").strip()
    for code, label in Service.choices:
        if text.lower() in (code, str(label).lower()):
            return code
    raise ValidationError({"service": _("Unknown service “%(code)s”.") % {"code": text}})


def _amount(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_fcfa(value, field="amount")
    raise ValidationError({"amount": _("Enter a whole, positive number of FCFA.")})


def _person(value: Any, people: dict[str, Person]) -> Person:
    text = str(value or "").strip()
    try:
        key = str(uuid.UUID(text))
    except ValueError as exc:
        raise ValidationError(
            {"beneficiary_id": _("“%(value)s” is not a beneficiary id.") % {"value": text}}
        ) from exc
    if key not in people:
        found = Person.objects.select_related("household__community").filter(pk=key).first()
        if found is None:
            raise ValidationError({"beneficiary_id": _("No beneficiary has this id.")})
        people[key] = found
    return people[key]


@transaction.atomic
def lines_upload(*, actor: Actor, health_center: HealthCenter, data: bytes) -> UploadResult:
    """Record every good row of the workbook; reject each bad one with its row and reason.
    A file refused whole (unreadable, wrong header, too long) records nothing."""
    require_perm_at(actor, Perm.CARE_CLAIM, health_center.place)
    result = UploadResult()
    people: dict[str, Person] = {}
    for number, (person_id, _name, day, service, amount, *_rest) in _rows(data):
        try:
            line = care_line_record(
                actor=actor, health_center=health_center, person=_person(person_id, people),
                day=_day(day), service=_service(service), amount=_amount(amount), row=number,
            )  # fmt: skip
        except ValidationError as exc:
            result.rejected.append((number, "; ".join(exc.messages)))
        else:
            result.recorded.append(line)
    return result
