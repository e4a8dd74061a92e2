"""Care lines, verification, approval, budgets and payment: each bad input refused with its
reason, nothing paid that should not be."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.care import ledger, services
from jigiya.care.models import BudgetAlert, CareLine, Claim, PaymentEntry
from jigiya.care.tests.conftest import covered_person
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.followup.models import Referral
from jigiya.registry import services as registry_services
from jigiya.registry.models import Household

D = datetime.date


def _state() -> tuple:
    lines = sorted(CareLine.objects.values_list("pk", "status", "covered"))
    claims = sorted(Claim.objects.values_list("pk", "status", "approved_amount"))
    return lines, claims, PaymentEntry.objects.count()


def _refused(world, person=None, **fields) -> dict:
    values = {"day": D(2026, 11, 3), "service": "consultation", "amount": 2500, **fields}
    with translation.override("en"):
        return refused_unchanged(
            _state, services.care_line_record, actor=world.staff, health_center=world.center,
            person=person or world.child, **values,
        )  # fmt: skip


def test_a_line_records_what_the_scheme_covers(world):
    line = world.line(amount=4000)
    assert (line.status, line.covered, line.amount) == ("pending", 4000, 4000)
    assert line.claim.month == D(2026, 11, 1)
    assert line.coverage == world.child_cover


def test_a_partial_scheme_covers_its_percentage(world):
    world.scheme.percent = 80
    world.scheme.save()
    assert world.line(amount=2501).covered == 2000  # 80 %, rounded down


def test_a_line_for_someone_not_covered_that_day_is_refused(world):
    errors = _refused(world, day=D(2025, 12, 20))
    assert errors == {"day": ["Fanta Diarra was not covered on 2025-12-20."]}


def test_a_line_after_the_fifth_birthday_is_refused(world):
    world.child.birth_date = D(2021, 11, 1)
    world.child.save()
    errors = _refused(world, day=D(2026, 11, 3))
    assert errors == {
        "day": [
            "Fanta Diarra is neither a child under five nor pregnant or within 42 days of a "
            "delivery on 2026-11-03."
        ]
    }


def test_a_duplicate_line_is_refused(world):
    world.line()
    errors = _refused(world)
    assert errors == {
        "day": [
            "A duplicate: Consultation for Fanta Diarra on 2026-11-03 is already claimed by CSCom A."
        ]
    }


def test_an_amount_above_the_ceiling_is_refused(world):
    errors = _refused(world, amount=10_001)
    assert errors == {
        "amount": [
            "10\xa0001\xa0FCFA is above the ceiling of 10\xa0000\xa0FCFA per episode of Soins gratuits."
        ]
    }


def test_a_service_the_scheme_does_not_cover_is_refused(world):
    errors = _refused(world, service="transport")
    assert errors == {"service": ["Referral transport is not covered by Soins gratuits."]}


def test_a_health_center_claiming_for_another_centers_patient_is_refused(world):
    cast = world.cast
    household = Household.objects.create(community=cast.community_b, name="Sangaré")
    registry_services.least_access_assess(
        actor=cast.user(Role.CHW, "b"), household=household, assessed_on=D(2025, 12, 1),
        criteria=["no_regular_income", "could_not_pay_care", "food_insecure"],
    )  # fmt: skip
    world.scheme.health_centers.add(cast.center_b)
    child = covered_person(
        cast, household, given_name="Moussa", sex="M", relationship="child",
        birth_date=D(2024, 2, 2),
    )  # fmt: skip
    services.coverage_decide(
        actor=world.manager, person=child, scheme=world.scheme, start=D(2026, 1, 1), reason="Free"
    )
    errors = _refused(world, person=child)
    assert errors == {
        "person": [
            "This person is not a patient of CSCom A (another health center's area, and no "
            "referral to it)."
        ]
    }


def test_staff_of_another_health_center_cannot_record_here(world):
    with pytest.raises(PermissionDenied):
        services.care_line_record(
            actor=world.cast.user(Role.HEALTH_CENTER_STAFF, "b"), health_center=world.center,
            person=world.child, day=D(2026, 11, 3), service="consultation", amount=2500,
        )  # fmt: skip


def test_the_same_line_sent_twice_is_recorded_once(world):
    import uuid

    from jigiya.core.errors import Conflict
    from jigiya.core.retries import was_replayed

    key = uuid.uuid4()
    first = world.line(id=key)
    again = world.line(id=key)
    assert again.pk == first.pk and was_replayed(again)
    with pytest.raises(Conflict):
        world.line(id=key, amount=3000)
    assert CareLine.objects.count() == 1


def test_a_line_that_follows_a_referral_closes_its_loop(world):
    referral = Referral.objects.create(
        person=world.child, health_center=world.center, referred_on=D(2026, 11, 1),
        reasons=["fever"], urgency="urgent",
    )  # fmt: skip
    with translation.override("en"):
        line = world.line(day=D(2026, 11, 2))
    referral.refresh_from_db()
    assert line.referral == referral
    assert (referral.status, referral.seen_on, referral.closed_via) == (
        "seen",
        D(2026, 11, 2),
        "health_center",
    )
    assert referral.action_taken == (
        "Care covered: Consultation, 2\xa0500\xa0FCFA of 2\xa0500\xa0FCFA (care line)."
    )


def test_verification_rejects_a_line_whose_coverage_ended_since(world):
    kept = world.line(day=D(2026, 11, 3))
    late = world.line(day=D(2026, 11, 20), service="medicines", amount=1200)
    Claim.objects.filter(pk=kept.claim_id)  # same claim
    world.child_cover.end = D(2026, 11, 10)  # a decision corrected behind the line's back
    world.child_cover.save()
    with translation.override("en"):
        counts = services.claim_verify(actor=world.verifier, claim=kept.claim)
    assert counts == {"approved": 1, "rejected": 1}
    late.refresh_from_db()
    assert (late.status, late.reason) == ("rejected", "Fanta Diarra was not covered on 2026-11-20.")


def _approved_claim(world, *amounts):
    for index, amount in enumerate(amounts):
        line = world.line(day=D(2026, 11, 3 + index), amount=amount)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    return services.claim_approve(actor=world.verifier, claim=line.claim)


def test_a_claim_is_approved_paid_by_orange_money_and_closed(world):
    claim = _approved_claim(world, 2500, 4000)
    assert (claim.status, claim.approved_amount) == ("approved", 6500)
    entry = services.claim_pay(
        actor=world.manager, claim=claim, paid_on=D(2026, 12, 3), amount=6500,
        method="orange_money", reference="OM-77-1234",
    )  # fmt: skip
    claim.refresh_from_db()
    assert (claim.status, entry.seq, entry.amount, entry.reference) == (
        "paid",
        1,
        6500,
        "OM-77-1234",
    )
    assert services.claim_close(actor=world.manager, claim=claim).status == "closed"
    assert ledger.verify().problems == []


def test_a_line_cannot_join_an_approved_claim(world):
    _approved_claim(world, 2500)
    errors = _refused(world, day=D(2026, 11, 20))
    assert errors == {
        "day": ["The claim of CSCom A for 2026-11 is approved: no line can be added."]
    }


def _pay_refused(world, claim, **fields) -> dict:
    values = {"paid_on": D(2026, 12, 3), "amount": claim.approved_amount, "method": "cash",
              "reference": "", **fields}  # fmt: skip
    with translation.override("en"):
        return refused_unchanged(
            _state, services.claim_pay, actor=world.manager, claim=claim, **values
        )


def test_a_claim_is_not_paid_twice(world):
    claim = _approved_claim(world, 2500)
    services.claim_pay(
        actor=world.manager, claim=claim, paid_on=D(2026, 12, 3), amount=2500, method="cash"
    )
    assert _pay_refused(world, claim) == {"__all__": ["This claim is already paid."]}
    assert PaymentEntry.objects.count() == 1


def test_a_payment_must_be_the_amount_approved_with_its_reference(world):
    claim = _approved_claim(world, 2500)
    assert _pay_refused(world, claim, amount=3000) == {
        "amount": ["Pay 2\xa0500\xa0FCFA, the amount approved (not 3\xa0000\xa0FCFA)."]
    }
    assert _pay_refused(world, claim, method="moov_money") == {
        "reference": ["Give the reference of the Moov Money transfer."]
    }


def test_an_open_claim_is_not_paid(world):
    line = world.line()
    assert _pay_refused(world, line.claim, amount=0) == {
        "__all__": ["This claim is open: only an approved claim is paid."]
    }


def test_a_correction_reverses_the_payment_and_the_chain_holds(world):
    claim = _approved_claim(world, 2500)
    paid = services.claim_pay(
        actor=world.manager, claim=claim, paid_on=D(2026, 12, 3), amount=2500, method="cash"
    )
    reversal = services.payment_reverse(
        actor=world.manager, entry=paid, on=D(2026, 12, 3), reason="Paid to the wrong account"
    )
    claim.refresh_from_db()
    assert (reversal.seq, reversal.amount, reversal.reverses, claim.status) == (
        2,
        -2500,
        paid,
        "approved",
    )
    again = services.claim_pay(
        actor=world.manager, claim=claim, paid_on=D(2026, 12, 3), amount=2500,
        method="bank", reference="BDM-0042",
    )  # fmt: skip
    assert again.seq == 3
    assert ledger.verify().problems == []


def _budget(world, amount, over_budget="refuse"):
    return services.budget_set(
        actor=world.manager, health_center=world.center, scheme=world.scheme,
        start=D(2026, 1, 1), end=D(2026, 12, 31), amount=amount, over_budget=over_budget,
    )  # fmt: skip


def test_an_over_budget_claim_is_refused_when_the_budget_says_so(world):
    _budget(world, 5000)
    line = world.line(amount=4000)
    world.line(day=D(2026, 11, 4), amount=2000)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    with translation.override("en"):
        errors = refused_unchanged(
            _state, services.claim_approve, actor=world.verifier, claim=line.claim
        )
    assert errors == {
        "__all__": [
            "Over budget: Soins gratuits at CSCom A would use 6\xa0000\xa0FCFA of 5\xa0000\xa0FCFA."
        ]
    }
    assert BudgetAlert.objects.count() == 0


def test_an_over_budget_claim_waits_for_a_second_officer(world):
    budget = _budget(world, 5000, over_budget="second_approval")
    claim = _approved_claim(world, 4000, 2000)
    assert claim.status == "held"
    assert sorted(budget.alerts.values_list("percent", "used")) == [(80, 6000), (100, 6000)]
    assert _pay_refused(world, claim) == {
        "__all__": [
            "This claim is over budget: waiting for a second approval: only an approved claim is paid."
        ]
    }
    claim.approved_by = world.manager
    claim.save()
    with translation.override("en"):
        errors = refused_unchanged(
            _state, services.claim_second_approve, actor=world.manager, claim=claim
        )
    assert errors == {"__all__": ["The second approval must come from another officer."]}
    second = services.claim_second_approve(actor=world.cast.user(Role.ADMIN, "above"), claim=claim)
    assert second.status == "approved"


def test_the_budget_alerts_at_80_percent(world):
    budget = _budget(world, 5000)
    _approved_claim(world, 4000)
    assert list(budget.alerts.values_list("percent", "used")) == [(80, 4000)]
