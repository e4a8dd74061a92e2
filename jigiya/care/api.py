"""The care JSON API: care lines a health center sends (idempotent per client UUID: the same
line again answers 200, another content under the same id 409), coverage decisions, payments,
and the reads of a claim and of a person's coverage. The path's object is found in the caller's
places first (404 outside), then the body is read."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from jigiya.care import selectors, services
from jigiya.care.schemas import (
    CareLineIn,
    CareLineOut,
    ClaimOut,
    CoverageEndIn,
    CoverageIn,
    CoverageOut,
    PaymentIn,
    PaymentOut,
)
from jigiya.core.api import body_doc, parse_body
from jigiya.core.retries import created_or_replayed
from jigiya.registry.models import Person

router = Router(tags=["care"])


@router.post(
    "/care/centers/{health_center_id}/lines",
    response={200: CareLineOut, 201: CareLineOut},
    openapi_extra=body_doc(CareLineIn),
)
def line_record(request: HttpRequest, health_center_id: uuid.UUID) -> Status:
    """Record one care line in the health center's claim of its month (checked at once)."""
    center = selectors.health_center_get(user=request.user, health_center_id=health_center_id)
    payload = parse_body(CareLineIn, request)
    person = selectors.person_for_line(person_id=payload.person_id)
    line = services.care_line_record(
        actor=request.user, health_center=center, person=person, day=payload.day,
        service=payload.service, amount=payload.amount, id=payload.id,
    )  # fmt: skip
    return created_or_replayed(line)


@router.post(
    "/care/people/{person_id}/coverages",
    response={200: CoverageOut, 201: CoverageOut},
    openapi_extra=body_doc(CoverageIn),
)
def coverage_decide(request: HttpRequest, person_id: uuid.UUID) -> Status:
    person: Person = selectors.person_get(user=request.user, person_id=person_id)
    payload = parse_body(CoverageIn, request)
    scheme = selectors.scheme_get(user=request.user, scheme_id=payload.scheme_id)
    coverage = services.coverage_decide(
        actor=request.user, person=person, scheme=scheme, start=payload.start, end=payload.end,
        reason=payload.reason, id=payload.id,
    )  # fmt: skip
    return created_or_replayed(coverage)


@router.get("/care/people/{person_id}/coverages", response=list[CoverageOut])
def coverages(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person = selectors.person_get(user=request.user, person_id=person_id)
    return selectors.coverages_of(person=person)


@router.post(
    "/care/coverages/{coverage_id}/end", response=CoverageOut, openapi_extra=body_doc(CoverageEndIn)
)
def coverage_end(request: HttpRequest, coverage_id: uuid.UUID) -> Any:
    coverage = selectors.coverage_get(user=request.user, coverage_id=coverage_id)
    payload = parse_body(CoverageEndIn, request)
    return services.coverage_end(
        actor=request.user, coverage=coverage, end=payload.end, exit_reason=payload.exit_reason
    )


@router.get("/care/claims/{claim_id}", response=ClaimOut)
def claim_detail(request: HttpRequest, claim_id: uuid.UUID) -> Any:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    return {
        "id": claim.pk,
        "health_center_id": claim.health_center_id,
        "month": claim.month,
        "status": claim.status,
        "approved_amount": claim.approved_amount,
        "lines": selectors.claim_lines(claim=claim),
        "payments": selectors.payments_of(claim=claim),
    }


@router.post(
    "/care/claims/{claim_id}/payments",
    response={200: PaymentOut, 201: PaymentOut},
    openapi_extra=body_doc(PaymentIn),
)
def claim_pay(request: HttpRequest, claim_id: uuid.UUID) -> Status:
    """Pay an approved claim (the amount approved; a reference for mobile money and bank)."""
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    payload = parse_body(PaymentIn, request)
    entry = services.claim_pay(
        actor=request.user, claim=claim, paid_on=payload.paid_on, amount=payload.amount,
        method=payload.method, reference=payload.reference, id=payload.id,
    )  # fmt: skip
    return created_or_replayed(entry)
