"""A month's care lines uploaded as an XLSX workbook, from the template the health center
downloads (`template_bytes`): one row a line, in the columns of `COLUMNS`.

A file that is not a readable workbook, or whose first row is not the template's header, is
refused whole ("The file …"). Otherwise each row goes through the same checks as a line typed
by hand (`claims.line_check`, reading from memory: `facts.Preloaded`), by chunks of 2 000 rows:
a bad row is rejected with its row number and reason, and the rest of the file is recorded
(lines and audit entries inserted in bulk; a row repeating an earlier row of the file, or a line
already claimed, is rejected as a duplicate).
"""

import datetime
import functools
import io
import itertools
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.care.bulk import insert_audit
from jigiya.care.claims import claim_for, close_referral, line_check
from jigiya.care.common import SOURCE_LINES
from jigiya.care.facts import Lasting, Preloaded
from jigiya.care.models import CareLine, Claim, Service
from jigiya.core.audit import audit_snapshot
from jigiya.core.changes import records_changed
from jigiya.core.models import AuditAction
from jigiya.core.money import parse_fcfa
from jigiya.core.periods import Month
from jigiya.core.spreadsheets import xlsx_bytes
from jigiya.followup.models import ReferralStatus
from jigiya.places.models import HealthCenter
from jigiya.registry.models import Household, Person

COLUMNS = ("beneficiary_id", "beneficiary", "date", "service", "amount_fcfa")
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
CHUNK = 2000


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


@functools.lru_cache(maxsize=8)
def _service_names(language: str | None) -> dict[str, str]:
    """Each service's code and label (lower case, in `language`) → its code."""
    names = {code: code for code in Service.values}
    names.update({str(label).lower(): code for code, label in Service.choices})
    return names


def _service(value: Any) -> str:
    text = str(value or "").strip()
    code = _service_names(translation.get_language()).get(text.lower())
    if code is None:
        raise ValidationError({"service": _("Unknown service “%(code)s”.") % {"code": text}})
    return code


def _amount(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_fcfa(value, field="amount")
    raise ValidationError({"amount": _("Enter a whole, positive number of FCFA.")})


def _uuid(value: Any) -> uuid.UUID:
    text = str(value or "").strip()
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise ValidationError(
            {"beneficiary_id": _("“%(value)s” is not a beneficiary id.") % {"value": text}}
        ) from exc


def _people(ids: set[uuid.UUID]) -> list[Person]:
    """The people with their households and communities, each household and community read
    once (not once per person: an upload names many people of few households)."""
    people = list(Person.objects.filter(pk__in=ids).defer("created_at", "updated_at"))
    households = Household.objects.filter(pk__in={p.household_id for p in people})
    by_id = {h.pk: h for h in households.select_related("community")}
    for person in people:
        Person.household.field.set_cached_value(person, by_id[person.household_id])
    return people


@dataclass
class _Row:
    number: int
    person: Person
    day: datetime.date
    service: str
    amount: int


def _parsed(
    chunk: list[tuple[int, tuple[Any, ...]]], result: UploadResult, people: dict[Any, Person]
) -> list[_Row]:
    """The chunk's rows read into values (the people not met in an earlier chunk in one
    query, kept in `people`: at most one per row of the file); a row that cannot be read is
    rejected with its reason."""
    ids = set()
    for _number, values in chunk:
        try:
            ids.add(_uuid(values[0]))
        except ValidationError:
            continue
    people.update((p.pk, p) for p in _people(ids - people.keys()))
    rows = []
    for number, (person_id, _name, day, service, amount, *_rest) in chunk:
        try:
            person = people.get(_uuid(person_id))
            if person is None:
                raise ValidationError({"beneficiary_id": _("No beneficiary has this id.")})
            rows.append(_Row(number, person, _day(day), _service(service), _amount(amount)))
        except ValidationError as exc:
            result.rejected.append((number, "; ".join(exc.messages)))
    return rows


def _checked_lines(
    center: HealthCenter,
    rows: list[_Row],
    claims: dict[datetime.date, Claim],
    result: UploadResult,
    lasting: Lasting,
) -> list[CareLine]:
    """Each row through `claims.line_check` (reading from memory); the lines to record."""
    if not rows:
        return []
    first, last = min(r.day for r in rows), max(r.day for r in rows)
    facts = Preloaded([r.person for r in rows], first, last, lasting)
    lines = []
    for row in rows:
        try:
            checked = line_check(
                center=center, person=row.person, day=row.day, service=row.service,
                amount=row.amount, facts=facts,
            )  # fmt: skip
            month = Month.of(row.day).first_day
            if month not in claims:
                claims[month] = claim_for(center, row.day)
        except ValidationError as exc:
            result.rejected.append((row.number, "; ".join(exc.messages)))
            continue
        facts.claim(row.person, row.day, row.service, str(center))
        lines.append(
            CareLine(
                claim=claims[month],
                person=row.person,
                coverage=checked.coverage,
                referral=checked.referral,
                day=row.day,
                service=row.service,
                amount=row.amount,
                covered=checked.covered,
                row=row.number,
                eligible_as=checked.eligible_as,
            )
        )
    return lines


def _insert_many(objs: Iterable[models.Model]) -> None:
    """INSERT the new rows of one model with one prepared statement (`executemany`): what
    `bulk_create` does without compiling a statement per batch (the upload's hot spot)."""
    objs = list(objs)
    if not objs:
        return
    meta = objs[0]._meta
    # The connection itself, not `django.db.connection`: that proxy looks the connection up at
    # every attribute read, and the field conversions below read it 150 000 times a file.
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() == "BigAutoField")
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values bound
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_audit(who: Any, lines: list[CareLine]) -> None:
    """The lines' audit entries, as `core.audit.audit_record` writes them for a creation, in
    one prepared statement built from plain values (no model instance per entry: half of the
    upload's object building)."""
    insert_audit(
        who,
        AuditAction.CREATE,
        CareLine._meta.label_lower,
        (
            (
                str(line.pk),
                f"{line.person} {line.day:%Y-%m-%d} {line.service}",
                {k: [None, v] for k, v in audit_snapshot(line).items() if v not in (None, "")},
            )
            for line in lines
        ),
    )


def _record(actor: Actor, lines: list[CareLine]) -> None:
    """Insert the chunk's lines and their audit entries (two statements), then close the
    referrals they follow."""
    who = acting_user(actor)
    for line in lines:
        line.created_by = who
    try:
        with transaction.atomic():
            _insert_many(lines)
    except IntegrityError as exc:  # the same care claimed at the same moment elsewhere
        raise ValidationError(
            {"file": _("Some of these lines were claimed at the same moment by another upload or "
                       "entry: nothing was recorded; upload the file again.")}
        ) from exc  # fmt: skip
    _insert_audit(who, lines)
    for line in lines:
        if line.referral is not None and line.referral.status == ReferralStatus.OPEN:
            close_referral(actor, line.referral, line)


@transaction.atomic
def lines_upload(
    *,
    actor: Actor,
    health_center: HealthCenter,
    data: bytes,
    progress: Callable[[int], None] | None = None,
) -> UploadResult:
    """Record every good row of the workbook; reject each bad one with its row and reason.
    A file refused whole (unreadable, wrong header, too long) records nothing. Rows are read
    and checked by chunks of `CHUNK` (memory bounded), each chunk's facts read in a fixed number
    of queries; `progress(rows)` is told after each chunk."""
    require_perm_at(actor, Perm.CARE_CLAIM, health_center.place)
    result = UploadResult()
    claims: dict[datetime.date, Claim] = {}
    people: dict[Any, Person] = {}
    lasting = Lasting()
    rows = _rows(data)
    while chunk := list(itertools.islice(rows, CHUNK)):
        parsed = _parsed(chunk, result, people)
        lines = _checked_lines(health_center, parsed, claims, result, lasting)
        _record(actor, lines)
        result.recorded += lines
        if progress is not None:
            progress(len(chunk))
    result.rejected.sort()
    cells = {(line.person.household.community_id, line.day) for line in result.recorded}
    records_changed(source=SOURCE_LINES, cells=sorted(cells))
    return result
