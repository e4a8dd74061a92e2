"""The follow-up's JSON API: the worklist, visits, referrals, growth, supervision. A visit or a
referral sent twice with the same id and content is created once (200 the second time); the
same id with other content answers 409."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from jigiya.core.api import Day, ErrorOut, Pagination, body_doc, parse_body
from jigiya.core.errors import Conflict
from jigiya.core.retries import created_or_replayed
from jigiya.followup import selectors, services
from jigiya.followup.models import TaskStateChange
from jigiya.followup.schemas import (
    ChwMonthOut,
    ChwRowOut,
    GrowthPointOut,
    ReferralCloseIn,
    ReferralIn,
    ReferralOut,
    TaskHistoryOut,
    VisitIn,
    VisitOut,
    WorklistOut,
)
from jigiya.places import selectors as place_selectors
from jigiya.registry import selectors as registry_selectors
from jigiya.registry.schemas import (
    AncContactIn,
    AncContactOut,
    EnrollmentEndIn,
    EnrollmentIn,
    EnrollmentOut,
    NewbornIn,
    OutcomeIn,
    PersonOut,
    PregnancyIn,
    PregnancyOut,
)

router = Router(tags=["followup"])


@router.get("/followup/worklist", response=WorklistOut)
def worklist(request: HttpRequest, day: Day | None = None) -> Any:
    """The caller's own worklist (a CHW's households), for `day` (default today)."""
    return selectors.tasks_for_chw(request.user, day or timezone.localdate())


@router.get("/followup/households/{household_id}/tasks", response=list[TaskHistoryOut])
def household_tasks(request: HttpRequest, household_id: uuid.UUID) -> Any:
    """The household's next tasks, `state` as shown (upcoming, due, overdue), with history."""
    household = registry_selectors.household_get(user=request.user, household_id=household_id)
    tasks = selectors.household_open_tasks(household=household, today=timezone.localdate())
    prefetch_related_objects(tasks, Prefetch("history", TaskStateChange.objects.order_by("id")))
    return tasks


@router.get("/followup/people/{person_id}/tasks", response=list[TaskHistoryOut])
def person_tasks(request: HttpRequest, person_id: uuid.UUID) -> Any:
    """The person's last 30 tasks (all states), latest due first, each with its history."""
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    return selectors.person_tasks(person=person, today=timezone.localdate())


@router.post(
    "/followup/households/{household_id}/visits",
    response={200: VisitOut, 201: VisitOut},
    openapi_extra=body_doc(VisitIn),
)
def visit_record(request: HttpRequest, household_id: uuid.UUID) -> Status:
    household = registry_selectors.household_get(user=request.user, household_id=household_id)
    payload = parse_body(VisitIn, request)
    visit = services.visit_record(
        actor=request.user,
        household=household,
        id=payload.id,
        date=payload.date,
        people=payload.people,
        children=[services.ChildCheckIn(**c.dict()) for c in payload.children],
        pregnancies=[services.PregnancyCheckIn(**p.dict()) for p in payload.pregnancies],
        education=[services.EducationIn(**e.dict()) for e in payload.education],
        referral_outcomes=[
            services.ReferralOutcomeIn(**r.dict()) for r in payload.referral_outcomes
        ],
        notes=payload.notes,
        refer=payload.refer,
        made_at=payload.made_at,
    )
    return created_or_replayed(
        visit, body=selectors.visit_get(user=request.user, visit_id=visit.pk)
    )


@router.get("/followup/visits/{visit_id}", response=VisitOut)
def visit_detail(request: HttpRequest, visit_id: uuid.UUID) -> Any:
    return selectors.visit_get(user=request.user, visit_id=visit_id)


@router.get("/followup/people/{person_id}/growth", response=list[GrowthPointOut])
def person_growth(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    return selectors.person_growth(person=person)


@router.post(
    "/followup/people/{person_id}/referrals",
    response={200: ReferralOut, 201: ReferralOut},
    openapi_extra=body_doc(ReferralIn),
)
def referral_create(request: HttpRequest, person_id: uuid.UUID) -> Status:
    """Refer a person; the health center defaults to their community's CSCom."""
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(ReferralIn, request)
    community = person.household.community
    center = (
        place_selectors.health_center_get(
            user=request.user, health_center_id=payload.health_center_id
        )
        if payload.health_center_id not in (None, community.health_center_id)
        else community.health_center
    )
    if center is None:
        raise ValidationError({"health_center_id": [_("Choose the health center.")]})
    referral = services.referral_create(
        actor=request.user,
        person=person,
        health_center=center,
        id=payload.id,
        referred_on=payload.referred_on,
        reasons=payload.reasons,
        reason_text=payload.reason_text,
        urgency=payload.urgency,
        made_at=payload.made_at,
    )
    return created_or_replayed(referral)


@router.get("/followup/referrals", response=list[ReferralOut])
@paginate(Pagination)
def referral_list(request: HttpRequest, status: str = "open") -> Any:
    return selectors.referral_list(user=request.user, status=status)


@router.post(
    "/followup/referrals/{referral_id}/outcome",
    response={200: ReferralOut, 409: ErrorOut},
    openapi_extra=body_doc(ReferralCloseIn),
)
def referral_close(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    """Close the loop (health center staff or the CHW). The same outcome again changes nothing;
    a different one answers 409."""
    referral = selectors.referral_get(user=request.user, referral_id=referral_id)
    payload = parse_body(ReferralCloseIn, request)
    return services.referral_close(actor=request.user, referral=referral, **payload.dict())


@router.get("/followup/month", response=ChwMonthOut)
def month(request: HttpRequest, day: Day | None = None) -> Any:
    """The CHW's month so far: her counts, the coverage target, the children still to see."""
    return selectors.chw_month(user=request.user, today=day or timezone.localdate())


@router.get("/followup/supervision", response=list[ChwRowOut])
def supervision(request: HttpRequest) -> Any:
    return selectors.supervisor_overview(user=request.user, today=timezone.localdate())


# --- enrollments and pregnancies, under the registry's paths (and its OpenAPI tag) ---------

# The registry's tag and operation ids: these endpoints were the registry's, and API clients
# generated from the OpenAPI schema keep their names.
TAGS = ["registry"]


@router.get(
    "/registry/people/{person_id}/pregnancies",
    tags=TAGS,
    operation_id="jigiya_registry_api_person_pregnancies",
    response=list[PregnancyOut],
)
def person_pregnancies(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    return registry_selectors.person_pregnancies(person=person)


@router.get(
    "/registry/people/{person_id}/enrollments",
    tags=TAGS,
    operation_id="jigiya_registry_api_person_enrollments",
    response=list[EnrollmentOut],
)
def person_enrollments(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    return registry_selectors.person_enrollments(person=person)


@router.post(
    "/registry/people/{person_id}/enrollments",
    tags=TAGS,
    operation_id="jigiya_registry_api_enrollment_start",
    response={200: EnrollmentOut, 201: EnrollmentOut},
    openapi_extra=body_doc(EnrollmentIn),
)
def enrollment_start(request: HttpRequest, person_id: uuid.UUID) -> Status:
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(EnrollmentIn, request)
    return created_or_replayed(
        services.enrollment_start(actor=request.user, person=person, **payload.dict())
    )


@router.post(
    "/registry/people/{person_id}/enrollments/end",
    tags=TAGS,
    operation_id="jigiya_registry_api_enrollment_end",
    response=EnrollmentOut,
    openapi_extra=body_doc(EnrollmentEndIn),
)
def enrollment_end(request: HttpRequest, person_id: uuid.UUID) -> Any:
    """End the person's open enrollment in the program named in the body."""
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(EnrollmentEndIn, request)
    enrollment = (
        registry_selectors.person_enrollments(person=person)
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
    tags=TAGS,
    operation_id="jigiya_registry_api_pregnancy_register",
    response={200: PregnancyOut, 201: PregnancyOut},
    openapi_extra=body_doc(PregnancyIn),
)
def pregnancy_register(request: HttpRequest, person_id: uuid.UUID) -> Status:
    woman = registry_selectors.person_get(user=request.user, person_id=person_id)
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
    tags=TAGS,
    operation_id="jigiya_registry_api_anc_contact_record",
    response={200: AncContactOut, 201: AncContactOut},
    openapi_extra=body_doc(AncContactIn),
)
def anc_contact_record(request: HttpRequest, pregnancy_id: uuid.UUID) -> Status:
    pregnancy = registry_selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
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
    tags=TAGS,
    operation_id="jigiya_registry_api_pregnancy_outcome",
    response={200: PregnancyOut, 409: ErrorOut},
    openapi_extra=body_doc(OutcomeIn),
)
def pregnancy_outcome(request: HttpRequest, pregnancy_id: uuid.UUID) -> Any:
    pregnancy = registry_selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
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
        return registry_selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy.pk)
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
    tags=TAGS,
    operation_id="jigiya_registry_api_newborn_register",
    response={200: PersonOut, 201: PersonOut},
    openapi_extra=body_doc(NewbornIn),
)
def newborn_register(request: HttpRequest, pregnancy_id: uuid.UUID) -> Status:
    """A baby of a live birth already recorded (a twin, or one not registered then)."""
    pregnancy = registry_selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    payload = parse_body(NewbornIn, request)
    return created_or_replayed(
        services.newborn_register(actor=request.user, pregnancy=pregnancy, **payload.dict())
    )
