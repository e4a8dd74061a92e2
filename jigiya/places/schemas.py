import datetime
import uuid
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from jigiya.core.api import PatchSchema
from jigiya.places.models import PlaceKind


class PlaceOut(Schema):
    id: uuid.UUID
    kind: PlaceKind
    name: str
    code: str
    parent_id: uuid.UUID | None
    health_center_id: uuid.UUID | None
    depth: int
    is_active: bool


class PlaceIn(Schema):
    kind: PlaceKind
    name: str = Field(min_length=1, max_length=120)
    code: str = Field(min_length=1, max_length=32)
    parent_id: uuid.UUID
    health_center_id: uuid.UUID | None = None


class PlacePatch(PatchSchema):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    code: str | None = Field(default=None, min_length=1, max_length=32)
    parent_id: uuid.UUID | None = None
    health_center_id: uuid.UUID | None = None
    is_active: bool | None = None


class BoardMemberOut(Schema):
    id: uuid.UUID
    full_name: str
    role: str
    term_start: datetime.date
    term_end: datetime.date | None


class AssemblyOut(Schema):
    id: uuid.UUID
    held_on: datetime.date
    kind: str
    attendance: int
    women_attending: int
    decisions: str


class AsacoOut(Schema):
    id: uuid.UUID
    name: str
    registration_number: str
    registered_on: datetime.date | None
    members_count: int
    board: list[BoardMemberOut]
    assemblies: list[AssemblyOut]


class HealthCenterOut(Schema):
    id: uuid.UUID
    name: str
    code: str
    place_id: uuid.UUID
    health_area: str
    latitude: Decimal | None
    longitude: Decimal | None
    partner_since: datetime.date | None
    partner_until: datetime.date | None
    status: str


class HealthCenterDetailOut(HealthCenterOut):
    communities: list[PlaceOut]
    asaco: AsacoOut | None

    @staticmethod
    def resolve_asaco(obj: object) -> object | None:
        return getattr(obj, "asaco", None)

    @staticmethod
    def resolve_communities(obj: object) -> list[object]:
        return list(obj.communities.all())  # type: ignore[attr-defined]
