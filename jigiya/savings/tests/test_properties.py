"""Properties of the ledger, meetings and share-out over meetings drawn by hypothesis (any valid
sequence, `factories.draw_meeting`): the box always equals the ledger and the hash chain holds;
no accepted meeting passes the constitution's ceiling, and one above its approval threshold waits
for a second officer; a replayed or conflicting meeting changes nothing; a share-out pays out
exactly the fund.

Each example runs in a savepoint rolled back at its end, on the same `world`; the examples are
derandomized and bounded, so a run takes a few seconds and always draws the same meetings."""

import contextlib
import datetime
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jigiya.accounts.roles import Role
from jigiya.core.errors import Conflict
from jigiya.core.retries import was_replayed
from jigiya.savings import ledger, selectors, services
from jigiya.savings.models import (
    DEBIT_NORMAL,
    Account,
    Approval,
    Attendance,
    Cycle,
    Entry,
    EntryLine,
    Loan,
    Meeting,
    RemainderRule,
    ShareOut,
)
from jigiya.savings.tests.factories import draw_meeting

FIRST = datetime.date(2024, 1, 8)
EVERY = datetime.timedelta(days=14)  # two weeks: loans of a month fall overdue within a run

PROPERTY = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example is rolled back (`_example`)
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@contextlib.contextmanager
def _example(world, **constitution):
    """One example: a savepoint rolled back at the end, the cycle's constitution as given."""
    with transaction.atomic():
        Cycle.objects.filter(pk=world.cycle.pk).update(**constitution)
        world.cycle.refresh_from_db()
        yield
        transaction.set_rollback(True)
    world.cycle.refresh_from_db()


def _record(world, data):
    return services.meeting_record(actor=world.facilitator, group=world.group, data=data)


def _meetings(world, draw, count):
    """`count` valid meetings, two weeks apart; returns what was sent for each."""
    sent = []
    for number in range(count):
        data = draw_meeting(draw, world, FIRST + EVERY * number)
        _record(world, data)
        sent.append(data)
    return sent


def _state(world):
    """Everything a meeting could change."""
    last = Entry.objects.filter(group=world.group).order_by("-seq").values_list("hash").first()
    return (
        Entry.objects.count(),
        Meeting.objects.count(),
        Attendance.objects.count(),
        Loan.objects.count(),
        ledger.balances(world.group.pk),
        last,
    )


def _money(world, data):
    """(into the loan fund, out of it, into the health fund, out of it) for what was sent."""
    price = world.cycle.share_price
    loan_in = sum(m.shares * price + m.fine + m.repayment for m in data.members)
    loan_in += sum(cash.amount for cash in data.incomes)
    loan_out = sum(m.loan_amount for m in data.members) + sum(c.amount for c in data.expenses)
    health_in = sum(m.health for m in data.members)
    health_out = sum(grant.amount for grant in data.grants)
    return loan_in, loan_out, health_in, health_out


@PROPERTY
@given(data=st.data(), count=st.integers(1, 6))
def test_any_valid_meetings_keep_the_box_equal_to_the_ledger(world, data, count):
    with _example(world):
        box_loan = box_health = 0
        saved: dict = defaultdict(int)
        for number in range(count):
            sent = draw_meeting(data.draw, world, FIRST + EVERY * number)
            loan_in, loan_out, health_in, health_out = _money(world, sent)

            meeting = _record(world, sent)

            # The cash expected is the last count plus what came in minus what went out…
            expected = (box_loan + loan_in - loan_out, box_health + health_in - health_out)
            assert (meeting.expected_loan_fund, meeting.expected_health_fund) == expected
            # …and the ledger holds what was counted, to the franc.
            balance = ledger.balances(world.group.pk)
            box_loan, box_health = sent.counted_loan_fund, sent.counted_health_fund
            assert (balance[Account.LOAN_FUND_CASH], balance[Account.HEALTH_FUND_CASH]) == (
                box_loan,
                box_health,
            )
            bought = dict(meeting.attendance.values_list("membership_id", "shares"))
            for line in sent.members:
                saved[line.membership_id] += line.shares * world.cycle.share_price
                assert bought[line.membership_id] == line.shares

        event(f"loans: {min(Loan.objects.count(), 3)} (3: or more)")
        event(f"a count off: {Meeting.objects.exclude(confirmed_by=None).exists()}")
        balance = ledger.balances(world.group.pk)
        debits = sum(value for account, value in balance.items() if account in DEBIT_NORMAL)
        assert debits == sum(v for a, v in balance.items() if a not in DEBIT_NORMAL)
        assert balance[Account.HEALTH_FUND] == balance[Account.HEALTH_FUND_CASH]
        savings = {k: v for k, v in ledger.member_savings(world.group.pk).items() if v}
        assert savings == {k: v for k, v in saved.items() if v}
        assert ledger.verify([world.group.pk]).problems == []


def _largest(world, data, box):
    """The largest movement of money `data` sends, the boxes holding `box` before it: shares
    bought, contributions, fines, repayments, loans, grants, income, expenses, and each box's
    count against what it should hold."""
    price = world.cycle.share_price
    amounts = [0]
    for line in data.members:
        amounts += [line.shares * price, line.health, line.fine, line.repayment, line.loan_amount]
    amounts += [cash.amount for cash in data.grants + data.incomes + data.expenses]
    loan_in, loan_out, health_in, health_out = _money(world, data)
    amounts.append(abs(data.counted_loan_fund - (box[0] + loan_in - loan_out)))
    amounts.append(abs(data.counted_health_fund - (box[1] + health_in - health_out)))
    return max(amounts)


@PROPERTY
@given(
    data=st.data(),
    count=st.integers(1, 6),
    ceiling=st.sampled_from([1500, 2500, 10**6]),
    threshold=st.sampled_from([1000, 2500, 10**6]),
)
def test_no_accepted_meeting_passes_the_ceiling_and_large_ones_wait_for_a_checker(
    world, cast, data, count, ceiling, threshold
):
    """Under any ceiling and approval threshold of the constitution: a meeting with a movement
    above the ceiling is refused and changes nothing; one above the threshold is held (nothing
    posted) until a second officer approves it; whatever was accepted, no ledger line passes the
    ceiling, the box equals the ledger and the chain holds."""
    checker = cast.user(Role.SAVINGS_FACILITATOR, "above")
    with _example(world, max_movement=ceiling, approval_threshold=threshold):
        box = (0, 0)
        for number in range(count):
            sent = draw_meeting(data.draw, world, FIRST + EVERY * number)
            largest = _largest(world, sent, box)
            before = _state(world)
            if largest > ceiling:
                event("refused: above the ceiling")
                with pytest.raises(ValidationError):
                    _record(world, sent)
                assert _state(world) == before
                continue
            result = _record(world, sent)
            if largest > threshold:
                event("held, then approved")
                assert isinstance(result, Approval)
                assert _state(world) == before
                result = services.approval_approve(actor=checker, approval=result).meeting
            assert isinstance(result, Meeting)
            box = (sent.counted_loan_fund, sent.counted_health_fund)
            balance = ledger.balances(world.group.pk)
            assert (balance[Account.LOAN_FUND_CASH], balance[Account.HEALTH_FUND_CASH]) == box
        lines = EntryLine.objects.filter(group=world.group).values_list("debit", "credit")
        assert all(max(debit, credit) <= ceiling for debit, credit in lines)
        assert ledger.verify([world.group.pk]).problems == []


@PROPERTY
@given(data=st.data(), count=st.integers(1, 4))
def test_a_meeting_sent_again_changes_nothing(world, data, count):
    with _example(world):
        sent = _meetings(world, data.draw, count)
        again = sent[data.draw(st.integers(0, count - 1))]
        again.members = data.draw(st.permutations(again.members))  # in another order
        before = _state(world)

        meeting = _record(world, again)

        assert (meeting.pk, was_replayed(meeting)) == (again.id, True)
        assert _state(world) == before


@PROPERTY
@given(data=st.data(), count=st.integers(1, 4))
def test_another_meeting_under_a_used_id_changes_nothing(world, data, count):
    with _example(world):
        sent = _meetings(world, data.draw, count)
        other = sent[data.draw(st.integers(0, count - 1))]
        change = data.draw(st.sampled_from(["counted", "day", "shares", "note"]))
        if change == "counted":
            other.counted_loan_fund += 1
        elif change == "day":
            other.held_on = FIRST + EVERY * count
        elif change == "shares":
            other.members[0].shares = (other.members[0].shares + 1) % 6
            other.members[0].presence = "present"
        else:
            other.difference_note += " (bis)"
        before = _state(world)

        with pytest.raises(Conflict):
            _record(world, other)

        assert _state(world) == before


@PROPERTY
@given(
    data=st.data(),
    count=st.integers(1, 6),
    share_price=st.sampled_from([300, 500, 700]),
    share_out_health_fund=st.booleans(),
    remainder_rule=st.sampled_from(RemainderRule.values),
)
def test_a_share_out_pays_out_the_fund(
    world, data, count, share_price, share_out_health_fund, remainder_rule
):
    constitution = {
        "share_price": share_price,
        "share_out_health_fund": share_out_health_fund,
        "remainder_rule": remainder_rule,
    }
    with _example(world, **constitution):
        _meetings(world, data.draw, count)
        held_on = FIRST + EVERY * count
        before = ledger.balances(world.group.pk)
        state = _state(world)
        try:
            plan = selectors.share_out_plan(world.cycle, held_on)
        except ValidationError:  # nobody holds shares: refused, nothing written
            event("refused: nobody holds shares")
            with pytest.raises(ValidationError):
                services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=held_on)
            assert _state(world) == state
            return
        if any(line.payout < 0 for line in plan.lines):  # she owes more than her shares
            event("refused: a member owes more than her shares")
            with pytest.raises(ValidationError):
                services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=held_on)
            assert _state(world) == state
            return

        event(f"shared out, {'with' if plan.loans_owed else 'without'} loans owed")
        event(f"remainder {'0' if not plan.remainder else '> 0'}")
        result = services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=held_on)

        _assert_the_sheet(plan, before, share_out_health_fund)
        _assert_the_books_after(world, plan, before, remainder_rule)
        posted = result.lines.values_list("membership_id", "shares", "value", "loan_owed", "payout")
        assert sorted(posted) == sorted(
            (line.membership.pk, line.shares, line.value, line.loan_owed, line.payout)
            for line in plan.lines
        )
        assert ShareOut.objects.get().remainder == plan.remainder


def _assert_the_sheet(plan, before, share_out_health_fund):
    """value of her shares = shares x fund value ÷ total shares (rounded down); payout = that
    - what she still owes; the payouts and the remainder are the fund's cash exactly."""
    cash = before[Account.LOAN_FUND_CASH]
    health = before[Account.HEALTH_FUND_CASH] if share_out_health_fund else 0
    value = cash + plan.loans_owed + health
    assert (plan.fund_value, plan.health_fund_shared) == (value, health)
    assert plan.total_shares == sum(line.shares for line in plan.lines)
    for line in plan.lines:
        assert line.value == line.shares * value // plan.total_shares
        assert line.payout == line.value - line.loan_owed
    assert sum(line.payout for line in plan.lines) + plan.remainder == cash + health
    holders = sum(1 for line in plan.lines if line.shares)
    assert 0 <= plan.remainder < holders


def _assert_the_books_after(world, plan, before, remainder_rule):
    """Savings and loans are settled, income and expenses closed; the remainder is where the
    constitution keeps it; the chain holds."""
    after = ledger.balances(world.group.pk)
    kept = plan.remainder if remainder_rule == RemainderRule.NEXT_CYCLE else 0
    to_health = plan.remainder - kept
    health = before[Account.HEALTH_FUND_CASH] - plan.health_fund_shared + to_health
    assert after[Account.LOAN_FUND_CASH] == kept
    assert after[Account.CARRIED_OVER] == kept
    assert after[Account.HEALTH_FUND_CASH] == after[Account.HEALTH_FUND] == health
    for account in (
        Account.MEMBER_SAVINGS,
        Account.LOANS_RECEIVABLE,
        Account.INTEREST_INCOME,
        Account.FINE_INCOME,
        Account.OTHER_INCOME,
        Account.EXPENSES,
        Account.LOAN_LOSSES,
        Account.CASH_DIFFERENCE,
    ):
        assert after[account] == 0, account
    assert ledger.verify([world.group.pk]).problems == []
