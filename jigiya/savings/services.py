"""Every write of the savings app: one transaction each, audited, money through the ledger.

Money services lock the group row first (`ledger.lock_group`), check everything, then post:
a refused operation writes nothing. Records a device creates carry its UUID: the same one sent
again returns what was made the first time; the same id with other content is a `Conflict`.
"""

import datetime
import hashlib
import json
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import has_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.changes import declare_source, records_changed
from jigiya.core.errors import Conflict
from jigiya.core.money import format_fcfa
from jigiya.core.periods import Month, month_range
from jigiya.places.models import Place, PlaceKind
from jigiya.savings import ledger
from jigiya.savings.ledger import EntryDraft, LineDraft
from jigiya.savings.loans import interest_for, position, split_repayment
from jigiya.savings.models import (
    OFFICER_ROLES,
    Account,
    Attendance,
    Cycle,
    CycleStatus,
    Entry,
    EntryKind,
    EntryLine,
    GrantPurpose,
    Group,
    GroupStatus,
    GroupStatusChange,
    Loan,
    LoanStatus,
    Meeting,
    MemberRole,
    Membership,
    Presence,
    RemainderRule,
    ShareOut,
    ShareOutLine,
)

SOURCE_MEMBERS = declare_source("savings.membership")
SOURCE_MEETINGS = declare_source("savings.meeting")
SOURCE_LEDGER = declare_source("savings.ledger")
SOURCE_SHARE_OUT = declare_source("savings.share_out")


def _require(actor: Any, group_or_place: Group | Place) -> None:
    place = group_or_place.community if isinstance(group_or_place, Group) else group_or_place
    if not has_perm_at(actor, Perm.SAVINGS_RECORD, place.path):
        raise PermissionDenied


def _actor_id(actor: Any) -> Any:
    return actor.pk if getattr(actor, "pk", None) else None


def _not_future(day: datetime.date, field_name: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field_name: [_("This date is in the future.")]})


def _whole(value: Any, field_name: str, *, positive: bool = False) -> int:
    """A whole number of FCFA (never a float, a text or a boolean), ≥ 0 (> 0 if `positive`)."""
    if type(value) is not int or value < 0 or (positive and value == 0):
        raise ValidationError(
            {field_name: [_("Enter a whole, positive number of FCFA (no decimals).")]}
        )
    return value


def _stale(group: Group, *days: datetime.date, source: str) -> None:
    """Mark the community's months stale from each day's month to this month: members, savings,
    assets and loans are stocks, so a change shows in every month after it."""
    today = Month.current()
    months = {month for day in days for month in month_range(Month.of(day), today)}
    records_changed(source=source, cells=[(group.community_id, m.first_day) for m in months])


# --- groups, status, cycles, members --------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor: Any,
    community: Place,
    name: str,
    formed_on: datetime.date,
    facilitator: Any = None,
    id: uuid.UUID | None = None,
) -> Group:
    """A new group, forming, in a community the actor may record savings in."""
    _require(actor, community)
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": [_("A group belongs to a community.")]})
    _not_future(formed_on, "formed_on")
    name = name.strip()
    if Group.objects.filter(community=community, name__iexact=name).exists():
        raise ValidationError({"name": [_("This community already has a group of this name.")]})
    group = Group(
        id=id or uuid.uuid4(),
        name=name,
        community=community,
        facilitator=facilitator,
        formed_on=formed_on,
        status=GroupStatus.FORMING,
        status_since=formed_on,
        created_by_id=_actor_id(actor),
    )
    group.full_clean()
    group.save()
    GroupStatusChange.objects.create(
        group=group, status=GroupStatus.FORMING, on=formed_on, created_by_id=_actor_id(actor)
    )
    audit_record(actor=actor, obj=group)
    return group


# Which status may follow which.
TRANSITIONS = {
    GroupStatus.FORMING: {GroupStatus.ACTIVE, GroupStatus.CLOSED},
    GroupStatus.ACTIVE: {GroupStatus.SUSPENDED, GroupStatus.CLOSED},
    GroupStatus.SUSPENDED: {GroupStatus.ACTIVE, GroupStatus.CLOSED},
    GroupStatus.CLOSED: set(),
}


@transaction.atomic
def group_status_change(
    *, actor: Any, group: Group, status: str, on: datetime.date, reason: str = ""
) -> Group:
    """Activate, suspend (a reason is required), resume or close a group from a date. The
    history keeps every change; meetings are refused on days the group was not active."""
    _require(actor, group)
    group = ledger.lock_group(group.pk)
    if status not in TRANSITIONS[GroupStatus(group.status)]:
        raise ValidationError(
            {
                "status": [
                    _("A group that is %(now)s cannot become %(next)s.")
                    % {
                        "now": GroupStatus(group.status).label,
                        "next": GroupStatus(status).label if status in GroupStatus.values else "?",
                    }
                ]
            }
        )
    _not_future(on, "on")
    if on < group.status_since:
        raise ValidationError(
            {"on": [_("The date must be on or after the last change of status.")]}
        )
    reason = reason.strip()
    if status == GroupStatus.SUSPENDED and not reason:
        raise ValidationError({"reason": [_("Say why the group is suspended.")]})
    last_meeting = group.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    if status != GroupStatus.ACTIVE and last_meeting and last_meeting > on:
        raise ValidationError({"on": [_("The group met after this date.")]})
    before = audit_snapshot(group)
    group.status, group.status_since, group.status_reason = status, on, reason
    group.full_clean()
    group.save(update_fields=["status", "status_since", "status_reason", "updated_at"])
    GroupStatusChange.objects.create(
        group=group,
        status=status,
        on=on,
        reason=reason,
        number=group.status_changes.count() + 1,
        created_by_id=_actor_id(actor),
    )
    audit_record(actor=actor, obj=group, before=before)
    return group


def status_on(group: Group, day: datetime.date) -> str:
    """The group's status on `day`, from its history (the latest change on or before it)."""
    changes = [change for change in group.status_changes.all() if change.on <= day]
    if not changes:
        return ""
    return max(changes, key=lambda change: change.number).status


CONSTITUTION_FIELDS = (
    "frequency", "share_price", "max_shares", "health_contribution", "interest_rate",
    "max_loan_multiple", "max_term_months", "fines", "savings_split", "health_box_percent",
    "share_out_health_fund", "remainder_rule", "leaving_mid_cycle",
)  # fmt: skip


@transaction.atomic
def cycle_start(
    *,
    actor: Any,
    group: Group,
    starts_on: datetime.date,
    planned_end: datetime.date,
    share_price: int,
    frequency: str = "weekly",
    max_shares: int = 5,
    health_contribution: int = 0,
    interest_rate: Decimal | int | str = Decimal("10"),
    max_loan_multiple: int = 3,
    max_term_months: int = 3,
    fines: list[dict[str, Any]] | None = None,
    savings_split: bool = False,
    health_box_percent: int = 0,
    share_out_health_fund: bool = False,
    remainder_rule: str = RemainderRule.HEALTH_FUND,
    leaving_mid_cycle: bool = True,
) -> Cycle:
    """Open the group's next cycle with its constitution. The members and the health fund carry
    over from the cycle before (they belong to the group); the last cycle must be shared out."""
    _require(actor, group)
    group = ledger.lock_group(group.pk)
    if group.status == GroupStatus.CLOSED:
        raise ValidationError({"__all__": [_("The group is closed.")]})
    last = group.cycles.order_by("-number").first()
    if last is not None and last.status == CycleStatus.OPEN:
        raise ValidationError({"__all__": [_("Share out the current cycle first.")]})
    if last is not None and hasattr(last, "share_out") and starts_on < last.share_out.held_on:
        raise ValidationError({"starts_on": [_("The cycle starts before the last share-out.")]})
    if starts_on < group.formed_on:
        raise ValidationError({"starts_on": [_("The cycle starts before the group was formed.")]})
    share_price = _whole(share_price, "share_price", positive=True)
    health_contribution = _whole(health_contribution, "health_contribution")
    cycle = Cycle(
        group=group,
        number=(last.number + 1) if last else 1,
        starts_on=starts_on,
        planned_end=planned_end,
        frequency=frequency,
        share_price=share_price,
        max_shares=max_shares,
        health_contribution=health_contribution,
        interest_rate=Decimal(str(interest_rate)),
        max_loan_multiple=max_loan_multiple,
        max_term_months=max_term_months,
        fines=fines or [],
        savings_split=savings_split,
        health_box_percent=health_box_percent if savings_split else 0,
        share_out_health_fund=share_out_health_fund,
        remainder_rule=remainder_rule,
        leaving_mid_cycle=leaving_mid_cycle,
        created_by_id=_actor_id(actor),
    )
    cycle.full_clean()
    cycle.save()
    audit_record(actor=actor, obj=cycle)
    return cycle


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    group: Group,
    person: Any,
    joined_on: datetime.date,
    role: str = MemberRole.MEMBER,
    id: uuid.UUID | None = None,
) -> Membership:
    """A person of the registry joins the group (once at a time)."""
    _require(actor, group)
    if not has_perm_at(actor, Perm.SAVINGS_RECORD, person.household.community.path):
        raise ValidationError({"person": [_("This person lives outside your places.")]})
    _not_future(joined_on, "joined_on")
    if group.memberships.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": [_("This person is already a member.")]})
    number = (group.memberships.order_by("-number").values_list("number", flat=True).first()) or 0
    membership = Membership(
        id=id or uuid.uuid4(),
        group=group,
        person=person,
        joined_on=joined_on,
        role=role,
        number=number + 1,
        created_by_id=_actor_id(actor),
    )
    membership.full_clean()
    membership.save()
    audit_record(actor=actor, obj=membership)
    _stale(group, joined_on, source=SOURCE_MEMBERS)
    return membership


@transaction.atomic
def membership_update(*, actor: Any, membership: Membership, role: str) -> Membership:
    """Change a member's office (president, treasurer, key holder…) while she is a member."""
    _require(actor, membership.group)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError({"role": [_("This member has left the group.")]})
    before = audit_snapshot(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    audit_record(actor=actor, obj=membership, before=before)
    return membership


@dataclass
class LeavePlan:
    """What a member leaving on a day takes with her: her savings back at face value, minus
    what her loans still owe (principal and the flat interest not yet paid)."""

    savings: int
    owed: int
    payout: int
    positions: dict[Loan, Any]
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
    cycle = group.cycles.filter(status=CycleStatus.OPEN).first()
    return LeavePlan(savings, owed, savings - owed, positions, cycle)


@transaction.atomic
def membership_leave(*, actor: Any, membership: Membership, left_on: datetime.date) -> Membership:
    """A member leaves. In the middle of a cycle (the common VSLA rule, unless the cycle's
    constitution forbids it) she gets her savings back at face value — no share of the cycle's
    profit, which stays with the members who remain — minus what her loans still owe; the
    settlement is one ledger entry from the loan fund. Refused, nothing written: when the
    constitution forbids leaving mid-cycle, when she owes more than her savings (she repays
    first or the loan is written off), or when the loan fund cannot pay her."""
    group = membership.group
    _require(actor, group)
    group = ledger.lock_group(group.pk)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _not_future(left_on, "left_on")
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": [_("She left before joining?")]})
    if membership.left_on == left_on:
        return membership  # the same request again
    if membership.left_on is not None:
        raise ValidationError({"left_on": [_("This member has already left.")]})
    plan = leave_plan(membership, left_on)
    cycle = plan.cycle
    if plan.savings or plan.owed:
        if cycle is None:
            raise ValidationError({"left_on": [_("She still holds savings or owes a loan.")]})
        if not cycle.leaving_mid_cycle:
            raise ValidationError(
                {
                    "left_on": [
                        _(
                            "The constitution of this cycle does not let a member leave before "
                            "the share-out: she leaves at the share-out."
                        )
                    ]
                }
            )
        last = cycle.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
        if left_on < cycle.starts_on or (last and left_on < last):
            raise ValidationError(
                {"left_on": [_("She leaves on or after the last meeting of the cycle.")]}
            )
        if plan.payout < 0:
            raise ValidationError(
                {
                    "left_on": [
                        _(
                            "She owes %(owed)s, more than her savings (%(savings)s): she repays "
                            "first or the loan is written off."
                        )
                        % {"owed": format_fcfa(plan.owed), "savings": format_fcfa(plan.savings)}
                    ]
                }
            )
        lines: list[LineDraft] = []
        if plan.savings:
            lines.append(
                LineDraft(Account.MEMBER_SAVINGS, debit=plan.savings, membership_id=membership.pk)
            )
        for loan, pos in plan.positions.items():
            if pos.principal_owed:
                lines.append(
                    LineDraft(
                        Account.LOANS_RECEIVABLE,
                        credit=pos.principal_owed,
                        membership_id=membership.pk,
                        loan_id=loan.pk,
                    )
                )
            if pos.interest_owed:
                lines.append(
                    LineDraft(
                        Account.INTEREST_INCOME,
                        credit=pos.interest_owed,
                        membership_id=membership.pk,
                        loan_id=loan.pk,
                    )
                )
        if plan.payout:
            lines.append(
                LineDraft(Account.LOAN_FUND_CASH, credit=plan.payout, membership_id=membership.pk)
            )
        entries = ledger.post(
            group=group,
            cycle=cycle,
            on=left_on,
            drafts=[
                EntryDraft(
                    id=_settlement_id(membership),
                    kind=EntryKind.SETTLEMENT,
                    membership_id=membership.pk,
                    lines=lines,
                )
            ],
            actor=actor,
        )
        audit_record(actor=actor, obj=entries[0])
        _stale(group, left_on, source=SOURCE_LEDGER)
    before = audit_snapshot(membership)
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on", "updated_at"])
    audit_record(actor=actor, obj=membership, before=before)
    _stale(group, left_on, source=SOURCE_MEMBERS)
    return membership


def _settlement_id(membership: Membership) -> uuid.UUID:
    """The id of her next settlement: one per leaving (a leaving cancelled, then recorded
    again, is a second settlement)."""
    earlier = Entry.objects.filter(membership=membership, kind=EntryKind.SETTLEMENT).count()
    return uuid.uuid5(membership.pk, "leave" if not earlier else f"leave {earlier + 1}")


@transaction.atomic
def membership_leave_cancel(*, actor: Any, membership: Membership, reason: str) -> Membership:
    """Undo a leaving recorded by mistake: her settlement is reversed (a reversal entry that
    points at it: the box gets the payout back, her savings and loans are as they were) and she
    is a member again. Refused, nothing written: when she has not left, without a reason, or
    when the cycle of her settlement has been shared out since (she joins again instead)."""
    group = membership.group
    _require(actor, group)
    group = ledger.lock_group(group.pk)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is None:
        raise ValidationError({"__all__": [_("This member has not left the group.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why her leaving is cancelled.")]})
    settlement = (
        Entry.objects.filter(
            membership=membership, kind=EntryKind.SETTLEMENT, reversed_by__isnull=True
        )
        .select_related("cycle")
        .order_by("-seq")
        .first()
    )
    if settlement is not None:
        if settlement.cycle.status != CycleStatus.OPEN:
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "Her settlement belongs to a cycle that has been shared out: she "
                            "joins the group again as a new member."
                        )
                    ]
                }
            )
        entries = ledger.post(
            group=group,
            cycle=settlement.cycle,
            on=settlement.on,
            drafts=[
                ledger.reversal_of(
                    settlement, id=uuid.uuid5(settlement.pk, "cancel"), memo=reason.strip()[:200]
                )
            ],
            actor=actor,
        )
        audit_record(actor=actor, obj=entries[0])
        _stale(group, settlement.on, source=SOURCE_LEDGER)
    before = audit_snapshot(membership)
    left_on = membership.left_on
    membership.left_on = None
    membership.save(update_fields=["left_on", "updated_at"])
    audit_record(actor=actor, obj=membership, before=before)
    _stale(group, left_on, source=SOURCE_MEMBERS)
    return membership


@transaction.atomic
def par_freshen(*, today: datetime.date | None = None) -> int:
    """Mark stale this month and the last one for every community where a loan is still owed:
    days overdue grow with time alone, so PAR > 30 days (read today for this month, on the last
    day for the month before) moves even when nothing is posted. Run daily
    (`savings_par_freshen`); returns how many communities were marked."""
    today = today or timezone.localdate()
    owing = (
        EntryLine.objects.filter(account=Account.LOANS_RECEIVABLE)
        .values("group__community_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .filter(d__gt=F("c"))
        .order_by()
    )
    communities = [row["group__community_id"] for row in owing]
    this_month = Month.of(today)
    months = [this_month.first_day, this_month.previous().first_day]
    records_changed(
        source=SOURCE_LEDGER, cells=[(place, month) for place in communities for month in months]
    )
    return len(communities)


def open_loan_positions(
    group: Group, on: datetime.date, *, membership: Membership | None = None
) -> dict[Loan, Any]:
    """Every loan of the group (or member) not written off, with where it stands on `on`."""
    loans = list(
        Loan.objects.filter(group=group, status=LoanStatus.OPEN).order_by("disbursed_on", "id")
    )
    if membership is not None:
        loans = [loan for loan in loans if loan.membership_id == membership.pk]
    paid = ledger.loan_paid([loan.pk for loan in loans])
    return {loan: position(loan, paid.get(loan.pk), on) for loan in loans}


# --- meetings -------------------------------------------------------------------------------


@dataclass
class MemberLine:
    membership_id: uuid.UUID
    presence: str = Presence.PRESENT
    shares: int = 0
    health: int = 0
    fine: int = 0
    fine_reason: str = ""
    repayment: int = 0
    loan_amount: int = 0
    loan_term: int = 0
    loan_id: uuid.UUID | None = None


@dataclass
class GrantLine:
    membership_id: uuid.UUID
    amount: int
    purpose: str
    note: str = ""


@dataclass
class CashLine:
    amount: int
    description: str


@dataclass
class MeetingData:
    """A whole meeting as a facilitator records it (the page's form and the API give this)."""

    id: uuid.UUID
    held_on: datetime.date
    members: list[MemberLine]
    counted_loan_fund: int
    counted_health_fund: int
    grants: list[GrantLine] = field(default_factory=list)
    incomes: list[CashLine] = field(default_factory=list)
    expenses: list[CashLine] = field(default_factory=list)
    difference_note: str = ""
    confirmed_by_id: uuid.UUID | None = None

    def fingerprint(self) -> str:
        """A hash of the content: the same meeting sent twice has the same fingerprint."""
        data = asdict(self)
        data["members"] = sorted(data["members"], key=lambda line: str(line["membership_id"]))
        text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _entry_id(meeting_id: uuid.UUID, name: str) -> uuid.UUID:
    """Entry ids derived from the meeting id: a replayed meeting would post the same ids."""
    return uuid.uuid5(meeting_id, name)


def _check_meeting_shape(data: MeetingData) -> None:
    """Types and signs of every amount, before anything is read or locked."""
    for index, line in enumerate(data.members):
        where = f"members.{index}"
        if line.presence not in Presence.values:
            raise ValidationError({f"{where}.presence": [_("Present, absent or represented.")]})
        if type(line.shares) is not int or line.shares < 0:
            raise ValidationError({f"{where}.shares": [_("Shares are a whole number.")]})
        for name in ("health", "fine", "repayment", "loan_amount"):
            _whole(getattr(line, name), f"{where}.{name}")
        if type(line.loan_term) is not int or line.loan_term < 0:
            raise ValidationError({f"{where}.loan_term": [_("A whole number of months.")]})
    for index, grant in enumerate(data.grants):
        _whole(grant.amount, f"grants.{index}.amount", positive=True)
        if grant.purpose not in GrantPurpose.values:
            raise ValidationError({f"grants.{index}.purpose": [_("Choose what care it paid.")]})
    for name in ("incomes", "expenses"):
        for index, cash in enumerate(getattr(data, name)):
            _whole(cash.amount, f"{name}.{index}.amount", positive=True)
            if not cash.description.strip():
                raise ValidationError({f"{name}.{index}.description": [_("Say what it was.")]})
    _whole(data.counted_loan_fund, "counted_loan_fund")
    _whole(data.counted_health_fund, "counted_health_fund")


@transaction.atomic
def meeting_record(*, actor: Any, group: Group, data: MeetingData) -> tuple[Meeting, bool]:
    """Record a whole meeting and seal it: attendance, then every movement of money posted to
    the ledger in the order the box sees it (money in, then loans, grants and expenses out),
    then the cash counted against the cash expected. Returns (meeting, created).

    The same meeting sent again returns the first one unchanged (created False); the same id
    with different content is a Conflict. Refused as a whole, nothing written, when anything is
    wrong (see the README's list)."""
    _require(actor, group)
    _check_meeting_shape(data)
    fingerprint = data.fingerprint()
    group = ledger.lock_group(group.pk)  # two devices sending one meeting queue up here
    existing = Meeting.objects.filter(pk=data.id).first()
    if existing is not None:
        if existing.group_id == group.pk and existing.fingerprint == fingerprint:
            return existing, False
        raise Conflict(_("A different meeting was already recorded under this id."))

    held_on = data.held_on
    _not_future(held_on, "held_on")
    if group.status != GroupStatus.ACTIVE or status_on(group, held_on) != GroupStatus.ACTIVE:
        raise ValidationError(
            {"held_on": [_("The group was not active on this day (forming, suspended or closed).")]}
        )
    cycle = group.cycles.filter(status=CycleStatus.OPEN).first()
    if cycle is None:
        raise ValidationError({"held_on": [_("Start a cycle before recording meetings.")]})
    if held_on < cycle.starts_on:
        raise ValidationError({"held_on": [_("This day is before the cycle started.")]})
    if group.meetings.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": [_("The group already has a meeting on this day.")]})

    members = {m.pk: m for m in group.memberships.select_related("person")}
    present = {pk for pk, m in members.items() if m.is_member_on(held_on)}
    seen: set[uuid.UUID] = set()
    for index, line in enumerate(data.members):
        if line.membership_id not in present or line.membership_id in seen:
            raise ValidationError(
                {f"members.{index}.membership_id": [_("Not a member of the group on this day.")]}
            )
        seen.add(line.membership_id)
    lines = list(data.members) + [
        MemberLine(membership_id=pk, presence=Presence.ABSENT) for pk in sorted(present - seen)
    ]

    savings = ledger.member_savings(group.pk)
    positions = open_loan_positions(group, held_on)
    loans_of: dict[uuid.UUID, list[tuple[Loan, Any]]] = defaultdict(list)
    for loan, pos in positions.items():
        if pos.owed:
            loans_of[loan.membership_id].append((loan, pos))

    meeting_id = data.id
    first: list[EntryDraft] = []  # money coming into the box
    then: list[EntryDraft] = []  # money going out
    new_loans: list[Loan] = []
    for index, line in enumerate(data.members):
        where = f"members.{index}"
        member = line.membership_id
        moves = line.shares or line.health or line.fine or line.repayment or line.loan_amount
        if line.presence == Presence.ABSENT and moves:
            raise ValidationError(
                {f"{where}.presence": [_("Money from an absent member: mark her represented.")]}
            )
        if line.shares > cycle.max_shares:
            raise ValidationError(
                {
                    f"{where}.shares": [
                        _("At most %(max)s shares per meeting.") % {"max": cycle.max_shares}
                    ]
                }
            )
        if line.shares:
            amount = line.shares * cycle.share_price
            savings[member] = savings.get(member, 0) + amount
            first.append(
                EntryDraft(
                    id=_entry_id(meeting_id, f"shares:{member}"),
                    kind=EntryKind.SHARES,
                    membership_id=member,
                    memo=str(line.shares),
                    lines=[
                        LineDraft(Account.LOAN_FUND_CASH, debit=amount, membership_id=member),
                        LineDraft(Account.MEMBER_SAVINGS, credit=amount, membership_id=member),
                    ],
                )
            )
        if line.health:
            first.append(
                EntryDraft(
                    id=_entry_id(meeting_id, f"health:{member}"),
                    kind=EntryKind.HEALTH_CONTRIBUTION,
                    membership_id=member,
                    lines=[
                        LineDraft(
                            Account.HEALTH_FUND_CASH, debit=line.health, membership_id=member
                        ),
                        LineDraft(Account.HEALTH_FUND, credit=line.health, membership_id=member),
                    ],
                )
            )
        if line.fine:
            if not line.fine_reason.strip():
                raise ValidationError({f"{where}.fine_reason": [_("Say what the fine is for.")]})
            first.append(
                EntryDraft(
                    id=_entry_id(meeting_id, f"fine:{member}"),
                    kind=EntryKind.FINE,
                    membership_id=member,
                    memo=line.fine_reason.strip()[:200],
                    lines=[
                        LineDraft(Account.LOAN_FUND_CASH, debit=line.fine, membership_id=member),
                        LineDraft(Account.FINE_INCOME, credit=line.fine, membership_id=member),
                    ],
                )
            )
        if line.repayment:
            owed = sum(pos.owed for _loan, pos in loans_of[member])
            if line.repayment > owed:
                raise ValidationError(
                    {
                        f"{where}.repayment": [
                            _("She owes %(owed)s, less than this repayment.")
                            % {"owed": format_fcfa(owed)}
                        ]
                    }
                )
            left = line.repayment
            for loan, pos in loans_of[member]:  # oldest loan first
                part = min(left, pos.owed)
                if not part:
                    continue
                left -= part
                interest, principal = split_repayment(part, pos.interest_owed)
                parts = [LineDraft(Account.LOAN_FUND_CASH, debit=part, membership_id=member)]
                if interest:
                    parts.append(
                        LineDraft(
                            Account.INTEREST_INCOME,
                            credit=interest,
                            membership_id=member,
                            loan_id=loan.pk,
                        )
                    )
                if principal:
                    parts.append(
                        LineDraft(
                            Account.LOANS_RECEIVABLE,
                            credit=principal,
                            membership_id=member,
                            loan_id=loan.pk,
                        )
                    )
                first.append(
                    EntryDraft(
                        id=_entry_id(meeting_id, f"repayment:{member}:{loan.pk}"),
                        kind=EntryKind.REPAYMENT,
                        membership_id=member,
                        loan_id=loan.pk,
                        lines=parts,
                    )
                )
        if line.loan_amount:
            if any(pos.days_overdue > 0 for _loan, pos in loans_of[member]):
                raise ValidationError(
                    {f"{where}.loan_amount": [_("She has a loan overdue: no new loan.")]}
                )
            if not 1 <= line.loan_term <= cycle.max_term_months:
                raise ValidationError(
                    {
                        f"{where}.loan_term": [
                            _("The term is 1 to %(max)s months.") % {"max": cycle.max_term_months}
                        ]
                    }
                )
            limit = cycle.max_loan_multiple * savings.get(member, 0)
            if line.loan_amount > limit:
                raise ValidationError(
                    {
                        f"{where}.loan_amount": [
                            _("At most %(limit)s (%(times)s x her savings).")
                            % {"limit": format_fcfa(limit), "times": cycle.max_loan_multiple}
                        ]
                    }
                )
            loan = Loan(
                id=line.loan_id or _entry_id(meeting_id, f"loan:{member}"),
                group=group,
                cycle=cycle,
                membership_id=member,
                meeting_id=meeting_id,
                disbursed_on=held_on,
                principal=line.loan_amount,
                interest_rate=cycle.interest_rate,
                term_months=line.loan_term,
                interest_total=interest_for(line.loan_amount, cycle.interest_rate, line.loan_term),
                created_by_id=_actor_id(actor),
            )
            new_loans.append(loan)
            then.append(
                EntryDraft(
                    id=_entry_id(meeting_id, f"loan:{member}"),
                    kind=EntryKind.LOAN,
                    membership_id=member,
                    loan_id=loan.pk,
                    lines=[
                        LineDraft(
                            Account.LOANS_RECEIVABLE,
                            debit=line.loan_amount,
                            membership_id=member,
                            loan_id=loan.pk,
                        ),
                        LineDraft(
                            Account.LOAN_FUND_CASH, credit=line.loan_amount, membership_id=member
                        ),
                    ],
                )
            )
    for index, cash in enumerate(data.incomes):
        first.append(
            EntryDraft(
                id=_entry_id(meeting_id, f"income:{index}"),
                kind=EntryKind.INCOME,
                memo=cash.description.strip()[:200],
                lines=[
                    LineDraft(Account.LOAN_FUND_CASH, debit=cash.amount),
                    LineDraft(Account.OTHER_INCOME, credit=cash.amount),
                ],
            )
        )
    for index, grant in enumerate(data.grants):
        if grant.membership_id not in present:
            raise ValidationError(
                {f"grants.{index}.membership_id": [_("Not a member of the group on this day.")]}
            )
        then.append(
            EntryDraft(
                id=_entry_id(meeting_id, f"grant:{index}"),
                kind=EntryKind.GRANT,
                membership_id=grant.membership_id,
                purpose=grant.purpose,
                memo=grant.note.strip()[:200],
                lines=[
                    LineDraft(
                        Account.HEALTH_FUND, debit=grant.amount, membership_id=grant.membership_id
                    ),
                    LineDraft(
                        Account.HEALTH_FUND_CASH,
                        credit=grant.amount,
                        membership_id=grant.membership_id,
                    ),
                ],
            )
        )
    for index, cash in enumerate(data.expenses):
        then.append(
            EntryDraft(
                id=_entry_id(meeting_id, f"expense:{index}"),
                kind=EntryKind.EXPENSE,
                memo=cash.description.strip()[:200],
                lines=[
                    LineDraft(Account.EXPENSES, debit=cash.amount),
                    LineDraft(Account.LOAN_FUND_CASH, credit=cash.amount),
                ],
            )
        )

    # What the box should hold, and the refusals that name the right field.
    running = ledger.balances(group.pk)
    for draft in first + then:
        for part in draft.lines:
            running[part.account] += ledger.signed(part.account, part.debit, part.credit)
    if running[Account.HEALTH_FUND_CASH] < 0:
        raise ValidationError(
            {
                "grants": [
                    _("The health fund holds less than these grants (short by %(short)s).")
                    % {"short": format_fcfa(-running[Account.HEALTH_FUND_CASH])}
                ]
            }
        )
    if running[Account.LOAN_FUND_CASH] < 0:
        raise ValidationError(
            {
                "members": [
                    _("The loan fund holds less than the loans and expenses (short by %(short)s).")
                    % {"short": format_fcfa(-running[Account.LOAN_FUND_CASH])}
                ]
            }
        )
    expected_loan_fund = running[Account.LOAN_FUND_CASH]
    expected_health_fund = running[Account.HEALTH_FUND_CASH]
    differences = []
    for account, counted, expected, counterpart in (
        (
            Account.LOAN_FUND_CASH,
            data.counted_loan_fund,
            expected_loan_fund,
            Account.CASH_DIFFERENCE,
        ),
        (
            Account.HEALTH_FUND_CASH,
            data.counted_health_fund,
            expected_health_fund,
            Account.HEALTH_FUND,
        ),
    ):
        gap = counted - expected
        if gap:
            differences.append(
                EntryDraft(
                    id=_entry_id(meeting_id, f"difference:{account}"),
                    kind=EntryKind.CASH_DIFFERENCE,
                    memo=data.difference_note.strip()[:200],
                    lines=[
                        LineDraft(account, debit=gap) if gap > 0 else LineDraft(counterpart, -gap),
                        LineDraft(counterpart, credit=gap)
                        if gap > 0
                        else LineDraft(account, credit=-gap),
                    ],
                )
            )
    confirmed_by = None
    if differences:
        if not data.difference_note.strip():
            raise ValidationError(
                {"difference_note": [_("The cash counted differs from the expected: say why.")]}
            )
        confirmed_by = members.get(data.confirmed_by_id) if data.confirmed_by_id else None
        if (
            confirmed_by is None
            or confirmed_by.role not in OFFICER_ROLES
            or confirmed_by.pk not in present
        ):
            raise ValidationError(
                {"confirmed_by_id": [_("A second officer of the group must confirm the count.")]}
            )

    meeting = Meeting(
        id=meeting_id,
        group=group,
        cycle=cycle,
        number=cycle.meetings.count() + 1,
        held_on=held_on,
        fingerprint=fingerprint,
        expected_loan_fund=expected_loan_fund,
        expected_health_fund=expected_health_fund,
        counted_loan_fund=data.counted_loan_fund,
        counted_health_fund=data.counted_health_fund,
        difference_note=data.difference_note.strip(),
        confirmed_by=confirmed_by,
        sealed_at=timezone.now(),
        created_by_id=_actor_id(actor),
    )
    meeting.full_clean()
    try:
        with transaction.atomic():
            meeting.save(force_insert=True)
    except IntegrityError as exc:  # the same id in another group, posted at the same moment
        raise Conflict(_("A different meeting was already recorded under this id.")) from exc
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, membership_id=line.membership_id, presence=line.presence)
            for line in lines
        ]
    )
    for loan in new_loans:
        loan.full_clean(exclude=["meeting"])
    Loan.objects.bulk_create(new_loans)
    ledger.post(
        group=group,
        cycle=cycle,
        on=held_on,
        drafts=first + then + differences,
        meeting_id=meeting.pk,
        actor=actor,
    )
    audit_record(actor=actor, obj=meeting)
    _stale(group, held_on, source=SOURCE_MEETINGS)
    _stale(group, held_on, source=SOURCE_LEDGER)
    return meeting, True


# --- corrections, write-offs, share-out -----------------------------------------------------

CORRECTABLE = {
    EntryKind.SHARES,
    EntryKind.HEALTH_CONTRIBUTION,
    EntryKind.FINE,
    EntryKind.INCOME,
    EntryKind.EXPENSE,
    EntryKind.GRANT,
    EntryKind.REPAYMENT,
    EntryKind.LOAN,
}


@transaction.atomic
def entry_correct(
    *,
    actor: Any,
    entry: Entry,
    reason: str,
    id: uuid.UUID,
    amount: int | None = None,
) -> list[Entry]:
    """Correct a posted entry of a sealed meeting: a reversal that points at it and, when a new
    amount is given, the entry as it should have been. Nothing is edited. Idempotent on `id`."""
    group = entry.group
    _require(actor, group)
    group = ledger.lock_group(group.pk)
    done = Entry.objects.filter(pk=id).first()
    if done is not None:
        if done.reverses_id == entry.pk:
            return list(Entry.objects.filter(pk__in=[id, uuid.uuid5(id, "replacement")]))
        raise Conflict(_("A different correction was already recorded under this id."))
    if entry.kind not in CORRECTABLE:
        raise ValidationError({"__all__": [_("This entry cannot be corrected.")]})
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError({"__all__": [_("This entry was already reversed.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why it is corrected.")]})
    drafts = [ledger.reversal_of(entry, id=id, memo=reason.strip()[:200])]
    cycle = entry.cycle
    if amount is not None:
        amount = _whole(amount, "amount", positive=True)
        if entry.kind in (EntryKind.REPAYMENT, EntryKind.LOAN):
            raise ValidationError(
                {"amount": [_("Reverse a loan or repayment, then record it at a meeting.")]}
            )
        if entry.kind == EntryKind.SHARES:
            shares, remainder = divmod(amount, cycle.share_price)
            if remainder or shares > cycle.max_shares:
                raise ValidationError(
                    {"amount": [_("A whole number of shares, at most the maximum.")]}
                )
        original = list(entry.lines.order_by("position"))
        drafts.append(
            EntryDraft(
                id=uuid.uuid5(id, "replacement"),
                kind=entry.kind,
                membership_id=entry.membership_id,
                loan_id=entry.loan_id,
                purpose=entry.purpose,
                memo=(str(amount // cycle.share_price) if entry.kind == EntryKind.SHARES else "")
                or entry.memo,
                lines=[
                    LineDraft(
                        account=line.account,
                        debit=amount if line.debit else 0,
                        credit=amount if line.credit else 0,
                        membership_id=line.membership_id,
                        loan_id=line.loan_id,
                    )
                    for line in original
                ],
            )
        )
    entries = ledger.post(
        group=group,
        cycle=cycle,
        on=entry.on,
        drafts=drafts,
        meeting_id=entry.meeting_id,
        actor=actor,
    )
    for posted in entries:
        audit_record(actor=actor, obj=posted)
    _stale(group, entry.on, source=SOURCE_LEDGER)
    return entries


@transaction.atomic
def loan_write_off(
    *,
    actor: Any,
    loan: Loan,
    on: datetime.date,
    reason: str,
    approved_by: Membership,
) -> Loan:
    """Write off what a loan still owes in principal (the interest not yet paid is forgiven),
    approved by an officer of the group other than the borrower."""
    group = loan.group
    _require(actor, group)
    group = ledger.lock_group(group.pk)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status == LoanStatus.WRITTEN_OFF:
        raise ValidationError({"__all__": [_("This loan is already written off.")]})
    _not_future(on, "on")
    if on < loan.disbursed_on:
        raise ValidationError({"on": [_("Before the loan was disbursed.")]})
    if (
        approved_by.group_id != group.pk
        or approved_by.role not in OFFICER_ROLES
        or approved_by.pk == loan.membership_id
        or not approved_by.is_member_on(on)
    ):
        raise ValidationError(
            {"approved_by": [_("An officer of the group, not the borrower, approves it.")]}
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the loan is written off.")]})
    pos = position(loan, ledger.loan_paid([loan.pk]).get(loan.pk), on)
    if not pos.principal_owed:
        raise ValidationError({"__all__": [_("Nothing is owed on this loan.")]})
    cycle = loan.cycle
    if not cycle.is_open:
        raise ValidationError({"__all__": [_("The loan's cycle is shared out.")]})
    before = audit_snapshot(loan)
    ledger.post(
        group=group,
        cycle=cycle,
        on=on,
        drafts=[
            EntryDraft(
                id=uuid.uuid5(loan.pk, "write-off"),
                kind=EntryKind.WRITE_OFF,
                membership_id=loan.membership_id,
                loan_id=loan.pk,
                memo=reason.strip()[:200],
                lines=[
                    LineDraft(Account.LOAN_LOSSES, debit=pos.principal_owed, loan_id=loan.pk),
                    LineDraft(
                        Account.LOANS_RECEIVABLE,
                        credit=pos.principal_owed,
                        membership_id=loan.membership_id,
                        loan_id=loan.pk,
                    ),
                ],
            )
        ],
        actor=actor,
    )
    loan.status = LoanStatus.WRITTEN_OFF
    loan.written_off_on = on
    loan.write_off_reason = reason.strip()[:200]
    loan.write_off_approved_by = approved_by
    loan.full_clean()
    loan.save(
        update_fields=[
            "status",
            "written_off_on",
            "write_off_reason",
            "write_off_approved_by",
            "updated_at",
        ]
    )
    audit_record(actor=actor, obj=loan, before=before)
    _stale(group, on, source=SOURCE_LEDGER)
    return loan


@dataclass
class ShareOutPlan:
    """What a share-out would pay, before it is posted (the sheet shows the same numbers)."""

    loan_fund_cash: int
    loans_owed: int
    health_fund_shared: int
    fund_value: int
    total_shares: int
    remainder: int
    lines: list[dict[str, Any]]


def share_out_plan(cycle: Cycle, held_on: datetime.date) -> ShareOutPlan:
    """value per share = fund value ÷ total shares, where the fund value is the loan fund cash
    plus what the loans still owe (plus the health fund when the constitution shares it out);
    each member gets ⌊her shares x fund value ÷ total shares⌋ - what she still owes. The francs
    that rounding leaves over are the remainder."""
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
    shares = {}
    for member, amount in savings.items():
        count, rest = divmod(amount, cycle.share_price)
        if rest:
            raise ValidationError(
                {"__all__": [_("Savings of %(m)s are not whole shares.") % {"m": members[member]}]}
            )
        if count:
            shares[member] = count
    total = sum(shares.values())
    if not total:
        raise ValidationError({"__all__": [_("Nobody holds shares: nothing to share out.")]})
    lines: list[dict[str, Any]] = []
    for member in sorted(set(shares) | set(owed), key=lambda pk: members[pk].number):
        count = shares.get(member, 0)
        gross = count * value // total
        payout = gross - owed.get(member, 0)
        health_box = payout * cycle.health_box_percent // 100 if cycle.savings_split else 0
        lines.append(
            {
                "membership": members[member],
                "shares": count,
                "savings": savings.get(member, 0),
                "value": gross,
                "loan_owed": owed.get(member, 0),
                "payout": payout,
                "health_box": max(health_box, 0),
            }
        )
    return ShareOutPlan(
        loan_fund_cash=balance[Account.LOAN_FUND_CASH],
        loans_owed=sum(owed.values()),
        health_fund_shared=shared_health,
        fund_value=value,
        total_shares=total,
        remainder=value - sum(line["value"] for line in lines),
        lines=lines,
    )


def _closing(account: str, balance: int) -> LineDraft | None:
    """The line that brings an income, expense or equity account back to zero."""
    if not balance:
        return None
    amount = abs(balance)
    debit_normal = account in ledger.DEBIT_NORMAL
    if (balance > 0) != debit_normal:  # credit-normal positive, or debit-normal negative
        return LineDraft(account, debit=amount)
    return LineDraft(account, credit=amount)


@transaction.atomic
def share_out(
    *, actor: Any, cycle: Cycle, held_on: datetime.date, id: uuid.UUID | None = None
) -> ShareOut:
    """End the cycle: pay each member her line, settle loans from the payouts, keep the rounding
    remainder as the constitution says, close the cycle's income and expenses. One ledger entry.
    The next cycle starts from here with the same members and the health fund."""
    group = cycle.group
    _require(actor, group)
    group = ledger.lock_group(group.pk)
    cycle = Cycle.objects.get(pk=cycle.pk)
    id = id or uuid.uuid5(cycle.pk, "share-out")
    if not cycle.is_open:
        existing = ShareOut.objects.filter(cycle=cycle).first()
        if existing is not None and existing.entry_id == id:
            return existing
        raise ValidationError({"__all__": [_("This cycle is already shared out.")]})
    _not_future(held_on, "held_on")
    last = cycle.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    if held_on < cycle.starts_on or (last and held_on < last):
        raise ValidationError({"held_on": [_("The share-out comes after the last meeting.")]})
    plan = share_out_plan(cycle, held_on)
    negative = [line for line in plan.lines if line["payout"] < 0]
    if negative:
        names = ", ".join(str(line["membership"]) for line in negative)
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "These members owe more than their shares are worth; they repay first "
                        "or the loan is written off: %(names)s."
                    )
                    % {"names": names}
                ]
            }
        )
    balance = ledger.balances(group.pk)
    positions = open_loan_positions(group, held_on)
    parts: list[LineDraft] = []
    interest_owed = 0
    for loan, pos in positions.items():
        if pos.principal_owed:
            parts.append(
                LineDraft(
                    Account.LOANS_RECEIVABLE,
                    credit=pos.principal_owed,
                    membership_id=loan.membership_id,
                    loan_id=loan.pk,
                )
            )
        if pos.interest_owed:
            interest_owed += pos.interest_owed
            parts.append(
                LineDraft(
                    Account.INTEREST_INCOME,
                    credit=pos.interest_owed,
                    membership_id=loan.membership_id,
                    loan_id=loan.pk,
                )
            )
    for line in plan.lines:
        if line["savings"]:
            parts.append(
                LineDraft(
                    Account.MEMBER_SAVINGS,
                    debit=line["savings"],
                    membership_id=line["membership"].pk,
                )
            )
        if line["payout"]:
            parts.append(
                LineDraft(
                    Account.LOAN_FUND_CASH,
                    credit=line["payout"],
                    membership_id=line["membership"].pk,
                )
            )
    balance[Account.INTEREST_INCOME] += interest_owed
    for account in (
        Account.INTEREST_INCOME,
        Account.FINE_INCOME,
        Account.OTHER_INCOME,
        Account.CARRIED_OVER,
        Account.EXPENSES,
        Account.LOAN_LOSSES,
        Account.CASH_DIFFERENCE,
    ):
        closing = _closing(account, balance[account])
        if closing:
            parts.append(closing)
    if plan.health_fund_shared:
        parts += [
            LineDraft(Account.HEALTH_FUND, debit=plan.health_fund_shared),
            LineDraft(Account.HEALTH_FUND_CASH, credit=plan.health_fund_shared),
            LineDraft(Account.LOAN_FUND_CASH, debit=plan.health_fund_shared),
        ]
    if plan.remainder:
        if cycle.remainder_rule == RemainderRule.HEALTH_FUND:
            parts += [
                LineDraft(Account.LOAN_FUND_CASH, credit=plan.remainder),
                LineDraft(Account.HEALTH_FUND_CASH, debit=plan.remainder),
                LineDraft(Account.HEALTH_FUND, credit=plan.remainder),
            ]
        else:
            parts.append(LineDraft(Account.CARRIED_OVER, credit=plan.remainder))
    (entry,) = ledger.post(
        group=group,
        cycle=cycle,
        on=held_on,
        drafts=[EntryDraft(id=id, kind=EntryKind.SHARE_OUT, lines=parts)],
        actor=actor,
    )
    result = ShareOut(
        cycle=cycle,
        held_on=held_on,
        loan_fund_cash=plan.loan_fund_cash,
        loans_owed=plan.loans_owed,
        health_fund_shared=plan.health_fund_shared,
        fund_value=plan.fund_value,
        total_shares=plan.total_shares,
        remainder=plan.remainder,
        remainder_rule=cycle.remainder_rule,
        entry=entry,
        created_by_id=_actor_id(actor),
    )
    result.full_clean()
    result.save()
    ShareOutLine.objects.bulk_create(
        [
            ShareOutLine(
                share_out=result,
                membership=line["membership"],
                shares=line["shares"],
                savings=line["savings"],
                value=line["value"],
                loan_owed=line["loan_owed"],
                payout=line["payout"],
                health_box=line["health_box"],
            )
            for line in plan.lines
        ]
    )
    cycle.status = CycleStatus.SHARED_OUT
    cycle.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=result)
    _stale(group, held_on, source=SOURCE_SHARE_OUT)
    _stale(group, held_on, source=SOURCE_LEDGER)
    return result
