import uuid
from typing import Any

import pydantic
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import ValidationError as SchemaError
from ninja.pagination import PageNumberPagination, paginate

from jigiya.savings import ledger, selectors, services
from jigiya.savings.models import Group, Meeting
from jigiya.savings.schemas import GroupDetailOut, GroupOut, MeetingIn, MeetingOut

router = Router(tags=["savings"])


@router.get("/savings/groups", response=list[GroupOut])
@paginate(PageNumberPagination)
def group_list(request: HttpRequest) -> Any:
    return selectors.group_list(user=request.user)


@router.get("/savings/groups/{group_id}", response=GroupDetailOut)
def group_detail(request: HttpRequest, group_id: uuid.UUID) -> dict[str, Any]:
    group = selectors.group_get(user=request.user, group_id=group_id)
    current = group.cycles.filter(status="open").first()
    rows = selectors.member_rows(group, current)
    return {
        **{field: getattr(group, field) for field in GroupOut.model_fields if field != "id"},
        "id": group.pk,
        "balances": ledger.balances(group.pk),
        "members": [
            {
                "id": row.membership.pk,
                "person_id": row.membership.person_id,
                "name": str(row.membership.person),
                "number": row.membership.number,
                "role": row.membership.role,
                "joined_on": row.membership.joined_on,
                "savings": row.savings,
                "shares": row.shares,
                "loan_owed": row.loan_owed,
                "days_overdue": row.days_overdue,
            }
            for row in rows
        ],
    }


def _meeting_data(request: HttpRequest) -> services.MeetingData:
    """The body, read only once the group is known to be the caller's (outside: 404, not 422)."""
    try:
        payload = MeetingIn.model_validate_json(request.body or b"{}")
    except pydantic.ValidationError as exc:
        raise SchemaError(
            [{**error, "loc": ("body", *error.get("loc", ()))} for error in exc.errors()]
        ) from exc
    return services.MeetingData(
        id=payload.id,
        held_on=payload.held_on,
        members=[services.MemberLine(**line.model_dump()) for line in payload.members],
        grants=[services.GrantLine(**grant.model_dump()) for grant in payload.grants],
        incomes=[services.CashLine(**cash.model_dump()) for cash in payload.incomes],
        expenses=[services.CashLine(**cash.model_dump()) for cash in payload.expenses],
        counted_loan_fund=payload.counted_loan_fund,
        counted_health_fund=payload.counted_health_fund,
        difference_note=payload.difference_note,
        confirmed_by_id=payload.confirmed_by_id,
    )


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema with its `$defs` written in place (for the API documentation)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(dict(defs[node["$ref"].rsplit("/", 1)[-1]]))
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


@router.post(
    "/savings/groups/{group_id}/meetings",
    response={200: MeetingOut, 201: MeetingOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(MeetingIn.model_json_schema())}},
        }
    },
)
def meeting_record(request: HttpRequest, group_id: uuid.UUID) -> Status:
    """Record a whole meeting at once (body: `MeetingIn`). The first time: 201. The same meeting
    again: 200 with the same result, nothing changed. The same id with other content: 409."""
    group: Group = selectors.group_get(user=request.user, group_id=group_id)
    data = _meeting_data(request)
    meeting, created = services.meeting_record(actor=request.user, group=group, data=data)
    return Status(201 if created else 200, meeting)


@router.get("/savings/meetings/{meeting_id}", response=MeetingOut)
def meeting_detail(request: HttpRequest, meeting_id: uuid.UUID) -> Meeting:
    return selectors.meeting_get(user=request.user, meeting_id=meeting_id)
