import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from jigiya.core.api import ErrorOut, MadeAt, PatchSchema
from jigiya.registry.models import (
    BirthOutcome,
    DeliveryPlace,
    ExitReason,
    FollowupProgram,
    Relationship,
    Sex,
)


class PersonOut(Schema):
    id: uuid.UUID
    household_id: uuid.UUID
    given_name: str
    family_name: str
    sex: str
    birth_date: datetime.date | None
    birth_date_estimated: bool
    relationship: str
    phone: str
    is_active: bool


class HouseholdOut(Schema):
    id: uuid.UUID
    community_id: uuid.UUID
    name: str
    landmark: str
    latitude: Decimal | None
    longitude: Decimal | None
    phone: str
    head_id: uuid.UUID | None
    chw_id: uuid.UUID | None
    is_active: bool


class EnrollmentOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    program: str
    start: datetime.date
    end: datetime.date | None
    exit_reason: str


class AncContactOut(Schema):
    id: uuid.UUID
    date: datetime.date
    place: str
    health_center_id: uuid.UUID | None


class PregnancyOut(Schema):
    id: uuid.UUID
    woman_id: uuid.UUID
    lmp: datetime.date | None
    lmp_estimated: bool
    edd: datetime.date
    outcome_date: datetime.date | None
    outcome_place: str
    outcome_health_center_id: uuid.UUID | None
    birth_outcome: str
    anc_contacts: list[AncContactOut]
    newborn_ids: list[uuid.UUID]

    @staticmethod
    def resolve_anc_contacts(obj: Any) -> list[Any]:
        return list(obj.anc_contacts.all())

    @staticmethod
    def resolve_newborn_ids(obj: Any) -> list[Any]:
        return [baby.pk for baby in obj.newborns.all()]


class AssessmentOut(Schema):
    id: uuid.UUID
    household_id: uuid.UUID
    assessed_on: datetime.date
    criteria: list[str]
    score: int
    decision: str


class TaskOut(Schema):
    id: uuid.UUID
    kind: str
    person_id: uuid.UUID
    household_id: uuid.UUID
    sequence: int
    due_date: datetime.date
    window_start: datetime.date
    window_end: datetime.date
    state: str  # as the pages show it: upcoming, due, overdue, done, missed, cancelled

    @staticmethod
    def resolve_state(obj: Any) -> str:
        shown = getattr(obj, "shown", None)
        return str(shown or obj.shown_state(timezone.localdate()))


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonOut]
    next_tasks: list[TaskOut]
    assessment: AssessmentOut | None


class HouseholdIn(Schema):
    id: uuid.UUID
    name: str = Field(min_length=1, max_length=120)
    landmark: str = Field(default="", max_length=200)
    latitude: Decimal | None = Field(default=None, ge=-90, le=90)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180)
    phone: str = Field(default="", max_length=20)
    chw_id: uuid.UUID | None = None
    made_at: MadeAt = None


class PersonIn(Schema):
    id: uuid.UUID
    given_name: str = Field(min_length=1, max_length=80)
    family_name: str = Field(min_length=1, max_length=80)
    sex: Sex
    relationship: Relationship
    birth_date: datetime.date | None = None
    age_years: int | None = None
    phone: str = Field(default="", max_length=20)
    confirm_duplicate: bool = False
    made_at: MadeAt = None


class DuplicateOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    sex: str
    birth_date: datetime.date | None
    household_id: uuid.UUID


class DuplicateErrorOut(ErrorOut):
    """A refusal (400); for a possible duplicate, the people alike in `candidates`."""

    candidates: list[DuplicateOut] = []


class EnrollmentIn(Schema):
    id: uuid.UUID
    program: FollowupProgram
    start: datetime.date


class EnrollmentEndIn(Schema):
    program: FollowupProgram
    end: datetime.date
    reason: ExitReason


class PregnancyIn(Schema):
    id: uuid.UUID
    lmp: datetime.date | None = None
    edd: datetime.date | None = None
    # When she knows neither date: the LMP is estimated from the months (1 to 10).
    months_pregnant: int | None = Field(None, ge=1, le=10)
    made_at: MadeAt = None


class AncContactIn(Schema):
    id: uuid.UUID
    date: datetime.date
    place: DeliveryPlace
    health_center_id: uuid.UUID | None = None


class NewbornIn(Schema):
    id: uuid.UUID
    sex: Sex
    given_name: str = Field(default="", max_length=80)
    family_name: str = Field(default="", max_length=80)


class OutcomeIn(Schema):
    outcome_date: datetime.date
    birth_outcome: BirthOutcome
    outcome_place: DeliveryPlace
    health_center_id: uuid.UUID | None = None
    # A live birth's baby, registered in the household in the same transaction.
    newborn: NewbornIn | None = None


class AssessmentIn(Schema):
    id: uuid.UUID
    assessed_on: datetime.date
    criteria: list[str]


class HouseholdUpdateIn(PatchSchema):
    """Only the fields sent change."""

    name: str = Field(default="", min_length=1, max_length=120)
    landmark: str = Field(default="", max_length=200)
    latitude: Decimal | None = Field(default=None, ge=-90, le=90)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180)
    phone: str = Field(default="", max_length=20)
    chw_id: uuid.UUID | None = None
    head_id: uuid.UUID | None = None


class PersonUpdateIn(PatchSchema):
    """Only the fields sent change; `age_years` replaces the date of birth by an estimate."""

    given_name: str = Field(default="", min_length=1, max_length=80)
    family_name: str = Field(default="", min_length=1, max_length=80)
    sex: Sex | None = None
    relationship: Relationship | None = None
    birth_date: datetime.date | None = None
    age_years: int | None = None
    phone: str = Field(default="", max_length=20)
    confirm_duplicate: bool = False


class DeactivateIn(Schema):
    reason: ExitReason
    day: datetime.date | None = None
