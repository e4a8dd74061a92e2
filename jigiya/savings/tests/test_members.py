"""Members leaving in the middle of a cycle, and role changes (services, API, pages)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jigiya.savings import ledger, selectors, services
from jigiya.savings.models import CycleStatus, Entry, EntryKind, Loan, MemberRole, Membership

D = datetime.date


def _with_loan(world):
    """8 Jan; 15 Jan member 3 borrows 3 000 for 3 months (900 interest); 15 Feb she repays
    1 300 (900 interest, 400 principal). She then holds 3 000 of savings and owes 2 600."""
    world.record(world.meeting(D(2024, 1, 8)))
    world.record(
        world.meeting(
            D(2024, 1, 15), members=world.lines({2: {"loan_amount": 3000, "loan_term": 3}})
        )
    )
    world.record(world.meeting(D(2024, 2, 15), members=world.lines({2: {"repayment": 1300}})))
    return Loan.objects.get()


def _state(world):
    return (
        Entry.objects.count(),
        ledger.balances(world.group.pk),
        list(Membership.objects.values_list("left_on", flat=True).order_by("number")),
    )


def test_a_member_leaving_mid_cycle_gets_her_savings_minus_her_loan(world):
    loan = _with_loan(world)
    member = world.members[2]
    plan = selectors.leave_plan(member, D(2024, 2, 20))
    assert (plan.savings, plan.owed, plan.payout) == (3000, 2600, 400)
    left = services.membership_leave(
        actor=world.facilitator, membership=member, left_on=D(2024, 2, 20)
    )
    assert left.left_on == D(2024, 2, 20)
    entry = Entry.objects.get(kind=EntryKind.SETTLEMENT)
    assert sorted(entry.lines.values_list("account", "debit", "credit")) == [
        ("loan_fund_cash", 0, 400),
        ("loans_receivable", 0, 2600),
        ("member_savings", 3000, 0),
    ]
    balance = ledger.balances(world.group.pk)
    assert balance["loan_fund_cash"] == 4000 + 1000 + 5300 - 400
    assert balance["loans_receivable"] == 0
    assert balance["interest_income"] == 900
    assert ledger.member_savings(world.group.pk)[member.pk] == 0
    assert selectors.open_loan_positions(world.group, D(2024, 2, 20))[loan].owed == 0
    assert ledger.verify().problems == []
    # The same request again changes nothing; another date is refused.
    before = _state(world)
    services.membership_leave(actor=world.facilitator, membership=member, left_on=D(2024, 2, 20))
    with pytest.raises(ValidationError):
        services.membership_leave(
            actor=world.facilitator, membership=member, left_on=D(2024, 2, 21)
        )
    assert _state(world) == before


def test_a_member_without_a_loan_gets_her_savings_back_at_face_value(world):
    _with_loan(world)
    services.membership_leave(
        actor=world.facilitator, membership=world.members[3], left_on=D(2024, 2, 15)
    )
    entry = Entry.objects.get(kind=EntryKind.SETTLEMENT)
    assert sorted(entry.lines.values_list("account", "debit", "credit")) == [
        ("loan_fund_cash", 0, 3000),
        ("member_savings", 3000, 0),
    ]


def test_leaving_is_refused_when_the_constitution_forbids_it(world):
    _with_loan(world)
    world.cycle.leaving_mid_cycle = False
    world.cycle.save(update_fields=["leaving_mid_cycle"])
    before = _state(world)
    with pytest.raises(ValidationError) as error:
        services.membership_leave(
            actor=world.facilitator, membership=world.members[3], left_on=D(2024, 2, 20)
        )
    assert list(error.value.message_dict) == ["left_on"]
    assert _state(world) == before


def test_leaving_is_refused_when_she_owes_more_than_her_savings(world):
    world.record(world.meeting(D(2024, 1, 8)))
    world.record(
        world.meeting(
            D(2024, 1, 15), members=world.lines({2: {"loan_amount": 3000, "loan_term": 3}})
        )
    )  # savings 2 000, owes 3 900
    before = _state(world)
    with pytest.raises(ValidationError) as error:
        services.membership_leave(
            actor=world.facilitator, membership=world.members[2], left_on=D(2024, 1, 20)
        )
    assert list(error.value.message_dict) == ["left_on"]
    assert _state(world) == before


@pytest.mark.parametrize("left_on", [D(2024, 2, 14), D(2030, 1, 1)])
def test_leaving_before_the_last_meeting_or_in_the_future_is_refused(world, left_on):
    _with_loan(world)
    before = _state(world)
    with pytest.raises(ValidationError):
        services.membership_leave(
            actor=world.facilitator, membership=world.members[3], left_on=left_on
        )
    assert _state(world) == before


def test_roles_change_while_she_is_a_member(world):
    member = world.members[3]
    services.membership_update(
        actor=world.facilitator, membership=member, role=MemberRole.KEY_HOLDER
    )
    assert Membership.objects.get(pk=member.pk).role == MemberRole.KEY_HOLDER
    with pytest.raises(ValidationError):
        services.membership_update(actor=world.facilitator, membership=member, role="queen")
    services.membership_leave(actor=world.facilitator, membership=member, left_on=D(2024, 1, 2))
    with pytest.raises(ValidationError):
        services.membership_update(
            actor=world.facilitator, membership=member, role=MemberRole.TREASURER
        )
    assert Membership.objects.get(pk=member.pk).role == MemberRole.KEY_HOLDER


def test_the_api_records_a_leaving_member_and_her_settlement(world, client):
    _with_loan(world)
    client.force_login(world.facilitator)
    url = f"/api/v1/savings/members/{world.members[2].pk}/leave"
    response = client.post(url, {"left_on": "2024-02-20"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["left_on"], body["settlement_savings"], body["settlement_owed"]) == (
        "2024-02-20",
        3000,
        2600,
    )
    assert body["settlement_payout"] == 400
    again = client.post(url, {"left_on": "2024-02-20"}, content_type="application/json")
    assert again.json() == body
    bad = client.post(url, {"left_on": "soon"}, content_type="application/json")
    assert bad.status_code == 422
    other = client.post(url, {"left_on": "2024-02-21"}, content_type="application/json")
    assert other.status_code == 400
    assert Entry.objects.filter(kind=EntryKind.SETTLEMENT).count() == 1


def test_the_api_changes_a_role(world, client):
    client.force_login(world.facilitator)
    url = f"/api/v1/savings/members/{world.members[3].pk}/role"
    response = client.post(url, {"role": "secretary"}, content_type="application/json")
    assert (response.status_code, response.json()["role"]) == (200, "secretary")
    bad = client.post(url, {"role": "queen"}, content_type="application/json")
    assert bad.status_code == 400
    assert Membership.objects.get(pk=world.members[3].pk).role == "secretary"


def test_the_pages_change_a_role_and_record_a_leaving_member(world, client):
    _with_loan(world)
    client.force_login(world.facilitator)
    member = world.members[2]
    page = client.get(f"/savings/members/{member.pk}/leave/")
    assert page.status_code == 200
    assert page.context["plan"].payout == 400
    role = client.post(f"/savings/members/{member.pk}/role/", {"role": "secretary"})
    assert role.status_code == 302
    response = client.post(f"/savings/members/{member.pk}/leave/", {"left_on": "2024-02-20"})
    assert (response.status_code, response["Location"]) == (302, member.get_absolute_url())
    assert Membership.objects.get(pk=member.pk).left_on == D(2024, 2, 20)
    refused = client.post(
        f"/savings/members/{world.members[0].pk}/leave/", {"left_on": "2024-02-01"}
    )
    assert refused.status_code == 400


def test_a_leaving_recorded_by_mistake_is_cancelled_by_a_reversal(world, client):
    loan = _with_loan(world)
    member = world.members[2]
    balance_before = ledger.balances(world.group.pk)
    services.membership_leave(actor=world.facilitator, membership=member, left_on=D(2024, 2, 20))
    client.force_login(world.facilitator)
    passbook = client.get(member.get_absolute_url()).content.decode()
    assert f"/savings/members/{member.pk}/leave/cancel/" in passbook
    url = f"/savings/members/{member.pk}/leave/cancel/"
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert Membership.objects.get(pk=member.pk).left_on == D(2024, 2, 20)
    response = client.post(url, {"reason": "Wrong member chosen"})
    assert (response.status_code, response["Location"]) == (302, member.get_absolute_url())
    assert Membership.objects.get(pk=member.pk).left_on is None
    settlement = Entry.objects.get(kind=EntryKind.SETTLEMENT)
    reversal = Entry.objects.get(reverses=settlement)
    assert (reversal.kind, reversal.on, reversal.memo) == (
        EntryKind.REVERSAL, D(2024, 2, 20), "Wrong member chosen",
    )  # fmt: skip
    assert sorted(reversal.lines.values_list("account", "debit", "credit")) == [
        ("loan_fund_cash", 400, 0),
        ("loans_receivable", 2600, 0),
        ("member_savings", 0, 3000),
    ]
    assert ledger.balances(world.group.pk) == balance_before
    assert ledger.member_savings(world.group.pk)[member.pk] == 3000
    assert selectors.open_loan_positions(world.group, D(2024, 2, 20))[loan].owed == 2600
    assert ledger.verify().problems == []
    # Cancelled twice: refused, nothing posted. She may leave again later: a second settlement.
    before = _state(world)
    again = client.post(url, {"reason": "Double tap"})
    assert again.status_code == 400
    assert _state(world) == before
    services.membership_leave(actor=world.facilitator, membership=member, left_on=D(2024, 2, 25))
    assert Entry.objects.filter(kind=EntryKind.SETTLEMENT).count() == 2
    assert ledger.verify().problems == []


def test_a_leaving_is_not_cancelled_once_her_cycle_is_shared_out(world):
    _with_loan(world)
    member = world.members[3]
    services.membership_leave(actor=world.facilitator, membership=member, left_on=D(2024, 2, 20))
    world.cycle.status = CycleStatus.SHARED_OUT
    world.cycle.save(update_fields=["status"])
    before = _state(world)
    with pytest.raises(ValidationError) as error:
        services.membership_leave_cancel(
            actor=world.facilitator, membership=member, reason="Too late"
        )
    assert list(error.value.message_dict) == ["__all__"]
    assert _state(world) == before
