import datetime
import uuid

from ninja import Schema
from pydantic import Field, StrictInt


class AnswerIn(Schema):
    criterion_id: uuid.UUID
    value: StrictInt = Field(ge=0, le=100)
    evidence: str = Field(default="", max_length=500)


class AssessmentIn(Schema):
    """A scorecard of the current version. `id` is made by the device; sending it again is
    safe. Criteria left out make it incomplete (not ranked). `party`: assessors (the NGO's,
    ranked), community or providers (a community score card round)."""

    id: uuid.UUID
    assessed_on: datetime.date
    assessors: str = Field(min_length=1, max_length=240)
    party: str = Field(default="assessors", max_length=10)
    answers: list[AnswerIn] = Field(default=[], max_length=200)


class AssessmentOut(Schema):
    id: uuid.UUID
    health_center_id: uuid.UUID
    version_id: uuid.UUID
    assessed_on: datetime.date
    assessors: str
    party: str
    complete: bool
    points: int
    max_points: int
    score: float | None


class ExitInterviewIn(Schema):
    """One respondent's answers: each one of satisfied, partly, dissatisfied, na (not
    overall)."""

    id: uuid.UUID
    interviewed_on: datetime.date
    waiting_time: str = Field(max_length=40)
    explanation: str = Field(max_length=40)
    respect: str = Field(max_length=40)
    privacy: str = Field(max_length=40)
    cleanliness: str = Field(max_length=40)
    medicines: str = Field(max_length=40)
    cost: str = Field(max_length=40)
    overall: str = Field(max_length=40)


class ExitInterviewOut(ExitInterviewIn):
    health_center_id: uuid.UUID


class ReportedReturnIn(Schema):
    id: uuid.UUID
    month: datetime.date
    returned: StrictInt = Field(ge=0, le=1_000_000)
    followed: StrictInt = Field(ge=0, le=1_000_000)


class ReportedReturnOut(ReportedReturnIn):
    health_center_id: uuid.UUID


class RankedOut(Schema):
    health_center_id: uuid.UUID
    name: str
    rank: int | None
    quartile: int | None
    score: float | None
    assessed_on: datetime.date | None
