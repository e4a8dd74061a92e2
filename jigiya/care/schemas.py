import datetime
import uuid

from ninja import Schema
from pydantic import Field

from jigiya.care.models import ExitReason, Method, Service
from jigiya.core.api import Day

# No amount above this (10^12 FCFA) reaches the database.
MAX_FCFA = 10**12


class CareLineIn(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    day: Day
    service: Service
    amount: int = Field(ge=1, le=MAX_FCFA)


class CareLineOut(Schema):
    id: uuid.UUID
    claim_id: uuid.UUID
    person_id: uuid.UUID
    day: datetime.date
    service: str
    amount: int
    covered: int
    status: str
    reason: str
    referral_id: uuid.UUID | None


class CoverageIn(Schema):
    id: uuid.UUID
    scheme_id: uuid.UUID
    start: Day
    end: Day | None = None
    reason: str = Field(max_length=300)


class CoverageEndIn(Schema):
    end: Day
    exit_reason: ExitReason


class CoverageOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    scheme_id: uuid.UUID
    scheme: str
    start: datetime.date
    end: datetime.date | None
    exit_reason: str
    reason: str

    @staticmethod
    def resolve_scheme(obj: object) -> str:
        return str(getattr(obj, "scheme", ""))


class PaymentIn(Schema):
    id: uuid.UUID
    paid_on: Day
    amount: int = Field(ge=1, le=MAX_FCFA)
    method: Method
    reference: str = Field(default="", max_length=64)


class PaymentOut(Schema):
    id: uuid.UUID
    claim_id: uuid.UUID
    seq: int
    kind: str
    on: datetime.date
    amount: int
    method: str
    reference: str
    hash: str


class ClaimOut(Schema):
    id: uuid.UUID
    health_center_id: uuid.UUID
    month: datetime.date
    status: str
    approved_amount: int
    lines: list[CareLineOut]
    payments: list[PaymentOut]
