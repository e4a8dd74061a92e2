"""Append-only tables refuse UPDATE and DELETE in the ORM (`AppendOnlyModel`) and in the
database itself (triggers installed by the migrations, on SQLite and PostgreSQL alike: the suite
runs on both). The audit trail stands for them all here."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from jigiya.core import appendonly
from jigiya.core.appendonly import AppendOnlyError, AppendOnlyModel
from jigiya.core.audit import audit_record
from jigiya.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _refused(sql: str, params: list) -> str:
    """Run `sql` in a savepoint; returns the database's message (it must refuse)."""
    with (
        pytest.raises(DatabaseError) as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(refusal.value)


def test_every_append_only_table_keeps_its_triggers():
    # A migration that rebuilds one of these tables on SQLite drops its triggers: this fails
    # until that migration installs them again (`appendonly.guard`).
    assert appendonly.guarded_tables() == [
        "care_paymententry",
        "cooperatives_cashentry", "cooperatives_duespayment", "cooperatives_stockentry",
        "cooperatives_stockline",
        "core_auditentry", "followup_taskstatechange", "savings_entry", "savings_entryline",
    ]  # fmt: skip


def test_a_direct_sql_update_or_delete_of_an_audit_entry_fails_and_changes_nothing(cast):
    entry = audit_record(actor=None, obj=cast.community_a)
    assert entry is not None
    before = list(AuditEntry.objects.values_list("id", "action", "object_repr", "changes"))

    updated = _refused(
        "UPDATE core_auditentry SET object_repr = 'forged' WHERE id = %s", [entry.pk]
    )
    deleted = _refused("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])

    assert "core_auditentry is append-only: UPDATE refused" in updated
    assert "core_auditentry is append-only: DELETE refused" in deleted
    assert list(AuditEntry.objects.values_list("id", "action", "object_repr", "changes")) == before


def test_suspended_lets_a_deliberate_delete_through_then_guards_again(cast):
    entry = audit_record(actor=None, obj=cast.community_a)
    assert entry is not None
    other = audit_record(actor=None, obj=cast.community_b)
    assert other is not None

    with appendonly.suspended("core_auditentry"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])

    assert not AuditEntry.objects.filter(pk=entry.pk).exists()
    assert appendonly.guarded_tables() == [
        "care_paymententry",
        "cooperatives_cashentry", "cooperatives_duespayment", "cooperatives_stockentry",
        "cooperatives_stockline",
        "core_auditentry", "followup_taskstatechange", "savings_entry", "savings_entryline",
    ]  # fmt: skip
    assert "append-only" in _refused("DELETE FROM core_auditentry WHERE id = %s", [other.pk])
    assert AuditEntry.objects.filter(pk=other.pk).exists()


def test_a_failure_inside_suspended_rolls_back_and_keeps_the_guard(cast):
    entry = audit_record(actor=None, obj=cast.community_a)
    assert entry is not None

    with (
        pytest.raises(RuntimeError),
        appendonly.suspended("core_auditentry"),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
        raise RuntimeError("stop half-way")

    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert "append-only" in _refused("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])


def _rows() -> list[tuple]:
    return list(AuditEntry.objects.values_list("id", "action", "object_repr", "changes"))


def test_an_append_only_row_is_written_once_then_refuses_every_change_in_the_orm(cast):
    # Given a row written once
    entry = audit_record(actor=None, obj=cast.community_a)
    assert entry is not None
    before = _rows()

    # When it is saved again, updated or deleted, one row or in bulk
    entry.object_repr = "forged"
    with pytest.raises(AppendOnlyError) as saved:
        entry.save()
    with pytest.raises(AppendOnlyError) as updated:
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(AppendOnlyError) as bulk_updated:
        AuditEntry.objects.bulk_update([entry], ["object_repr"])
    with pytest.raises(AppendOnlyError) as deleted:
        entry.delete()
    with pytest.raises(AppendOnlyError) as bulk_deleted:
        AuditEntry.objects.all().delete()

    # Then each is refused with the database trigger's words, and nothing changed
    assert [str(e.value) for e in (saved, updated, bulk_updated)] == [
        "core_auditentry is append-only: UPDATE refused"
    ] * 3
    assert [str(e.value) for e in (deleted, bulk_deleted)] == [
        "core_auditentry is append-only: DELETE refused"
    ] * 2
    assert _rows() == before
    assert before[0][2] == str(cast.community_a)


def test_the_orm_guard_and_the_database_triggers_cover_the_same_tables():
    models = [model for model in apps.get_models() if issubclass(model, AppendOnlyModel)]
    assert sorted(model._meta.db_table for model in models) == appendonly.guarded_tables()
