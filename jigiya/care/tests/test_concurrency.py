"""Two officers paying the same claim at the same moment (PostgreSQL row locks): one payment,
the other refused, the chain intact."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.care import ledger, services
from jigiya.care.models import Claim, PaymentEntry

D = datetime.date


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_a_claim_paid_by_two_officers_at_once_is_paid_once(world):
    line = world.line(amount=5000)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    claim = services.claim_approve(actor=world.verifier, claim=line.claim)
    officers = [world.manager, world.cast.user(Role.ADMIN, "above")]
    barrier = threading.Barrier(len(officers))
    results: list[str] = []

    def pay(officer):
        try:
            barrier.wait()
            with translation.override("en"):
                services.claim_pay(
                    actor=officer, claim=claim, paid_on=D(2026, 12, 3), amount=5000,
                    method="orange_money", reference=f"OM-{officer.pk}",
                )  # fmt: skip
            results.append("paid")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["This claim is already paid.", "paid"]
    assert PaymentEntry.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == "paid"
    assert ledger.verify().problems == []
