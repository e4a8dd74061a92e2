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


class TeamMemberIn(Schema):
    """A member of the CSCom's QI team. `role`: lead, data, member or asaco."""

    id: uuid.UUID
    full_name: str = Field(min_length=1, max_length=120)
    role: str = Field(max_length=12)
    since: datetime.date


class TeamMemberOut(TeamMemberIn):
    health_center_id: uuid.UUID


class CoachingSessionIn(Schema):
    id: uuid.UUID
    held_on: datetime.date
    topics: str = Field(min_length=1, max_length=240)
    attendance: StrictInt = Field(ge=0, le=500)
    notes: str = Field(default="", max_length=2000)
    next_steps: str = Field(default="", max_length=2000)


class CoachingSessionOut(CoachingSessionIn):
    health_center_id: uuid.UUID


class MeasureIn(Schema):
    """`kind`: outcome, process or balancing; `indicator_code`: a code of the catalog."""

    kind: str = Field(max_length=10)
    indicator_code: str = Field(max_length=64)


class ProjectIn(Schema):
    """An improvement project and its measures."""

    id: uuid.UUID
    title: str = Field(min_length=1, max_length=160)
    aim: str = Field(min_length=1, max_length=400)
    started_on: datetime.date
    change_ideas: str = Field(default="", max_length=2000)
    measures: list[MeasureIn] = Field(default=[], max_length=20)


class ProjectOut(Schema):
    id: uuid.UUID
    health_center_id: uuid.UUID
    title: str
    aim: str
    started_on: datetime.date
    change_ideas: str


class PdsaCycleIn(Schema):
    """A PDSA cycle: plan and prediction, then what happened, study, and act (adopt, adapt,
    abandon; empty while the cycle runs)."""

    id: uuid.UUID
    started_on: datetime.date
    plan: str = Field(min_length=1, max_length=2000)
    prediction: str = Field(min_length=1, max_length=2000)
    happened: str = Field(default="", max_length=2000)
    study: str = Field(default="", max_length=2000)
    act: str = Field(default="", max_length=8)


class PdsaCycleOut(PdsaCycleIn):
    project_id: uuid.UUID


class ProgressScoreIn(Schema):
    """A progress score on the 0.5 to 5.0 scale, by halves; one per project and day."""

    id: uuid.UUID
    scored_on: datetime.date
    score: float = Field(ge=0.5, le=5.0)
    note: str = Field(default="", max_length=240)


class ProgressScoreOut(ProgressScoreIn):
    project_id: uuid.UUID
