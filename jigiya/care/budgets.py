"""Budgets per health center and scheme per period: what is consumed (paid), what is committed
(approved or held, not yet paid), the alerts at 80 % and 100 %, and what happens above 100 %
(the budget's setting: the claim is refused, or held for a second approval).

A claim month with no budget for a scheme is not limited (the page says "no budget")."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.models import Assignment
from jigiya.accounts.roles import GRANTS, Perm
from jigiya.care.common import SOURCE_LINES
from jigiya.care.models import (
    ALERT_PERCENTS,
    Budget,
    BudgetAlert,
    BudgetNotice,
    BudgetRevision,
    CareLine,
    Claim,
    ClaimStatus,
    LineStatus,
    OverBudget,
    Scheme,
)
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, text_within
from jigiya.core.changes import records_changed
from jigiya.core.money import format_fcfa
from jigiya.core.periods import Month, month_range
from jigiya.places.models import HealthCenter

COMMITTED = (ClaimStatus.APPROVED, ClaimStatus.HELD)
CONSUMED = (ClaimStatus.PAID, ClaimStatus.CLOSED)


@transaction.atomic
def budget_set(
    *,
    actor: Actor,
    health_center: HealthCenter,
    scheme: Scheme,
    start: datetime.date,
    end: datetime.date,
    amount: int,
    over_budget: str = OverBudget.REFUSE,
    id: uuid.UUID | None = None,
) -> Budget:
    """A scheme's budget at one of its health centers over a period (no two overlap)."""
    require_perm_at(actor, Perm.CARE_PAY, health_center.place)
    not_before("end", end, start, _("The end"), _("the start"))
    if type(amount) is not int or amount <= 0:
        raise ValidationError({"amount": _("Enter a whole, positive number of FCFA.")})
    if not scheme.health_centers.filter(pk=health_center.pk).exists():
        raise ValidationError(
            {"scheme": _("%(scheme)s does not pay %(center)s.")
            % {"scheme": scheme, "center": health_center}}
        )  # fmt: skip
    overlapping = Budget.objects.filter(
        health_center=health_center, scheme=scheme, start__lte=end, end__gte=start
    )
    if overlapping.exists():
        raise ValidationError(
            {"start": _("Another budget of this scheme at this health center covers part of "
                        "these dates.")}
        )  # fmt: skip
    budget = Budget(
        health_center=health_center, scheme=scheme, start=start, end=end, amount=amount,
        over_budget=over_budget, created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(budget, actor=actor, id=id)
    months = month_range(Month.of(start), Month.of(end))
    records_changed(
        source=SOURCE_LINES, cells=[(health_center.place_id, m.first_day) for m in months]
    )
    return budget


def claim_total(claim: Claim) -> int:
    """What the claim's approved lines cover."""
    total = claim.lines.filter(status=LineStatus.APPROVED).aggregate(s=Sum("covered"))["s"]
    return total or 0


def _used(budget: Budget, statuses: tuple[str, ...], exclude: Claim | None = None) -> int:
    lines = CareLine.objects.filter(
        status=LineStatus.APPROVED,
        coverage__scheme_id=budget.scheme_id,
        claim__health_center_id=budget.health_center_id,
        claim__month__gte=budget.start.replace(day=1),
        claim__month__lte=budget.end,
        claim__status__in=statuses,
    )
    if exclude is not None:
        lines = lines.exclude(claim=exclude)
    return lines.aggregate(s=Sum("covered"))["s"] or 0


@dataclass(frozen=True)
class BudgetUse:
    budget: Budget
    consumed: int
    committed: int

    @property
    def used(self) -> int:
        return self.consumed + self.committed

    @property
    def percent(self) -> int:
        return self.used * 100 // self.budget.amount

    @property
    def left(self) -> int:
        return self.budget.amount - self.used


def budget_use(budget: Budget) -> BudgetUse:
    """Consumed (paid) and committed (approved or held, not paid) now."""
    return BudgetUse(budget, _used(budget, CONSUMED), _used(budget, COMMITTED))


def budget_for(center_id: uuid.UUID, scheme_id: uuid.UUID, month: datetime.date) -> Budget | None:
    return (
        Budget.objects.select_for_update()
        .filter(health_center_id=center_id, scheme_id=scheme_id, start__lte=month)
        .filter(Q(end__gte=month))
        .first()
    )


def check_claim(*, actor: Actor, claim: Claim) -> bool:
    """Whether approving `claim` takes a budget above 100 % (True: held for a second
    approval); refused when the budget says so. Records the alerts it crosses."""
    by_scheme: dict[uuid.UUID, int] = defaultdict(int)
    rows = (
        claim.lines.filter(status=LineStatus.APPROVED)
        .values_list("coverage__scheme_id")
        .annotate(s=Sum("covered"))
        .order_by()
    )
    for scheme_id, covered in rows:
        by_scheme[scheme_id] += covered or 0
    held = False
    for scheme_id, amount in sorted(by_scheme.items()):
        budget = budget_for(claim.health_center_id, scheme_id, claim.month)
        if budget is None:
            continue
        used = _used(budget, COMMITTED + CONSUMED, exclude=claim) + amount
        if used > budget.amount:
            if budget.over_budget == OverBudget.REFUSE:
                raise ValidationError(
                    {"__all__": _("Over budget: %(scheme)s at %(center)s would use %(used)s of "
                                  "%(budget)s.") % {"scheme": budget.scheme,
                                                    "center": claim.health_center,
                                                    "used": format_fcfa(used),
                                                    "budget": format_fcfa(budget.amount)}}
                )  # fmt: skip
            held = True
        _alerts(actor, budget, used, claim=claim)
    return held


def _alerts(
    actor: Actor,
    budget: Budget,
    used: int,
    *,
    claim: Claim | None = None,
    lowered_by: BudgetRevision | None = None,
) -> None:
    """An alert (and its notices) for each threshold `used` crosses that has none armed: by
    a claim approved, or by the change that lowered the budget."""
    for percent in ALERT_PERCENTS:
        crossed = used * 100 >= percent * budget.amount
        if crossed and not budget.alerts.filter(percent=percent, cleared_by=None).exists():
            alert = BudgetAlert(
                budget=budget, percent=percent, claim=claim, lowered_by=lowered_by, used=used,
                budget_amount=budget.amount, created_by=acting_user(actor),
            )  # fmt: skip
            create_audited(alert, actor=actor)
            _notify(alert)


def _notify(alert: BudgetAlert) -> None:
    """One notice per person who pays the health center's claims (`CARE_PAY` there): the
    alert reaches them in the header of every page, not only on the care page."""
    path = alert.budget.health_center.place.path
    holders = (
        Assignment.objects.filter(role__in=GRANTS[Perm.CARE_PAY], user__is_active=True)
        .select_related("place")
        .order_by("user_id")
    )
    users = sorted({a.user_id for a in holders if path.startswith(a.place.path)}, key=str)
    BudgetNotice.objects.bulk_create(
        [BudgetNotice(alert=alert, user_id=user_id) for user_id in users]
    )


@transaction.atomic
def notices_read(*, actor: Actor, notice_ids: list[uuid.UUID] | None = None) -> int:
    """Mark the actor's notices read (those named, else all); returns how many changed. Only
    the actor's own notices: another's id changes nothing."""
    user = acting_user(actor)
    rows = BudgetNotice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        rows = rows.filter(pk__in=notice_ids)
    return rows.update(read_at=timezone.now(), updated_at=timezone.now())


@transaction.atomic
def budget_edit(
    *,
    actor: Actor,
    budget: Budget,
    amount: int,
    end: datetime.date,
    over_budget: str,
    reason: str,
) -> Budget:
    """Change a budget's amount, end or setting above 100 %, for a reason: the budget keeps
    the figures in force, a `BudgetRevision` what they were (and the audit trail). Never
    below what is already paid or committed, never ending before a month already counted,
    never overlapping another budget of the scheme at the health center."""
    require_perm_at(actor, Perm.CARE_PAY, budget.health_center.place)
    budget = Budget.objects.select_for_update().select_related("scheme").get(pk=budget.pk)
    _check_edit(budget, amount=amount, end=end, over_budget=over_budget, reason=reason)
    before = audit_snapshot(budget)
    revision = BudgetRevision(
        budget=budget, amount_before=budget.amount, amount=amount, end_before=budget.end,
        end=end, over_budget_before=budget.over_budget, over_budget=over_budget,
        reason=reason.strip(), created_by=acting_user(actor),
    )  # fmt: skip
    old_end = budget.end
    budget.amount, budget.end, budget.over_budget = amount, end, over_budget
    budget.full_clean()
    budget.save(update_fields=["amount", "end", "over_budget", "updated_at"])
    audit_record(actor=actor, obj=budget, before=before)
    create_audited(revision, actor=actor)
    used = budget_use(budget).used
    _rearm(actor, revision, used)
    _alerts(actor, budget, used, lowered_by=revision)  # lowered under 80 % or 100 % of the use
    months = month_range(Month.of(budget.start), Month.of(max(end, old_end)))
    records_changed(
        source=SOURCE_LINES, cells=[(budget.health_center.place_id, m.first_day) for m in months]
    )
    return budget


def _rearm(actor: Actor, revision: BudgetRevision, used: int) -> None:
    """Re-arm the alerts whose threshold the budget's use (`used`) is back under after
    `revision` (a budget raised): each is marked cleared by it, audited, and crossing the
    threshold again raises a new alert. An alert still crossed stays armed (no new one)."""
    budget = revision.budget
    under = [p for p in ALERT_PERCENTS if used * 100 < p * budget.amount]
    rows = budget.alerts.select_for_update().filter(percent__in=under, cleared_by=None)
    for alert in rows.order_by("percent"):
        before = audit_snapshot(alert)
        alert.cleared_by = revision
        alert.save(update_fields=["cleared_by", "updated_at"])
        audit_record(actor=actor, obj=alert, before=before)


def _check_edit(
    budget: Budget, *, amount: int, end: datetime.date, over_budget: str, reason: str
) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    text_within("reason", reason.strip(), 300, _("The reason"))
    if type(amount) is not int or amount <= 0:
        raise ValidationError({"amount": _("Enter a whole, positive number of FCFA.")})
    if over_budget not in OverBudget.values:
        raise ValidationError({"over_budget": _("Choose what happens above 100 %.")})
    not_before("end", end, budget.start, _("The end"), _("the start"))
    if (amount, end, over_budget) == (budget.amount, budget.end, budget.over_budget):
        raise ValidationError({"amount": _("Change the amount, the end or the setting.")})
    used = budget_use(budget).used
    if amount < used:
        raise ValidationError(
            {"amount": _("%(used)s is already paid or committed on this budget: it cannot be "
                         "lowered below that.") % {"used": format_fcfa(used)}}
        )  # fmt: skip
    counted = CareLine.objects.filter(
        status=LineStatus.APPROVED, coverage__scheme_id=budget.scheme_id,
        claim__health_center_id=budget.health_center_id, claim__month__gt=end,
        claim__month__lte=budget.end, claim__status__in=COMMITTED + CONSUMED,
    )  # fmt: skip
    if counted.exists():
        raise ValidationError(
            {"end": _("Claims after %(day)s are already counted on this budget: end it after "
                      "them.") % {"day": end}}
        )  # fmt: skip
    overlapping = Budget.objects.filter(
        health_center_id=budget.health_center_id, scheme_id=budget.scheme_id,
        start__lte=end, end__gte=budget.start,
    ).exclude(pk=budget.pk)  # fmt: skip
    if overlapping.exists():
        raise ValidationError(
            {"end": _("Another budget of this scheme at this health center covers part of "
                      "these dates.")}
        )  # fmt: skip
