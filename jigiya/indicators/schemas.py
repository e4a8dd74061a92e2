import datetime
import uuid

from ninja import Schema


class TargetOut(Schema):
    value: float
    direction: str
    at_risk_margin: float


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    program: str
    unit: str
    numerator_label: str
    denominator_label: str
    disaggregations: list[str]
    target: TargetOut | None
    has_records: bool


class ValueOut(Schema):
    indicator: str
    place_id: uuid.UUID
    place_code: str
    place_name: str
    month: str  # YYYY-MM
    breakdown: str
    numerator: int
    denominator: int | None
    value: float | None
    status: str
    updated_at: datetime.datetime


class ValueFilters(Schema):
    indicator: str
    place_id: uuid.UUID | None = None
    children: bool = False  # the places directly below `place_id` instead of the place itself
    start: str | None = None  # YYYY-MM, default: 11 months before `end`
    end: str | None = None  # YYYY-MM, default: the current month
    breakdown: str = ""  # "" the total, "*" every breakdown, else e.g. "sex=F"


class CenterValueOut(Schema):
    indicator: str
    health_center_id: uuid.UUID
    health_center_code: str
    health_center_name: str
    month: str  # YYYY-MM
    numerator: int
    denominator: int | None
    value: float | None
    status: str


class CenterValueFilters(Schema):
    indicator: str
    health_center_id: uuid.UUID
    start: str | None = None  # YYYY-MM, default: 11 months before `end`
    end: str | None = None  # YYYY-MM, default: the current month
