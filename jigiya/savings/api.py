import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from jigiya.core.api import Pagination, body_doc, parse_body
from jigiya.core.retries import created_or_replayed
from jigiya.savings import ledger, selectors, services
from jigiya.savings.models import Approval, Group, Meeting, Membership
from jigiya.savings.schemas import (
    ApprovalOut,
    GroupDetailOut,
    GroupOut,
    LeaveIn,
    MeetingIn,
    MeetingOut,
    MembershipOut,
    RejectIn,
    RoleIn,
)

router = Router(tags=["savings"])


@router.get("/savings/groups", response=list[GroupOut])
@paginate(Pagination)
def group_list(request: HttpRequest) -> Any:
    return selectors.group_list(user=request.user)


@router.get("/savings/groups/{group_id}", response=GroupDetailOut)
def group_detail(request: HttpRequest, group_id: uuid.UUID) -> dict[str, Any]:
    group = selectors.group_get(user=request.user, group_id=group_id)
    current = selectors.open_cycle(group)
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
    payload = parse_body(MeetingIn, request)
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
        made_at=payload.made_at,
    )


@router.post(
    "/savings/groups/{group_id}/meetings",
    response={200: MeetingOut, 201: MeetingOut, 202: ApprovalOut},
    openapi_extra=body_doc(MeetingIn),
)
def meeting_record(request: HttpRequest, group_id: uuid.UUID) -> Status:
    """Record a whole meeting at once (body: `MeetingIn`). The first time: 201. The same meeting
    again: 200 with the same result, nothing changed. The same id with other content: 409.
    A movement above the approval threshold, or a cash count further from the expected cash
    than `SAVINGS_CASH_DIFFERENCE_THRESHOLD_FCFA`: 202 with the posting waiting for a second officer
    (`ApprovalOut`), nothing posted; sent again, 202 with it as it stands."""
    group: Group = selectors.group_get(user=request.user, group_id=group_id)
    data = _meeting_data(request)
    result = services.meeting_record(actor=request.user, group=group, data=data)
    if isinstance(result, Approval):
        return Status(202, result)
    return created_or_replayed(result)


@router.get("/savings/meetings/{meeting_id}", response=MeetingOut)
def meeting_detail(request: HttpRequest, meeting_id: uuid.UUID) -> Meeting:
    return selectors.meeting_get(user=request.user, meeting_id=meeting_id)


def _membership_out(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "group_id": membership.group_id,
        "role": membership.role,
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
        **selectors.settlement_of(membership=membership),
    }


@router.post(
    "/savings/members/{membership_id}/role",
    response=MembershipOut,
    openapi_extra=body_doc(RoleIn),
)
def member_role(request: HttpRequest, membership_id: uuid.UUID) -> dict[str, Any]:
    """Change a member's role (body: `RoleIn`)."""
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    payload = parse_body(RoleIn, request)
    return _membership_out(
        services.membership_update(actor=request.user, membership=membership, role=payload.role)
    )


@router.post(
    "/savings/members/{membership_id}/leave",
    response=MembershipOut,
    openapi_extra=body_doc(LeaveIn),
)
def member_leave(request: HttpRequest, membership_id: uuid.UUID) -> dict[str, Any]:
    """A member leaves (body: `LeaveIn`); mid-cycle her settlement is posted and returned.
    The same request again returns the same answer; another date is refused (400)."""
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    payload = parse_body(LeaveIn, request)
    return _membership_out(
        services.membership_leave(
            actor=request.user, membership=membership, left_on=payload.left_on
        )
    )


@router.get("/savings/approvals", response=list[ApprovalOut])
@paginate(Pagination)
def approval_list(request: HttpRequest) -> Any:
    """The postings waiting for a second officer in the caller's places, oldest first."""
    return selectors.approvals_waiting(user=request.user)


@router.get("/savings/approvals/{approval_id}", response=ApprovalOut)
def approval_detail(request: HttpRequest, approval_id: uuid.UUID) -> Approval:
    return selectors.approval_get(user=request.user, approval_id=approval_id)


@router.post("/savings/approvals/{approval_id}/approve", response=ApprovalOut)
def approval_approve(request: HttpRequest, approval_id: uuid.UUID) -> Approval:
    """A second officer approves: the meeting is posted (`meeting_id`). Its maker, or a caller
    without `savings.approve` in the group's place, is refused (400, 403); nothing changes."""
    approval = selectors.approval_get(user=request.user, approval_id=approval_id)
    return services.approval_approve(actor=request.user, approval=approval)


@router.post(
    "/savings/approvals/{approval_id}/reject",
    response=ApprovalOut,
    openapi_extra=body_doc(RejectIn),
)
def approval_reject(request: HttpRequest, approval_id: uuid.UUID) -> Approval:
    """A second officer rejects (body: `RejectIn`, a reason): nothing is posted."""
    approval = selectors.approval_get(user=request.user, approval_id=approval_id)
    payload = parse_body(RejectIn, request)
    return services.approval_reject(actor=request.user, approval=approval, reason=payload.reason)
