"""Maker-checker for large postings (issue 11): a meeting with a movement above the approval
threshold is held, not posted; a second officer with `savings.approve` in the group's place
approves it (posted through the same steps) or rejects it; the maker never checks her own."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jigiya.accounts.roles import Role
from jigiya.core.models import AuditEntry
from jigiya.core.retries import was_replayed
from jigiya.savings import ledger, services
from jigiya.savings.models import (
    Approval,
    ApprovalStatus,
    Cycle,
    Entry,
    Loan,
    Meeting,
)

D = datetime.date


@pytest.fixture
def held(world):
    """8 Jan: all buy 2 shares (4 000 in the loan fund). The cycle's threshold is 2 000 FCFA;
    15 Jan: member 3 borrows 3 000 for 3 months — the meeting waits for a second officer."""
    Cycle.objects.filter(pk=world.cycle.pk).update(approval_threshold=2000)
    world.cycle.refresh_from_db()
    world.record(world.meeting(D(2024, 1, 8)))
    data = world.meeting(
        D(2024, 1, 15), members=world.lines({2: {"loan_amount": 3000, "loan_term": 3}})
    )
    approval = world.record(data)
    return approval, data


def _state(world):
    head = Entry.objects.filter(group=world.group).order_by("-seq").values_list("hash").first()
    return (
        Entry.objects.count(),
        Meeting.objects.count(),
        Loan.objects.count(),
        ledger.balances(world.group.pk),
        head,
        list(Approval.objects.values_list("status", "decided_by", "meeting")),
    )


def test_a_meeting_above_the_threshold_waits_and_posts_nothing(world, held):
    approval, data = held
    assert isinstance(approval, Approval)
    assert (approval.status, approval.amount, approval.on) == ("pending", 3000, D(2024, 1, 15))
    assert approval.created_by == world.facilitator
    assert str(world.members[2].person) in approval.summary
    assert (Meeting.objects.count(), Loan.objects.count(), Entry.objects.count()) == (1, 0, 8)
    made = AuditEntry.objects.get(model="savings.approval", object_id=str(approval.pk))
    assert (made.actor, made.action) == (world.facilitator, "create")

    again = world.record(data)  # the device sends it again: the same approval, nothing new
    assert (again.pk, was_replayed(again), Approval.objects.count()) == (approval.pk, True, 1)


def test_no_other_meeting_while_one_waits(world, held):
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        world.record(world.meeting(D(2024, 1, 22)))
    assert list(caught.value.message_dict) == ["held_on"]
    assert _state(world) == before


def test_the_maker_cannot_approve_her_own(world, held):
    approval, _data = held
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        services.approval_approve(actor=world.facilitator, approval=approval)
    assert list(caught.value.message_dict) == ["__all__"]
    assert _state(world) == before


@pytest.mark.parametrize(
    ("role", "where", "refusal"),
    [
        (Role.CHW_SUPERVISOR, "a", PermissionDenied),  # sees savings, may not approve
        (Role.SAVINGS_FACILITATOR, "b", PermissionDenied),  # another place
    ],
)
def test_only_an_officer_of_the_place_approves(world, held, cast, role, where, refusal):
    approval, _data = held
    before = _state(world)
    with pytest.raises(refusal):
        services.approval_approve(actor=cast.user(role, where), approval=approval)
    assert _state(world) == before


def test_a_second_officer_approves_and_the_meeting_is_posted_as_recorded(world, held, cast):
    approval, data = held
    checker = cast.user(Role.PROGRAM_MANAGER, "above")

    done = services.approval_approve(actor=checker, approval=approval)

    meeting = Meeting.objects.get(pk=data.id)
    assert (done.status, done.decided_by, done.meeting) == ("approved", checker, meeting)
    assert (meeting.fingerprint, meeting.created_by) == (approval.fingerprint, world.facilitator)
    loan = Loan.objects.get()
    assert (loan.principal, loan.membership, loan.created_by) == (
        3000,
        world.members[2],
        world.facilitator,
    )
    balance = ledger.balances(world.group.pk)
    assert (balance["loan_fund_cash"], balance["loans_receivable"]) == (8000 - 3000, 3000)
    assert ledger.verify([world.group.pk]).problems == []
    decided = AuditEntry.objects.get(model="savings.approval", action="update")
    assert (decided.actor, decided.changes["status"]) == (checker, ["pending", "approved"])
    # Sent again by the device: the meeting, unchanged; approving again is refused.
    again = world.record(data)
    assert (again.pk, was_replayed(again)) == (meeting.pk, True)
    with pytest.raises(ValidationError):
        services.approval_approve(actor=checker, approval=approval)
    world.record(world.meeting(D(2024, 1, 22)))  # the group records again


def test_an_approval_checks_the_books_as_they_stand(world, held, cast):
    """Between the hold and the approval the borrower left the group: the approval is refused
    and nothing is posted (the checker rejects it instead)."""
    approval, _data = held
    services.membership_leave(
        actor=world.facilitator, membership=world.members[2], left_on=D(2024, 1, 10)
    )
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        services.approval_approve(actor=cast.user(Role.ADMIN, "above"), approval=approval)
    assert list(caught.value.message_dict) == ["members.2.membership_id"]
    assert _state(world) == before


def test_a_rejection_needs_a_reason_and_posts_nothing(world, held, cast):
    approval, data = held
    checker = cast.user(Role.SAVINGS_FACILITATOR, "above")
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        services.approval_reject(actor=checker, approval=approval, reason=" ")
    assert list(caught.value.message_dict) == ["reason"]
    assert _state(world) == before

    done = services.approval_reject(actor=checker, approval=approval, reason="Trop élevé")

    assert (done.status, done.decided_by, done.note, done.meeting) == (
        ApprovalStatus.REJECTED,
        checker,
        "Trop élevé",
        None,
    )
    assert (Meeting.objects.count(), Loan.objects.count()) == (1, 0)
    again = world.record(data)  # the same meeting again: still the rejected one
    assert (again.pk, again.status) == (approval.pk, "rejected")
    corrected = world.record(  # recorded again, corrected, under a new id
        world.meeting(D(2024, 1, 15), id=uuid.uuid4(), members=world.lines())
    )
    assert isinstance(corrected, Meeting)


# --- the API and the pages ------------------------------------------------------------------


def test_the_api_answers_202_then_a_checker_approves(world, client, cast):
    Cycle.objects.filter(pk=world.cycle.pk).update(approval_threshold=2000)
    client.force_login(world.facilitator)
    body = {
        "id": str(uuid.uuid4()),
        "held_on": "2024-01-08",
        "members": [
            {"membership_id": str(m.pk), "shares": 2, "health": 100} for m in world.members
        ],
        "incomes": [{"amount": 2500, "description": "Don"}],
        "counted_loan_fund": 4000 + 2500,
        "counted_health_fund": 400,
    }
    url = f"/api/v1/savings/groups/{world.group.pk}/meetings"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 202
    held = response.json()
    assert (held["id"], held["status"], held["amount"], held["meeting_id"]) == (
        body["id"],
        "pending",
        2500,
        None,
    )
    listed = client.get("/api/v1/savings/approvals").json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]
    approve = f"/api/v1/savings/approvals/{body['id']}/approve"
    refused = client.post(approve, content_type="application/json")
    assert (refused.status_code, Meeting.objects.count()) == (400, 0)

    client.force_login(cast.user(Role.SAVINGS_FACILITATOR, "above"))
    response = client.post(approve, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["meeting_id"]) == ("approved", body["id"])
    assert ledger.balances(world.group.pk)["other_income"] == 2500


def test_the_pages_list_what_waits_and_a_checker_approves_or_rejects(world, held, client, cast):
    approval, data = held
    client.force_login(world.facilitator)
    page = client.get("/savings/approvals/")
    assert [(a.pk, can) for a, can in page.context["approvals"]] == [(approval.pk, False)]
    detail = client.get(approval.get_absolute_url())
    assert (detail.status_code, detail.context["can_decide"]) == (200, False)
    assert client.post(approval.get_absolute_url(), {"decision": "approve"}).status_code == 400
    assert Meeting.objects.count() == 1

    client.force_login(cast.user(Role.SAVINGS_FACILITATOR, "above"))
    assert client.get(approval.get_absolute_url()).context["can_decide"] is True
    refused = client.post(approval.get_absolute_url(), {"decision": "reject", "reason": ""})
    assert (refused.status_code, Approval.objects.get().status) == (400, "pending")
    response = client.post(approval.get_absolute_url(), {"decision": "approve"})
    meeting = Meeting.objects.get(pk=data.id)
    assert (response.status_code, response["Location"]) == (302, meeting.get_absolute_url())


def test_the_meeting_page_sends_a_held_meeting_to_its_approval(world, client):
    Cycle.objects.filter(pk=world.cycle.pk).update(approval_threshold=1500)
    client.force_login(world.facilitator)
    url = f"/savings/{world.group.pk}/meetings/new/"
    form = client.get(url).context["form"]
    post = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    post.update(
        {"held_on": "2024-01-08", "counted_loan_fund": "2000", "counted_health_fund": "400"}
    )
    post["m0_shares"] = "4"  # 2 000 FCFA of shares: above 1 500
    post["counted_loan_fund"] = str(2000 + 1500)
    post["confirmed_by"] = ""
    response = client.post(url, post)
    approval = Approval.objects.get()
    assert (response.status_code, response["Location"]) == (302, approval.get_absolute_url())
    assert Meeting.objects.count() == 0
