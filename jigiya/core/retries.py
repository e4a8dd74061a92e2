"""Safe retries (DESIGN.md): a record a device creates carries the device's UUID, so a request
sent twice creates nothing twice, and the same id with other content is a conflict (409).

Services call `replay` before creating; API handlers answer with `created_or_replayed`."""

import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Model
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
    existing._replayed = True  # type: ignore[attr-defined]
    return existing


def created_or_replayed(record: Any) -> Status:
    """201 with the record when it was just created, 200 when the request was a replay."""
    return Status(200 if getattr(record, "_replayed", False) else 201, record)
