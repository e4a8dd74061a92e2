"""The audit trail: services call `audit_record` on every write to health, money or governance
data.

Usage in a service::

    before = audit_snapshot(place)
    place.name = name
    place.save(update_fields=["name", "updated_at"])
    audit_record(actor=actor, obj=place, before=before)

and, to create a record, `create_audited(Referral(...), actor=actor, id=id)`.
"""

import datetime
import decimal
import uuid
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from jigiya.core.models import AuditAction, AuditEntry
from jigiya.core.retries import made_on_phone

Snapshot = dict[str, Any]
M = TypeVar("M", bound=models.Model)

_SKIPPED = {"created_at", "updated_at", "password", "last_login"}


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def audit_snapshot(obj: models.Model) -> Snapshot:
    """The audited fields of `obj` as plain values (foreign keys by id)."""
    return {
        field.attname: _plain(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.attname not in _SKIPPED
    }


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    obj: models.Model,
    before: Snapshot | None = None,
    action: AuditAction | None = None,
) -> AuditEntry | None:
    """Record who changed `obj` and how. Without `before`, the record was created;
    with `action=DELETE`, call it before deleting.

    Returns None when an update changed nothing (nothing worth recording).
    """
    after = audit_snapshot(obj)
    if action == AuditAction.DELETE:
        changes = {key: [value, None] for key, value in after.items()}
    elif before is None:
        changes = {key: [None, value] for key, value in after.items() if value not in (None, "")}
        action = action or AuditAction.CREATE
    else:
        changes = {
            key: [before.get(key), value]
            for key, value in after.items()
            if before.get(key) != value
        }
        action = action or AuditAction.UPDATE
        if not changes:
            return None
    return AuditEntry.objects.create(
        actor_id=actor.pk if isinstance(actor, AbstractBaseUser) else None,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
    )


def create_audited(
    record: M,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    id: uuid.UUID | None = None,
    made_at: datetime.datetime | None = None,
) -> M:
    """Insert a new record and audit its creation: under the id a device sent when there is
    one (so the same record sent again is found by it, `core.retries`), after `full_clean()`;
    an insert, never an update of a row that has this id. `made_at`, the time the device
    says it was made, goes to the record's `made_at` (`core.retries.made_on_phone`). Returns
    the record."""
    if id is not None:
        record.pk = id
    if made_at is not None:
        record.made_at = made_on_phone(made_at)  # type: ignore[attr-defined]
    record.full_clean()
    record.save(force_insert=True)
    audit_record(actor=actor, obj=record)
    return record
