import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from jigiya.accounts.roles import Role
from jigiya.savings import ledger, services
from jigiya.savings.models import Cycle, Group, MemberRole, Membership
from jigiya.savings.services import MeetingData, MemberLine
from jigiya.savings.tests.factories import CycleFactory, GroupFactory, MembershipFactory


@pytest.fixture(autouse=True)
def fixed_today():
    """Every savings test runs on 2024-06-30, so meeting dates are never in the future."""
    with time_machine.travel(datetime.datetime(2024, 6, 30, 12, tzinfo=datetime.UTC), tick=False):
        yield


@dataclass
class World:
    group: Group
    cycle: Cycle
    members: list[Membership]
    facilitator: Any

    def meeting(self, held_on: datetime.date, **kwargs: Any) -> MeetingData:
        """A meeting where everyone is present and buys `shares` (default 2) and the health
        contribution; counted cash equal to what is expected unless given."""
        shares = kwargs.pop("shares", 2)
        lines = kwargs.pop(
            "members",
            [
                MemberLine(membership_id=m.pk, shares=shares, health=self.cycle.health_contribution)
                for m in self.members
            ],
        )
        return MeetingData(
            id=kwargs.pop("id", uuid.uuid4()),
            held_on=held_on,
            members=lines,
            counted_loan_fund=kwargs.pop("counted_loan_fund", -1),
            counted_health_fund=kwargs.pop("counted_health_fund", -1),
            **kwargs,
        )

    def record(self, data: MeetingData, *, exact: bool = True) -> Any:
        """Record `data`; with `exact`, the counted cash is filled in as expected."""
        if exact and data.counted_loan_fund == -1:
            data.counted_loan_fund, data.counted_health_fund = self.expected(data)
        return services.meeting_record(actor=self.facilitator, group=self.group, data=data)

    def expected(self, data: MeetingData) -> tuple[int, int]:
        """The cash the box should hold after `data`, worked out by hand."""
        balance = ledger.balances(self.group.pk)
        price = self.cycle.share_price
        loan_fund = balance["loan_fund_cash"] + sum(
            line.shares * price + line.fine + line.repayment - line.loan_amount
            for line in data.members
        )
        loan_fund += sum(i.amount for i in data.incomes) - sum(e.amount for e in data.expenses)
        health = balance["health_fund_cash"] + sum(line.health for line in data.members)
        health -= sum(grant.amount for grant in data.grants)
        return loan_fund, health


@pytest.fixture
def world(cast: Any) -> World:
    """An active group in Community A with 4 members (a president and a treasurer) and an open
    cycle: share 500 FCFA, at most 5 shares, health fund 100 FCFA, 10 % a month, 3 x savings."""
    group = GroupFactory(community=cast.community_a, name="Benkadi")
    cycle = CycleFactory(group=group)
    members = [
        MembershipFactory(group=group, role=MemberRole.PRESIDENT, number=1),
        MembershipFactory(group=group, role=MemberRole.TREASURER, number=2),
        MembershipFactory(group=group, number=3),
        MembershipFactory(group=group, number=4),
    ]
    return World(group, cycle, members, cast.user(Role.SAVINGS_FACILITATOR, "a"))
