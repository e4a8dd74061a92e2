import datetime
import uuid

from ninja import Schema
from pydantic import Field, StrictInt

from jigiya.core.api import MadeAt


class MemberLineIn(Schema):
    membership_id: uuid.UUID
    presence: str = "present"
    shares: StrictInt = 0
    health: StrictInt = 0
    fine: StrictInt = 0
    fine_reason: str = Field(default="", max_length=200)
    repayment: StrictInt = 0
    loan_amount: StrictInt = 0
    loan_term: StrictInt = 0
    loan_id: uuid.UUID | None = None


class GrantIn(Schema):
    membership_id: uuid.UUID
    amount: StrictInt
    purpose: str
    note: str = Field(default="", max_length=200)


class CashIn(Schema):
    amount: StrictInt
    description: str = Field(max_length=200)


class MeetingIn(Schema):
    """A whole meeting. `id` is made by the device; sending it again is safe."""

    id: uuid.UUID
    held_on: datetime.date
    members: list[MemberLineIn]
    grants: list[GrantIn] = []
    incomes: list[CashIn] = []
    expenses: list[CashIn] = []
    counted_loan_fund: StrictInt
    counted_health_fund: StrictInt
    difference_note: str = Field(default="", max_length=500)  # meetings.DIFFERENCE_NOTE_LENGTH
    confirmed_by_id: uuid.UUID | None = None
    made_at: MadeAt = None


class MeetingOut(Schema):
    id: uuid.UUID
    group_id: uuid.UUID
    cycle_id: uuid.UUID
    number: int
    held_on: datetime.date
    expected_loan_fund: int
    expected_health_fund: int
    counted_loan_fund: int
    counted_health_fund: int
    difference_note: str
    sealed_at: datetime.datetime


class GroupOut(Schema):
    id: uuid.UUID
    name: str
    community_id: uuid.UUID
    formed_on: datetime.date
    status: str
    status_since: datetime.date
    status_reason: str


class MemberOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    name: str
    number: int
    role: str
    joined_on: datetime.date
    savings: int
    shares: int
    loan_owed: int
    days_overdue: int


class GroupDetailOut(GroupOut):
    balances: dict[str, int]
    members: list[MemberOut]


class RoleIn(Schema):
    role: str


class LeaveIn(Schema):
    left_on: datetime.date


class MembershipOut(Schema):
    """A member after a change; `settlement_*` are her leaving settlement (0 when none)."""

    id: uuid.UUID
    group_id: uuid.UUID
    role: str
    joined_on: datetime.date
    left_on: datetime.date | None
    settlement_savings: int = 0
    settlement_owed: int = 0
    settlement_payout: int = 0


class ApprovalOut(Schema):
    """A posting held for a second officer: `status` pending, approved (then `meeting_id` is the
    meeting posted) or rejected (`note` says why). `created_by_id` is its maker."""

    id: uuid.UUID
    group_id: uuid.UUID
    kind: str
    on: datetime.date
    amount: int
    summary: str
    status: str
    created_by_id: uuid.UUID | None
    decided_by_id: uuid.UUID | None
    decided_at: datetime.datetime | None
    note: str
    meeting_id: uuid.UUID | None


class RejectIn(Schema):
    reason: str = Field(max_length=200)
