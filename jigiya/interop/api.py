import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from jigiya.core.api import ErrorOut, Pagination
from jigiya.core.periods import Month
from jigiya.interop import selectors, services
from jigiya.interop.models import Dhis2Push
from jigiya.interop.schemas import PreviewOut, PushDetailOut, PushIn, PushOut, ServerOut

router = Router(tags=["interop"])


class PeriodQuery(Schema):
    period: str = ""


class PushFilters(Schema):
    server_id: uuid.UUID | None = None


@router.get("/dhis2/servers", response=list[ServerOut])
def server_list(request: HttpRequest) -> Any:
    return list(selectors.server_list(user=request.user))


@router.get("/dhis2/servers/{dhis2_server_id}/preview", response=PreviewOut)
def preview(request: HttpRequest, dhis2_server_id: uuid.UUID, query: Query[PeriodQuery]) -> Any:
    """The `dataValueSets` payload for a month (default: the last complete month), limited to the
    places the caller may see."""
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id)
    month = selectors.parse_period(query.period)
    built = selectors.payload_build(user=request.user, server=server, month=month)
    return {
        "server_id": server.pk,
        "period": month.dhis2,
        "payload": built.payload,
        "sources": built.sources,
        "payload_hash": built.hash,
    }


@router.post("/dhis2/servers/{dhis2_server_id}/push", response={201: PushDetailOut, 409: ErrorOut})
def push(request: HttpRequest, dhis2_server_id: uuid.UUID, payload: PushIn) -> Status:
    """Send a month (or a dry run). 201 with the attempt whatever DHIS2 answered: read `status`
    (`sent`, `partial`, `checked`, `failed`) and `message`. 400 for a bad or future period or an
    empty payload, 409 while another send of the same period is running."""
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id, manage=True)
    if not payload.period:
        raise ValidationError({"period": _("Give the month to send (YYYY-MM or YYYYMM).")})
    attempt = services.dhis2_push(
        actor=request.user,
        server=server,
        month=Month.parse(payload.period),
        dry_run=payload.dry_run,
    )
    return Status(201, attempt)


@router.get("/dhis2/pushes", response=list[PushOut])
@paginate(Pagination)
def push_list(request: HttpRequest, filters: Query[PushFilters]) -> Any:
    server = (
        selectors.server_get(user=request.user, server_id=filters.server_id, manage=True)
        if filters.server_id
        else None
    )
    return selectors.push_list(user=request.user, server=server)


@router.get("/dhis2/pushes/{dhis2_push_id}", response=PushDetailOut)
def push_detail(request: HttpRequest, dhis2_push_id: uuid.UUID) -> Dhis2Push:
    return selectors.push_get(user=request.user, push_id=dhis2_push_id)
