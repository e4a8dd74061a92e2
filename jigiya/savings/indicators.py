"""Indicators of the health savings groups, per community and month (see the README for each
computation). Stocks (members, savings, assets, loans) are taken at the month's last day, or
today for the current month; flows (grants, share-outs) are what happened in the month."""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jigiya.core.periods import Month
from jigiya.indicators.registry import (
    Cells,
    Compute,
    Direction,
    Disaggregation,
    Fact,
    Indicator,
    Program,
    Target,
    Unit,
    register,
)
from jigiya.savings.loans import position
from jigiya.savings.models import Account, EntryKind, EntryLine, Loan, Meeting, Membership, ShareOut

MEMBERS = "savings.membership"
MEETINGS = "savings.meeting"
LEDGER = "savings.ledger"
SHARE_OUT = "savings.share_out"

ATTENDANCE_MEETINGS = 4
ATTENDANCE_WINDOW_DAYS = 90
PAR_DAYS = 30


def _month_ends(cells: Cells) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, the day stocks are read) of each month: its last day, or today."""
    today = timezone.localdate()
    return [
        (month, min(Month.of(month).last_day, today))
        for month in sorted(cells.months)
        if month <= today
    ]


def _in_cells(rows: QuerySet[Any], cells: Cells, field: str) -> QuerySet[Any]:
    return rows if cells.place_ids is None else rows.filter(**{f"{field}__in": cells.place_ids})


# --- members ----------------------------------------------------------------------------


def _members_at(cells: Cells) -> dict[tuple[uuid.UUID, datetime.date], dict[str, int]]:
    """(community, month) → members by sex on the day stocks are read."""
    ends = _month_ends(cells)
    if not ends:
        return {}
    rows = _in_cells(
        Membership.objects.filter(joined_on__lte=ends[-1][1]).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=ends[0][1])
        ),
        cells,
        "group__community_id",
    ).values_list("group__community_id", "person__sex", "joined_on", "left_on")
    counts: dict[tuple[uuid.UUID, datetime.date], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for community, sex, joined, left in rows:
        for month, day in ends:
            if joined <= day and (left is None or left > day):
                counts[(community, month)][sex] += 1
    return counts


def members(cells: Cells) -> Iterable[Fact]:
    for (community, month), by_sex in _members_at(cells).items():
        yield Fact(community, month, sum(by_sex.values()))
        for sex, number in by_sex.items():
            yield Fact(community, month, number, breakdown=f"sex={sex}")


def women_share(cells: Cells) -> Iterable[Fact]:
    for (community, month), by_sex in _members_at(cells).items():
        yield Fact(community, month, by_sex.get("F", 0), sum(by_sex.values()))


# --- attendance -------------------------------------------------------------------------


def attendance(cells: Cells) -> Iterable[Fact]:
    """Members who came (present or represented) over members expected, in each group's last
    four meetings of the 90 days up to the day stocks are read."""
    ends = _month_ends(cells)
    if not ends:
        return
    start = ends[0][1] - datetime.timedelta(days=ATTENDANCE_WINDOW_DAYS)
    meetings = (
        _in_cells(
            Meeting.objects.filter(held_on__gt=start, held_on__lte=ends[-1][1]),
            cells,
            "group__community_id",
        )
        .annotate(
            came=Count("attendance", filter=~Q(attendance__presence="absent")),
            expected=Count("attendance"),
        )
        .values_list("group_id", "group__community_id", "held_on", "came", "expected")
        .order_by("group_id", "-held_on")
    )
    by_group: dict[uuid.UUID, list[tuple]] = defaultdict(list)
    for group, community, held_on, came, expected in meetings:
        by_group[group].append((community, held_on, came, expected))
    totals: dict[tuple[uuid.UUID, datetime.date], list[int]] = defaultdict(lambda: [0, 0])
    for rows in by_group.values():
        for month, day in ends:
            window = day - datetime.timedelta(days=ATTENDANCE_WINDOW_DAYS)
            last = [r for r in rows if window < r[1] <= day][:ATTENDANCE_MEETINGS]
            for community, _held, came, expected in last:
                totals[(community, month)][0] += came
                totals[(community, month)][1] += expected
    for (community, month), (came, expected) in totals.items():
        yield Fact(community, month, came, expected)


# --- balances ---------------------------------------------------------------------------


def _balances(cells: Cells, accounts: list[Account]) -> dict[tuple[uuid.UUID, datetime.date], dict]:
    """(community, month) → account → balance on the day stocks are read (cumulative)."""
    ends = _month_ends(cells)
    if not ends:
        return {}
    rows = (
        _in_cells(
            EntryLine.objects.filter(account__in=accounts, on__lte=ends[-1][1]),
            cells,
            "group__community_id",
        )
        .values_list("group__community_id", "account", "on")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    changes: dict[uuid.UUID, list[tuple[datetime.date, str, int]]] = defaultdict(list)
    from jigiya.savings.ledger import signed

    for community, account, on, debit, credit in rows:
        changes[community].append((on, account, signed(account, debit or 0, credit or 0)))
    result: dict[tuple[uuid.UUID, datetime.date], dict] = {}
    for community, moves in changes.items():
        moves.sort()
        running: dict[str, int] = defaultdict(int)
        index = 0
        for month, day in ends:
            while index < len(moves) and moves[index][0] <= day:
                running[moves[index][1]] += moves[index][2]
                index += 1
            if index:
                result[(community, month)] = dict(running)
    return result


def savings_per_member(cells: Cells) -> Iterable[Fact]:
    saved = _balances(cells, [Account.MEMBER_SAVINGS])
    for (community, month), by_sex in _members_at(cells).items():
        total = saved.get((community, month), {}).get(Account.MEMBER_SAVINGS, 0)
        yield Fact(community, month, total, sum(by_sex.values()))


def assets(cells: Cells) -> Iterable[Fact]:
    kept = [Account.LOAN_FUND_CASH, Account.LOANS_RECEIVABLE, Account.HEALTH_FUND_CASH]
    for (community, month), balance in _balances(cells, kept).items():
        yield Fact(community, month, sum(balance.get(account, 0) for account in kept))


def loan_fund_utilization(cells: Cells) -> Iterable[Fact]:
    kept = [Account.LOAN_FUND_CASH, Account.LOANS_RECEIVABLE]
    for (community, month), balance in _balances(cells, kept).items():
        lent = balance.get(Account.LOANS_RECEIVABLE, 0)
        fund = lent + balance.get(Account.LOAN_FUND_CASH, 0)
        if fund:
            yield Fact(community, month, lent, fund)


def portfolio_at_risk(cells: Cells) -> Iterable[Fact]:
    """Principal still owed on loans more than 30 days overdue, over all principal owed."""
    ends = _month_ends(cells)
    if not ends:
        return
    loans = list(
        _in_cells(
            Loan.objects.filter(disbursed_on__lte=ends[-1][1]), cells, "group__community_id"
        ).select_related("group")
    )
    paid_rows = (
        EntryLine.objects.filter(
            loan_id__in=[loan.pk for loan in loans],
            account__in=[Account.LOANS_RECEIVABLE, Account.INTEREST_INCOME],
        )
        .values_list("loan_id", "account", "entry__kind", "on", "debit", "credit")
        .order_by("on")
    )
    moves: dict[uuid.UUID, list[tuple]] = defaultdict(list)
    for loan_id, account, kind, on, debit, credit in paid_rows:
        moves[loan_id].append((on, account, kind, credit - debit))
    totals: dict[tuple[uuid.UUID, datetime.date], list[int]] = defaultdict(lambda: [0, 0])
    for loan in loans:
        for month, day in ends:
            if loan.disbursed_on > day:
                continue
            paid = {"principal": 0, "interest": 0, "written_off": 0}
            for on, account, kind, net in moves[loan.pk]:
                if on > day:
                    break
                if account == Account.INTEREST_INCOME:
                    paid["interest"] += net
                elif kind == EntryKind.WRITE_OFF:
                    paid["written_off"] += net
                elif kind != EntryKind.LOAN:
                    paid["principal"] += net
            state = position(loan, paid, day)
            if state.principal_owed:
                cell = totals[(loan.group.community_id, month)]
                cell[1] += state.principal_owed
                if state.days_overdue > PAR_DAYS:
                    cell[0] += state.principal_owed
    for (community, month), (at_risk, owed) in totals.items():
        yield Fact(community, month, at_risk, owed)


# --- flows ------------------------------------------------------------------------------


def grants(cells: Cells) -> Iterable[Fact]:
    """Health fund grants paid in the month (net of reversals), by what care they paid."""
    rows = (
        _in_cells(
            EntryLine.objects.filter(
                account=Account.HEALTH_FUND_CASH,
                entry__kind__in=[EntryKind.GRANT, EntryKind.REVERSAL],
                on__gte=cells.first,
                on__lt=cells.end,
            ).exclude(entry__purpose=""),
            cells,
            "group__community_id",
        )
        .annotate(month=TruncMonth("on"))
        .values_list("group__community_id", "month", "entry__purpose")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    totals: dict[tuple[uuid.UUID, datetime.date], int] = defaultdict(int)
    for community, month, purpose, debit, credit in rows:
        amount = (credit or 0) - (debit or 0)
        totals[(community, month)] += amount
        yield Fact(community, month, amount, breakdown=f"purpose={purpose}")
    for (community, month), amount in totals.items():
        yield Fact(community, month, amount)


def _share_outs(cells: Cells) -> Iterable[ShareOut]:
    return _in_cells(
        ShareOut.objects.filter(held_on__gte=cells.first, held_on__lt=cells.end),
        cells,
        "cycle__group__community_id",
    ).select_related("cycle__group")


def annual_return(cells: Cells) -> Iterable[Fact]:
    """What the savings earned over the cycle, per year: (fund value - health fund shared -
    savings) x 365 over savings x days of the cycle, for share-outs held in the month."""
    outs = list(_share_outs(cells))
    savings = dict(
        ShareOut.objects.filter(pk__in=[s.pk for s in outs])
        .annotate(total=Sum("lines__savings"))
        .values_list("pk", "total")
    )
    for out in outs:
        saved = savings.get(out.pk) or 0
        days = (out.held_on - out.cycle.starts_on).days
        if saved and days > 0:
            earned = out.fund_value - out.health_fund_shared - saved
            yield Fact(
                out.cycle.group.community_id,
                Month.of(out.held_on).first_day,
                earned * 365,
                saved * days,
            )


def members_leaving(cells: Cells) -> Iterable[Fact]:
    """For cycles shared out in the month: members who left during the cycle over members who
    belonged to the group at any time during it."""
    for out in _share_outs(cells):
        start, end = out.cycle.starts_on, out.held_on
        during = Membership.objects.filter(group=out.cycle.group, joined_on__lte=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start)
        )
        left = during.filter(left_on__isnull=False, left_on__lte=end).count()
        yield Fact(out.cycle.group.community_id, Month.of(end).first_day, left, during.count())


def _register(
    code: str,
    name: Promise | str,
    definition: Promise | str,
    unit: Unit,
    sources: tuple[str, ...],
    compute: Compute,
    **kw: Any,
) -> None:
    register(
        Indicator(
            code=code,
            name=name,
            definition=definition,
            program=Program.SAVINGS,
            unit=unit,
            sources=sources,
            compute=compute,
            disaggregations=(Disaggregation.COMMUNITY, Disaggregation.GROUP),
            **kw,
        )
    )


_register(
    "savings.members",
    _("Savings group members"),
    _("Members of the community's savings groups on the month's last day, by sex."),
    Unit.COUNT,
    (MEMBERS,),
    members,
    numerator_label=_("members"),
)
_register(
    "savings.women_share",
    _("Women among savings group members"),
    _("Women among the members of the community's savings groups on the month's last day."),
    Unit.PERCENT,
    (MEMBERS,),
    women_share,
    numerator_label=_("women"),
    denominator_label=_("members"),
    target=Target(90),
)
_register(
    "savings.attendance",
    _("Attendance at savings group meetings"),
    _(
        "Members present or represented out of members expected, over each group's last four "
        "meetings of the 90 days up to the month's last day."
    ),
    Unit.PERCENT,
    (MEETINGS,),
    attendance,
    numerator_label=_("members who came"),
    denominator_label=_("members expected"),
    target=Target(85),
)
_register(
    "savings.savings_per_member",
    _("Savings per member"),
    _("Members' savings (shares bought, not yet shared out) per member, on the month's last day."),
    Unit.FCFA_AVERAGE,
    (LEDGER, MEMBERS),
    savings_per_member,
    numerator_label=_("savings (FCFA)"),
    denominator_label=_("members"),
)
_register(
    "savings.assets",
    _("Savings group assets"),
    _(
        "Loan fund cash + loans outstanding (principal) + health fund cash, on the month's "
        "last day."
    ),
    Unit.FCFA,
    (LEDGER,),
    assets,
    numerator_label=_("assets (FCFA)"),
)
_register(
    "savings.loan_fund_utilization",
    _("Loan fund utilization"),
    _("Loans outstanding (principal) out of loans outstanding + loan fund cash."),
    Unit.PERCENT,
    (LEDGER,),
    loan_fund_utilization,
    numerator_label=_("loans outstanding (FCFA)"),
    denominator_label=_("loan fund (FCFA)"),
)
_register(
    "savings.par30",
    _("Portfolio at risk over 30 days"),
    _(
        "Principal still owed on loans with an installment more than 30 days late, out of all "
        "principal still owed, on the month's last day."
    ),
    Unit.PERCENT,
    (LEDGER,),
    portfolio_at_risk,
    numerator_label=_("principal at risk (FCFA)"),
    denominator_label=_("principal owed (FCFA)"),
    target=Target(5, Direction.DOWN),
)
_register(
    "savings.annual_return",
    _("Annualized return on savings"),
    _(
        "At each share-out: what the fund earned beyond the savings (interest, fines, other "
        "income, less expenses and losses), per year, as a share of the savings."
    ),
    Unit.PERCENT,
    (SHARE_OUT,),
    annual_return,
    numerator_label=_("earnings x 365 (FCFA-days)"),
    denominator_label=_("savings x days of the cycle (FCFA-days)"),
)
_register(
    "savings.health_grants",
    _("Health fund grants"),
    _("Grants from the health fund paid to members in the month, by what care they paid for."),
    Unit.FCFA,
    (LEDGER,),
    grants,
    numerator_label=_("grants (FCFA)"),
)
_register(
    "savings.members_leaving",
    _("Members leaving per cycle"),
    _(
        "For cycles shared out in the month: members who left during the cycle, out of members "
        "who belonged to the group at any time during it."
    ),
    Unit.PERCENT,
    (SHARE_OUT, MEMBERS),
    members_leaving,
    numerator_label=_("members who left"),
    denominator_label=_("members during the cycle"),
)
