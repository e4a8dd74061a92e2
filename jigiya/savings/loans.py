"""Where a loan stands on a day: what is owed, how late it is. Pure functions over a loan and
what the ledger says was paid (`ledger.loan_paid`).

Interest is flat, as most VSLAs charge it: `interest_rate` % of the principal for each month of
the term, fixed when the loan is disbursed (`interest_total`, rounded half up to the franc).
A repayment pays the interest still owed first, then the principal.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jigiya.savings.models import Loan, LoanStatus


def interest_for(principal: int, rate: Decimal, term_months: int) -> int:
    """Flat interest: principal x rate % x months, to the nearest franc (half up)."""
    exact = Decimal(principal) * Decimal(rate) * term_months / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class LoanPosition:
    principal_owed: int
    interest_owed: int
    days_overdue: int

    @property
    def owed(self) -> int:
        return self.principal_owed + self.interest_owed

    @property
    def settled(self) -> bool:
        return self.owed == 0


def position(loan: Loan, paid: dict[str, int] | None, on: datetime.date) -> LoanPosition:
    """The loan on day `on`, given what was paid by then (`principal`, `interest`,
    `written_off`). A written-off loan owes nothing more and is not overdue."""
    paid = paid or {"principal": 0, "interest": 0, "written_off": 0}
    principal_owed = loan.principal - paid["principal"] - paid["written_off"]
    written_off = loan.status == LoanStatus.WRITTEN_OFF and (
        loan.written_off_on is not None and loan.written_off_on <= on
    )
    if written_off or principal_owed <= 0:
        return LoanPosition(max(principal_owed, 0) if not written_off else 0, 0, 0)
    interest_owed = max(loan.interest_total - paid["interest"], 0)
    total_paid = paid["principal"] + paid["interest"]
    due_so_far = 0
    days = 0
    for due_on, principal_due, interest_due in loan.schedule():
        due_so_far += principal_due + interest_due
        if due_so_far > total_paid:
            days = max((on - due_on).days, 0)
            break
    return LoanPosition(principal_owed, interest_owed, days)


def split_repayment(amount: int, interest_owed: int) -> tuple[int, int]:
    """(interest, principal) parts of a repayment: interest first."""
    interest = min(amount, interest_owed)
    return interest, amount - interest
