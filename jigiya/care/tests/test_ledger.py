"""The payments ledger: append-only in the models and the database, its chain checked by
`verify_care_ledger`."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jigiya.care import ledger, services
from jigiya.care.models import PaymentEntry
from jigiya.core import appendonly

D = datetime.date


@pytest.fixture
def paid(world) -> PaymentEntry:
    line = world.line(amount=3000)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    claim = services.claim_approve(actor=world.verifier, claim=line.claim)
    return services.claim_pay(
        actor=world.manager, claim=claim, paid_on=D(2026, 12, 3), amount=3000,
        method="moov_money", reference="MM-1",
    )  # fmt: skip


def test_entries_refuse_update_and_delete_in_the_orm(paid):
    with pytest.raises(ValueError, match="append-only"):
        paid.save()
    with pytest.raises(ValueError, match="append-only"):
        PaymentEntry.objects.filter(pk=paid.pk).update(amount=1)
    with pytest.raises(ValueError, match="append-only"):
        paid.delete()


def test_the_database_refuses_a_direct_edit(paid):
    assert "care_paymententry" in appendonly.guarded_tables()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE care_paymententry SET amount = 1")


def test_verify_finds_an_amount_changed_behind_the_ledgers_back(paid, capsys):
    call_command("verify_care_ledger")
    assert "Care ledger intact: 1 health centers, 1 entries" in capsys.readouterr().out
    with appendonly.suspended("care_paymententry"), connection.cursor() as cursor:
        cursor.execute("UPDATE care_paymententry SET amount = 30000")
    problems = ledger.verify().problems
    assert problems == [
        f"entry #1 ({paid.pk}): hash does not match its content",
        f"claim {paid.claim_id} (paid): paid 30000 FCFA net, expected 3000",
    ]
    with pytest.raises(CommandError, match="2 problems found"):
        call_command("verify_care_ledger")
