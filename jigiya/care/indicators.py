"""Free and subsidized care in the indicator catalog (program *community health*: free care is
part of it). Per community and month:

- people and lines count where the beneficiary's household lives;
- payments and budgets count where the paid health center stands (its `place`).

The definitions are in the catalog below and in the app's README.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jigiya.care.common import SOURCE_COVERAGE as COVERAGE
from jigiya.care.common import SOURCE_LINES as LINES
from jigiya.care.models import Budget, CareLine, Coverage, LineStatus, PaymentEntry, Service
from jigiya.core.periods import Month
from jigiya.followup.models import Referral, ReferralStatus
from jigiya.followup.referrals import SOURCE_REFERRAL as REFERRAL
from jigiya.indicators.catalog import Cells, Fact, Indicator, Program, Unit, register

PERSON_COMMUNITY = "person__household__community_id"


def _in_cells(rows: QuerySet[Any], cells: Cells, field: str) -> QuerySet[Any]:
    return rows if cells.place_ids is None else rows.filter(**{f"{field}__in": cells.place_ids})


def people_covered(cells: Cells) -> Iterable[Fact]:
    today = timezone.localdate()
    for month in sorted(m for m in cells.months if m <= today):
        day = min(Month.of(month).last_day, today)
        rows = (
            _in_cells(Coverage.objects.filter(start__lte=day), cells, PERSON_COMMUNITY)
            .exclude(end__lt=day)
            .values_list(PERSON_COMMUNITY)
            .annotate(n=Count("person_id", distinct=True))
            .order_by()
        )
        for community, count in rows:
            yield Fact(community, month, count)


def _consultations(cells: Cells, eligible_as: str | None = None) -> QuerySet[Any]:
    lines = CareLine.objects.filter(
        status=LineStatus.APPROVED,
        service=Service.CONSULTATION,
        day__gte=cells.first,
        day__lt=cells.end,
    )
    if eligible_as is not None:
        lines = lines.filter(eligible_as=eligible_as)
    return (
        _in_cells(lines, cells, PERSON_COMMUNITY)
        .annotate(month=TruncMonth("day"))
        .values_list(PERSON_COMMUNITY, "month")
        .annotate(n=Count("pk"), covered=Sum("covered"))
        .order_by()
    )


def child_consultations(cells: Cells) -> Iterable[Fact]:
    for community, month, count, _covered in _consultations(cells, "child"):
        yield Fact(community, month, count)


def pregnancy_consultations(cells: Cells) -> Iterable[Fact]:
    for community, month, count, _covered in _consultations(cells, "pregnancy"):
        yield Fact(community, month, count)


def cost_per_consultation(cells: Cells) -> Iterable[Fact]:
    for community, month, count, covered in _consultations(cells):
        yield Fact(community, month, covered or 0, count)


def _months_of(budget: Budget) -> int:
    return (budget.end.year - budget.start.year) * 12 + budget.end.month - budget.start.month + 1


def paid_against_budget(cells: Cells) -> Iterable[Fact]:
    place = "health_center__place_id"
    paid: dict[tuple[uuid.UUID, datetime.date], int] = defaultdict(int)
    rows = (
        _in_cells(PaymentEntry.objects.filter(on__gte=cells.first, on__lt=cells.end), cells, place)
        .annotate(month=TruncMonth("on"))
        .values_list(place, "month")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for community, month, amount in rows:
        paid[(community, month)] += amount or 0
    budgets = _in_cells(
        Budget.objects.filter(start__lt=cells.end, end__gte=cells.first), cells, place
    ).select_related("health_center")
    planned: dict[tuple[uuid.UUID, datetime.date], int] = defaultdict(int)
    for budget in budgets:
        share = budget.amount // _months_of(budget)
        for month in cells.months:
            if budget.start.replace(day=1) <= month <= budget.end:
                planned[(budget.health_center.place_id, month)] += share
    for key in set(paid) | set(planned):
        yield Fact(key[0], key[1], paid.get(key, 0), planned.get(key, 0))


def referrals_no_cost(cells: Cells) -> Iterable[Fact]:
    seen = (
        _in_cells(
            Referral.objects.filter(
                status=ReferralStatus.SEEN, referred_on__gte=cells.first, referred_on__lt=cells.end
            ),
            cells,
            PERSON_COMMUNITY,
        )
        .annotate(month=TruncMonth("referred_on"))
        .values_list(PERSON_COMMUNITY, "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    free = (
        _in_cells(
            CareLine.objects.filter(
                status=LineStatus.APPROVED,
                covered=F("amount"),
                referral__referred_on__gte=cells.first,
                referral__referred_on__lt=cells.end,
            ),
            cells,
            PERSON_COMMUNITY,
        )
        .annotate(month=TruncMonth("referral__referred_on"))
        .values_list(PERSON_COMMUNITY, "month")
        .annotate(n=Count("referral_id", distinct=True))
        .order_by()
    )
    numerators = {(community, month): n for community, month, n in free}
    for community, month, n in seen:
        yield Fact(community, month, numerators.get((community, month), 0), n)


def _register(
    code: str, name: Any, definition: Any, unit: Unit, sources: tuple, compute: Any, **kw: Any
) -> None:
    register(
        Indicator(
            code=code,
            name=name,
            definition=definition,
            program=Program.HEALTH,
            unit=unit,
            sources=sources,
            compute=compute,
            **kw,
        )
    )


_register(
    "care.people_covered",
    _("People covered by free or subsidized care"),
    _(
        "Children under five and pregnant women with a coverage decision in force on the month's "
        "last day."
    ),
    Unit.COUNT,
    (COVERAGE,),
    people_covered,
    numerator_label=_("people covered"),
    ongoing=True,
)
_register(
    "care.child_consultations",
    _("Covered consultations of children"),
    _("Consultations of children under five approved for payment, by date of care."),
    Unit.COUNT,
    (LINES,),
    child_consultations,
    numerator_label=_("consultations"),
)
_register(
    "care.pregnancy_consultations",
    _("Covered consultations of pregnant women"),
    _("Consultations of pregnant or recently delivered women approved for payment."),
    Unit.COUNT,
    (LINES,),
    pregnancy_consultations,
    numerator_label=_("consultations"),
)
_register(
    "care.paid_against_budget",
    _("Care paid against budget"),
    _(
        "FCFA paid to health centers in the month (net of corrections), against the month's "
        "share of their budgets."
    ),
    Unit.PERCENT,
    (LINES,),
    paid_against_budget,
    numerator_label=_("paid (FCFA)"),
    denominator_label=_("budget for the month (FCFA)"),
)
_register(
    "care.cost_per_consultation",
    _("Average cost of a covered consultation"),
    _("FCFA covered per approved consultation, by date of care."),
    Unit.FCFA_AVERAGE,
    (LINES,),
    cost_per_consultation,
    numerator_label=_("covered (FCFA)"),
    denominator_label=_("consultations"),
)
_register(
    "care.referrals_no_cost",
    _("Referrals completed at no cost to the family"),
    _("Referrals of the month seen at the health center whose care was covered in full."),
    Unit.PERCENT,
    (LINES, REFERRAL),
    referrals_no_cost,
    numerator_label=_("referrals covered in full"),
    denominator_label=_("referrals seen"),
)
