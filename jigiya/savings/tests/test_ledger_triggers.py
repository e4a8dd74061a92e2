"""The ledger's tables refuse UPDATE and DELETE in the database itself: a direct SQL edit fails
and changes nothing (SQLite and PostgreSQL alike: the suite runs on both)."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from jigiya.savings import ledger
from jigiya.savings.models import Entry, EntryLine

D = datetime.date


def _refused(sql: str, params: list) -> str:
    with (
        pytest.raises(DatabaseError) as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(refusal.value)


def _ledger() -> list[tuple]:
    return list(Entry.objects.values_list("id", "seq", "memo", "hash")) + list(
        EntryLine.objects.values_list("id", "seq", "debit", "credit")
    )


def test_a_direct_sql_update_or_delete_of_the_ledger_fails_and_changes_nothing(world):
    world.record(world.meeting(D(2024, 1, 8)))
    before = _ledger()

    messages = [
        _refused("UPDATE savings_entry SET memo = 'x' WHERE seq = 1", []),
        _refused("DELETE FROM savings_entry WHERE seq = 1", []),
        _refused("UPDATE savings_entryline SET debit = 9000 WHERE seq = 1 AND debit > 0", []),
        _refused("DELETE FROM savings_entryline WHERE seq = 1", []),
    ]

    assert [message.split("\n")[0] for message in messages] == [
        "savings_entry is append-only: UPDATE refused",
        "savings_entry is append-only: DELETE refused",
        "savings_entryline is append-only: UPDATE refused",
        "savings_entryline is append-only: DELETE refused",
    ]
    assert _ledger() == before
    assert ledger.verify([world.group.pk]).problems == []
