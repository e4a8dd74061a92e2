"""The pure loan rules (`loans.py`, `Loan.schedule`, `add_months`): flat interest rounded half
up, a schedule that sums to the loan, repayments that pay interest first, positions that never
owe less than nothing. No database: loans are built in memory."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jigiya.savings.loans import LoanPosition, interest_for, position, split_repayment
from jigiya.savings.models import Loan, LoanStatus, add_months

D = datetime.date
principals = st.integers(1, 2_000_000)
rates = st.decimals(min_value=0, max_value=100, places=2)
terms = st.integers(1, 12)
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


DISBURSED = D(2024, 1, 15)


def _loan(principal, rate, term, on=DISBURSED):
    return Loan(
        principal=principal,
        interest_rate=rate,
        term_months=term,
        interest_total=interest_for(principal, rate, term),
        disbursed_on=on,
    )


def test_interest_is_flat_and_rounded_half_up():
    assert interest_for(3000, Decimal("10"), 3) == 900
    assert interest_for(1005, Decimal("1.5"), 1) == 15  # 15.075
    assert interest_for(1010, Decimal("2.5"), 1) == 25  # 25.25
    assert interest_for(1020, Decimal("2.5"), 1) == 26  # 25.5, half up
    assert interest_for(5000, Decimal("0"), 3) == 0


@given(principals, rates, terms)
def test_interest_is_within_half_a_franc_of_the_exact_amount(principal, rate, term):
    exact = Decimal(principal) * rate * term / 100
    assert abs(interest_for(principal, rate, term) - exact) <= Decimal("0.5")


@given(principals, rates, terms, days)
def test_the_schedule_sums_to_the_loan_month_after_month(principal, rate, term, on):
    loan = _loan(principal, rate, term, on)
    schedule = loan.schedule()
    assert len(schedule) == term
    assert sum(part for _day, part, _interest in schedule) == principal
    assert sum(interest for _day, _part, interest in schedule) == loan.interest_total
    dues = [day for day, _part, _interest in schedule]
    assert dues == sorted(dues) and dues[-1] == loan.due_on
    parts = [part for _day, part, _interest in schedule]
    assert max(parts) - min(parts) <= 1  # equal parts, the first ones take the extra francs


def test_months_are_added_to_the_same_day_or_the_months_end():
    assert add_months(D(2024, 1, 15), 1) == D(2024, 2, 15)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert add_months(D(2024, 12, 31), 12) == D(2025, 12, 31)


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_a_repayment_pays_interest_first_and_loses_nothing(amount, interest_owed):
    interest, principal = split_repayment(amount, interest_owed)
    assert interest + principal == amount
    assert interest == min(amount, interest_owed)
    assert principal >= 0


def test_a_loan_on_its_schedule_is_not_late_then_late_by_the_days_since_the_due_date():
    loan = _loan(3000, Decimal("10"), 3)  # 1 300 due on 15 Feb, 15 Mar, 15 Apr
    nothing_paid = {"principal": 0, "interest": 0, "written_off": 0}
    assert position(loan, None, D(2024, 2, 15)).days_overdue == 0
    assert position(loan, nothing_paid, D(2024, 2, 25)).days_overdue == 10
    first_paid = {"principal": 400, "interest": 900, "written_off": 0}
    pos = position(loan, first_paid, D(2024, 3, 20))
    assert (pos.principal_owed, pos.interest_owed, pos.days_overdue) == (2600, 0, 5)


@given(principals, rates, terms, st.data())
def test_what_is_owed_plus_what_was_paid_is_the_loan(principal, rate, term, data):
    loan = _loan(principal, rate, term)
    paid_principal = data.draw(st.integers(0, principal))
    paid_interest = data.draw(st.integers(0, loan.interest_total))
    paid = {"principal": paid_principal, "interest": paid_interest, "written_off": 0}
    on = data.draw(st.dates(min_value=loan.disbursed_on, max_value=D(2026, 12, 31)))
    pos = position(loan, paid, on)
    assert pos.days_overdue >= 0
    if paid_principal == principal:  # repaid: the interest not yet paid is not asked for
        assert (pos.owed, pos.days_overdue, pos.settled) == (0, 0, True)
    else:
        assert pos.principal_owed == principal - paid_principal
        assert pos.interest_owed == loan.interest_total - paid_interest
    if on <= loan.schedule()[0][0]:
        assert pos.days_overdue == 0  # nothing is late before the first due date


@given(principals, st.data())
def test_a_written_off_loan_owes_nothing_from_its_write_off_day(principal, data):
    loan = _loan(principal, Decimal("10"), 3)
    loan.status, loan.written_off_on = LoanStatus.WRITTEN_OFF, D(2024, 3, 1)
    on = data.draw(st.dates(min_value=D(2024, 3, 1), max_value=D(2025, 1, 1)))
    assert position(loan, None, on) == LoanPosition(0, 0, 0)
    before = position(loan, None, D(2024, 2, 29))
    assert before.principal_owed == principal
