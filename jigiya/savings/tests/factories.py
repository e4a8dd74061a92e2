import datetime
from decimal import Decimal
from typing import Any

import factory
from hypothesis import strategies as st

from jigiya.registry.models import Household, Person
from jigiya.savings import ledger, selectors
from jigiya.savings.models import Cycle, Group, GroupStatus, GroupStatusChange, Membership
from jigiya.savings.services import CashLine, GrantLine, MeetingData, MemberLine


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Famille {n}")
    community = None


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    given_name = factory.Sequence(lambda n: f"Awa{n}")
    family_name = "Traoré"
    sex = "F"
    relationship = "spouse"


class GroupFactory(factory.django.DjangoModelFactory):
    """An active group (activated on its formation day), without a cycle."""

    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Groupe {n}")
    community = None
    formed_on = datetime.date(2024, 1, 1)
    status = GroupStatus.ACTIVE
    status_since = factory.LazyAttribute(lambda group: group.formed_on)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            GroupStatusChange.objects.create(
                group=self, status=GroupStatus.FORMING, on=self.formed_on
            )
            if self.status != GroupStatus.FORMING:
                GroupStatusChange.objects.create(
                    group=self, status=self.status, on=self.formed_on, number=2
                )


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    group = None
    number = 1
    starts_on = datetime.date(2024, 1, 1)
    planned_end = datetime.date(2024, 12, 31)
    share_price = 500
    max_shares = 5
    health_contribution = 100
    interest_rate = Decimal("10")
    max_loan_multiple = 3
    max_term_months = 3
    fines = [{"reason": "retard", "amount": 100}]


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = None
    person = factory.LazyAttribute(
        lambda m: PersonFactory(household=HouseholdFactory(community=m.group.community))
    )
    joined_on = datetime.date(2024, 1, 1)
    number = factory.Sequence(lambda n: n + 1)


# --- meetings drawn by hypothesis -----------------------------------------------------------


def draw_meeting(draw: Any, world: Any, held_on: datetime.date) -> MeetingData:
    """A valid meeting on `held_on` for `world`'s group as it stands: each member present,
    represented or absent; the present buy 0-5 shares, may pay the health fund and a fine,
    repay part of what they owe; loans within 3 x savings less the principal they still owe, to
    members with nothing overdue, while the loan fund holds them; grants within the health fund, other income and expenses; and a
    box counted as expected or off by a little (noted and confirmed by the treasurer).

    `draw` is hypothesis' `data.draw`; the rules are the README's, read from the database."""
    cycle, group = world.cycle, world.group
    balance = ledger.balances(group.pk)
    savings = ledger.member_savings(group.pk)
    owed: dict[Any, int] = {}
    principal: dict[Any, int] = {}  # the loan limit is on all she owes (before repayments)
    overdue: set[Any] = set()
    for loan, pos in selectors.open_loan_positions(group, held_on).items():
        owed[loan.membership_id] = owed.get(loan.membership_id, 0) + pos.owed
        principal[loan.membership_id] = principal.get(loan.membership_id, 0) + pos.principal_owed
        if pos.days_overdue and pos.owed:
            overdue.add(loan.membership_id)
    loan_fund, health_fund = balance["loan_fund_cash"], balance["health_fund_cash"]
    lines = []
    for member in world.members:
        presence = draw(st.sampled_from(["present", "present", "represented", "absent"]))
        line = MemberLine(membership_id=member.pk, presence=presence)
        if presence != "absent":
            line.shares = draw(st.integers(0, cycle.max_shares))
            line.health = draw(st.sampled_from([0, cycle.health_contribution]))
            line.fine = draw(st.sampled_from([0, 0, 0, 150]))
            line.fine_reason = "retard" if line.fine else ""
            line.repayment = draw(st.integers(0, owed.get(member.pk, 0)))
        loan_fund += line.shares * cycle.share_price + line.fine + line.repayment
        health_fund += line.health
        lines.append(line)
    incomes = [CashLine(amount=draw(st.integers(1, 1000)), description="tontine")]
    incomes = incomes if draw(st.booleans()) else []
    loan_fund += sum(cash.amount for cash in incomes)
    for line in lines:
        limit = cycle.max_loan_multiple * (
            savings.get(line.membership_id, 0) + line.shares * cycle.share_price
        )
        limit = min(limit - principal.get(line.membership_id, 0), loan_fund)
        eligible = line.presence != "absent" and line.membership_id not in overdue
        if eligible and limit > 0 and draw(st.integers(0, 3)) == 0:
            line.loan_amount = draw(st.integers(1, limit))
            line.loan_term = draw(st.integers(1, cycle.max_term_months))
            loan_fund -= line.loan_amount
    grants = []
    if health_fund and draw(st.integers(0, 3)) == 0:
        amount = draw(st.integers(1, health_fund))
        grants.append(
            GrantLine(
                membership_id=draw(st.sampled_from(world.members)).pk,
                amount=amount,
                purpose="delivery",
            )
        )
        health_fund -= amount
    expenses = []
    if loan_fund and draw(st.integers(0, 3)) == 0:
        expenses.append(
            CashLine(amount=draw(st.integers(1, min(loan_fund, 2000))), description="cahier")
        )
        loan_fund -= expenses[0].amount
    gap = draw(st.sampled_from([0, 0, 0, 25, -25]))
    gap = max(gap, -loan_fund)
    return MeetingData(
        id=draw(st.uuids(version=4)),
        held_on=held_on,
        members=lines,
        grants=grants,
        incomes=incomes,
        expenses=expenses,
        counted_loan_fund=loan_fund + gap,
        counted_health_fund=health_fund,
        difference_note="écart de caisse" if gap else "",
        confirmed_by_id=world.members[1].pk if gap else None,
    )
