import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from jigiya.core.api import Pagination, body_doc, parse_body
from jigiya.places import selectors, services
from jigiya.places.models import HealthCenter, Place, PlaceKind
from jigiya.places.schemas import (
    HealthCenterDetailOut,
    HealthCenterOut,
    PlaceIn,
    PlaceOut,
    PlacePatch,
)

router = Router(tags=["places"])


class PlaceFilters(Schema):
    kind: PlaceKind | None = None
    parent_id: uuid.UUID | None = None
    search: str = ""


@router.get("/places", response=list[PlaceOut])
@paginate(Pagination)
def place_list(request: HttpRequest, filters: Query[PlaceFilters]) -> Any:
    parent = (
        selectors.place_get(user=request.user, place_id=filters.parent_id)
        if filters.parent_id
        else None
    )
    return selectors.place_list(
        user=request.user, kind=filters.kind, parent=parent, search=filters.search
    )


@router.get("/places/{place_id}", response=PlaceOut)
def place_detail(request: HttpRequest, place_id: uuid.UUID) -> Place:
    return selectors.place_get(user=request.user, place_id=place_id)


def _health_center(request: HttpRequest, health_center_id: uuid.UUID | None) -> HealthCenter | None:
    if health_center_id is None:
        return None
    return selectors.health_center_get(user=request.user, health_center_id=health_center_id)


@router.post("/places", response={201: PlaceOut})
def place_create(request: HttpRequest, payload: PlaceIn) -> Status:
    parent = selectors.place_get(user=request.user, place_id=payload.parent_id)
    place = services.place_create(
        actor=request.user,
        kind=payload.kind,
        name=payload.name,
        code=payload.code,
        parent=parent,
        health_center=_health_center(request, payload.health_center_id),
    )
    return Status(201, place)


@router.patch("/places/{place_id}", response=PlaceOut, openapi_extra=body_doc(PlacePatch))
def place_update(request: HttpRequest, place_id: uuid.UUID) -> Place:
    """Change the fields sent (at least one); `parent_id` moves the place."""
    place = selectors.place_get(user=request.user, place_id=place_id)
    payload = parse_body(PlacePatch, request)
    sent = payload.model_fields_set
    if "parent_id" in sent and payload.parent_id and payload.parent_id != place.parent_id:
        parent = selectors.place_get(user=request.user, place_id=payload.parent_id)
        place = services.place_move(actor=request.user, place=place, parent=parent)
    if sent - {"parent_id"}:
        place = services.place_update(
            actor=request.user,
            place=place,
            name=payload.name if "name" in sent and payload.name else place.name,
            code=payload.code if "code" in sent and payload.code else place.code,
            health_center=(
                _health_center(request, payload.health_center_id)
                if "health_center_id" in sent
                else place.health_center
            ),
            is_active=payload.is_active if payload.is_active is not None else place.is_active,
        )
    return place


@router.get("/health-centers", response=list[HealthCenterOut])
@paginate(Pagination)
def health_center_list(request: HttpRequest) -> Any:
    return selectors.health_center_list(user=request.user)


@router.get("/health-centers/{health_center_id}", response=HealthCenterDetailOut)
def health_center_detail(request: HttpRequest, health_center_id: uuid.UUID) -> HealthCenter:
    return selectors.health_center_get(user=request.user, health_center_id=health_center_id)
