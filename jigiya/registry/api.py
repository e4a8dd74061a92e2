"""The registry's JSON API. Every record a device makes carries the device's UUID: sending it
again answers 200 with the same record, nothing created twice; the same id with different
content answers 409."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from jigiya.accounts.models import User
from jigiya.core.errors import Conflict, validation_body
from jigiya.core.retries import created_or_replayed
from jigiya.followup import selectors as followup_selectors
from jigiya.places import selectors as place_selectors
from jigiya.registry import selectors, services
from jigiya.registry.schemas import (
    AncContactIn,
    AncContactOut,
    AssessmentIn,
    AssessmentOut,
    DeactivateIn,
    DuplicateOut,
    EnrollmentEndIn,
    EnrollmentIn,
    EnrollmentOut,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdUpdateIn,
    NewbornIn,
    OutcomeIn,
    PersonIn,
    PersonOut,
    PersonUpdateIn,
    PregnancyIn,
    PregnancyOut,
    body_doc,
    parse_body,
)

router = Router(tags=["registry"])


class HouseholdFilters(Schema):
    community_id: uuid.UUID | None = None
    search: str = ""


@router.get("/registry/households", response=list[HouseholdOut])
@paginate(PageNumberPagination)
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
    )
    return created_or_replayed(household)


@router.get("/registry/households/{household_id}", response=HouseholdDetailOut)
def household_detail(request: HttpRequest, household_id: uuid.UUID) -> dict[str, Any]:
    household = selectors.household_get(user=request.user, household_id=household_id)
    return {
        **HouseholdOut.from_orm(household).dict(),
        "members": selectors.household_members(household=household),
        "next_tasks": followup_selectors.household_open_tasks(
            household=household, today=timezone.localdate()
        ),
        "assessment": selectors.household_assessment(household=household),
    }


@router.post(
    "/registry/households/{household_id}/people",
    response={200: PersonOut, 201: PersonOut, 400: dict[str, Any]},
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


@router.get("/registry/people/{person_id}/pregnancies", response=list[PregnancyOut])
def person_pregnancies(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person = selectors.person_get(user=request.user, person_id=person_id)
    return selectors.person_pregnancies(person=person)


@router.get("/registry/people/{person_id}/enrollments", response=list[EnrollmentOut])
def person_enrollments(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person = selectors.person_get(user=request.user, person_id=person_id)
    return selectors.person_enrollments(person=person)


@router.post(
    "/registry/people/{person_id}/enrollments",
    response={200: EnrollmentOut, 201: EnrollmentOut},
    openapi_extra=body_doc(EnrollmentIn),
)
def enrollment_start(request: HttpRequest, person_id: uuid.UUID) -> Status:
    person = selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(EnrollmentIn, request)
    return created_or_replayed(
        services.enrollment_start(actor=request.user, person=person, **payload.dict())
    )


@router.post(
    "/registry/people/{person_id}/enrollments/end",
    response=EnrollmentOut,
    openapi_extra=body_doc(EnrollmentEndIn),
)
def enrollment_end(request: HttpRequest, person_id: uuid.UUID) -> Any:
    """End the person's open enrollment in the program named in the body."""
    person = selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(EnrollmentEndIn, request)
    enrollment = (
        selectors.person_enrollments(person=person)
        .filter(end__isnull=True, program=payload.program)
        .first()
    )
    if enrollment is None:
        raise Http404
    return services.enrollment_end(
        actor=request.user, enrollment=enrollment, end=payload.end, reason=payload.reason
    )


@router.post(
    "/registry/people/{person_id}/pregnancies",
    response={200: PregnancyOut, 201: PregnancyOut},
    openapi_extra=body_doc(PregnancyIn),
)
def pregnancy_register(request: HttpRequest, person_id: uuid.UUID) -> Status:
    woman = selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(PregnancyIn, request)
    return created_or_replayed(
        services.pregnancy_register(actor=request.user, woman=woman, **payload.dict())
    )


def _health_center(request: HttpRequest, health_center_id: uuid.UUID | None) -> Any:
    if health_center_id is None:
        return None
    return place_selectors.health_center_get(user=request.user, health_center_id=health_center_id)


@router.post(
    "/registry/pregnancies/{pregnancy_id}/anc-contacts",
    response={200: AncContactOut, 201: AncContactOut},
    openapi_extra=body_doc(AncContactIn),
)
def anc_contact_record(request: HttpRequest, pregnancy_id: uuid.UUID) -> Status:
    pregnancy = selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    payload = parse_body(AncContactIn, request)
    contact = services.anc_contact_record(
        actor=request.user,
        pregnancy=pregnancy,
        id=payload.id,
        date=payload.date,
        place=payload.place,
        health_center=_health_center(request, payload.health_center_id),
    )
    return created_or_replayed(contact)


@router.post(
    "/registry/pregnancies/{pregnancy_id}/outcome",
    response=PregnancyOut,
    openapi_extra=body_doc(OutcomeIn),
)
def pregnancy_outcome(request: HttpRequest, pregnancy_id: uuid.UUID) -> Any:
    pregnancy = selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    payload = parse_body(OutcomeIn, request)
    newborn = payload.newborn
    if pregnancy.outcome_date is not None:
        same = (
            pregnancy.outcome_date == payload.outcome_date
            and pregnancy.birth_outcome == payload.birth_outcome
            and pregnancy.outcome_place == payload.outcome_place
        )
        if not same:
            raise Conflict(_("This pregnancy's outcome is already recorded."))
        if newborn is not None:  # a retried request: the baby is there (or made now)
            services.newborn_register(actor=request.user, pregnancy=pregnancy, **newborn.dict())
        return selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy.pk)
    return services.pregnancy_outcome_record(
        actor=request.user,
        pregnancy=pregnancy,
        outcome_date=payload.outcome_date,
        birth_outcome=payload.birth_outcome,
        outcome_place=payload.outcome_place,
        health_center=_health_center(request, payload.health_center_id),
        register_newborn=newborn is not None,
        newborn_id=newborn.id if newborn else None,
        newborn_sex=newborn.sex if newborn else "",
        newborn_given_name=newborn.given_name if newborn else "",
    )


@router.post(
    "/registry/pregnancies/{pregnancy_id}/newborns",
    response={200: PersonOut, 201: PersonOut},
    openapi_extra=body_doc(NewbornIn),
)
def newborn_register(request: HttpRequest, pregnancy_id: uuid.UUID) -> Status:
    """A baby of a live birth already recorded (a twin, or one not registered then)."""
    pregnancy = selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    payload = parse_body(NewbornIn, request)
    return created_or_replayed(
        services.newborn_register(actor=request.user, pregnancy=pregnancy, **payload.dict())
    )


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
    response={200: PersonOut, 400: dict[str, Any]},
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
