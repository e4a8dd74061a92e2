"""The demo world's health savings groups, recorded through the services (the ledger is real).

- Benkadi (Sotuba): two full cycles with a share-out; suspended from March to September 2020
  (COVID-19) and resumed; a third cycle open now.
- Jigiya Muso (Sotuba), Sabunyuman (Banconi), Hèrè (Wayerma, Sikasso): one open cycle each.
- Sabunyuman's meeting of 16 November 2026 waits for a second officer (maker-checker): the town
  hall's gift of 1 200 000 FCFA is above the program's approval threshold; `manager` approves it.

Idempotent: a group already there is left as it is. Deterministic: the same every time.
"""

import datetime
import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction

from jigiya.accounts import services as account_services
from jigiya.accounts.access import Actor
from jigiya.accounts.demo import DEMO_PASSWORD
from jigiya.accounts.models import User
from jigiya.accounts.roles import Role
from jigiya.core.generate import FAMILY_NAMES, WOMEN_FIRST_NAMES
from jigiya.places.models import Place
from jigiya.registry.models import Household, Person
from jigiya.savings import ledger, selectors, services
from jigiya.savings.models import Cycle, Group, MemberRole, Membership
from jigiya.savings.services import CashLine, GrantLine, MeetingData, MemberLine

D = datetime.date
NAMESPACE = uuid.UUID("5a1e0000-0000-4000-8000-000000005a1e")
OFFICES = [
    MemberRole.PRESIDENT,
    MemberRole.TREASURER,
    MemberRole.SECRETARY,
    MemberRole.KEY_HOLDER,
    MemberRole.KEY_HOLDER,
    MemberRole.KEY_HOLDER,
    MemberRole.MONEY_COUNTER,
    MemberRole.MONEY_COUNTER,
]
FINES = [{"reason": "Retard", "amount": 100}, {"reason": "Absence", "amount": 250}]
GRANT_PURPOSES = ["delivery", "antenatal", "child_illness", "medicines", "transport"]


def _every(start: datetime.date, end: datetime.date, days: int) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=days)


def _members(group: Group, community: Place, count: int, rng: random.Random, actor: Actor) -> list:
    members = []
    for index in range(count):
        household = Household(community=community, name=f"Famille {rng.choice(FAMILY_NAMES)}")
        household.full_clean()
        household.save()
        person = Person(
            household=household,
            given_name=rng.choice(WOMEN_FIRST_NAMES),
            family_name=household.name.removeprefix("Famille "),
            sex="F",
            relationship="spouse",
            birth_date=D(rng.randint(1970, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        )
        person.full_clean()
        person.save()
        members.append(
            services.membership_add(
                actor=actor,
                group=group,
                person=person,
                joined_on=group.formed_on,
                role=OFFICES[index] if index < len(OFFICES) else MemberRole.MEMBER,
            )
        )
    return members


def _meetings(
    *,
    group: Group,
    cycle: Cycle,
    members: list[Membership],
    days: list[datetime.date],
    rng: random.Random,
    actor: Actor,
    settle_last: bool = False,
    late_member: Membership | None = None,
) -> None:
    """Meetings on `days`: most members present buying 1-5 shares, loans when the fund allows,
    installments repaid when due (except by `late_member`), a few fines and health grants."""
    for number, day in enumerate(days, start=1):
        last = settle_last and number == len(days)
        balance = ledger.balances(group.pk)
        savings = ledger.member_savings(group.pk)
        positions = selectors.open_loan_positions(group, day)
        owed: dict[uuid.UUID, Any] = {}
        for loan, pos in positions.items():
            if pos.owed:
                owed[loan.membership_id] = (loan, pos)
        lines = []
        loan_fund = balance["loan_fund_cash"]
        health = balance["health_fund_cash"]
        for member in members:
            presence = "present"
            roll = rng.random()
            if roll < 0.06 and not last:
                presence = "absent"
            elif roll < 0.1:
                presence = "represented"
            line = MemberLine(membership_id=member.pk, presence=presence)
            if presence != "absent":
                line.shares = rng.choice([1, 2, 2, 3, 3, 4, 5])
                line.health = cycle.health_contribution
                loan_fund += line.shares * cycle.share_price
                health += line.health
                if rng.random() < 0.05:
                    line.fine, line.fine_reason = 100, "Retard"
                    loan_fund += 100
                if member.pk in owed:
                    loan, pos = owed[member.pk]
                    due = sum(p + i for on, p, i in loan.schedule() if on <= day)
                    paid_so_far = loan.principal + loan.interest_total - pos.owed
                    pay = pos.owed if last else max(0, min(pos.owed, due - paid_so_far))
                    if member == late_member and not last:
                        pay = 0
                    line.repayment = pay
                    loan_fund += pay
            lines.append(line)
        # Loans go out after the money came in, while the fund holds enough.
        for line in lines:
            saved = savings.get(line.membership_id, 0) + line.shares * cycle.share_price
            if (
                line.presence == "present"
                and not last
                and line.membership_id not in owed
                and number > 2
                and rng.random() < 0.15
            ):
                amount = min(2 * saved, loan_fund - 5000) // 5000 * 5000
                if amount >= 5000:
                    line.loan_amount, line.loan_term = amount, rng.choice([1, 2, 3])
                    loan_fund -= amount
        grants = []
        if rng.random() < 0.12 and health > 6000:
            grants.append(
                GrantLine(
                    membership_id=rng.choice(members).pk,
                    amount=5000,
                    purpose=rng.choice(GRANT_PURPOSES),
                )
            )
            health -= 5000
        services.meeting_record(
            actor=actor,
            group=group,
            data=MeetingData(
                id=uuid.uuid5(NAMESPACE, f"{group.pk}:{day}"),
                held_on=day,
                members=lines,
                grants=grants,
                counted_loan_fund=loan_fund,
                counted_health_fund=health,
            ),
        )


def _facilitator(admin: User, username: str, first: str, last: str, code: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            must_change_password=False,
            first_name=first,
            last_name=last,
            role=Role.SAVINGS_FACILITATOR,
            place=Place.objects.get(code=code),
        )
    return user


def _group(
    *, name: str, code: str, formed_on: datetime.date, actor: User, admin: User
) -> Group | None:
    community = Place.objects.get(code=code)
    if Group.objects.filter(community=community, name=name).exists():
        return None
    group = services.group_create(
        actor=admin, community=community, name=name, formed_on=formed_on, facilitator=actor
    )
    return services.group_status_change(actor=admin, group=group, status="active", on=formed_on)


def _constitution(**changes: Any) -> dict[str, Any]:
    return {
        "frequency": "fortnightly",
        "share_price": 500,
        "max_shares": 5,
        "health_contribution": 200,
        "interest_rate": Decimal("10"),
        "max_loan_multiple": 3,
        "max_term_months": 3,
        "fines": FINES,
        **changes,
    }


def _benkadi(admin: User, actor: User) -> None:
    rng = random.Random("benkadi")  # noqa: S311 - demo data, not secret
    group = _group(
        name="Benkadi", code="BKO-C1-SOT", formed_on=D(2019, 9, 16), actor=actor, admin=admin
    )
    if group is None:
        return
    members = _members(group, group.community, 20, rng, admin)
    late = members[12]
    # Cycle 1, interrupted by the pandemic.
    cycle = services.cycle_start(
        actor=admin, group=group, starts_on=D(2019, 10, 7), planned_end=D(2020, 9, 30),
        **_constitution(savings_split=True, health_box_percent=20, frequency="monthly"),
    )  # fmt: skip
    _meetings(
        group=group, cycle=cycle, members=members, rng=rng, actor=admin,
        days=list(_every(D(2019, 10, 7), D(2020, 3, 16), 28)),
    )  # fmt: skip
    services.group_status_change(
        actor=admin,
        group=group,
        status="suspended",
        on=D(2020, 3, 20),
        reason="COVID-19 : rassemblements interdits",
    )
    services.group_status_change(actor=admin, group=group, status="active", on=D(2020, 9, 14))
    _meetings(
        group=group, cycle=cycle, members=members, rng=rng, actor=admin,
        days=list(_every(D(2020, 9, 14), D(2020, 12, 14), 28)), settle_last=True,
    )  # fmt: skip
    services.share_out(actor=admin, cycle=cycle, held_on=D(2020, 12, 21))
    # Cycle 2: a full year, one member late with her loan for a while.
    cycle = services.cycle_start(
        actor=admin, group=group, starts_on=D(2021, 1, 11), planned_end=D(2021, 12, 20),
        **_constitution(share_price=1000, frequency="monthly"),
    )  # fmt: skip
    _meetings(
        group=group, cycle=cycle, members=members, rng=rng, actor=admin,
        days=list(_every(D(2021, 1, 11), D(2021, 12, 13), 28)), settle_last=True,
    )  # fmt: skip
    services.share_out(actor=admin, cycle=cycle, held_on=D(2021, 12, 20))
    # Cycle 3, open now, started from the same members and health fund.
    cycle = services.cycle_start(
        actor=admin, group=group, starts_on=D(2026, 3, 2), planned_end=D(2027, 2, 28),
        **_constitution(share_price=1000, frequency="monthly"),
    )  # fmt: skip
    _meetings(
        group=group, cycle=cycle, members=members, rng=rng, actor=admin,
        days=[D(2026, month, 2) for month in range(3, 12)], late_member=late,
    )  # fmt: skip
    # A member moves away in November: her savings back, minus what she still owes.
    leaving = next(
        m
        for m in reversed(members)
        if m != late and selectors.leave_plan(m, D(2026, 11, 9)).payout >= 0
    )
    services.membership_leave(actor=admin, membership=leaving, left_on=D(2026, 11, 9))


def _one_cycle(
    admin: User, actor: User, *, name: str, code: str, size: int, start: datetime.date
) -> None:
    rng = random.Random(name)  # noqa: S311 - demo data, not secret
    group = _group(name=name, code=code, formed_on=start, actor=actor, admin=admin)
    if group is None:
        return
    members = _members(group, group.community, size, rng, admin)
    cycle = services.cycle_start(
        actor=admin, group=group, starts_on=start, planned_end=start + datetime.timedelta(days=360),
        **_constitution(frequency="monthly", share_price=250, health_contribution=100),
    )  # fmt: skip
    days = list(_every(start, D(2026, 11, 20), 28))
    _meetings(group=group, cycle=cycle, members=members, days=days, rng=rng, actor=admin)


@transaction.atomic
def load(*, admin: User) -> None:
    """The demo groups (idempotent: a group already there is not touched)."""
    animatrice = User.objects.get(username="animatrice")
    sikasso = _facilitator(admin, "animatrice.sikasso", "Salimata", "Koné", "SIK-CU")
    _benkadi(admin, animatrice)
    _one_cycle(
        admin, animatrice, name="Jigiya Muso", code="BKO-C1-SOT", size=15, start=D(2026, 2, 2)
    )
    _one_cycle(
        admin, animatrice, name="Sabunyuman", code="BKO-C1-BAN", size=18, start=D(2026, 1, 5)
    )
    _one_cycle(admin, sikasso, name="Hèrè", code="SIK-CU-WAY", size=16, start=D(2026, 4, 6))
    _held_meeting(animatrice, code="BKO-C1-BAN", name="Sabunyuman")


def _held_meeting(actor: User, *, code: str, name: str) -> None:
    """A meeting above the approval threshold, recorded by the facilitator: held, not posted,
    until a second officer decides (sent again, the same approval: idempotent)."""
    group = Group.objects.get(community__code=code, name=name)
    held = uuid.uuid5(NAMESPACE, f"{group.pk}:held")
    if group.approvals.filter(pk=held).exists():  # held before (maybe decided since)
        return
    day = D(2026, 11, 16)
    balance = ledger.balances(group.pk)
    services.meeting_record(
        actor=actor,
        group=group,
        data=MeetingData(
            id=held,
            held_on=day,
            members=[MemberLine(membership_id=m.pk) for m in selectors.members_on(group, day)],
            incomes=[CashLine(amount=1_200_000, description="Don de la mairie")],
            counted_loan_fund=balance["loan_fund_cash"] + 1_200_000,
            counted_health_fund=balance["health_fund_cash"],
        ),
    )
