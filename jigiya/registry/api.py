"""The registry's JSON API. Every record a device makes carries the device's UUID: sending it
again answers 200 with the same record, nothing created twice; the same id with different
content answers 409."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from jigiya.accounts.models import User
from jigiya.core.api import Pagination, body_doc, parse_body
from jigiya.core.errors import validation_body
from jigiya.core.retries import created_or_replayed
from jigiya.places import selectors as place_selectors
from jigiya.registry import plugins, selectors, services
from jigiya.registry.schemas import (
    AssessmentIn,
    AssessmentOut,
    DeactivateIn,
    DuplicateErrorOut,
    DuplicateOut,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdUpdateIn,
    PersonIn,
    PersonOut,
    PersonUpdateIn,
)

router = Router(tags=["registry"])


class HouseholdFilters(Schema):
    community_id: uuid.UUID | None = None
    search: str = ""


@router.get("/registry/households", response=list[HouseholdOut])
@paginate(Pagination)
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]) -> Any:
    community = (
        place_selectors.place_get(user=request.user, place_id=filters.community_id)
        if filters.community_id
        else None
    )
    return selectors.household_list(user=request.user, community=community, search=filters.search)


@router.post(
    "/registry/communities/{place_id}/households",
    response={200: HouseholdOut, 201: HouseholdOut},
    openapi_extra=body_doc(HouseholdIn),
)
def household_create(request: HttpRequest, place_id: uuid.UUID) -> Status:
    community = place_selectors.place_get(user=request.user, place_id=place_id)
    payload = parse_body(HouseholdIn, request)
    chw = User.objects.filter(pk=payload.chw_id).first() if payload.chw_id else None
    if payload.chw_id and chw is None:
        raise ValidationError({"chw_id": [_("No such user.")]})
    household = services.household_create(
        actor=request.user,
        community=community,
        id=payload.id,
        name=payload.name,
        landmark=payload.landmark,
        latitude=payload.latitude,
        longitude=payload.longitude,
        phone=payload.phone,
        chw=chw,
        made_at=payload.made_at,
    )
    return created_or_replayed(household)


@router.get("/registry/households/{household_id}", response=HouseholdDetailOut)
def household_detail(request: HttpRequest, household_id: uuid.UUID) -> dict[str, Any]:
    household = selectors.household_get(user=request.user, household_id=household_id)
    return {
        **HouseholdOut.from_orm(household).dict(),
        "members": selectors.household_members(household=household),
        "assessment": selectors.household_assessment(household=household),
        # what the programs add (the follow-up: `next_tasks`), by registration
        **plugins.household_api_extra(request.user, household),
    }


@router.post(
    "/registry/households/{household_id}/people",
    response={200: PersonOut, 201: PersonOut, 400: DuplicateErrorOut},
    openapi_extra=body_doc(PersonIn),
)
def person_register(request: HttpRequest, household_id: uuid.UUID) -> Status:
    """A possible duplicate answers 400 with the field `confirm_duplicate` and the people alike
    in `candidates`; send again with `"confirm_duplicate": true` to register anyway."""
    household = selectors.household_get(user=request.user, household_id=household_id)
    payload = parse_body(PersonIn, request)
    try:
        person = services.person_register(actor=request.user, household=household, **payload.dict())
    except services.PossibleDuplicate as exc:
        body = validation_body(exc)
        body["candidates"] = [
            DuplicateOut.from_orm(candidate).model_dump(mode="json") for candidate in exc.candidates
        ]
        return Status(400, body)
    return created_or_replayed(person)


@router.get("/registry/people/{person_id}", response=PersonOut)
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> Any:
    return selectors.person_get(user=request.user, person_id=person_id)


@router.patch(
    "/registry/households/{household_id}",
    response=HouseholdOut,
    openapi_extra=body_doc(HouseholdUpdateIn),
)
def household_update(request: HttpRequest, household_id: uuid.UUID) -> Any:
    """Change the fields sent (name, landmark, location, phone, CHW, head)."""
    household = selectors.household_get(user=request.user, household_id=household_id)
    payload = parse_body(HouseholdUpdateIn, request)
    fields = payload.model_dump(exclude_unset=True)
    if "chw_id" in fields:
        chw_id = fields.pop("chw_id")
        fields["chw"] = User.objects.filter(pk=chw_id).first() if chw_id else None
        if chw_id and fields["chw"] is None:
            raise ValidationError({"chw_id": [_("No such user.")]})
    if "head_id" in fields:
        head_id = fields.pop("head_id")
        fields["head"] = (
            selectors.household_active_members(household=household).filter(pk=head_id).first()
            if head_id
            else None
        )
        if head_id and fields["head"] is None:
            raise ValidationError({"head_id": [_("The head must be a member of the household.")]})
    return services.household_update(actor=request.user, household=household, **fields)


@router.patch(
    "/registry/people/{person_id}",
    response={200: PersonOut, 400: DuplicateErrorOut},
    openapi_extra=body_doc(PersonUpdateIn),
)
def person_update(request: HttpRequest, person_id: uuid.UUID) -> Any:
    """Correct the fields sent; a possible duplicate answers 400 like a registration."""
    person = selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(PersonUpdateIn, request)
    sent = payload.model_dump(exclude_unset=True)
    details: dict[str, Any] = {field: getattr(person, field) for field in services.PERSON_DETAILS}
    if "age_years" in sent and "birth_date" not in sent:
        details["birth_date"] = None
    details.update(sent)
    try:
        return services.person_update(actor=request.user, person=person, **details)
    except services.PossibleDuplicate as exc:
        body = validation_body(exc)
        body["candidates"] = [
            DuplicateOut.from_orm(candidate).model_dump(mode="json") for candidate in exc.candidates
        ]
        return Status(400, body)


@router.post(
    "/registry/people/{person_id}/deactivate",
    response=PersonOut,
    openapi_extra=body_doc(DeactivateIn),
)
def person_deactivate(request: HttpRequest, person_id: uuid.UUID) -> Any:
    """Moved, died or left: the follow-up ends, open tasks are cancelled; sent again, nothing
    changes."""
    person = selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(DeactivateIn, request)
    return services.person_deactivate(
        actor=request.user, person=person, reason=payload.reason, day=payload.day
    )


@router.post(
    "/registry/households/{household_id}/assessments",
    response={200: AssessmentOut, 201: AssessmentOut},
    openapi_extra=body_doc(AssessmentIn),
)
def least_access_assess(request: HttpRequest, household_id: uuid.UUID) -> Status:
    household = selectors.household_get(user=request.user, household_id=household_id)
    payload = parse_body(AssessmentIn, request)
    return created_or_replayed(
        services.least_access_assess(actor=request.user, household=household, **payload.dict())
    )
