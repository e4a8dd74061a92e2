"""Recording a meeting: one function per kind of money, then the cash count, then the seal.

`meeting_record` reads top to bottom: check the shape of what was sent, lock the group, replay
a meeting already recorded, check the day, then for each member her shares, health fund, fine,
repayments and new loan; then other income, health fund grants and expenses; then the cash the
box should hold against the cash counted; then the meeting is sealed and its entries posted.
Each step refuses with an error on the field it concerns; a refusal writes nothing."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record
from jigiya.core.bounds import not_before, text_within, within_program
from jigiya.core.errors import Conflict
from jigiya.core.money import format_fcfa
from jigiya.core.retries import fingerprint, made_on_phone, replay
from jigiya.core.typography import colon
from jigiya.savings import ledger, limits, selectors
from jigiya.savings.common import (
    NOTE_LENGTH,
    SOURCE_LEDGER,
    SOURCE_MEETINGS,
    Gap,
    changed_from,
    note,
    whole,
)
from jigiya.savings.ledger import EntryDraft, LineDraft
from jigiya.savings.loans import LoanPosition, interest_for, split_repayment
from jigiya.savings.models import (
    OFFICER_ROLES,
    Account,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Attendance,
    Cycle,
    EntryKind,
    GrantPurpose,
    Group,
    GroupStatus,
    Loan,
    LoanLimitBasis,
    Meeting,
    Membership,
    Presence,
)

DIFFERENCE_NOTE_LENGTH = 500  # what the meeting page lets a facilitator write
# A difference above the threshold is explained in at least this many words and characters
# (a reason "x" sealed a 283 400 FCFA shortfall once).
EXPLANATION_WORDS = 3
EXPLANATION_LENGTH = 20


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
    # When the facilitator's phone says the meeting was made: kept on the meeting, not part
    # of its content (the same meeting sent again later is the same meeting).
    made_at: datetime.datetime | None = None

    def fingerprint(self) -> str:
        """A hash of the content: the same meeting sent twice has the same fingerprint (the
        order of the member lines does not matter)."""
        content = asdict(self)
        del content["made_at"]
        content["members"] = sorted(content["members"], key=lambda line: str(line["membership_id"]))
        return fingerprint(**content)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> "MeetingData":
        """The meeting as `asdict` gave it and JSON kept it (ids and dates as text): what a
        meeting held for approval posts once approved (the same fingerprint)."""

        def uid(value: Any) -> uuid.UUID | None:
            return None if value in (None, "") else uuid.UUID(str(value))

        def with_ids(row: dict[str, Any], *names: str) -> dict[str, Any]:
            return {**row, **{name: uid(row[name]) for name in names}}

        return cls(
            id=uuid.UUID(str(payload["id"])),
            held_on=datetime.date.fromisoformat(str(payload["held_on"])),
            members=[
                MemberLine(**with_ids(row, "membership_id", "loan_id"))
                for row in payload["members"]
            ],
            grants=[GrantLine(**with_ids(row, "membership_id")) for row in payload["grants"]],
            incomes=[CashLine(**row) for row in payload["incomes"]],
            expenses=[CashLine(**row) for row in payload["expenses"]],
            counted_loan_fund=payload["counted_loan_fund"],
            counted_health_fund=payload["counted_health_fund"],
            difference_note=payload["difference_note"],
            confirmed_by_id=uid(payload["confirmed_by_id"]),
            made_at=made_on_phone(payload.get("made_at")),
        )


@dataclass
class _Book:
    """The meeting being recorded: what it reads once, and the entries it builds in the order
    the box sees them (money in first, then money out)."""

    group: Group
    cycle: Cycle
    data: MeetingData
    members: dict[uuid.UUID, Membership]
    present: set[uuid.UUID]
    savings: dict[uuid.UUID, int]
    loans_of: dict[uuid.UUID, list[tuple[Loan, LoanPosition]]]
    money_in: list[EntryDraft] = field(default_factory=list)
    money_out: list[EntryDraft] = field(default_factory=list)
    new_loans: list[Loan] = field(default_factory=list)
    # Principal each member repays at this meeting (her loan limit counts what is left owed).
    principal_repaid: dict[uuid.UUID, int] = field(default_factory=lambda: defaultdict(int))
    # The largest movement so far and what it is ("New loan · Awa Traoré"): above the approval
    # threshold, the meeting waits for a second officer.
    largest: tuple[int, str] = (0, "")
    expected: dict[str, int] = field(default_factory=dict)
    differences: list[EntryDraft] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    confirmed_by: Membership | None = None

    @property
    def large_gaps(self) -> list[Gap]:
        """The boxes counted further from the expected cash than the threshold."""
        threshold = limits.cash_difference_threshold(self.cycle)
        return [gap for gap in self.gaps if abs(gap.gap) > threshold]

    def entry_id(self, name: str) -> uuid.UUID:
        """Entry ids derived from the meeting id: a replayed meeting would post the same ids."""
        return uuid.uuid5(self.data.id, name)

    def movement(self, amount: int, where: str, kind: str, member: uuid.UUID | None = None) -> None:
        """One movement of money: at most the cycle's ceiling (refused on `where`), and noted
        when it is the largest of the meeting."""
        what = str(EntryKind(kind).label)
        limits.check_within(amount, where, what, self.cycle)
        if amount > self.largest[0]:
            if member is not None:
                what = f"{what} · {self.members[member].person}"
            self.largest = (amount, what)

    def transfer(
        self,
        into: list[EntryDraft],
        kind: str,
        amount: int,
        *,
        key: str,
        where: str,
        debit: str,
        credit: str,
        member: uuid.UUID | None = None,
        purpose: str = "",
        memo: str = "",
    ) -> None:
        """A movement (checked against the ceiling on `where`, noted if the largest) added to
        `into` (`money_in` or `money_out`) as the two-line entry of `amount` from `credit` to
        `debit`, under the entry id `key` of this meeting: no money of a meeting's members,
        incomes, grants or expenses enters or leaves without the check."""
        self.movement(amount, where, kind, member)
        into.append(
            ledger.transfer(
                id=self.entry_id(key),
                kind=kind,
                debit=debit,
                credit=credit,
                amount=amount,
                membership_id=member,
                purpose=purpose,
                memo=memo,
            )
        )


@transaction.atomic
def meeting_record(*, actor: Actor, group: Group, data: MeetingData) -> Meeting | Approval:
    """Record a whole meeting and seal it: attendance, then every movement of money posted to
    the ledger in the order the box sees it (money in, then loans, grants and expenses out),
    then the cash counted against the cash expected. Returns the meeting.

    A meeting with a movement above the approval threshold is checked the same way but not
    posted: it waits for a second officer (returns the `Approval`; `approvals.approval_approve`
    posts it). The same meeting sent again returns the first result unchanged (`was_replayed`
    tells); the same id with different content is a Conflict. Refused as a whole, nothing
    written, when anything is wrong (see the README's list)."""
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    _check_shape(data)
    content = data.fingerprint()
    group = ledger.lock_group(group.pk)  # two devices sending one meeting queue up here
    done = replay(Meeting, data.id, {"group": group, "fingerprint": content})
    if done is None:
        done = replay(Approval, data.id, {"group": group, "fingerprint": content})
    if done is not None:
        return done
    _none_waiting(group)
    book = _book(group, data, actor)
    if book.largest[0] > limits.approval_threshold(book.cycle) or book.large_gaps:
        return _hold(book, content, actor)
    return _post(book, content, actor)


def meeting_post_held(*, approval: Approval) -> Meeting:
    """Post a meeting held for approval, through the same steps as `meeting_record` and every
    check again on the books as they stand now, as its maker recorded it. The caller
    (`approvals.approval_approve`) checked the checker and holds the group lock."""
    data = MeetingData.from_payload(approval.payload)
    maker = approval.created_by
    book = _book(approval.group, data, maker)
    return _post(book, approval.fingerprint, maker)


def _book(group: Group, data: MeetingData, actor: Actor) -> _Book:
    """Every check of the meeting and the entries it would post, in the order the box sees
    them; nothing written."""
    cycle = _cycle_of_the_day(group, data.held_on)
    book = _open_book(group, cycle, data)
    for index, line in enumerate(data.members):
        where = f"members.{index}"
        _check_presence(book, line, where)
        _shares(book, line, where)
        _health(book, line, where)
        _fine(book, line, where)
        _repayments(book, line, where)
        _new_loan(book, line, where, actor)
    _incomes(book)
    _grants(book)
    _expenses(book)
    book.expected = _expected_cash(book)
    book.differences = _cash_differences(book, book.expected)
    book.confirmed_by = _count_confirmed_by(book, book.differences)
    return book


def _post(book: _Book, content: str, actor: Actor) -> Meeting:
    """Seal the meeting and post its entries."""
    group, data = book.group, book.data
    meeting = _seal(book, book.expected, book.confirmed_by, content, actor)
    ledger.post(
        group=group,
        cycle=book.cycle,
        on=data.held_on,
        drafts=book.money_in + book.money_out + book.differences,
        meeting_id=meeting.pk,
        actor=actor,
    )
    audit_record(actor=actor, obj=meeting)
    changed_from(group, data.held_on, source=SOURCE_MEETINGS)
    changed_from(group, data.held_on, source=SOURCE_LEDGER)
    return meeting


def _none_waiting(group: Group) -> None:
    """While a meeting waits for a second officer, the group records no other: the next
    meeting's cash count starts from it."""
    waiting = group.approvals.filter(status=ApprovalStatus.PENDING).first()
    if waiting is not None:
        raise ValidationError(
            {
                "held_on": [
                    _(
                        "The meeting of %(day)s waits for a second officer: it is approved or "
                        "rejected before another meeting is recorded."
                    )
                    % {"day": waiting.on}
                ]
            }
        )


def _hold(book: _Book, content: str, actor: Actor) -> Approval:
    """The meeting, checked, kept for a second officer instead of posted: for its largest
    movement, or for a cash difference above the threshold."""
    amount, what = book.largest
    if amount <= limits.approval_threshold(book.cycle):
        gap = max(book.large_gaps, key=lambda gap: abs(gap.gap))
        amount = abs(gap.gap)
        what = _("Cash difference above %(threshold)s") % {
            "threshold": format_fcfa(limits.cash_difference_threshold(book.cycle))
        }
        what = f"{what} · {' '.join(g.describe() for g in book.large_gaps)}"
        return _held(book, content, actor, amount, what)
    return _held(book, content, actor, amount, f"{what}{colon()} {format_fcfa(amount)}")


def _held(book: _Book, content: str, actor: Actor, amount: int, summary: str) -> Approval:
    approval = Approval(
        id=book.data.id,
        group=book.group,
        kind=ApprovalKind.MEETING,
        on=book.data.held_on,
        fingerprint=content,
        payload=asdict(book.data),
        amount=amount,
        summary=note(summary),
        created_by=acting_user(actor),
    )
    approval.full_clean()
    try:
        with transaction.atomic():
            approval.save(force_insert=True)
    except IntegrityError as exc:  # the same id in another group, at the same moment
        raise Conflict(_("A different meeting was already recorded under this id.")) from exc
    audit_record(actor=actor, obj=approval)
    return approval


# --- before anything is read ----------------------------------------------------------------


def _check_shape(data: MeetingData) -> None:
    """Types and signs of every amount, before anything is read or locked."""
    for index, line in enumerate(data.members):
        where = f"members.{index}"
        if line.presence not in Presence.values:
            raise ValidationError({f"{where}.presence": [_("Present, absent or represented.")]})
        if type(line.shares) is not int or line.shares < 0:
            raise ValidationError({f"{where}.shares": [_("Shares are a whole number.")]})
        for name in ("health", "fine", "repayment", "loan_amount"):
            whole(getattr(line, name), f"{where}.{name}")
            limits.within_technical(getattr(line, name), f"{where}.{name}")
        if type(line.loan_term) is not int or line.loan_term < 0:
            raise ValidationError({f"{where}.loan_term": [_("A whole number of months.")]})
        text_within(
            f"{where}.fine_reason",
            line.fine_reason.strip(),
            NOTE_LENGTH,
            _("The reason for the fine"),
        )
    for index, grant in enumerate(data.grants):
        whole(grant.amount, f"grants.{index}.amount", positive=True)
        limits.within_technical(grant.amount, f"grants.{index}.amount")
        if grant.purpose not in GrantPurpose.values:
            raise ValidationError({f"grants.{index}.purpose": [_("Choose what care it paid.")]})
        text_within(f"grants.{index}.note", grant.note.strip(), NOTE_LENGTH, _("The note"))
    for name in ("incomes", "expenses"):
        for index, cash in enumerate(getattr(data, name)):
            whole(cash.amount, f"{name}.{index}.amount", positive=True)
            limits.within_technical(cash.amount, f"{name}.{index}.amount")
            if not cash.description.strip():
                raise ValidationError({f"{name}.{index}.description": [_("Say what it was.")]})
            text_within(
                f"{name}.{index}.description",
                cash.description.strip(),
                NOTE_LENGTH,
                _("The description"),
            )
    for name in ("counted_loan_fund", "counted_health_fund"):
        whole(getattr(data, name), name)
        limits.within_technical(getattr(data, name), name)
    if len(data.difference_note.strip()) > DIFFERENCE_NOTE_LENGTH:
        raise ValidationError(
            {
                "difference_note": [
                    _("At most %(max)s characters.") % {"max": DIFFERENCE_NOTE_LENGTH}
                ]
            }
        )


def _cycle_of_the_day(group: Group, held_on: datetime.date) -> Cycle:
    """The open cycle, on a day the group was active, not in the future, without a meeting."""
    within_program("held_on", held_on)
    not_before("held_on", held_on, group.formed_on, floor_label=_("the group's formation"))
    active = group.status == GroupStatus.ACTIVE
    if not active or selectors.status_on(group, held_on) != GroupStatus.ACTIVE:
        raise ValidationError(
            {"held_on": [_("The group was not active on this day (forming, suspended or closed).")]}
        )
    cycle = selectors.open_cycle(group)
    if cycle is None:
        raise ValidationError({"held_on": [_("Start a cycle before recording meetings.")]})
    if held_on < cycle.starts_on:
        raise ValidationError({"held_on": [_("This day is before the cycle started.")]})
    limits.check_open_period(group, cycle, held_on, "held_on")
    if group.meetings.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": [_("The group already has a meeting on this day.")]})
    return cycle


def _open_book(group: Group, cycle: Cycle, data: MeetingData) -> _Book:
    """Who is a member on the day (each listed once at most), her savings and open loans."""
    members = {m.pk: m for m in group.memberships.select_related("person")}
    present = {pk for pk, m in members.items() if m.is_member_on(data.held_on)}
    seen: set[uuid.UUID] = set()
    for index, line in enumerate(data.members):
        if line.membership_id not in present or line.membership_id in seen:
            raise ValidationError(
                {f"members.{index}.membership_id": [_("Not a member of the group on this day.")]}
            )
        seen.add(line.membership_id)
    loans_of: dict[uuid.UUID, list[tuple[Loan, LoanPosition]]] = defaultdict(list)
    for loan, pos in selectors.open_loan_positions(group, data.held_on).items():
        if pos.owed:
            loans_of[loan.membership_id].append((loan, pos))
    savings = ledger.member_savings(group.pk)
    return _Book(group, cycle, data, members, present, savings, loans_of)


def _check_presence(book: _Book, line: MemberLine, where: str) -> None:
    moves = line.shares or line.health or line.fine or line.repayment or line.loan_amount
    if line.presence == Presence.ABSENT and moves:
        raise ValidationError(
            {
                f"{where}.presence": [
                    _("Money from %(member)s, marked absent: mark her represented.")
                    % {"member": book.members[line.membership_id].person}
                ]
            }
        )


# --- money in, one function per kind -------------------------------------------------------


def _shares(book: _Book, line: MemberLine, where: str) -> None:
    cycle, member = book.cycle, line.membership_id
    if line.shares > cycle.max_shares:
        raise ValidationError(
            {
                f"{where}.shares": [
                    _("At most %(max)s shares per meeting.") % {"max": cycle.max_shares}
                ]
            }
        )
    if not line.shares:
        return
    amount = line.shares * cycle.share_price
    book.transfer(
        book.money_in,
        EntryKind.SHARES,
        amount,
        key=f"shares:{member}",
        where=f"{where}.shares",
        debit=Account.LOAN_FUND_CASH,
        credit=Account.MEMBER_SAVINGS,
        member=member,
        memo=str(line.shares),  # the printed note; the count itself is `Attendance.shares`
    )
    book.savings[member] = book.savings.get(member, 0) + amount


def _health(book: _Book, line: MemberLine, where: str) -> None:
    if not line.health:
        return
    book.transfer(
        book.money_in,
        EntryKind.HEALTH_CONTRIBUTION,
        line.health,
        key=f"health:{line.membership_id}",
        where=f"{where}.health",
        debit=Account.HEALTH_FUND_CASH,
        credit=Account.HEALTH_FUND,
        member=line.membership_id,
    )


def _fine(book: _Book, line: MemberLine, where: str) -> None:
    if not line.fine:
        return
    if not line.fine_reason.strip():
        raise ValidationError({f"{where}.fine_reason": [_("Say what the fine is for.")]})
    book.transfer(
        book.money_in,
        EntryKind.FINE,
        line.fine,
        key=f"fine:{line.membership_id}",
        where=f"{where}.fine",
        debit=Account.LOAN_FUND_CASH,
        credit=Account.FINE_INCOME,
        member=line.membership_id,
        memo=note(line.fine_reason),
    )


def _repayments(book: _Book, line: MemberLine, where: str) -> None:
    """A repayment pays her loans oldest first; on each, the interest still owed first."""
    if not line.repayment:
        return
    member = line.membership_id
    book.movement(line.repayment, f"{where}.repayment", EntryKind.REPAYMENT, member)
    owed = sum(pos.owed for _loan, pos in book.loans_of[member])
    if line.repayment > owed:
        raise ValidationError(
            {
                f"{where}.repayment": [
                    _("She owes %(owed)s, less than this repayment.") % {"owed": format_fcfa(owed)}
                ]
            }
        )
    left = line.repayment
    for loan, pos in book.loans_of[member]:
        part = min(left, pos.owed)
        if not part:
            continue
        left -= part
        interest, principal = split_repayment(part, pos.interest_owed)
        book.principal_repaid[member] += principal
        parts = [LineDraft(Account.LOAN_FUND_CASH, debit=part, membership_id=member)]
        if interest:
            parts.append(
                LineDraft(
                    Account.INTEREST_INCOME, credit=interest, membership_id=member, loan_id=loan.pk
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
        book.money_in.append(
            EntryDraft(
                id=book.entry_id(f"repayment:{member}:{loan.pk}"),
                kind=EntryKind.REPAYMENT,
                membership_id=member,
                loan_id=loan.pk,
                lines=parts,
            )
        )


def _incomes(book: _Book) -> None:
    for index, cash in enumerate(book.data.incomes):
        book.transfer(
            book.money_in,
            EntryKind.INCOME,
            cash.amount,
            key=f"income:{index}",
            where=f"incomes.{index}.amount",
            debit=Account.LOAN_FUND_CASH,
            credit=Account.OTHER_INCOME,
            memo=note(cash.description),
        )


# --- money out ------------------------------------------------------------------------------


def _check_loan(book: _Book, line: MemberLine, where: str) -> None:
    """No loan overdue, a term within the constitution, at most the multiple of her savings
    (counting this meeting's shares): on all she owes (the principal still owed after this
    meeting's repayments, plus the new loan) or on each loan alone, as the constitution says."""
    cycle, member = book.cycle, line.membership_id
    if any(pos.days_overdue > 0 for _loan, pos in book.loans_of[member]):
        raise ValidationError({f"{where}.loan_amount": [_("She has a loan overdue: no new loan.")]})
    if not 1 <= line.loan_term <= cycle.max_term_months:
        raise ValidationError(
            {
                f"{where}.loan_term": [
                    _("The term is 1 to %(max)s months.") % {"max": cycle.max_term_months}
                ]
            }
        )
    limit = cycle.max_loan_multiple * book.savings.get(member, 0)
    if cycle.loan_limit_basis == LoanLimitBasis.EACH_LOAN:
        if line.loan_amount > limit:
            raise ValidationError(
                {
                    f"{where}.loan_amount": [
                        _("At most %(limit)s (%(times)s x her savings).")
                        % {"limit": format_fcfa(limit), "times": cycle.max_loan_multiple}
                    ]
                }
            )
        return
    owed = sum(pos.principal_owed for _loan, pos in book.loans_of[member])
    owed -= book.principal_repaid[member]
    if owed + line.loan_amount > limit:
        raise ValidationError(
            {
                f"{where}.loan_amount": [
                    _(
                        "At most %(left)s: all she owes stays within %(times)s x her savings "
                        "(%(limit)s) and she still owes %(owed)s."
                    )
                    % {
                        "left": format_fcfa(max(limit - owed, 0)),
                        "times": cycle.max_loan_multiple,
                        "limit": format_fcfa(limit),
                        "owed": format_fcfa(owed),
                    }
                ]
            }
        )


def _new_loan(book: _Book, line: MemberLine, where: str, actor: Actor) -> None:
    if not line.loan_amount:
        return
    book.movement(line.loan_amount, f"{where}.loan_amount", EntryKind.LOAN, line.membership_id)
    _check_loan(book, line, where)
    cycle, member, amount = book.cycle, line.membership_id, line.loan_amount
    loan = Loan(
        id=line.loan_id or book.entry_id(f"loan:{member}"),
        group=book.group,
        cycle=cycle,
        membership_id=member,
        meeting_id=book.data.id,
        disbursed_on=book.data.held_on,
        principal=amount,
        interest_rate=cycle.interest_rate,
        term_months=line.loan_term,
        interest_total=interest_for(amount, cycle.interest_rate, line.loan_term),
        created_by=acting_user(actor),
    )
    book.new_loans.append(loan)
    book.money_out.append(
        EntryDraft(
            id=book.entry_id(f"loan:{member}"),
            kind=EntryKind.LOAN,
            membership_id=member,
            loan_id=loan.pk,
            lines=[
                LineDraft(
                    Account.LOANS_RECEIVABLE, debit=amount, membership_id=member, loan_id=loan.pk
                ),
                LineDraft(Account.LOAN_FUND_CASH, credit=amount, membership_id=member),
            ],
        )
    )


def _grants(book: _Book) -> None:
    """Health fund grants, to members of the group on the day."""
    for index, grant in enumerate(book.data.grants):
        member = grant.membership_id
        if member not in book.present:
            raise ValidationError(
                {f"grants.{index}.membership_id": [_("Not a member of the group on this day.")]}
            )
        book.transfer(
            book.money_out,
            EntryKind.GRANT,
            grant.amount,
            key=f"grant:{index}",
            where=f"grants.{index}.amount",
            debit=Account.HEALTH_FUND,
            credit=Account.HEALTH_FUND_CASH,
            member=member,
            purpose=grant.purpose,
            memo=note(grant.note),
        )


def _expenses(book: _Book) -> None:
    for index, cash in enumerate(book.data.expenses):
        book.transfer(
            book.money_out,
            EntryKind.EXPENSE,
            cash.amount,
            key=f"expense:{index}",
            where=f"expenses.{index}.amount",
            debit=Account.EXPENSES,
            credit=Account.LOAN_FUND_CASH,
            memo=note(cash.description),
        )


# --- the cash count and the seal ------------------------------------------------------------


def _expected_cash(book: _Book) -> dict[str, int]:
    """Every balance once this meeting's money is posted; refused, on the field a facilitator
    can change, when a box would hold less than nothing."""
    running = ledger.balances(book.group.pk)
    for draft in book.money_in + book.money_out:
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
    return running


BOXES = {
    Account.LOAN_FUND_CASH: _lazy("Loan fund cash"),
    Account.HEALTH_FUND_CASH: _lazy("Health fund cash"),
}
# Each box, and the account a difference in it is booked against.
COUNTED = (
    (Account.LOAN_FUND_CASH, "counted_loan_fund", Account.CASH_DIFFERENCE),
    (Account.HEALTH_FUND_CASH, "counted_health_fund", Account.HEALTH_FUND),
)


def _cash_differences(book: _Book, expected: dict[str, int]) -> list[EntryDraft]:
    """One entry per box whose count differs from what it should hold (over: the box is
    debited; short: credited)."""
    drafts = []
    for account, counted_field, counterpart in COUNTED:
        gap = getattr(book.data, counted_field) - expected[account]
        if not gap:
            continue
        book.gaps.append(
            Gap(
                counted_field,
                str(BOXES[account]),
                getattr(book.data, counted_field),
                expected[account],
            )
        )
        book.movement(abs(gap), counted_field, EntryKind.CASH_DIFFERENCE)
        debit, credit = (account, counterpart) if gap > 0 else (counterpart, account)
        drafts.append(
            ledger.transfer(
                id=book.entry_id(f"difference:{account}"),
                kind=EntryKind.CASH_DIFFERENCE,
                debit=debit,
                credit=credit,
                amount=abs(gap),
                memo=note(book.data.difference_note),
            )
        )
    return drafts


def _count_confirmed_by(book: _Book, differences: list[EntryDraft]) -> Membership | None:
    """A count that differs needs a note (stating the figures when it is missing) and a second
    officer present at the meeting; above the threshold, a real explanation."""
    if not differences:
        return None
    data = book.data
    figures = " ".join(gap.describe() for gap in book.gaps)
    if not data.difference_note.strip():
        raise ValidationError(
            {
                "difference_note": [
                    _("The cash counted differs from the expected: say why.") + " " + figures
                ]
            }
        )
    _check_explanation(book, figures)
    confirmed_by = book.members.get(data.confirmed_by_id) if data.confirmed_by_id else None
    if (
        confirmed_by is None
        or confirmed_by.role not in OFFICER_ROLES
        or confirmed_by.pk not in book.present
    ):
        raise ValidationError(
            {"confirmed_by_id": [_("A second officer of the group must confirm the count.")]}
        )
    return confirmed_by


def _check_explanation(book: _Book, figures: str) -> None:
    """Above the threshold, "x" is no explanation: a few words saying what happened."""
    if not book.large_gaps:
        return
    explanation = book.data.difference_note.strip()
    if len(explanation) >= EXPLANATION_LENGTH and len(explanation.split()) >= EXPLANATION_WORDS:
        return
    message = _(
        "A difference above %(threshold)s needs a real explanation, not “%(note)s”: at least "
        "%(words)s words and %(length)s characters saying what is missing or extra, and why."
    ) % {
        "threshold": format_fcfa(limits.cash_difference_threshold(book.cycle)),
        "note": explanation[:40],
        "words": EXPLANATION_WORDS,
        "length": EXPLANATION_LENGTH,
    }
    raise ValidationError({"difference_note": [f"{message} {figures}"]})


def _seal(
    book: _Book,
    expected: dict[str, int],
    confirmed_by: Membership | None,
    content: str,
    actor: Actor,
) -> Meeting:
    """The meeting row, its attendance (members not listed are absent) and its new loans."""
    data = book.data
    meeting = Meeting(
        id=data.id,
        group=book.group,
        cycle=book.cycle,
        number=book.cycle.meetings.count() + 1,
        held_on=data.held_on,
        fingerprint=content,
        expected_loan_fund=expected[Account.LOAN_FUND_CASH],
        expected_health_fund=expected[Account.HEALTH_FUND_CASH],
        counted_loan_fund=data.counted_loan_fund,
        counted_health_fund=data.counted_health_fund,
        difference_note=data.difference_note.strip(),
        confirmed_by=confirmed_by,
        sealed_at=timezone.now(),
        made_at=made_on_phone(data.made_at),
        created_by=acting_user(actor),
    )
    meeting.full_clean()
    try:
        with transaction.atomic():
            meeting.save(force_insert=True)
    except IntegrityError as exc:  # the same id in another group, posted at the same moment
        raise Conflict(_("A different meeting was already recorded under this id.")) from exc
    listed = {line.membership_id for line in data.members}
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                membership_id=line.membership_id,
                presence=line.presence,
                shares=line.shares,
            )
            for line in data.members
        ]
        + [
            Attendance(meeting=meeting, membership_id=pk, presence=Presence.ABSENT)
            for pk in sorted(book.present - listed)
        ]
    )
    for loan in book.new_loans:
        loan.full_clean(exclude=["meeting"])
    Loan.objects.bulk_create(book.new_loans)
    return meeting
