"""The reads services decide on and pages show before a write (`selectors.py`)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jigiya.savings import selectors, services
from jigiya.savings.models import Account, GroupStatus

D = datetime.date


def test_the_status_on_a_day_is_the_last_change_on_or_before_it(world):
    change = {"actor": world.facilitator, "group": world.group}
    services.group_status_change(status="suspended", on=D(2024, 3, 1), reason="pluie", **change)
    services.group_status_change(status="active", on=D(2024, 4, 1), **change)
    assert selectors.status_on(world.group, D(2023, 12, 31)) == ""
    assert selectors.status_on(world.group, D(2024, 1, 1)) == GroupStatus.ACTIVE
    assert selectors.status_on(world.group, D(2024, 3, 1)) == GroupStatus.SUSPENDED
    assert selectors.status_on(world.group, D(2024, 3, 31)) == GroupStatus.SUSPENDED
    assert selectors.status_on(world.group, D(2024, 4, 1)) == GroupStatus.ACTIVE


def test_the_leave_plan_is_her_savings_less_what_she_owes(world):
    loan = world.three_meetings()
    borrower, other = world.members[2], world.members[0]
    plan = selectors.leave_plan(borrower, D(2024, 2, 20))
    assert (plan.savings, plan.owed, plan.payout, plan.cycle) == (3000, 2600, 400, world.cycle)
    assert list(plan.positions) == [loan]
    plan = selectors.leave_plan(other, D(2024, 2, 20))
    assert (plan.savings, plan.owed, plan.payout, plan.positions) == (3000, 0, 3000, {})


def test_open_loan_positions_leave_out_written_off_loans(world):
    loan = world.three_meetings()
    assert selectors.open_loan_positions(world.group, D(2024, 3, 20))[loan].days_overdue == 5
    services.loan_write_off(
        actor=world.facilitator,
        loan=loan,
        on=D(2024, 6, 1),
        reason="Partie",
        approved_by=world.members[0],
    )
    assert selectors.open_loan_positions(world.group, D(2024, 6, 1)) == {}


def test_nothing_to_share_out_before_anyone_holds_shares(world):
    with pytest.raises(ValidationError) as caught:
        selectors.share_out_plan(world.cycle, D(2024, 6, 1))
    assert list(caught.value.message_dict) == ["__all__"]


def test_the_settlement_of_a_member_who_left(world):
    world.three_meetings()
    borrower = world.members[2]
    services.membership_leave(actor=world.facilitator, membership=borrower, left_on=D(2024, 2, 20))
    assert selectors.settlement_of(membership=borrower) == {
        "settlement_savings": 3000,
        "settlement_owed": 2600,
        "settlement_payout": 400,
    }
    assert selectors.settlement_of(membership=world.members[0]) == {
        "settlement_savings": 0,
        "settlement_owed": 0,
        "settlement_payout": 0,
    }


def test_the_cycle_summary_counts_its_movements_before_the_share_out(world):
    world.three_meetings()
    services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))
    summary = selectors.cycle_summary(cycle=world.cycle)
    movements = summary["movements"]
    assert (movements[Account.MEMBER_SAVINGS], movements[Account.INTEREST_INCOME]) == (12000, 900)
    assert (movements[Account.FINE_INCOME], movements[Account.LOANS_RECEIVABLE]) == (150, 2600)
    assert [meeting.came for meeting in summary["meetings"]] == [4, 4, 4]
    assert summary["share_out"].fund_value == 13050
