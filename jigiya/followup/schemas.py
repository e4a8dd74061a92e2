import datetime
import uuid
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from jigiya.core.api import MadeAt
from jigiya.core.bounds import NOTES_LENGTH
from jigiya.followup.models import BirthPlan, EducationTopic, Urgency
from jigiya.registry.schemas import TaskOut


class ChildCheckSchema(Schema):
    person_id: uuid.UUID
    weight_kg: Decimal | None = Field(default=None, max_digits=5, decimal_places=2)
    height_cm: Decimal | None = Field(default=None, max_digits=5, decimal_places=1)
    measured_lying: bool = True
    muac_mm: int | None = None
    oedema: bool = False
    danger_signs: list[str] = []
    vaccines: list[str] = []
    # True records a change implausible against the last measurement (measured again):
    # flagged for the supervisor; without it such a change is refused (400, naming the field).
    confirmed: bool = False


class PregnancyCheckSchema(Schema):
    pregnancy_id: uuid.UUID
    anc_since_last_visit: bool = False
    danger_signs: list[str] = []
    birth_plan: BirthPlan = BirthPlan.UNDECIDED


class EducationSchema(Schema):
    topic: EducationTopic
    attendee_ids: list[uuid.UUID] = []
    detail: str = Field(default="", max_length=200)


class ReferralOutcomeSchema(Schema):
    referral_id: uuid.UUID
    seen: bool
    seen_by: str = Field(default="", max_length=120)
    action_taken: str = Field(default="", max_length=300)
    seen_on: datetime.date | None = None


class VisitIn(Schema):
    id: uuid.UUID
    date: datetime.date
    people: list[uuid.UUID] = []
    children: list[ChildCheckSchema] = []
    pregnancies: list[PregnancyCheckSchema] = []
    education: list[EducationSchema] = []
    referral_outcomes: list[ReferralOutcomeSchema] = []
    notes: str = Field(default="", max_length=NOTES_LENGTH)
    refer: bool = True
    made_at: MadeAt = None


class ChildCheckOut(Schema):
    person_id: uuid.UUID
    age_days: int | None
    weight_kg: Decimal | None
    height_cm: Decimal | None
    measured_lying: bool
    muac_mm: int | None
    muac_band: str
    oedema: bool
    waz: Decimal | None
    haz: Decimal | None
    whz: Decimal | None
    danger_signs: list[str]
    vaccines: list[str]
    vaccines_missing: list[str]
    flag: str  # the implausible change the CHW confirmed ("" when none)


class PregnancyCheckOut(Schema):
    pregnancy_id: uuid.UUID
    gestational_weeks: int
    anc_since_last_visit: bool
    danger_signs: list[str]
    birth_plan: str


class EducationOut(Schema):
    topic: str
    detail: str


class ReferralOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    visit_id: uuid.UUID | None
    health_center_id: uuid.UUID
    referred_on: datetime.date
    reasons: list[str]
    reason_text: str
    urgency: str
    status: str
    seen_on: datetime.date | None
    seen_by: str
    action_taken: str
    closed_on: datetime.date | None
    closed_via: str


class VisitOut(Schema):
    id: uuid.UUID
    household_id: uuid.UUID
    chw_id: uuid.UUID
    date: datetime.date
    notes: str
    people: list[uuid.UUID]
    children: list[ChildCheckOut]
    pregnancy_checks: list[PregnancyCheckOut]
    education: list[EducationOut]
    referrals: list[ReferralOut]

    @staticmethod
    def resolve_people(obj: object) -> list[uuid.UUID]:
        return [person.pk for person in obj.people.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_children(obj: object) -> list[object]:
        return list(obj.children.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_pregnancy_checks(obj: object) -> list[object]:
        return list(obj.pregnancy_checks.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_education(obj: object) -> list[object]:
        return list(obj.education.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_referrals(obj: object) -> list[object]:
        return list(obj.referrals.all())  # type: ignore[attr-defined]


class ReferralIn(Schema):
    id: uuid.UUID
    referred_on: datetime.date
    reasons: list[str] = []
    reason_text: str = Field(default="", max_length=300)
    urgency: Urgency
    health_center_id: uuid.UUID | None = None
    made_at: MadeAt = None


class ReferralCloseIn(Schema):
    seen: bool
    seen_by: str = Field(default="", max_length=120)
    action_taken: str = Field(default="", max_length=300)
    seen_on: datetime.date | None = None
    closed_on: datetime.date | None = None


class TaskChangeOut(Schema):
    day: datetime.date
    from_state: str
    to_state: str
    visit_id: uuid.UUID | None
    note: str


class TaskHistoryOut(TaskOut):
    """A task with its state as the pages show it (`state`: upcoming, due, overdue for an open
    task; done, missed, cancelled), the state stored (`stored_state`) and its history."""

    stored_state: str
    history: list[TaskChangeOut]

    @staticmethod
    def resolve_state(obj: object) -> str:
        return obj.shown  # type: ignore[attr-defined]

    @staticmethod
    def resolve_stored_state(obj: object) -> str:
        return str(obj.state)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_history(obj: object) -> list[object]:
        return list(obj.history.all())  # type: ignore[attr-defined]


class WorklistTaskOut(TaskOut):
    shown_state: str
    person_name: str
    household_name: str

    @staticmethod
    def resolve_shown_state(obj: object) -> str:
        return obj.shown  # type: ignore[attr-defined]

    @staticmethod
    def resolve_person_name(obj: object) -> str:
        return str(obj.person)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_household_name(obj: object) -> str:
        return obj.household.name  # type: ignore[attr-defined]


class WorklistOut(Schema):
    today: datetime.date
    overdue: list[WorklistTaskOut]
    due_today: list[WorklistTaskOut]
    this_week: list[WorklistTaskOut]
    overdue_referrals: list[ReferralOut]


class GrowthPointOut(Schema):
    date: datetime.date
    age_days: int | None
    weight_kg: Decimal | None
    height_cm: Decimal | None
    muac_mm: int | None
    muac_band: str
    waz: Decimal | None
    haz: Decimal | None
    whz: Decimal | None

    @staticmethod
    def resolve_date(obj: object) -> datetime.date:
        return obj.visit.date  # type: ignore[attr-defined]


class ChwRowOut(Schema):
    chw_id: uuid.UUID
    chw_name: str
    households: int
    children: int
    children_covered: int
    coverage: float | None
    visits: int
    overdue_tasks: int
    overdue_referrals: int
    open_referrals: int  # every referral without an outcome (overdue ones included)
    referrals: int  # made this month

    @staticmethod
    def resolve_chw_id(obj: object) -> uuid.UUID:
        return obj.chw.pk  # type: ignore[attr-defined]

    @staticmethod
    def resolve_chw_name(obj: object) -> str:
        return str(obj.chw)  # type: ignore[attr-defined]


class ChildToSeeOut(Schema):
    person_id: uuid.UUID
    person_name: str
    household_id: uuid.UUID
    household_name: str
    seen: int  # visits this month that saw the child: 0 or 1

    @staticmethod
    def resolve_person_id(obj: Any) -> uuid.UUID:
        return obj.pk

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return f"{obj.given_name} {obj.family_name}"

    @staticmethod
    def resolve_household_name(obj: Any) -> str:
        return obj.household.name


class ChwMonthOut(Schema):
    today: datetime.date
    row: ChwRowOut
    target: float | None
    days_left: int
    to_see: list[ChildToSeeOut]
