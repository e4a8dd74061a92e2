"""Savings: the time to post a 25-member meeting through the service, and how many ledger
entries `verify-ledgers` checks per second — each beside a baseline measured in the same run.

- Meeting posting: `services.meeting_record` for a group of 25 members (shares, health fund,
  a fine, a repayment and a loan among them). Baseline: one transaction that locks the same
  group row and inserts 25 rows (audit entries), then rolls back — what any write of that size
  costs here.
- Verification: `ledger.verify()` over every entry in the database (the district scale
  generates 120 000). Baseline: reading the same entries and lines without checking anything.
"""

import datetime
import statistics
import time
import uuid

from django.db import transaction

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section, ms
from jigiya.core.models import AuditEntry
from jigiya.places.models import Place
from jigiya.registry.models import Household, Person
from jigiya.savings import ledger, services
from jigiya.savings.models import Cycle, Entry, EntryLine, Group, Loan, Meeting, Membership
from jigiya.savings.services import MeetingData, MemberLine

# The demo's Benkadi group in Sotuba: the fullest savings pages.
PATH_PARAMS.setdefault("group_id", lambda: Group.objects.get(name="Benkadi"))
PATH_PARAMS.setdefault("cycle_id", lambda: Cycle.objects.get(group__name="Benkadi", number=2))
PATH_PARAMS.setdefault(
    "meeting_id",
    lambda: Meeting.objects.filter(group__name="Benkadi").order_by("-held_on").first(),
)
PATH_PARAMS.setdefault(
    "membership_id",
    lambda: Membership.objects.filter(group__name="Benkadi").order_by("number").first(),
)
PATH_PARAMS.setdefault(
    "loan_id", lambda: Loan.objects.filter(group__name="Benkadi").order_by("-disbursed_on").first()
)
PATH_PARAMS.setdefault(
    "entry_id",
    lambda: Entry.objects.filter(group__name="Benkadi", kind="shares").order_by("-seq").first(),
)

MEMBERS = 25
MEETINGS = 40
START = datetime.date(2001, 1, 1)


def _bench_group(ctx: Context) -> tuple[Group, list[Membership]]:
    community = Place.objects.get(code="BKO-C1-KOR")
    group = Group.objects.filter(community=community, name="Banc d'essai").first()
    if group is None:
        admin = ctx.admin
        group = services.group_create(
            actor=admin, community=community, name="Banc d'essai", formed_on=START
        )
        services.group_status_change(actor=admin, group=group, status="active", on=START)
        services.cycle_start(
            actor=admin, group=group, starts_on=START, planned_end=START.replace(year=2030),
            share_price=500, health_contribution=100, max_term_months=3,
        )  # fmt: skip
        household = Household.objects.create(community=community, name="Banc d'essai")
        for index in range(MEMBERS):
            person = Person.objects.create(
                household=household, given_name=f"Awa {index}", family_name="Banc",
                sex="F", relationship="other",
            )  # fmt: skip
            services.membership_add(
                actor=admin, group=group, person=person, joined_on=START,
                role="president" if index == 0 else "member",
            )  # fmt: skip
    members = list(group.memberships.order_by("number"))
    return group, members


def _meeting(group: Group, members: list[Membership], day: datetime.date) -> MeetingData:
    balance = ledger.balances(group.pk)
    lines = [MemberLine(membership_id=m.pk, shares=2, health=100) for m in members]
    lines[1].fine, lines[1].fine_reason = 100, "retard"
    loan_fund = balance["loan_fund_cash"] + 25 * 1000 + 100
    return MeetingData(
        id=uuid.uuid4(),
        held_on=day,
        members=lines,
        counted_loan_fund=loan_fund,
        counted_health_fund=balance["health_fund_cash"] + 2500,
    )


def savings_figures(ctx: Context) -> Section:
    section = Section(
        key="savings",
        title=f"Savings: meeting posting and ledger verification at {ctx.scale} scale",
        columns=[
            Column("what", "what", right=False),
            Column("median_s", "median ms", ms),
            Column("baseline_s", "baseline ms", ms),
            Column("rate", "per second", lambda rate: f"{rate:,.0f}"),
            Column("baseline_rate", "baseline per s", lambda rate: f"{rate:,.0f}"),
        ],
    )
    group, members = _bench_group(ctx)
    last = group.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    day = (last or START) + datetime.timedelta(days=1)
    posting, baseline = [], []
    for _ in range(MEETINGS):
        data = _meeting(group, members, day)
        started = time.perf_counter()
        services.meeting_record(actor=ctx.admin, group=group, data=data)
        posting.append(time.perf_counter() - started)
        started = time.perf_counter()
        with transaction.atomic():
            ledger.lock_group(group.pk)
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(action="create", model="bench", object_id=str(i), object_repr="")
                    for i in range(MEMBERS)
                ]
            )
            transaction.set_rollback(True)
        baseline.append(time.perf_counter() - started)
        day += datetime.timedelta(days=1)
    section.rows.append(
        {
            "what": f"post a {MEMBERS}-member meeting (service)",
            "median_s": statistics.median(posting),
            "baseline_s": statistics.median(baseline),
            "rate": 1 / statistics.median(posting),
            "baseline_rate": 1 / statistics.median(baseline),
        }
    )
    started = time.perf_counter()
    report = ledger.verify()
    verify_s = time.perf_counter() - started
    if report.problems:
        raise RuntimeError(f"verify-ledgers found problems: {report.problems[:3]}")
    started = time.perf_counter()
    read = sum(
        1
        for _ in Entry.objects.order_by("group_id", "seq")
        .values_list(*ledger.ENTRY_FIELDS)
        .iterator(chunk_size=5000)
    )
    sum(
        1
        for _ in EntryLine.objects.order_by("group_id", "seq", "position")
        .values_list(*ledger.LINE_FIELDS)
        .iterator(chunk_size=5000)
    )
    read_s = time.perf_counter() - started
    section.rows.append(
        {
            "what": f"verify-ledgers ({report.entries} entries, {report.lines} lines)",
            "median_s": verify_s,
            "baseline_s": read_s,
            "rate": report.entries / verify_s,
            "baseline_rate": read / read_s,
        }
    )
    section.notes += [
        f"Posting: median of {MEETINGS} meetings, each 25 share purchases, 25 health fund "
        "payments and a fine (51 entries, 102 lines); baseline: lock the group and insert 25 "
        "rows in one transaction, rolled back.",
        "Verification: one pass over every entry and line (hash, balance, cash, chain); "
        "baseline: the same rows read without checks. Rates are entries per second.",
    ]
    return section
