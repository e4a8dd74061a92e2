"""Every read of the savings app, scoped to the places the user may see (404 outside).

Pages cost a fixed number of queries: balances and savings are GROUP BY sums over ledger lines,
loans are read with what was paid on them in one more query."""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Abs
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, get_in_scope, has_perm_at, scope_q
from jigiya.accounts.roles import Perm
from jigiya.places.models import Place, PlaceKind
from jigiya.registry.models import Person
from jigiya.savings import ledger, limits
from jigiya.savings.common import Gap
from jigiya.savings.loans import LoanPosition, position
from jigiya.savings.models import (
    OFFICER_ROLES,
    Account,
    Approval,
    ApprovalStatus,
    Attendance,
    Cycle,
    CycleStatus,
    Entry,
    EntryKind,
    EntryLine,
    Group,
    GroupStatusChange,
    Loan,
    LoanStatus,
    Meeting,
    Membership,
    ShareOut,
    ShareOutLine,
)

PATH = "community__path"
M = TypeVar("M", bound=models.Model)


def can_record(user: Actor, group: Group) -> bool:
    """Whether the user may record for this group (to show the buttons; services check it
    again with `require_perm_at`)."""
    return has_perm_at(user, Perm.SAVINGS_RECORD, group.community.path)


def group_list(*, user: Actor, search: str = "") -> QuerySet[Group]:
    """Groups in the user's places, with their community and number of current members."""
    today = timezone.localdate()
    groups = (
        Group.objects.filter(scope_q(user, Perm.SAVINGS_VIEW, PATH))
        .select_related("community")
        .annotate(
            members_count=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today),
            )
        )
        .order_by("community__name", "name")
    )
    if search:
        groups = groups.filter(Q(name__icontains=search) | Q(community__name__icontains=search))
    return groups


def _get(queryset: QuerySet[M], user: Actor, path_field: str, **lookup: Any) -> M:
    """One row the user may see with the savings view permission. Outside the user's places it
    does not exist (404); inside them, a role without the permission is refused (403)."""
    try:
        return get_in_scope(queryset, user, Perm.SAVINGS_VIEW, path_field, **lookup)
    except Http404:
        if queryset.filter(scope_q(user, Perm.PLACES_VIEW, path_field)).filter(**lookup).exists():
            raise PermissionDenied from None
        raise


def group_get(*, user: Actor, group_id: Any) -> Group:
    return _get(
        Group.objects.select_related("community", "facilitator"),
        user,
        PATH,
        pk=group_id,
    )


def cycle_get(*, user: Actor, cycle_id: Any) -> Cycle:
    return _get(
        Cycle.objects.select_related("group__community"),
        user,
        f"group__{PATH}",
        pk=cycle_id,
    )


def meeting_get(*, user: Actor, meeting_id: Any) -> Meeting:
    return _get(
        Meeting.objects.select_related("group__community", "cycle", "confirmed_by__person"),
        user,
        f"group__{PATH}",
        pk=meeting_id,
    )


def membership_get(*, user: Actor, membership_id: Any) -> Membership:
    return _get(
        Membership.objects.select_related("group__community", "person"),
        user,
        f"group__{PATH}",
        pk=membership_id,
    )


def loan_get(*, user: Actor, loan_id: Any) -> Loan:
    return _get(
        Loan.objects.select_related("group__community", "membership__person", "cycle"),
        user,
        f"group__{PATH}",
        pk=loan_id,
    )


def entry_get(*, user: Actor, entry_id: Any) -> Entry:
    return _get(
        Entry.objects.select_related("group__community", "cycle", "meeting"),
        user,
        f"group__{PATH}",
        pk=entry_id,
    )


def communities_to_record(*, user: Actor) -> QuerySet[Place]:
    """The active communities where the user may open a group."""
    return Place.objects.filter(
        scope_q(user, Perm.SAVINGS_RECORD), kind=PlaceKind.COMMUNITY, is_active=True
    ).order_by("name")


def people_to_add(group: Group) -> QuerySet[Person]:
    """The active people of the group's community who are not members now."""
    return (
        Person.objects.filter(household__community=group.community, is_active=True)
        .exclude(pk__in=group.memberships.filter(left_on__isnull=True).values("person_id"))
        .order_by("family_name", "given_name")
    )


def write_off_approvers(loan: Loan) -> QuerySet[Membership]:
    """The group's current officers, but the borrower."""
    return Membership.objects.filter(
        Q(left_on__isnull=True), group=loan.group, role__in=list(OFFICER_ROLES)
    ).exclude(pk=loan.membership_id)


def members_on(group: Group, day: datetime.date) -> list[Membership]:
    """The group's members on `day`, by number, with their person."""
    members = group.memberships.select_related("person").order_by("number")
    return [membership for membership in members if membership.is_member_on(day)]


def last_cycle(group: Group) -> Cycle | None:
    return group.cycles.order_by("-number").first()


def share_out_of(cycle: Cycle) -> ShareOut | None:
    return ShareOut.objects.filter(cycle=cycle).first()


def memberships_of(
    *, user: Actor, person_ids: "Iterable[uuid.UUID] | QuerySet[Any, uuid.UUID]"
) -> dict[uuid.UUID, list[Membership]]:
    """The savings groups of these people (for the household page): person id → memberships,
    current first, each with `.group` loaded. One query (a queryset of ids is a subquery, none
    for no ids); only groups the user may see."""
    result: dict[uuid.UUID, list[Membership]] = defaultdict(list)
    rows = (
        Membership.objects.filter(person_id__in=person_ids)
        .filter(scope_q(user, Perm.SAVINGS_VIEW, f"group__{PATH}"))
        .select_related("group")
        .order_by("left_on", "-joined_on")
    )
    for membership in rows:
        result[membership.person_id].append(membership)
    return dict(result)


@dataclass
class MemberRow:
    membership: Membership
    savings: int
    shares: int
    loan_owed: int
    days_overdue: int


def loan_positions(
    loans: list[Loan], on: datetime.date | None = None
) -> dict[uuid.UUID, LoanPosition]:
    on = on or timezone.localdate()
    paid = ledger.loan_paid([loan.pk for loan in loans], until=on)
    return {loan.pk: position(loan, paid.get(loan.pk), on) for loan in loans}


def member_rows(group: Group, cycle: Cycle | None) -> list[MemberRow]:
    """Each current member with her savings, shares and what she owes today (3 queries)."""
    today = timezone.localdate()
    members = list(group.memberships.select_related("person").order_by("number"))
    members = [m for m in members if m.left_on is None or m.left_on > today]
    savings = ledger.member_savings(group.pk)
    loans = list(Loan.objects.filter(group=group, status="open"))
    positions = loan_positions(loans, today)
    owed: dict[uuid.UUID, int] = defaultdict(int)
    overdue: dict[uuid.UUID, int] = defaultdict(int)
    for loan in loans:
        owed[loan.membership_id] += positions[loan.pk].owed
        overdue[loan.membership_id] = max(
            overdue[loan.membership_id], positions[loan.pk].days_overdue
        )
    price = cycle.share_price if cycle else 0
    return [
        MemberRow(
            membership=m,
            savings=savings.get(m.pk, 0),
            shares=savings.get(m.pk, 0) // price if price else 0,
            loan_owed=owed[m.pk],
            days_overdue=overdue[m.pk],
        )
        for m in members
    ]


@dataclass
class FlaggedCount:
    """A sealed meeting whose box was counted further from the expected cash than the
    threshold, with the figures of each box that differs."""

    meeting: Meeting
    gaps: list[Gap]


def _flagged(meetings: QuerySet[Meeting], limit: int) -> list[FlaggedCount]:
    threshold = limits.cash_difference_threshold()
    rows = (
        meetings.annotate(
            loan_gap=Abs(F("counted_loan_fund") - F("expected_loan_fund")),
            health_gap=Abs(F("counted_health_fund") - F("expected_health_fund")),
        )
        .filter(Q(loan_gap__gt=threshold) | Q(health_gap__gt=threshold))
        .select_related("group", "confirmed_by__person")
        .order_by("-held_on")[:limit]
    )
    return [FlaggedCount(meeting, _gaps(meeting)) for meeting in rows]


def _gaps(meeting: Meeting) -> list[Gap]:
    boxes = [
        Gap(
            "counted_loan_fund",
            _("Loan fund cash"),
            meeting.counted_loan_fund,
            meeting.expected_loan_fund,
        ),
        Gap(
            "counted_health_fund",
            _("Health fund cash"),
            meeting.counted_health_fund,
            meeting.expected_health_fund,
        ),
    ]
    return [gap for gap in boxes if gap.gap]


def flagged_counts(*, user: Actor, limit: int = 50) -> list[FlaggedCount]:
    """The sealed meetings, in the groups the user may see, whose cash count differed from the
    expected by more than the threshold: what a supervisor looks at, latest first."""
    meetings = Meeting.objects.filter(scope_q(user, Perm.SAVINGS_VIEW, f"group__{PATH}"))
    return _flagged(meetings, limit)


def cash_in_boxes(group: Group) -> dict[str, int]:
    """What each box of the group holds now (the ledger's balances): the meeting page starts
    its expected cash from it."""
    return ledger.balances(group.pk)


def group_page(*, user: Actor, group: Group) -> dict[str, Any]:
    """Everything the group page shows, in a fixed number of queries."""
    cycles = list(group.cycles.order_by("-number"))
    current = next((c for c in cycles if c.is_open), None)
    return {
        "group": group,
        "cycles": cycles,
        "current": current,
        "members": member_rows(group, current or (cycles[0] if cycles else None)),
        "balances": ledger.balances(group.pk),
        "meetings": list(
            group.meetings.select_related("cycle")
            .annotate(
                came=Count("attendance", filter=~Q(attendance__presence="absent")),
                expected=Count("attendance"),
            )
            .order_by("-held_on")[:12]
        ),
        "history": list(GroupStatusChange.objects.filter(group=group).order_by("-number")),
        "can_record": can_record(user, group),
        "waiting": group.approvals.filter(status=ApprovalStatus.PENDING).first(),
        "flagged": _flagged(group.meetings.all(), 5),
        "difference_threshold": limits.cash_difference_threshold(),
    }


def meeting_page(*, meeting: Meeting) -> dict[str, Any]:
    entries = list(
        meeting.entries.select_related("membership__person")
        .prefetch_related(Prefetch("lines", queryset=EntryLine.objects.order_by("position")))
        .order_by("seq")
    )
    corrections = list(
        Entry.objects.filter(reverses__meeting=meeting).exclude(meeting=meeting).order_by("seq")
    )
    return {
        "meeting": meeting,
        "attendance": list(
            Attendance.objects.filter(meeting=meeting)
            .select_related("membership__person")
            .order_by("membership__number")
        ),
        "entries": entries,
        "corrections": corrections,
        "reversed_ids": set(
            Entry.objects.filter(reverses__meeting=meeting).values_list("reverses_id", flat=True)
        ),
    }


@dataclass
class PassbookLine:
    on: datetime.date
    kind: str
    label: str
    amount: int
    savings: int
    entry: Entry


def passbook(*, membership: Membership) -> dict[str, Any]:
    """The member's book: every movement that names her, with her savings after each."""
    lines = (
        EntryLine.objects.filter(membership=membership)
        .select_related("entry")
        .order_by("seq", "position")
    )
    book: list[PassbookLine] = []
    savings = 0
    for line in lines:
        if line.account == Account.MEMBER_SAVINGS:
            savings += line.credit - line.debit
        elif line.account in (Account.LOAN_FUND_CASH, Account.HEALTH_FUND_CASH):
            continue  # the cash side repeats the same amount
        book.append(
            PassbookLine(
                on=line.on,
                kind=line.entry.kind,
                label=line.get_account_display(),
                amount=line.signed,
                savings=savings,
                entry=line.entry,
            )
        )
    loans = list(membership.loans.order_by("-disbursed_on"))
    positions = loan_positions(loans)
    return {
        "membership": membership,
        "lines": book,
        "savings": savings,
        "loans": [(loan, positions[loan.pk]) for loan in loans],
        "attendance": list(
            membership.attendance.select_related("meeting").order_by("-meeting__held_on")[:12]
        ),
    }


def cycle_summary(*, cycle: Cycle) -> dict[str, Any]:
    """The cycle's totals by kind of movement, its meetings and loans."""
    # The cycle's movements before the share-out closed its income and expense accounts.
    sums = dict.fromkeys(Account.values, 0)
    for row in (
        EntryLine.objects.filter(entry__cycle=cycle)
        .exclude(entry__kind="share_out")
        .values("account")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    ):
        sums[row["account"]] = ledger.signed(row["account"], row["d"] or 0, row["c"] or 0)
    loans = list(cycle.loans.select_related("membership__person").order_by("disbursed_on"))
    positions = loan_positions(loans)
    return {
        "cycle": cycle,
        "movements": sums,
        "meetings": list(
            cycle.meetings.annotate(
                came=Count("attendance", filter=~Q(attendance__presence="absent")),
                expected=Count("attendance"),
            ).order_by("held_on")
        ),
        "loans": [(loan, positions[loan.pk]) for loan in loans],
        "share_out": ShareOut.objects.filter(cycle=cycle).first(),
    }


def share_out_lines(*, share_out: ShareOut) -> list[ShareOutLine]:
    return list(share_out.lines.select_related("membership__person").order_by("membership__number"))


def settlement_of(*, membership: Membership) -> dict[str, int]:
    """The leaving settlement posted for this member: savings paid back, loans settled from
    them, what she received (all 0 when she left without one)."""
    result = {"settlement_savings": 0, "settlement_owed": 0, "settlement_payout": 0}
    lines = EntryLine.objects.filter(
        entry__membership=membership, entry__kind=EntryKind.SETTLEMENT
    ).values_list("account", "debit", "credit")
    for account, debit, credit in lines:
        if account == Account.MEMBER_SAVINGS:
            result["settlement_savings"] += debit
        elif account == Account.LOAN_FUND_CASH:
            result["settlement_payout"] += credit
        else:
            result["settlement_owed"] += credit
    return result


# --- reads the services decide on (also shown before a write) -------------------------------


def status_on(group: Group, day: datetime.date) -> str:
    """The group's status on `day`, from its history (the latest change on or before it)."""
    changes = [change for change in group.status_changes.all() if change.on <= day]
    if not changes:
        return ""
    return max(changes, key=lambda change: change.number).status


def open_loan_positions(
    group: Group, on: datetime.date, *, membership: Membership | None = None
) -> dict[Loan, LoanPosition]:
    """Every loan of the group (or member) not written off, with where it stands on `on`."""
    loans = list(
        Loan.objects.filter(group=group, status=LoanStatus.OPEN).order_by("disbursed_on", "id")
    )
    if membership is not None:
        loans = [loan for loan in loans if loan.membership_id == membership.pk]
    paid = ledger.loan_paid([loan.pk for loan in loans])
    return {loan: position(loan, paid.get(loan.pk), on) for loan in loans}


def last_shares(group: Group) -> dict[uuid.UUID, int]:
    """The shares each member bought at the group's last meeting (0 when she bought none;
    members who were not yet members then are left out)."""
    last_meeting = group.meetings.order_by("-held_on").first()
    if last_meeting is None:
        return {}
    rows = Attendance.objects.filter(meeting=last_meeting).values_list("membership_id", "shares")
    return dict(rows)


def open_cycle(group: Group) -> Cycle | None:
    """The group's cycle still open (there is at most one), or None."""
    return group.cycles.filter(status=CycleStatus.OPEN).first()


@dataclass
class LeavePlan:
    """What a member leaving on a day takes with her: her savings back at face value, minus
    what her loans still owe (principal and the flat interest not yet paid)."""

    savings: int
    owed: int
    payout: int
    positions: dict[Loan, LoanPosition]
    cycle: Cycle | None


def leave_plan(membership: Membership, on: datetime.date) -> LeavePlan:
    """The settlement of a member leaving on `on` (nothing posted)."""
    group = membership.group
    savings = ledger.member_savings(group.pk).get(membership.pk, 0)
    positions = {
        loan: pos
        for loan, pos in open_loan_positions(group, on, membership=membership).items()
        if pos.owed
    }
    owed = sum(pos.owed for pos in positions.values())
    return LeavePlan(savings, owed, savings - owed, positions, open_cycle(group))


@dataclass
class PlannedPayout:
    """One member's line of a share-out before it is posted (a `ShareOutLine` after)."""

    membership: Membership
    shares: int
    savings: int
    value: int
    loan_owed: int
    payout: int
    health_box: int


@dataclass
class ShareOutPlan:
    """What a share-out would pay, before it is posted (the sheet shows the same numbers)."""

    loan_fund_cash: int
    loans_owed: int
    health_fund_shared: int
    fund_value: int
    total_shares: int
    remainder: int
    lines: list[PlannedPayout]
    positions: dict[Loan, LoanPosition]


def _whole_shares(
    cycle: Cycle, savings: dict[uuid.UUID, int], members: dict[uuid.UUID, Membership]
) -> dict[uuid.UUID, int]:
    """Each member's shares (her savings ÷ the share price); refused when not whole."""
    shares: dict[uuid.UUID, int] = {}
    for member, amount in savings.items():
        count, rest = divmod(amount, cycle.share_price)
        if rest:
            raise ValidationError(
                {"__all__": [_("Savings of %(m)s are not whole shares.") % {"m": members[member]}]}
            )
        if count:
            shares[member] = count
    if not shares:
        raise ValidationError({"__all__": [_("Nobody holds shares: nothing to share out.")]})
    return shares


def share_out_plan(cycle: Cycle, held_on: datetime.date) -> ShareOutPlan:
    """value per share = fund value ÷ total shares, where the fund value is the loan fund cash
    plus what the loans still owe (plus the health fund when the constitution shares it out);
    each member gets ⌊her shares x fund value ÷ total shares⌋ - what she still owes. The francs
    that rounding leaves over are the remainder (kept as `remainder_rule` says). Refused
    (ValidationError) when savings are not whole shares or nobody holds any."""
    group = cycle.group
    balance = ledger.balances(group.pk)
    savings = ledger.member_savings(group.pk)
    positions = open_loan_positions(group, held_on)
    owed: dict[uuid.UUID, int] = defaultdict(int)
    for loan, pos in positions.items():
        owed[loan.membership_id] += pos.owed
    shared_health = balance[Account.HEALTH_FUND_CASH] if cycle.share_out_health_fund else 0
    value = balance[Account.LOAN_FUND_CASH] + sum(owed.values()) + shared_health
    members = {m.pk: m for m in group.memberships.select_related("person")}
    shares = _whole_shares(cycle, savings, members)
    total = sum(shares.values())
    lines = []
    for member in sorted(set(shares) | set(owed), key=lambda pk: members[pk].number):
        gross = shares.get(member, 0) * value // total
        payout = gross - owed.get(member, 0)
        health_box = payout * cycle.health_box_percent // 100 if cycle.savings_split else 0
        lines.append(
            PlannedPayout(
                membership=members[member],
                shares=shares.get(member, 0),
                savings=savings.get(member, 0),
                value=gross,
                loan_owed=owed.get(member, 0),
                payout=payout,
                health_box=max(health_box, 0),
            )
        )
    return ShareOutPlan(
        loan_fund_cash=balance[Account.LOAN_FUND_CASH],
        loans_owed=sum(owed.values()),
        health_fund_shared=shared_health,
        fund_value=value,
        total_shares=total,
        remainder=value - sum(line.value for line in lines),
        lines=lines,
        positions=positions,
    )


# --- postings waiting for a second officer (maker-checker) ----------------------------------


def approvals_waiting(*, user: Actor) -> QuerySet[Approval]:
    """The postings waiting for a second officer in the groups the user may see, oldest
    first, with their group and maker."""
    return (
        Approval.objects.filter(scope_q(user, Perm.SAVINGS_VIEW, f"group__{PATH}"))
        .filter(status=ApprovalStatus.PENDING)
        .select_related("group__community", "created_by")
        .order_by("created_at")
    )


def approval_get(*, user: Actor, approval_id: Any) -> Approval:
    return _get(
        Approval.objects.select_related("group__community", "created_by", "decided_by", "meeting"),
        user,
        f"group__{PATH}",
        pk=approval_id,
    )


def can_decide(user: Actor, approval: Approval) -> bool:
    """Whether the user may approve or reject it: still waiting, `savings.approve` in the
    group's place, and not its maker (the service checks each again)."""
    return (
        approval.is_pending
        and has_perm_at(user, Perm.SAVINGS_APPROVE, approval.group.community.path)
        and approval.created_by_id != getattr(user, "pk", None)
    )


MONEY_FIELDS = ("shares", "health", "fine", "repayment", "loan_amount")


def approval_page(*, user: Actor, approval: Approval) -> dict[str, Any]:
    """A held meeting as the checker reads it: each member's line that moves money (names
    read in one query), grants, other income, expenses and the cash counted."""
    payload = approval.payload
    names = {
        str(m.pk): m for m in approval.group.memberships.select_related("person").order_by("number")
    }
    rows = [
        (names.get(str(line["membership_id"])), line)
        for line in payload["members"]
        if any(line[name] for name in MONEY_FIELDS)
    ]
    grants = [(names.get(str(g["membership_id"])), g) for g in payload["grants"]]
    return {
        "approval": approval,
        "group": approval.group,
        "rows": rows,
        "grants": grants,
        "incomes": payload["incomes"],
        "expenses": payload["expenses"],
        "counted_loan_fund": payload["counted_loan_fund"],
        "counted_health_fund": payload["counted_health_fund"],
        "difference_note": payload.get("difference_note", ""),
        "can_decide": can_decide(user, approval),
    }
