"""Generated savings groups: 5 per generated community (national: 5 000 groups), 20 members each
(100 000), weekly meetings where every member buys shares and pays the health fund — two
ledger entries per member and meeting (national: 2 000 000 entries, 4 000 000 lines).

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
from jigiya.savings.models import (
    Account,
    Attendance,
    Cycle,
    Entry,
    EntryKind,
    EntryLine,
    Group,
    GroupStatus,
    GroupStatusChange,
    Meeting,
    MemberRole,
    Membership,
)

GROUPS_PER_COMMUNITY = 5
MEMBERS_PER_GROUP = 20
SHARE_PRICE = 500
HEALTH = 100
FIRST_MEETING = datetime.date(2025, 1, 6)
GROUP_NAMES = ["Benkadi", "Jigiya", "Sabunyuman", "Hèrè", "Badenya", "Dambe", "Kènèya", "Sinsin"]


def meetings_per_group(scale: Scale) -> int:
    return 2 if scale.name == "tiny" else 10


def _groups(scale: Scale) -> int:
    return scale.communities * GROUPS_PER_COMMUNITY


def size(scale: Scale) -> int:
    groups = _groups(scale)
    members = groups * MEMBERS_PER_GROUP
    rows_per_meeting = MEMBERS_PER_GROUP * (1 + 2 + 4)  # attendance, 2 entries, 4 lines
    return groups * 4 + members * 3 + groups * meetings_per_group(scale) * (1 + rows_per_meeting)


def _generated_groups() -> "list[Group]":
    return list(Group.objects.filter(name__startswith=CODE_PREFIX))


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
        (Cycle, cycles),
        (Household, households),
        (Person, people),
        (Membership, memberships),
    ):
        bulk_insert(model, rows, progress, batch_size=2000)
    progress.set_description("savings meetings and ledgers")
    entries = lines = 0
    for position, (group, cycle) in enumerate(zip(groups, cycles, strict=True)):
        members = memberships[position * MEMBERS_PER_GROUP : (position + 1) * MEMBERS_PER_GROUP]
        made = _ledger(rng, group, cycle, members, meetings_per_group(scale), progress)
        entries += made[0]
        lines += made[1]
    return {
        "savings groups": len(groups),
        "savings members": len(memberships),
        "meetings": len(groups) * meetings_per_group(scale),
        "ledger entries": entries,
        "ledger lines": lines,
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


def _ledger(
    rng: random.Random,
    group: Group,
    cycle: Cycle,
    members: list[Membership],
    count: int,
    progress: Progress,
) -> tuple[int, int]:
    """One group's meetings and hash-chained entries, inserted in bulk."""
    meetings = []
    attendance: list[tuple] = []
    entries: list[tuple] = []
    lines: list[tuple] = []
    prev, seq = ledger.GENESIS, 0
    loan_fund = health = 0
    now = timezone.now()
    group_id, cycle_id = _db_uuid(group.pk), _db_uuid(cycle.pk)
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
        for member in members:
            member_id = _db_uuid(member.pk)
            attendance.append((meeting_id, member_id, "present"))
            shares = rng.randint(1, 5)
            for kind, amount, cash, other in (
                (
                    EntryKind.SHARES,
                    shares * SHARE_PRICE,
                    Account.LOAN_FUND_CASH,
                    Account.MEMBER_SAVINGS,
                ),
                (
                    EntryKind.HEALTH_CONTRIBUTION,
                    HEALTH,
                    Account.HEALTH_FUND_CASH,
                    Account.HEALTH_FUND,
                ),
            ):
                seq += 1
                entry_id = new_id(rng)
                memo = str(shares) if kind == EntryKind.SHARES else ""
                parts = [(cash, amount, 0, member.pk, None), (other, 0, amount, member.pk, None)]
                text = ledger.canonical(
                    id=entry_id, group_id=group.pk, cycle_id=cycle.pk, seq=seq, kind=kind,
                    on=held_on, meeting_id=meeting.pk, membership_id=member.pk, loan_id=None,
                    reverses_id=None, purpose="", memo=memo, lines=parts,
                )  # fmt: skip
                digest = ledger.chain_hash(prev, text)
                row_id = _db_uuid(entry_id)
                entries.append(
                    (row_id, group_id, cycle_id, seq, str(kind), held_on, meeting_id, member_id,
                     memo, "", prev, digest, now)
                )  # fmt: skip
                for place, (account, debit, credit, _member, _loan) in enumerate(parts, 1):
                    lines.append(
                        (row_id, group_id, seq, place, held_on, str(account), debit, credit,
                         member_id)
                    )  # fmt: skip
                prev = digest
                if cash == Account.LOAN_FUND_CASH:
                    loan_fund += amount
                else:
                    health += amount
        meeting.expected_loan_fund = meeting.counted_loan_fund = loan_fund
        meeting.expected_health_fund = meeting.counted_health_fund = health
    bulk_insert(Meeting, meetings, progress, batch_size=2000)
    _insert(Attendance, ["meeting_id", "membership_id", "presence"], attendance, progress)
    _insert(
        Entry,
        ["id", "group_id", "cycle_id", "seq", "kind", "on", "meeting_id", "membership_id",
         "memo", "purpose", "prev_hash", "hash", "created_at"],
        entries,
        progress,
    )  # fmt: skip
    _insert(
        EntryLine,
        ["entry_id", "group_id", "seq", "position", "on", "account", "debit", "credit",
         "membership_id"],
        lines,
        progress,
    )  # fmt: skip
    return len(entries), len(lines)


def reset() -> Counts:
    """Delete the generated groups and everything recorded for them (the ledger's guard against
    deletes is bypassed on purpose: this is synthetic data)."""
    groups = Group.objects.filter(name__startswith=CODE_PREFIX)
    using = router.db_for_write(EntryLine)
    person_ids = list(
        Membership.objects.filter(group__in=groups).values_list("person_id", flat=True)
    )
    household_ids = list(
        Person.objects.filter(pk__in=person_ids).values_list("household_id", flat=True)
    )
    deleted = {
        "ledger lines": EntryLine.objects.filter(group__in=groups)._raw_delete(using),
        "ledger entries": Entry.objects.filter(group__in=groups)._raw_delete(using),
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
