"""Safe retries (DESIGN.md): a record a device creates carries the device's UUID, so a request
sent twice creates nothing twice, and the same id with other content is a conflict (409).

The one way, for every app: a service calls `replay(Model, id, {field: value, ...})` before
creating and returns what it gives back when that is not None; a record whose content spans
several tables (a visit and its checks, a meeting and its lines) stores a `fingerprint(...)` of
what was sent and replays on `{"fingerprint": ...}`. The service returns the record either way;
`was_replayed(record)` tells the two apart, and API handlers answer with `created_or_replayed`.
"""

import datetime
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Status

from jigiya.core.errors import Conflict


def replay(model: type[Model], record_id: uuid.UUID | None, expected: dict[str, Any]) -> Any:
    """The record a device already sent under `record_id` when its content is `expected`
    (marked `_replayed`); None when the id is new; `Conflict` when the content differs."""
    if record_id is None:
        return None
    existing = model._default_manager.filter(pk=record_id).first()
    if existing is None:
        return None
    for field, value in expected.items():
        stored = getattr(existing, field)
        if isinstance(value, Model):
            value = value.pk
            stored = getattr(existing, f"{field}_id")
        if isinstance(stored, Decimal) and value is not None:
            value = Decimal(str(value)).quantize(stored)
        if stored != value:
            raise Conflict(
                _("A different %(record)s was already sent with this id.")
                % {"record": model._meta.verbose_name}
            )
    mark_replayed(existing)
    return existing


def made_on_phone(value: str | datetime.datetime | None) -> datetime.datetime | None:
    """The time a device says a record was made (kept beside the time the server received it,
    never part of what a replay compares): an aware datetime, None when not given or not a
    time, and never later than now (a phone's clock set ahead is not believed)."""
    if value is None or isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return min(moment, timezone.now())


def fingerprint(**content: Any) -> str:
    """A hash of what a device sent (ids, dates and decimals as text, keys sorted): the same
    content always gives the same fingerprint."""

    def plain(value: Any) -> Any:
        if isinstance(value, uuid.UUID | datetime.date | Decimal):
            return str(value)
        raise TypeError(type(value))

    text = json.dumps(content, default=plain, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


_REPLAYED = "_replayed"


def mark_replayed(record: Any) -> None:
    """Note on `record` that the request was a replay and nothing was written."""
    setattr(record, _REPLAYED, True)


def was_replayed(record: Any) -> bool:
    """True when the service returned a record already stored (nothing was written)."""
    return getattr(record, _REPLAYED, False)


def created_or_replayed(record: Any, body: Any = None) -> Status:
    """201 when the record was just created, 200 when the request was a replay; the body is
    `body` when given (the record read back through a selector), else the record."""
    return Status(200 if was_replayed(record) else 201, record if body is None else body)
