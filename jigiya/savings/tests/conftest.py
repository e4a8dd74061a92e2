import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from jigiya.accounts.roles import Role
from jigiya.savings import ledger, services
from jigiya.savings.models import Cycle, Group, Loan, MemberRole, Membership
from jigiya.savings.services import GrantLine, MeetingData, MemberLine
from jigiya.savings.tests.factories import CycleFactory, GroupFactory, MembershipFactory

D = datetime.date


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

    def line(self, member: Membership, **extra: Any) -> MemberLine:
        """A present member buying 2 shares and paying the health fund, with `extra`."""
        return MemberLine(membership_id=member.pk, shares=2, health=100, **extra)

    def lines(self, extra: dict[int, dict[str, Any]] | None = None, **common: Any) -> list:
        """One line per member (2 shares and the health fund unless `common` says otherwise),
        with `extra` fields for the member at each index."""
        lines = []
        for index, member in enumerate(self.members):
            fields = {"shares": 2, "health": 100, **common, **(extra or {}).get(index, {})}
            lines.append(MemberLine(membership_id=member.pk, **fields))
        return lines

    def three_meetings(self) -> Loan:
        """8 Jan: all buy 2 shares. 15 Jan: member 3 borrows 3 000 for 3 months (10 % a month:
        1 300 due on 15 Feb, 15 Mar and 15 Apr). 15 Feb: she repays 1 300, member 4 pays a fine
        of 150. Returns the loan."""
        self.record(self.meeting(D(2024, 1, 8)))
        self.record(
            self.meeting(
                D(2024, 1, 15), members=self.lines({2: {"loan_amount": 3000, "loan_term": 3}})
            )
        )
        self.record(
            self.meeting(
                D(2024, 2, 15),
                members=self.lines(
                    {2: {"repayment": 1300}, 3: {"fine": 150, "fine_reason": "retard"}}
                ),
            )
        )
        return Loan.objects.get()

    def loan_never_repaid(self) -> None:
        """8 Jan: all 4 buy 2 shares and pay 100. 15 Jan: member 3 borrows 3 000 for 3 months,
        member 4 is absent. 15 Feb: all buy 2 shares, member 1 gets a 500 grant for a delivery.
        The loan is never repaid (first installment due 15 Feb)."""
        m = self.members
        self.record(self.meeting(D(2024, 1, 8)))
        lines = self.lines({2: {"loan_amount": 3000, "loan_term": 3}})
        lines[3] = MemberLine(membership_id=m[3].pk, presence="absent")
        self.record(self.meeting(D(2024, 1, 15), members=lines))
        self.record(
            self.meeting(
                D(2024, 2, 15),
                grants=[GrantLine(membership_id=m[0].pk, amount=500, purpose="delivery")],
            )
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
