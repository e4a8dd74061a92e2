"""Indicators of the health savings groups, per community and month (see the README for each
computation). Stocks (members, savings, assets, loans) are taken at the month's last day, or
today for the current month; flows (grants, share-outs) are what happened in the month."""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
    Mod,
    TruncMonth,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.access import Actor, scope_q
from jigiya.accounts.roles import Perm
from jigiya.core.periods import Month
from jigiya.indicators.catalog import (
    Cells,
    Compute,
    Direction,
    Disaggregation,
    Fact,
    Indicator,
    Program,
    RecordColumn,
    Target,
    Unit,
    register,
)
from jigiya.places.models import Place
from jigiya.registry.models import Sex
from jigiya.savings.loans import position
from jigiya.savings.models import (
    Account,
    Attendance,
    Entry,
    EntryKind,
    EntryLine,
    Group,
    Loan,
    LoanStatus,
    Meeting,
    Membership,
    Presence,
    ShareOut,
    ShareOutLine,
)
from jigiya.savings.services import SOURCE_LEDGER as LEDGER
from jigiya.savings.services import SOURCE_MEETINGS as MEETINGS
from jigiya.savings.services import SOURCE_MEMBERS as MEMBERS
from jigiya.savings.services import SOURCE_SHARE_OUT as SHARE_OUT

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


# --- Records behind a figure (drill-down and record exports) -------------------------------
#
# Each hook gives the records that make the numerator of `place` (and below) for `month`, read
# on the same day as the figure (stocks) or over the month (flows), limited to the groups whose
# community the user may see savings records in. One query each: balances are correlated
# subqueries over the ledger lines, so a drill-down page or an export costs a fixed number of
# queries. Where the numerator is an FCFA sum, a column holds each record's part of it.

GROUP_COMMUNITY = "group__community__path"


def _stock_day(month: datetime.date) -> datetime.date | None:
    """The day a month's stocks are read (as `_month_ends`), None for a future month."""
    today = timezone.localdate()
    return None if month > today else min(Month.of(month).last_day, today)


def _within(rows: QuerySet[Any], user: Actor, place: Place, path: str) -> QuerySet[Any]:
    """Rows whose group's community (reached by `path`) is `place` or below it, where `user`
    may see savings records."""
    return rows.filter(
        scope_q(user, Perm.SAVINGS_VIEW, path), **{f"{path}__startswith": place.path}
    )


def _sum(rows: QuerySet[Any], key: str, amount: Any) -> Coalesce:
    """Σ `amount` over `rows` (correlated to the outer record through `key`), 0 when none."""
    return Coalesce(
        Subquery(rows.order_by().values(key).annotate(total=amount).values("total")[:1]),
        0,
        output_field=BigIntegerField(),
    )


CREDITS = Sum("credit") - Sum("debit")  # the balance of a credit-normal account
DEBITS = Sum("debit") - Sum("credit")  # the balance of a debit-normal account


def _savings_on(day: datetime.date) -> Coalesce:
    lines = EntryLine.objects.filter(
        membership=OuterRef("pk"), account=Account.MEMBER_SAVINGS, on__lte=day
    )
    return _sum(lines, "membership", CREDITS)


def _members_on(day: datetime.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def _memberships(user: Actor, place: Place) -> QuerySet[Membership]:
    return (
        _within(Membership.objects.all(), user, place, GROUP_COMMUNITY)
        .select_related("person", "group__community")
        .order_by("group__community__name", "group__name", "number", "pk")
    )


def member_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Membership]:
    """The members on the day the month's stocks are read, with their savings then."""
    day = _stock_day(month)
    if day is None:
        return Membership.objects.none()
    return _memberships(user, place).filter(_members_on(day)).annotate(savings=_savings_on(day))


def women_member_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Membership]:
    """The women among those members."""
    return member_records(user, place, month).filter(person__sex=Sex.FEMALE)


def savings_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Membership]:
    """The members then, and anyone else whose savings were still in the group: `savings`
    adds up to the numerator."""
    day = _stock_day(month)
    if day is None:
        return Membership.objects.none()
    return (
        _memberships(user, place)
        .annotate(savings=_savings_on(day))
        .filter(_members_on(day) | ~Q(savings=0))
    )


def attendance_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Attendance]:
    """The members who came (present or represented) to each group's last four meetings of
    the 90 days up to the day stocks are read."""
    day = _stock_day(month)
    if day is None:
        return Attendance.objects.none()
    later = Meeting.objects.filter(
        group=OuterRef("meeting__group"),
        held_on__gt=OuterRef("meeting__held_on"),
        held_on__lte=day,
    )
    return (
        _within(
            Attendance.objects.filter(
                meeting__held_on__gt=day - datetime.timedelta(days=ATTENDANCE_WINDOW_DAYS),
                meeting__held_on__lte=day,
            ).exclude(presence=Presence.ABSENT),
            user,
            place,
            f"meeting__{GROUP_COMMUNITY}",
        )
        .annotate(later_meetings=_sum(later, "group", Count("pk")))
        .filter(later_meetings__lt=ATTENDANCE_MEETINGS)
        .select_related("meeting__group__community", "membership__person")
        .order_by("meeting__held_on", "meeting__group__name", "membership__number", "pk")
    )


def _account_on(account: Account, day: datetime.date) -> Coalesce:
    lines = EntryLine.objects.filter(group=OuterRef("pk"), account=account, on__lte=day)
    return _sum(lines, "group", DEBITS)


def asset_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Group]:
    """The groups with what they held on the day stocks are read: `assets` adds up to the
    numerator."""
    day = _stock_day(month)
    if day is None:
        return Group.objects.none()
    held = [Account.LOAN_FUND_CASH, Account.LOANS_RECEIVABLE, Account.HEALTH_FUND_CASH]
    posted = EntryLine.objects.filter(group=OuterRef("pk"), account__in=held, on__lte=day)
    return (
        _within(Group.objects.filter(Exists(posted)), user, place, "community__path")
        .annotate(
            loan_fund_cash=_account_on(Account.LOAN_FUND_CASH, day),
            loans_outstanding=_account_on(Account.LOANS_RECEIVABLE, day),
            health_fund_cash=_account_on(Account.HEALTH_FUND_CASH, day),
        )
        .annotate(assets=F("loan_fund_cash") + F("loans_outstanding") + F("health_fund_cash"))
        .select_related("community")
        .order_by("community__name", "name", "pk")
    )


def _loans(user: Actor, place: Place, day: datetime.date) -> QuerySet[Loan]:
    return (
        _within(Loan.objects.filter(disbursed_on__lte=day), user, place, GROUP_COMMUNITY)
        .select_related("membership__person", "group__community")
        .order_by("disbursed_on", "group__name", "pk")
    )


def loan_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Loan]:
    """The loans still owed on the day stocks are read: `principal_owed` (their loans
    receivable balance) adds up to the numerator."""
    day = _stock_day(month)
    if day is None:
        return Loan.objects.none()
    lines = EntryLine.objects.filter(
        loan=OuterRef("pk"), account=Account.LOANS_RECEIVABLE, on__lte=day
    )
    return (
        _loans(user, place, day)
        .annotate(principal_owed=_sum(lines, "loan", DEBITS))
        .exclude(principal_owed=0)
    )


def _installments_due(day: datetime.date) -> Any:
    """How many installments of the loan fall on or before `day` (as `Loan.schedule`: the
    disbursement day of each following month, or that month's last day), 0 to the term."""
    months = (day.year * 12 + day.month) - (
        Cast(ExtractYear("disbursed_on"), IntegerField()) * 12
        + Cast(ExtractMonth("disbursed_on"), IntegerField())
    )
    if day != Month.of(day).last_day:  # a later day of the month falls after `day`
        months = months - Case(
            When(Q(disbursed_on__day__gt=day.day), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return Least(Greatest(months, Value(0)), F("term_months"), output_field=IntegerField())


def _due_by(installments: Any) -> Any:
    """Principal and interest of the first `installments` installments (`Loan.schedule`:
    equal parts, the first months taking the remainder francs)."""
    return ExpressionWrapper(
        installments * (F("principal") / F("term_months") + F("interest_total") / F("term_months"))
        + Least(installments, Mod("principal", "term_months"))
        + Least(installments, Mod("interest_total", "term_months")),
        output_field=BigIntegerField(),
    )


def par_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Loan]:
    """The loans with an installment more than 30 days late on the day stocks are read (as
    `loans.position` tells it): `principal_owed` adds up to the numerator; `late_amount` is what
    fell due by then and is not paid."""
    day = _stock_day(month)
    if day is None:
        return Loan.objects.none()
    lines = EntryLine.objects.filter(loan=OuterRef("pk"), on__lte=day)
    receivable = lines.filter(account=Account.LOANS_RECEIVABLE).exclude(entry__kind=EntryKind.LOAN)
    principal_paid = _sum(receivable.exclude(entry__kind=EntryKind.WRITE_OFF), "loan", CREDITS)
    return (
        _loans(user, place, day)
        .exclude(status=LoanStatus.WRITTEN_OFF, written_off_on__lte=day)
        .annotate(
            principal_owed=F("principal") - _sum(receivable, "loan", CREDITS),
            repaid=principal_paid
            + _sum(lines.filter(account=Account.INTEREST_INCOME), "loan", CREDITS),
        )
        .annotate(
            # Late by more than 30 days: what fell due 31 days before `day` is not all paid.
            due_before_par=_due_by(_installments_due(day - datetime.timedelta(days=PAR_DAYS + 1))),
            late_amount=Greatest(
                _due_by(_installments_due(day)) - F("repaid"),
                Value(0),
                output_field=BigIntegerField(),
            ),
        )
        .filter(principal_owed__gt=0, due_before_par__gt=F("repaid"))
    )


def grant_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Entry]:
    """The health fund grants of the month and their reversals: `amount` (net paid out of the
    health fund, negative for a reversal) adds up to the numerator."""
    cash = EntryLine.objects.filter(entry=OuterRef("pk"), account=Account.HEALTH_FUND_CASH)
    return (
        _within(
            Entry.objects.filter(
                Exists(cash),
                kind__in=[EntryKind.GRANT, EntryKind.REVERSAL],
                on__gte=month,
                on__lt=Month.of(month).next().first_day,
            ).exclude(purpose=""),
            user,
            place,
            GROUP_COMMUNITY,
        )
        .annotate(amount=_sum(cash, "entry", CREDITS))
        .select_related("membership__person", "group__community")
        .order_by("on", "group__name", "seq")
    )


def share_out_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[ShareOut]:
    """The share-outs of the month that give a return: `earned` x 365 adds up to the
    numerator."""
    saved = ShareOutLine.objects.filter(share_out=OuterRef("pk"))
    return (
        _within(
            ShareOut.objects.filter(
                held_on__gte=month,
                held_on__lt=Month.of(month).next().first_day,
                held_on__gt=F("cycle__starts_on"),
            ),
            user,
            place,
            f"cycle__{GROUP_COMMUNITY}",
        )
        .annotate(savings=_sum(saved, "share_out", Sum("savings")))
        .filter(savings__gt=0)
        .annotate(earned=F("fund_value") - F("health_fund_shared") - F("savings"))
        .select_related("cycle__group__community")
        .order_by("held_on", "cycle__group__name", "pk")
    )


def leaving_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Membership]:
    """The members who left during a cycle shared out in the month."""
    shared_out = ShareOut.objects.filter(
        Q(held_on__gte=OuterRef("left_on")),  # left during the cycle, by the share-out
        cycle__group=OuterRef("group"),
        cycle__starts_on__lte=OuterRef("left_on"),
        held_on__gte=month,
        held_on__lt=Month.of(month).next().first_day,
    )
    return _memberships(user, place).filter(Exists(shared_out), left_on__isnull=False)


MEMBER_COLUMNS = (
    RecordColumn("person", _("member"), personal=True),
    RecordColumn("person__phone", _("phone"), personal=True),
    RecordColumn("person__sex", _("sex")),
    RecordColumn("group__name", _("group")),
    RecordColumn("group__community__name", _("community")),
    RecordColumn("joined_on", _("joined on")),
    RecordColumn("left_on", _("left on")),
    RecordColumn("savings", _("savings (FCFA)")),
)
LEAVING_COLUMNS = MEMBER_COLUMNS[:-1]  # no savings: they are read on no particular day
ATTENDANCE_COLUMNS = (
    RecordColumn("meeting__held_on", _("meeting")),
    RecordColumn("meeting__group__name", _("group")),
    RecordColumn("meeting__group__community__name", _("community")),
    RecordColumn("membership__person", _("member"), personal=True),
    RecordColumn("presence", _("attendance")),
)
ASSET_COLUMNS = (
    RecordColumn("name", _("group")),
    RecordColumn("community__name", _("community")),
    RecordColumn("loan_fund_cash", _("loan fund cash (FCFA)")),
    RecordColumn("loans_outstanding", _("loans outstanding (FCFA)")),
    RecordColumn("health_fund_cash", _("health fund cash (FCFA)")),
    RecordColumn("assets", _("assets (FCFA)")),
)
LOAN_COLUMNS = (
    RecordColumn("disbursed_on", _("disbursed on")),
    RecordColumn("membership__person", _("borrower"), personal=True),
    RecordColumn("membership__person__phone", _("phone"), personal=True),
    RecordColumn("group__name", _("group")),
    RecordColumn("group__community__name", _("community")),
    RecordColumn("principal", _("principal (FCFA)")),
    RecordColumn("due_on", _("due on")),
    RecordColumn("principal_owed", _("principal owed (FCFA)")),
)
PAR_COLUMNS = (
    *LOAN_COLUMNS,
    RecordColumn("repaid", _("repaid (FCFA)")),
    RecordColumn("late_amount", _("due and unpaid (FCFA)")),
)
GRANT_COLUMNS = (
    RecordColumn("on", _("date")),
    RecordColumn("membership__person", _("member"), personal=True),
    RecordColumn("group__name", _("group")),
    RecordColumn("group__community__name", _("community")),
    RecordColumn("kind", _("kind")),
    RecordColumn("purpose", _("care paid for")),
    RecordColumn("amount", _("amount (FCFA)")),
)
SHARE_OUT_COLUMNS = (
    RecordColumn("held_on", _("date")),
    RecordColumn("cycle__group__name", _("group")),
    RecordColumn("cycle__group__community__name", _("community")),
    RecordColumn("cycle__starts_on", _("cycle started on")),
    RecordColumn("savings", _("savings (FCFA)")),
    RecordColumn("fund_value", _("value of the fund (FCFA)")),
    RecordColumn("health_fund_shared", _("health fund shared out (FCFA)")),
    RecordColumn("earned", _("earned (FCFA)")),
)

PLACES = (Disaggregation.COMMUNITY, Disaggregation.HEALTH_CENTER)


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
    ongoing=True,
    records=member_records,
    record_columns=MEMBER_COLUMNS,
    disaggregations=(*PLACES, Disaggregation.SEX),
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
    ongoing=True,
    records=women_member_records,
    record_columns=MEMBER_COLUMNS,
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
    ongoing=True,
    records=attendance_records,
    record_columns=ATTENDANCE_COLUMNS,
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
    ongoing=True,
    records=savings_records,
    record_columns=MEMBER_COLUMNS,
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
    ongoing=True,
    records=asset_records,
    record_columns=ASSET_COLUMNS,
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
    ongoing=True,
    records=loan_records,
    record_columns=LOAN_COLUMNS,
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
    ongoing=True,
    records=par_records,
    record_columns=PAR_COLUMNS,
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
    records=share_out_records,
    record_columns=SHARE_OUT_COLUMNS,
)
_register(
    "savings.health_grants",
    _("Health fund grants"),
    _("Grants from the health fund paid to members in the month, by what care they paid for."),
    Unit.FCFA,
    (LEDGER,),
    grants,
    numerator_label=_("grants (FCFA)"),
    records=grant_records,
    record_columns=GRANT_COLUMNS,
    disaggregations=(*PLACES, Disaggregation.PURPOSE),
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
    records=leaving_records,
    record_columns=LEAVING_COLUMNS,
)
