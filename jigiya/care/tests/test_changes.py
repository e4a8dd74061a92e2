"""Closing a scheme, changing a budget (history kept, audited) and the budget alerts that reach
the program manager in the header of every page, once per threshold."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.care import services
from jigiya.care.models import (
    Budget,
    BudgetAlert,
    BudgetNotice,
    BudgetRevision,
    Coverage,
    Scheme,
)
from jigiya.core.models import AuditEntry
from jigiya.core.tests.refusals import refused_unchanged

D = datetime.date


def _scheme_state() -> tuple:
    schemes = sorted(Scheme.objects.values_list("pk", "valid_until", "closed_reason"))
    covers = sorted(Coverage.objects.values_list("pk", "end", "exit_reason"))
    return schemes, covers, AuditEntry.objects.count()


def _budget_state() -> tuple:
    budgets = sorted(Budget.objects.values_list("pk", "amount", "end", "over_budget"))
    alerts = sorted(BudgetAlert.objects.values_list("pk", "cleared_by"))
    return budgets, BudgetRevision.objects.count(), alerts, AuditEntry.objects.count()


def _budget(world, amount=10_000, **kw):
    fields = {"start": D(2026, 1, 1), "end": D(2026, 12, 31), **kw}
    return services.budget_set(
        actor=world.manager, health_center=world.center, scheme=world.scheme, amount=amount,
        **fields,
    )  # fmt: skip


def _approve(world, *amounts):
    for index, amount in enumerate(amounts):
        line = world.line(day=D(2026, 11, 3 + index), amount=amount)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    return services.claim_approve(actor=world.verifier, claim=line.claim)


def test_closing_a_scheme_ends_its_open_coverages_audited(world):
    audits = AuditEntry.objects.count()
    scheme = services.scheme_close(
        actor=world.manager, scheme=world.scheme, valid_until=D(2026, 11, 30),
        reason="Funding ended",
    )  # fmt: skip
    assert (scheme.valid_until, scheme.closed_reason) == (D(2026, 11, 30), "Funding ended")
    ends = sorted(Coverage.objects.values_list("person__given_name", "end", "exit_reason"))
    assert ends == [
        ("Awa", D(2026, 11, 30), "scheme_ended"),
        ("Fanta", D(2026, 11, 30), "scheme_ended"),
    ]
    # The scheme and its two decisions, each audited with before and after.
    entries = AuditEntry.objects.order_by("id")[audits:]
    assert [(e.model, e.action) for e in entries] == [
        ("care.scheme", "update"), ("care.coverage", "update"), ("care.coverage", "update"),
    ]  # fmt: skip
    assert entries[0].changes["valid_until"] == [None, "2026-11-30"]
    # Care after the last day is refused.
    with translation.override("en"):
        errors = refused_unchanged(_scheme_state, world.line, day=D(2026, 12, 1))
    assert "day" in errors


def test_closing_a_scheme_is_refused_with_care_claimed_after_or_without_reason(world):
    world.line(day=D(2026, 11, 20))
    with translation.override("en"):
        errors = refused_unchanged(
            _scheme_state, services.scheme_close, actor=world.manager, scheme=world.scheme,
            valid_until=D(2026, 11, 19), reason="Funding ended",
        )  # fmt: skip
        assert errors == {
            "valid_until": [
                "Care on 2026-11-20 was claimed under this scheme: close it on or after that day."
            ]
        }
        errors = refused_unchanged(
            _scheme_state, services.scheme_close, actor=world.manager, scheme=world.scheme,
            valid_until=D(2026, 11, 30), reason="  ",
        )  # fmt: skip
        assert errors == {"reason": ["Give the reason for closing the scheme."]}
        services.scheme_close(
            actor=world.manager, scheme=world.scheme, valid_until=D(2026, 11, 30), reason="End"
        )
        errors = refused_unchanged(
            _scheme_state, services.scheme_close, actor=world.manager, scheme=world.scheme,
            valid_until=D(2026, 12, 31), reason="Again",
        )  # fmt: skip
    assert errors == {"valid_until": ["Soins gratuits already ends on 2026-11-30."]}


def test_only_who_pays_closes_a_scheme(world):
    before = _scheme_state()
    with pytest.raises(PermissionDenied):
        services.scheme_close(
            actor=world.staff, scheme=world.scheme, valid_until=D(2026, 11, 30), reason="No"
        )
    assert _scheme_state() == before


def test_a_budget_change_keeps_its_history(world):
    budget = _budget(world)
    changed = services.budget_edit(
        actor=world.manager, budget=budget, amount=12_000, end=D(2026, 12, 31),
        over_budget="second_approval", reason="Top-up from the donor",
    )  # fmt: skip
    assert (changed.amount, changed.over_budget) == (12_000, "second_approval")
    revision = BudgetRevision.objects.get()
    assert (revision.amount_before, revision.amount, revision.over_budget_before) == (
        10_000, 12_000, "refuse",
    )  # fmt: skip
    assert (revision.reason, revision.created_by) == ("Top-up from the donor", world.manager)
    entry = AuditEntry.objects.filter(model="care.budget", action="update").get()
    assert entry.changes["amount"] == [10_000, 12_000]


def test_a_budget_is_never_lowered_below_what_is_used(world):
    budget = _budget(world)
    _approve(world, 4000, 2000)  # 6 000 committed
    with translation.override("en"):
        errors = refused_unchanged(
            _budget_state, services.budget_edit, actor=world.manager, budget=budget,
            amount=5999, end=D(2026, 12, 31), over_budget="refuse", reason="Cut",
        )  # fmt: skip
        assert errors == {
            "amount": [
                "6\xa0000\xa0FCFA is already paid or committed on this budget: it cannot be "
                "lowered below that."
            ]
        }
        errors = refused_unchanged(
            _budget_state, services.budget_edit, actor=world.manager, budget=budget,
            amount=10_000, end=D(2026, 10, 31), over_budget="refuse", reason="Shorter",
        )  # fmt: skip
        assert errors == {
            "end": [
                "Claims after 2026-10-31 are already counted on this budget: end it after them."
            ]
        }
        errors = refused_unchanged(
            _budget_state, services.budget_edit, actor=world.manager, budget=budget,
            amount=10_000, end=D(2026, 12, 31), over_budget="refuse", reason="Nothing",
        )  # fmt: skip
        assert errors == {"amount": ["Change the amount, the end or the setting."]}
        errors = refused_unchanged(
            _budget_state, services.budget_edit, actor=world.manager, budget=budget,
            amount=11_000, end=D(2026, 12, 31), over_budget="refuse", reason="",
        )  # fmt: skip
        assert errors == {"reason": ["Give the reason for the change."]}
    before = _budget_state()
    with pytest.raises(PermissionDenied):
        services.budget_edit(
            actor=world.verifier, budget=budget, amount=11_000, end=D(2026, 12, 31),
            over_budget="refuse", reason="Not mine",
        )  # fmt: skip
    assert _budget_state() == before


def test_a_budget_does_not_grow_over_the_next_one(world):
    budget = _budget(world, end=D(2026, 6, 30))
    _budget(world, start=D(2026, 7, 1), end=D(2026, 12, 31))
    with translation.override("en"):
        errors = refused_unchanged(
            _budget_state, services.budget_edit, actor=world.manager, budget=budget,
            amount=10_000, end=D(2026, 7, 31), over_budget="refuse", reason="Longer",
        )  # fmt: skip
    assert errors == {
        "end": ["Another budget of this scheme at this health center covers part of these dates."]
    }


def test_alerts_reach_who_pays_once_per_threshold(world):
    admin = world.cast.user(Role.ADMIN, "above")
    outsider = world.cast.user(Role.PROGRAM_MANAGER, "b")
    _budget(world)
    _approve(world, 8000)  # 80 %
    notices = BudgetNotice.objects.order_by("user__username")
    assert [(n.user, n.alert.percent) for n in notices] == [(admin, 80), (world.manager, 80)]
    # A second claim past 100 % (a second approval): one more notice each, for 100 % only.
    services.budget_edit(
        actor=world.manager, budget=Budget.objects.get(), amount=10_000, end=D(2026, 12, 31),
        over_budget="second_approval", reason="Allow",
    )  # fmt: skip
    line = world.line(day=D(2026, 10, 3), amount=3000)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    services.claim_approve(actor=world.verifier, claim=line.claim)
    mine = BudgetNotice.objects.filter(user=world.manager).order_by("alert__percent")
    assert [n.alert.percent for n in mine] == [80, 100]
    assert not BudgetNotice.objects.filter(user=outsider).exists()
    # Read: the manager's only; another's notices stay unread.
    assert services.notices_read(actor=world.manager) == 2
    assert BudgetNotice.objects.filter(user=admin, read_at__isnull=True).count() == 2
    assert services.notices_read(actor=world.manager) == 0


def _claim(world, day, amount):
    line = world.line(day=day, amount=amount)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    return services.claim_approve(actor=world.verifier, claim=line.claim)


def _raise(world, budget, amount, reason="Top-up"):
    return services.budget_edit(
        actor=world.manager, budget=budget, amount=amount, end=D(2026, 12, 31),
        over_budget="refuse", reason=reason,
    )  # fmt: skip


def _alerts():
    """The alerts by threshold and use (the clock stands still in these tests)."""
    alerts = BudgetAlert.objects.select_related("claim", "cleared_by").order_by("percent", "used")
    return [
        (a.percent, a.used, a.budget_amount, f"{a.claim.month:%Y-%m}",
         a.cleared_by.reason if a.cleared_by else None)
        for a in alerts
    ]  # fmt: skip


def test_a_raised_budget_re_arms_its_alert_and_a_new_crossing_alerts_again(world):
    admin = world.cast.user(Role.ADMIN, "above")
    budget = _budget(world)  # 10 000
    _claim(world, D(2026, 11, 3), 8500)  # 85 %: the 80 % alert
    assert _alerts() == [(80, 8500, 10_000, "2026-11", None)]
    # Raised a little, still above 80 % (8 500 of 10 500 = 80.9 %): the alert stays armed.
    _raise(world, budget, 10_500, "A little")
    assert _alerts() == [(80, 8500, 10_000, "2026-11", None)]
    # Raised so the use is 60 % (8 500 of 14 000): the alert is re-armed, audited.
    _raise(world, budget, 14_000, "Donor top-up")
    assert _alerts() == [(80, 8500, 10_000, "2026-11", "Donor top-up")]
    cleared = AuditEntry.objects.filter(model="care.budgetalert", action="update").get()
    revision = BudgetRevision.objects.get(reason="Donor top-up")
    assert cleared.changes == {"cleared_by_id": [None, str(revision.pk)]}
    # Consumed to 85 % again (11 900 of 14 000): a second alert, notices to each payer again.
    _claim(world, D(2026, 10, 3), 3400)
    assert _alerts() == [
        (80, 8500, 10_000, "2026-11", "Donor top-up"),
        (80, 11_900, 14_000, "2026-10", None),
    ]
    # Past 80 % still (12 000 of 14 000 = 85.7 %): nothing more.
    _claim(world, D(2026, 9, 3), 100)
    assert len(_alerts()) == 2
    for user in (admin, world.manager):
        mine = BudgetNotice.objects.filter(user=user).order_by("alert__used")
        assert [(n.alert.percent, n.alert.used) for n in mine] == [(80, 8500), (80, 11_900)]
    assert BudgetNotice.objects.count() == 4


def test_a_refused_budget_change_re_arms_nothing(world):
    budget = _budget(world)
    _claim(world, D(2026, 11, 3), 8500)
    with translation.override("en"):
        errors = refused_unchanged(
            _budget_state, services.budget_edit, actor=world.manager, budget=budget,
            amount=20_000, end=D(2026, 12, 31), over_budget="refuse", reason=" ",
        )  # fmt: skip
    assert errors == {"reason": ["Give the reason for the change."]}
    assert _alerts() == [(80, 8500, 10_000, "2026-11", None)]


def test_only_the_thresholds_the_use_is_back_under_re_arm(world):
    budget = _budget(world, over_budget="second_approval")  # 10 000
    claim = _approve(world, 6000, 4500)  # 10 500: 105 %, held for a second approval
    assert claim.status == "held"
    assert _alerts() == [(80, 10_500, 10_000, "2026-11", None),
                         (100, 10_500, 10_000, "2026-11", None)]  # fmt: skip
    services.budget_edit(
        actor=world.manager, budget=budget, amount=11_500, end=D(2026, 12, 31),
        over_budget="second_approval", reason="Top-up",
    )  # fmt: skip
    # 10 500 of 11 500 = 91 %: the 100 % alert re-arms, the 80 % one stays.
    assert _alerts() == [(80, 10_500, 10_000, "2026-11", None),
                         (100, 10_500, 10_000, "2026-11", "Top-up")]  # fmt: skip
    _claim(world, D(2026, 10, 3), 1000)  # 11 500 of 11 500: 100 % again
    assert _alerts()[2:] == [(100, 11_500, 11_500, "2026-10", None)]
    assert len(_alerts()) == 3


# --- figures that follow a change in the past, and a decision under a closing scheme ----------


def _people_covered():
    from jigiya.indicators.models import IndicatorValue

    rows = IndicatorValue.objects.filter(
        indicator="care.people_covered", place__kind="community"
    ).order_by("month")
    return {f"{v.month:%Y-%m}": v.numerator for v in rows if v.month >= D(2026, 8, 1)}


def test_a_scheme_closed_months_ago_corrects_every_month_since(world):
    """People covered counts who is covered on each month's last day: a scheme closed on 30
    September changes September's figure's successors (October to now), all refreshed."""
    from jigiya.indicators import engine

    engine.rebuild()
    assert _people_covered() == {"2026-08": 2, "2026-09": 2, "2026-10": 2, "2026-11": 2,
                                 "2026-12": 2}  # fmt: skip
    services.scheme_close(
        actor=world.manager, scheme=world.scheme, valid_until=D(2026, 9, 30), reason="Ended"
    )
    engine.refresh()
    assert _people_covered() == {"2026-08": 2, "2026-09": 2}
    assert engine.check() == []


def test_a_coverage_ended_months_ago_corrects_every_month_since(world):
    from jigiya.indicators import engine

    engine.rebuild()
    services.coverage_end(
        actor=world.decider, coverage=world.child_cover, end=D(2026, 8, 15), exit_reason="moved"
    )
    engine.refresh()
    assert _people_covered() == {"2026-08": 1, "2026-09": 1, "2026-10": 1, "2026-11": 1,
                                 "2026-12": 1}  # fmt: skip
    assert engine.check() == []
    # Decided again from September, backdated: each month from September counts her again.
    services.coverage_decide(
        actor=world.decider, person=world.child, scheme=world.scheme, start=D(2026, 9, 1),
        reason="Back in the area",
    )  # fmt: skip
    engine.refresh()
    assert _people_covered() == {"2026-08": 1, "2026-09": 2, "2026-10": 2, "2026-11": 2,
                                 "2026-12": 2}  # fmt: skip
    assert engine.check() == []


def test_a_decision_in_a_scheme_that_ends_ends_with_it(world):
    services.scheme_close(
        actor=world.manager, scheme=world.scheme, valid_until=D(2026, 12, 31), reason="Ended"
    )
    services.coverage_end(
        actor=world.decider, coverage=world.child_cover, end=D(2026, 11, 30), exit_reason="moved"
    )
    open_ended = services.coverage_decide(
        actor=world.decider, person=world.child, scheme=world.scheme, start=D(2026, 12, 1),
        reason="Back",
    )  # fmt: skip
    assert (open_ended.end, open_ended.exit_reason) == (D(2026, 12, 31), "scheme_ended")
    services.coverage_end(
        actor=world.decider, coverage=open_ended, end=D(2026, 12, 5), exit_reason="moved"
    )
    too_long = services.coverage_decide(
        actor=world.decider, person=world.child, scheme=world.scheme, start=D(2026, 12, 6),
        end=D(2027, 6, 30), reason="Back again",
    )  # fmt: skip
    assert (too_long.end, too_long.exit_reason) == (D(2026, 12, 31), "scheme_ended")


def test_a_budget_lowered_under_what_is_used_alerts_who_pays(world):
    """Used 7 000 of 10 000 (70 %, no alert); lowered to 8 000: 87.5 %, the 80 % alert is
    raised by the change, with a notice to each payer; lowered to 7 000: 100 %, the 100 %
    alert; changed again while both are crossed, nothing more."""
    admin = world.cast.user(Role.ADMIN, "above")
    budget = _budget(world)
    _claim(world, D(2026, 11, 3), 7000)
    assert BudgetAlert.objects.count() == 0
    _raise(world, budget, 8000, "Donor cut")
    alert = BudgetAlert.objects.get()
    assert (alert.percent, alert.used, alert.budget_amount, alert.claim, alert.lowered_by) == (
        80, 7000, 8000, None, BudgetRevision.objects.get(reason="Donor cut"),
    )  # fmt: skip
    assert sorted(BudgetNotice.objects.values_list("user__username", "alert__percent")) == [
        (admin.username, 80), (world.manager.username, 80),
    ]  # fmt: skip
    _raise(world, budget, 7000, "Second cut")
    assert sorted(BudgetAlert.objects.values_list("percent", "used", "lowered_by__reason")) == [
        (80, 7000, "Donor cut"), (100, 7000, "Second cut"),
    ]  # fmt: skip
    assert BudgetNotice.objects.count() == 4
    services.budget_edit(
        actor=world.manager, budget=budget, amount=7000, end=D(2026, 12, 30),
        over_budget="refuse", reason="Shorter",
    )  # fmt: skip
    assert BudgetAlert.objects.count() == 2  # still crossed, both armed: nothing new


def test_the_alerts_page_tells_a_lowered_budget_from_a_claim(world, client):
    budget = _budget(world)
    _claim(world, D(2026, 11, 3), 7000)
    _raise(world, budget, 8000, "Donor cut")
    client.force_login(world.manager)
    page = client.get("/care/alerts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The budget was lowered from 10\xa0000\xa0FCFA to 8\xa0000\xa0FCFA: Donor cut" in page
    assert f'href="{world.scheme.get_absolute_url()}">Open the scheme \u203a</a>' in page
    assert "Open the claim" not in page
