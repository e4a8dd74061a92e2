"""Generated savings groups: 5 per generated community (national: 5 000 groups), 20 members each
(100 000), weekly meetings where every member buys shares and pays the health fund — two
ledger entries per member and meeting (national: 2 000 000 entries, 4 000 000 lines) — plus,
in every group, three loans (one repaid on time, one half on time and the rest late, one late —
never repaid while the cycle is open, so PAR > 30 days has something to count), a health fund
grant, and in one group in five a share-out of the first cycle and an open second cycle.

Rows are bulk-inserted; each entry's hash is computed here exactly as `ledger.post` does, so
`jigiya verify-ledgers` checks generated chains like real ones. Group names start with `GEN-`;
the members are people of generated households (names `GEN-…`) made here.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import connection, models, router
from django.utils import timezone

from jigiya.core import appendonly
from jigiya.core.generate import (
    CODE_PREFIX,
    Counts,
    GenerateError,
    Progress,
    Scale,
    Step,
    bulk_insert,
    new_id,
    person_name,
    register_step,
)
from jigiya.places.models import Place, PlaceKind
from jigiya.registry.models import Household, Person
from jigiya.savings import ledger
from jigiya.savings.loans import interest_for
from jigiya.savings.models import (
    CASH_ACCOUNTS,
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
    Meeting,
    MemberRole,
    Membership,
    RemainderRule,
    ShareOut,
    ShareOutLine,
)

GROUPS_PER_COMMUNITY = 5
MEMBERS_PER_GROUP = 20
SHARE_PRICE = 500
HEALTH = 100
FIRST_MEETING = datetime.date(2025, 1, 6)
GROUP_NAMES = ["Benkadi", "Jigiya", "Sabunyuman", "Hèrè", "Badenya", "Dambe", "Kènèya", "Sinsin"]


def meetings_per_group(scale: Scale) -> int:
    return 2 if scale.name == "tiny" else 10


def share_out_day(scale: Scale) -> datetime.date:
    """A week after the last meeting (the share-out of the groups whose first cycle closed)."""
    return FIRST_MEETING + datetime.timedelta(days=7 * meetings_per_group(scale))


def _groups(scale: Scale) -> int:
    return scale.communities * GROUPS_PER_COMMUNITY


def size(scale: Scale) -> int:
    groups = _groups(scale)
    members = groups * MEMBERS_PER_GROUP
    rows_per_meeting = MEMBERS_PER_GROUP * (1 + 2 + 4)  # attendance, 2 entries, 4 lines
    extra = 60  # loans, repayments, a grant, a fifth of a share-out, per group
    return (
        groups * (4 + extra)
        + members * 3
        + groups * meetings_per_group(scale) * (1 + rows_per_meeting)
    )


def generate(scale: Scale, rng: random.Random, progress: Progress) -> Counts:
    """The groups of `scale` with their members, meetings and ledgers; nothing when there."""
    expected = _groups(scale)
    existing = Group.objects.filter(name__startswith=CODE_PREFIX).count()
    if existing == expected:
        return {}
    if existing:
        raise GenerateError(
            f"{existing} generated savings groups of another scale are in the database "
            f"(the {scale.name} scale has {expected}): run with --reset."
        )
    communities = list(
        Place.objects.filter(code__startswith=CODE_PREFIX, kind=PlaceKind.COMMUNITY).order_by(
            "code"
        )
    )
    if len(communities) != scale.communities:
        raise GenerateError("The generated places do not match this scale: run with --reset.")
    progress.set_description("savings groups")
    groups: list[Group] = []
    changes: list[GroupStatusChange] = []
    cycles: list[Cycle] = []
    next_cycles: list[Cycle] = []
    households: list[Household] = []
    people: list[Person] = []
    memberships: list[Membership] = []
    for community in communities:
        for index in range(GROUPS_PER_COMMUNITY):
            formed = FIRST_MEETING - datetime.timedelta(days=rng.randint(7, 60))
            group = Group(
                id=new_id(rng),
                name=f"{CODE_PREFIX}{len(groups) + 1:05d} {GROUP_NAMES[index % len(GROUP_NAMES)]}",
                community=community,
                formed_on=formed,
                status=GroupStatus.ACTIVE,
                status_since=formed,
            )
            groups.append(group)
            changes += [
                GroupStatusChange(id=new_id(rng), group=group, status=status, on=formed, number=n)
                for n, status in enumerate((GroupStatus.FORMING, GroupStatus.ACTIVE), start=1)
            ]
            closed = index == 0  # one group in five has shared out its first cycle
            cycles.append(
                Cycle(
                    id=new_id(rng),
                    group=group,
                    number=1,
                    starts_on=FIRST_MEETING,
                    planned_end=FIRST_MEETING + datetime.timedelta(days=350),
                    share_price=SHARE_PRICE,
                    health_contribution=HEALTH,
                    interest_rate=Decimal("10"),
                    status=CycleStatus.SHARED_OUT if closed else CycleStatus.OPEN,
                )
            )
            if closed:
                next_cycles.append(
                    Cycle(
                        id=new_id(rng),
                        group=group,
                        number=2,
                        starts_on=share_out_day(scale) + datetime.timedelta(days=7),
                        planned_end=share_out_day(scale) + datetime.timedelta(days=357),
                        share_price=SHARE_PRICE,
                        health_contribution=HEALTH,
                        interest_rate=Decimal("10"),
                    )
                )
            for number in range(1, MEMBERS_PER_GROUP + 1):
                first, last, _sex = person_name(rng, women_share=1.0)
                household = Household(
                    id=new_id(rng), community=community, name=f"{CODE_PREFIX}{last}"
                )
                person = Person(
                    id=new_id(rng),
                    household=household,
                    given_name=first,
                    family_name=last,
                    sex="F",
                    relationship="spouse",
                )
                households.append(household)
                people.append(person)
                memberships.append(
                    Membership(
                        id=new_id(rng),
                        group=group,
                        person=person,
                        joined_on=formed,
                        number=number,
                        role=MemberRole.PRESIDENT if number == 1 else MemberRole.MEMBER,
                    )
                )
    for model, rows in (
        (Group, groups),
        (GroupStatusChange, changes),
        (Cycle, cycles + next_cycles),
        (Household, households),
        (Person, people),
        (Membership, memberships),
    ):
        bulk_insert(model, rows, progress, batch_size=2000)
    progress.set_description("savings meetings and ledgers")
    totals: Counts = {}
    purposes = GrantPurpose.values
    for position, (group, cycle) in enumerate(zip(groups, cycles, strict=True)):
        members = memberships[position * MEMBERS_PER_GROUP : (position + 1) * MEMBERS_PER_GROUP]
        made = _ledger(
            rng,
            group,
            cycle,
            members,
            meetings_per_group(scale),
            progress,
            share_out_on=share_out_day(scale) if cycle.status == CycleStatus.SHARED_OUT else None,
            purpose=purposes[position % len(purposes)],
        )
        for key, value in made.items():
            totals[key] = totals.get(key, 0) + value
    return {
        "savings groups": len(groups),
        "savings members": len(memberships),
        "meetings": len(groups) * meetings_per_group(scale),
        **totals,
    }


def _insert(
    model: type[models.Model], columns: list[str], rows: list[tuple], progress: Progress
) -> None:
    """Plain INSERTs of many rows: model instances cost more than the database does here."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
            progress.update(len(rows[start : start + 5000]))


def _db_uuid(value: Any) -> Any:
    """A UUID as the database stores it (SQLite: 32 hex digits)."""
    if value is None:
        return None
    return value.hex if connection.vendor == "sqlite" else value


class _Chain:
    """One group's hash-chained entries and lines, built as `ledger.post` would build them,
    with the balances after each entry (the generator checks cash never goes negative)."""

    def __init__(self, group: Group, cycle: Cycle) -> None:
        self.group, self.cycle = group, cycle
        self.group_id, self.cycle_id = _db_uuid(group.pk), _db_uuid(cycle.pk)
        self.prev, self.seq = ledger.GENESIS, 0
        self.entries: list[tuple] = []
        self.lines: list[tuple] = []
        self.balance = dict.fromkeys(Account.values, 0)
        self.now = timezone.now()

    def post(
        self,
        rng: random.Random,
        kind: str,
        on: datetime.date,
        parts: list[tuple[str, int, int, Any, Any]],
        *,
        meeting: Any = None,
        member: Any = None,
        loan: Any = None,
        memo: str = "",
        purpose: str = "",
    ) -> Any:
        self.seq += 1
        entry_id = new_id(rng)
        text = ledger.canonical(
            id=entry_id, group_id=self.group.pk, cycle_id=self.cycle.pk, seq=self.seq,
            kind=kind, on=on, meeting_id=meeting, membership_id=member, loan_id=loan,
            reverses_id=None, purpose=purpose, memo=memo, lines=parts,
        )  # fmt: skip
        digest = ledger.chain_hash(self.prev, text)
        row_id = _db_uuid(entry_id)
        self.entries.append(
            (row_id, self.group_id, self.cycle_id, self.seq, str(kind), on, _db_uuid(meeting),
             _db_uuid(member), _db_uuid(loan), memo, purpose, self.prev, digest, self.now)
        )  # fmt: skip
        for place, (account, debit, credit, line_member, line_loan) in enumerate(parts, 1):
            self.lines.append(
                (row_id, self.group_id, self.seq, place, on, str(account), debit, credit,
                 _db_uuid(line_member), _db_uuid(line_loan))
            )  # fmt: skip
            self.balance[account] += ledger.signed(account, debit, credit)
        if any(self.balance[cash] < 0 for cash in CASH_ACCOUNTS):
            raise GenerateError(f"{self.group}: cash would go negative at entry {self.seq}")
        self.prev = digest
        return entry_id

    def insert(self, progress: Progress) -> None:
        _insert(
            Entry,
            ["id", "group_id", "cycle_id", "seq", "kind", "on", "meeting_id", "membership_id",
             "loan_id", "memo", "purpose", "prev_hash", "hash", "created_at"],
            self.entries,
            progress,
        )  # fmt: skip
        _insert(
            EntryLine,
            ["entry_id", "group_id", "seq", "position", "on", "account", "debit", "credit",
             "membership_id", "loan_id"],
            self.lines,
            progress,
        )  # fmt: skip


# Who borrows (member positions) and how they repay: on time, half on time and the rest late,
# late (or, in a cycle still open, never: the loans behind PAR > 30 days).
BORROWERS = {2: "on_time", 7: "half_late", 12: "late"}
GRANT_AMOUNT = 1500


def _ledger(
    rng: random.Random,
    group: Group,
    cycle: Cycle,
    members: list[Membership],
    count: int,
    progress: Progress,
    *,
    share_out_on: datetime.date | None,
    purpose: str,
) -> Counts:
    """One group's meetings, loans, repayments, a grant and, when `share_out_on` is given, the
    share-out of its cycle: hash-chained entries inserted in bulk."""
    chain = _Chain(group, cycle)
    meetings, loans, attendance = [], [], []
    loan_at = 2 if count >= 6 else 1
    repay_at, last_at = min(6, count), count
    grant_at = min(5, count)
    savings: dict[Any, int] = {}
    open_loans: dict[int, Loan] = {}  # member position → loan
    owed: dict[Any, list[int]] = {}  # loan id → [principal, interest] still owed
    made = {"loans": 0, "repayments": 0, "grants": 0}
    for number in range(1, count + 1):
        held_on = FIRST_MEETING + datetime.timedelta(days=7 * (number - 1))
        meeting = Meeting(
            id=new_id(rng),
            group=group,
            cycle=cycle,
            number=number,
            held_on=held_on,
            fingerprint="generated",
            expected_loan_fund=0,
            expected_health_fund=0,
            counted_loan_fund=0,
            counted_health_fund=0,
            sealed_at=datetime.datetime.combine(held_on, datetime.time(12), tzinfo=datetime.UTC),
        )
        meetings.append(meeting)
        meeting_id = _db_uuid(meeting.pk)
        for index, member in enumerate(members):
            shares = rng.randint(1, 5)
            attendance.append((meeting_id, _db_uuid(member.pk), "present", shares))
            amount = shares * SHARE_PRICE
            savings[member.pk] = savings.get(member.pk, 0) + amount
            chain.post(
                rng, EntryKind.SHARES, held_on,
                [(Account.LOAN_FUND_CASH, amount, 0, member.pk, None),
                 (Account.MEMBER_SAVINGS, 0, amount, member.pk, None)],
                meeting=meeting.pk, member=member.pk, memo=str(shares),
            )  # fmt: skip
            chain.post(
                rng, EntryKind.HEALTH_CONTRIBUTION, held_on,
                [(Account.HEALTH_FUND_CASH, HEALTH, 0, member.pk, None),
                 (Account.HEALTH_FUND, 0, HEALTH, member.pk, None)],
                meeting=meeting.pk, member=member.pk,
            )  # fmt: skip
            loan = open_loans.get(index)
            if loan is None or number <= loan_at:
                continue
            style = BORROWERS[index]
            principal, interest = owed[loan.pk]
            pay = 0
            if (number == last_at and (style != "late" or share_out_on is not None)) or (
                number == repay_at and style == "on_time"
            ):
                pay = principal + interest
            elif number == repay_at and style == "half_late":
                pay = (principal + interest) // 2
            if not pay:
                continue
            to_interest = min(pay, interest)
            parts: list[tuple[str, int, int, Any, Any]] = [
                (Account.LOAN_FUND_CASH, pay, 0, member.pk, None)
            ]
            if to_interest:
                parts.append((Account.INTEREST_INCOME, 0, to_interest, member.pk, loan.pk))
            if pay - to_interest:
                parts.append((Account.LOANS_RECEIVABLE, 0, pay - to_interest, member.pk, loan.pk))
            chain.post(
                rng, EntryKind.REPAYMENT, held_on, parts,
                meeting=meeting.pk, member=member.pk, loan=loan.pk,
            )  # fmt: skip
            owed[loan.pk] = [principal - (pay - to_interest), interest - to_interest]
            made["repayments"] += 1
        if number == loan_at:
            for index in BORROWERS:
                if index >= len(members):
                    continue
                member = members[index]
                principal = min(2 * savings[member.pk], chain.balance[Account.LOAN_FUND_CASH])
                if principal <= 0:
                    continue
                loan = Loan(
                    id=new_id(rng),
                    group=group,
                    cycle=cycle,
                    membership=member,
                    meeting=meeting,
                    disbursed_on=held_on,
                    principal=principal,
                    interest_rate=cycle.interest_rate,
                    term_months=1,
                    interest_total=interest_for(principal, cycle.interest_rate, 1),
                )
                loans.append(loan)
                open_loans[index] = loan
                owed[loan.pk] = [principal, loan.interest_total]
                chain.post(
                    rng, EntryKind.LOAN, held_on,
                    [(Account.LOANS_RECEIVABLE, principal, 0, member.pk, loan.pk),
                     (Account.LOAN_FUND_CASH, 0, principal, member.pk, None)],
                    meeting=meeting.pk, member=member.pk, loan=loan.pk,
                )  # fmt: skip
                made["loans"] += 1
        if number == grant_at and len(members) > 4:
            member = members[4]
            if chain.balance[Account.HEALTH_FUND_CASH] >= GRANT_AMOUNT:
                chain.post(
                    rng, EntryKind.GRANT, held_on,
                    [(Account.HEALTH_FUND, GRANT_AMOUNT, 0, member.pk, None),
                     (Account.HEALTH_FUND_CASH, 0, GRANT_AMOUNT, member.pk, None)],
                    meeting=meeting.pk, member=member.pk, purpose=purpose,
                )  # fmt: skip
                made["grants"] += 1
        cash, health = (
            chain.balance[Account.LOAN_FUND_CASH],
            chain.balance[Account.HEALTH_FUND_CASH],
        )
        meeting.expected_loan_fund = meeting.counted_loan_fund = cash
        meeting.expected_health_fund = meeting.counted_health_fund = health
    share_out = None
    if share_out_on is not None:
        share_out = _share_out(rng, chain, members, savings, share_out_on)
    bulk_insert(Meeting, meetings, progress, batch_size=2000)
    bulk_insert(Loan, loans, progress, batch_size=2000)
    _insert(Attendance, ["meeting_id", "membership_id", "presence", "shares"], attendance, progress)
    chain.insert(progress)
    if share_out is not None:
        result, lines = share_out
        bulk_insert(ShareOut, [result], progress)
        bulk_insert(ShareOutLine, lines, progress, batch_size=2000)
    return {
        **made,
        "share-outs": 1 if share_out else 0,
        "ledger entries": len(chain.entries),
        "ledger lines": len(chain.lines),
    }


def _share_out(
    rng: random.Random,
    chain: _Chain,
    members: list[Membership],
    savings: dict[Any, int],
    held_on: datetime.date,
) -> tuple[ShareOut, list[ShareOutLine]]:
    """The share-out of a cycle whose loans are all repaid, as `services.share_out` posts it
    (the health fund stays; the rounding remainder goes to it)."""
    balance = chain.balance
    if balance[Account.LOANS_RECEIVABLE]:
        raise GenerateError(f"{chain.group}: loans still owed at the share-out")
    value = balance[Account.LOAN_FUND_CASH]
    shares = {m.pk: savings[m.pk] // SHARE_PRICE for m in members}
    total = sum(shares.values())
    rows = []
    parts: list[tuple[str, int, int, Any, Any]] = []
    for member in members:
        gross = shares[member.pk] * value // total
        rows.append((member, gross))
        parts.append((Account.MEMBER_SAVINGS, savings[member.pk], 0, member.pk, None))
        if gross:
            parts.append((Account.LOAN_FUND_CASH, 0, gross, member.pk, None))
    for account in (Account.INTEREST_INCOME, Account.FINE_INCOME, Account.OTHER_INCOME):
        if balance[account]:
            parts.append((account, balance[account], 0, None, None))
    remainder = value - sum(gross for _member, gross in rows)
    if remainder:
        parts += [
            (Account.LOAN_FUND_CASH, 0, remainder, None, None),
            (Account.HEALTH_FUND_CASH, remainder, 0, None, None),
            (Account.HEALTH_FUND, 0, remainder, None, None),
        ]
    entry_id = chain.post(rng, EntryKind.SHARE_OUT, held_on, parts)
    result = ShareOut(
        id=new_id(rng),
        cycle=chain.cycle,
        held_on=held_on,
        loan_fund_cash=value,
        loans_owed=0,
        health_fund_shared=0,
        fund_value=value,
        total_shares=total,
        remainder=remainder,
        remainder_rule=RemainderRule.HEALTH_FUND,
        entry_id=entry_id,
    )
    lines = [
        ShareOutLine(
            share_out=result,
            membership=member,
            shares=shares[member.pk],
            savings=savings[member.pk],
            value=gross,
            loan_owed=0,
            payout=gross,
        )
        for member, gross in rows
    ]
    return result, lines


def reset() -> Counts:
    """Delete the generated groups and everything recorded for them (the ledger's guards against
    deletes, in the models and the database's triggers, are bypassed on purpose: this is
    synthetic data)."""
    groups = Group.objects.filter(name__startswith=CODE_PREFIX)
    using = router.db_for_write(EntryLine)
    person_ids = list(
        Membership.objects.filter(group__in=groups).values_list("person_id", flat=True)
    )
    household_ids = list(
        Person.objects.filter(pk__in=person_ids).values_list("household_id", flat=True)
    )
    ShareOutLine.objects.filter(share_out__cycle__group__in=groups).delete()
    share_outs = ShareOut.objects.filter(cycle__group__in=groups).delete()[0]
    with appendonly.suspended("savings_entryline", "savings_entry", using=using):
        ledger_lines = EntryLine.objects.filter(group__in=groups)._raw_delete(using)
        ledger_entries = Entry.objects.filter(group__in=groups)._raw_delete(using)
    deleted = {
        "ledger lines": ledger_lines,
        "ledger entries": ledger_entries,
        "share-outs": share_outs,
        "loans": Loan.objects.filter(group__in=groups).delete()[0],
        "attendance": Attendance.objects.filter(meeting__group__in=groups).delete()[0],
        "meetings": Meeting.objects.filter(group__in=groups).delete()[0],
        "savings members": Membership.objects.filter(group__in=groups).delete()[0],
        "cycles": Cycle.objects.filter(group__in=groups).delete()[0],
    }
    GroupStatusChange.objects.filter(group__in=groups).delete()
    deleted["savings groups"] = groups.delete()[0]
    for start in range(0, len(person_ids), 5000):
        Person.objects.filter(pk__in=person_ids[start : start + 5000]).delete()
    for start in range(0, len(household_ids), 5000):
        Household.objects.filter(pk__in=household_ids[start : start + 5000]).delete()
    return deleted


def count() -> Counts:
    groups = Group.objects.filter(name__startswith=CODE_PREFIX)
    return {
        "savings groups": groups.count(),
        "ledger entries": Entry.objects.filter(group__in=groups).count(),
    }


STEP = register_step(Step(name="savings", generate=generate, size=size, reset=reset, count=count))
