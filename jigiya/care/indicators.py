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

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.access import Actor, scope_q
from jigiya.accounts.roles import Perm
from jigiya.care.common import SOURCE_COVERAGE as COVERAGE
from jigiya.care.common import SOURCE_LINES as LINES
from jigiya.care.models import Budget, CareLine, Coverage, LineStatus, PaymentEntry, Service
from jigiya.core.periods import Month
from jigiya.followup.models import Referral, ReferralStatus
from jigiya.followup.referrals import SOURCE_REFERRAL as REFERRAL
from jigiya.indicators.catalog import (
    Cells,
    Fact,
    Indicator,
    Program,
    RecordColumn,
    Unit,
    register,
)
from jigiya.places.models import Place
from jigiya.registry.models import Person

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
        .filter(referral__status=ReferralStatus.SEEN)
        .annotate(n=Count("referral_id", distinct=True))
        .order_by()
    )
    numerators = {(community, month): n for community, month, n in free}
    for community, month, n in seen:
        yield Fact(community, month, numerators.get((community, month), 0), n)


# --- Records behind a figure (drill-down and record exports) -------------------------------
#
# Each hook gives the records that make the numerator of `place` (and below) for `month`, where
# the figure counts them (the beneficiary's community, or the paid health center's place),
# limited to the communities where `user` may see care records. One query each. Where the
# numerator is an FCFA sum, a column holds each record's part of it.


def _end(month: datetime.date) -> datetime.date:
    return Month.of(month).next().first_day


def _within(rows: QuerySet[Any], user: Actor, place: Place, path: str) -> QuerySet[Any]:
    """Rows whose place (reached by `path`) is `place` or below it, where `user` may see care
    records."""
    return rows.filter(scope_q(user, Perm.CARE_VIEW, path), **{f"{path}__startswith": place.path})


def covered_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Person]:
    """The people with a coverage in force on the month's last day (today for this month)."""
    today = timezone.localdate()
    if month > today:
        return Person.objects.none()
    day = min(Month.of(month).last_day, today)
    in_force = Coverage.objects.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)
    return (
        _within(
            Person.objects.filter(Exists(in_force.filter(person=OuterRef("pk")))),
            user,
            place,
            "household__community__path",
        )
        .annotate(full_name=Concat("given_name", Value(" "), "family_name"))
        .select_related("household__community")
        .order_by("household__community__name", "family_name", "given_name", "pk")
    )


def _consultation_records(
    user: Actor, place: Place, month: datetime.date, eligible_as: str | None = None
) -> QuerySet[CareLine]:
    lines = CareLine.objects.filter(
        status=LineStatus.APPROVED,
        service=Service.CONSULTATION,
        day__gte=month,
        day__lt=_end(month),
    )
    if eligible_as is not None:
        lines = lines.filter(eligible_as=eligible_as)
    return (
        _within(lines, user, place, "person__household__community__path")
        .select_related("person__household__community", "claim__health_center")
        .order_by("day", "pk")
    )


def child_consultation_records(
    user: Actor, place: Place, month: datetime.date
) -> QuerySet[CareLine]:
    """The approved consultations of children under five, by date of care."""
    return _consultation_records(user, place, month, "child")


def pregnancy_consultation_records(
    user: Actor, place: Place, month: datetime.date
) -> QuerySet[CareLine]:
    """The approved consultations of pregnant or recently delivered women."""
    return _consultation_records(user, place, month, "pregnancy")


def consultation_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[CareLine]:
    """Every approved consultation of the month: `covered` adds up to the numerator."""
    return _consultation_records(user, place, month)


def payment_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[PaymentEntry]:
    """The payments ledger's entries of the month (reversals negative): `amount` adds up to the
    numerator, where the paid health center stands."""
    return (
        _within(
            PaymentEntry.objects.filter(on__gte=month, on__lt=_end(month)),
            user,
            place,
            "health_center__place__path",
        )
        .select_related("health_center", "claim")
        .order_by("on", "health_center__name", "seq")
    )


def referral_no_cost_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Referral]:
    """The referrals of the month seen at the health center whose care was approved and covered
    in full."""
    free = CareLine.objects.filter(
        referral=OuterRef("pk"), status=LineStatus.APPROVED, covered=F("amount")
    )
    return (
        _within(
            Referral.objects.filter(
                Exists(free),
                status=ReferralStatus.SEEN,
                referred_on__gte=month,
                referred_on__lt=_end(month),
            ),
            user,
            place,
            "person__household__community__path",
        )
        .select_related("person__household__community", "health_center")
        .order_by("referred_on", "pk")
    )


PERSON_COLUMNS = (
    RecordColumn("full_name", _("beneficiary"), personal=True),
    RecordColumn("birth_date", _("date of birth")),
    RecordColumn("household__community__name", _("community")),
    RecordColumn("household__name", _("household"), personal=True),
)
LINE_COLUMNS = (
    RecordColumn("day", _("date of care")),
    RecordColumn("person", _("beneficiary"), personal=True),
    RecordColumn("person__household__community__name", _("community")),
    RecordColumn("claim__health_center__name", _("health center")),
    RecordColumn("eligible_as", _("eligible as")),
    RecordColumn("amount", _("amount (FCFA)")),
    RecordColumn("covered", _("covered (FCFA)")),
)
PAYMENT_COLUMNS = (
    RecordColumn("on", _("paid on")),
    RecordColumn("health_center__name", _("health center")),
    RecordColumn("claim__month", _("month claimed")),
    RecordColumn("kind", _("kind")),
    RecordColumn("method", _("method")),
    RecordColumn("reference", _("reference")),
    RecordColumn("amount", _("amount (FCFA)")),
)
REFERRAL_COLUMNS = (
    RecordColumn("referred_on", _("referred on")),
    RecordColumn("person", _("person"), personal=True),
    RecordColumn("person__household__community__name", _("community")),
    RecordColumn("health_center__name", _("health center")),
    RecordColumn("seen_on", _("seen on")),
)


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
    records=covered_records,
    record_columns=PERSON_COLUMNS,
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
    records=child_consultation_records,
    record_columns=LINE_COLUMNS,
    numerator_label=_("consultations"),
)
_register(
    "care.pregnancy_consultations",
    _("Covered consultations of pregnant women"),
    _("Consultations of pregnant or recently delivered women approved for payment."),
    Unit.COUNT,
    (LINES,),
    pregnancy_consultations,
    records=pregnancy_consultation_records,
    record_columns=LINE_COLUMNS,
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
    records=payment_records,
    record_columns=PAYMENT_COLUMNS,
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
    records=consultation_records,
    record_columns=LINE_COLUMNS,
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
    records=referral_no_cost_records,
    record_columns=REFERRAL_COLUMNS,
    numerator_label=_("referrals covered in full"),
    denominator_label=_("referrals seen"),
)
