"""The care indicators: exact numerators and denominators for the world's month."""

import datetime

from jigiya.care import indicators, services
from jigiya.followup.models import Referral
from jigiya.indicators.catalog import Cells, get

D = datetime.date
NOV = D(2026, 11, 1)


def _facts(compute, community) -> list:
    cells = Cells(place_ids=frozenset({community.pk}), months=frozenset({NOV}))
    return [(f.numerator, f.denominator) for f in compute(cells) if not f.breakdown]


def test_the_indicators_are_in_the_catalog_under_community_health():
    for code in ("care.people_covered", "care.child_consultations", "care.paid_against_budget",
                 "care.pregnancy_consultations", "care.cost_per_consultation",
                 "care.referrals_no_cost"):  # fmt: skip
        assert get(code).program == "health"


def test_people_consultations_cost_and_referrals(world):
    community = world.cast.community_a
    Referral.objects.create(
        person=world.child, health_center=world.center, referred_on=D(2026, 11, 1),
        reasons=["fever"], urgency="urgent",
    )  # fmt: skip
    world.line(day=D(2026, 11, 2), amount=3000)  # after the referral: closes it
    world.line(day=D(2026, 11, 9), amount=2000)
    world.line(person=world.mother, day=D(2026, 11, 10), amount=1500)
    line = world.line(day=D(2026, 11, 10), service="medicines", amount=900)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    assert _facts(indicators.people_covered, community) == [(2, None)]
    assert _facts(indicators.child_consultations, community) == [(2, None)]
    assert _facts(indicators.pregnancy_consultations, community) == [(1, None)]
    assert _facts(indicators.cost_per_consultation, community) == [(6500, 3)]
    assert _facts(indicators.referrals_no_cost, community) == [(1, 1)]


def test_paid_against_budget(world):
    services.budget_set(
        actor=world.manager, health_center=world.center, scheme=world.scheme,
        start=D(2026, 1, 1), end=D(2026, 12, 31), amount=120_000,
    )  # fmt: skip
    line = world.line(amount=4000)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    claim = services.claim_approve(actor=world.verifier, claim=line.claim)
    cells = Cells(
        place_ids=frozenset({world.center.place_id}), months=frozenset({NOV, D(2026, 12, 1)})
    )
    services.claim_pay(
        actor=world.manager, claim=claim, paid_on=D(2026, 12, 3), amount=4000, method="cash"
    )
    facts = sorted(
        (f.month, f.numerator, f.denominator) for f in indicators.paid_against_budget(cells)
    )
    assert facts == [(NOV, 0, 10_000), (D(2026, 12, 1), 4000, 10_000)]


def test_the_records_behind_each_figure(world):
    community = world.cast.community_a
    Referral.objects.create(
        person=world.child, health_center=world.center, referred_on=D(2026, 11, 1),
        reasons=["fever"], urgency="urgent",
    )  # fmt: skip
    world.line(day=D(2026, 11, 2), amount=3000)
    world.line(person=world.mother, day=D(2026, 11, 10), amount=1500)
    line = world.line(day=D(2026, 11, 10), service="medicines", amount=900)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    user = world.verifier
    people = indicators.covered_records(user, community, NOV)
    assert sorted(p.full_name for p in people) == ["Awa Diarra", "Fanta Diarra"]
    children = indicators.child_consultation_records(user, community, NOV)
    assert [(r.day, r.covered) for r in children] == [(D(2026, 11, 2), 3000)]
    women = indicators.pregnancy_consultation_records(user, community, NOV)
    assert [(r.day, r.covered) for r in women] == [(D(2026, 11, 10), 1500)]
    assert sum(r.covered for r in indicators.consultation_records(user, community, NOV)) == 4500
    referrals = indicators.referral_no_cost_records(user, community, NOV)
    assert [r.person_id for r in referrals] == [world.child.pk]
    # Outside her places, a user sees none of them.
    outsider = world.cast.user("program_manager", "b")
    assert not indicators.covered_records(outsider, community, NOV).exists()
    assert not indicators.consultation_records(outsider, community, NOV).exists()


def test_the_payments_behind_paid_against_budget(world):
    line = world.line(amount=4000)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    claim = services.claim_approve(actor=world.verifier, claim=line.claim)
    services.claim_pay(
        actor=world.manager, claim=claim, paid_on=D(2026, 12, 3), amount=4000, method="cash"
    )
    place = world.center.place
    records = indicators.payment_records(world.verifier, place, D(2026, 12, 1))
    assert [(r.amount, r.method) for r in records] == [(4000, "cash")]
    assert not indicators.payment_records(world.verifier, place, NOV).exists()
