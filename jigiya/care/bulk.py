"""Audit entries written in bulk: what `core.audit.audit_record` writes, one prepared statement
(`executemany`) for many records, from plain values (no model instance per entry). The upload
of a month's lines and the closing of a scheme write thousands at once."""

from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from jigiya.core.models import AuditAction, AuditEntry

# One audit entry: the record's id, its description and its changes ({"field": [before, after]}).
Entry = tuple[str, str, dict[str, list[Any]]]


def insert_audit(who: Any, action: AuditAction, label: str, entries: Iterable[Entry]) -> None:
    """Insert the audit entries of records of the model `label` ("care.coverage") changed by
    `who` (a user, or None for the system), as `audit_record` would, in one statement."""
    meta = AuditEntry._meta
    # The connection itself, not `django.db.connection`: that proxy looks the connection up at
    # every attribute read.
    connection = connections[DEFAULT_DB_ALIAS]
    at = meta.get_field("at").get_db_prep_save(timezone.now(), connection)
    actor_id = meta.get_field("actor").get_db_prep_save(None if who is None else who.pk, connection)
    changes = meta.get_field("changes")
    rows = [
        (at, actor_id, action.value, label, object_id, description[:200],
         changes.get_db_prep_save(changed, connection))
        for object_id, description, changed in entries
    ]  # fmt: skip
    if not rows:
        return
    # The table's own column names (no `db_column` on `AuditEntry`).
    columns = ("at", "actor_id", "action", "model", "object_id", "object_repr", "changes")
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values bound
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
