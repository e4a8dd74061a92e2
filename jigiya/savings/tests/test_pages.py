"""The savings pages that write: each form saves through its service and returns where the user
came from; a refusal is a 400 with the error on the form and nothing changed; a reader sees the
page but may not post. And the API's other endpoints, in the documented error shape."""

import datetime
import uuid

from jigiya.accounts.roles import Role
from jigiya.savings import ledger, services
from jigiya.savings.models import (
    Cycle,
    CycleStatus,
    Entry,
    EntryKind,
    Group,
    LoanStatus,
    Membership,
)
from jigiya.savings.tests.factories import PersonFactory

D = datetime.date


def test_the_new_group_page_offers_the_active_communities_of_the_users_places(cast, client):
    user = cast.user(Role.SAVINGS_FACILITATOR, "a")
    client.force_login(user)
    page = client.get("/savings/new/")
    assert list(page.context["form"].fields["community"].queryset) == [cast.community_a]
    response = client.post(
        "/savings/new/",
        {"name": "Benkadi", "community": str(cast.community_a.pk), "formed_on": "2024-03-01"},
    )
    group = Group.objects.get()
    assert (response.status_code, response["Location"]) == (302, group.get_absolute_url())
    assert (group.facilitator, group.created_by, group.status) == (user, user, "forming")
    again = client.post(
        "/savings/new/",
        {"name": "BENKADI", "community": str(cast.community_a.pk), "formed_on": "2024-03-01"},
    )
    assert again.status_code == 400
    assert "name" in again.context["form"].errors
    assert Group.objects.count() == 1


def test_the_new_cycle_page_starts_from_the_last_constitution(world, client):
    world.record(world.meeting(D(2024, 1, 8)))
    services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))
    client.force_login(world.facilitator)
    url = f"/savings/{world.group.pk}/cycles/new/"
    initial = client.get(url).context["form"].initial
    assert (initial["share_price"], initial["max_shares"], initial["fines"]) == (
        500,
        5,
        "retard = 100",
    )
    form = {
        "starts_on": "2024-06-03",
        "planned_end": "2025-05-31",
        "frequency": "weekly",
        "share_price": "250",
        "max_shares": "4",
        "health_contribution": "50",
        "interest_rate": "5",
        "max_loan_multiple": "2",
        "max_term_months": "4",
        "fines": "retard = 50\nabsence = 100",
        "health_box_percent": "0",
        "remainder_rule": "next_cycle",
        "leaving_mid_cycle": "on",
    }
    refused = client.post(url, form | {"fines": "retard 50"})
    assert (refused.status_code, Cycle.objects.count()) == (400, 1)
    response = client.post(url, form)
    cycle = Cycle.objects.get(number=2)
    assert (response.status_code, response["Location"]) == (302, cycle.get_absolute_url())
    assert (cycle.status, cycle.share_price, cycle.fines) == (
        CycleStatus.OPEN,
        250,
        [{"reason": "retard", "amount": 50}, {"reason": "absence", "amount": 100}],
    )


def test_the_new_member_page_offers_active_people_of_the_community_not_yet_members(
    world, client, cast
):
    newcomer = PersonFactory(household__community=cast.community_a, given_name="Nana")
    PersonFactory(household__community=cast.community_a, is_active=False)
    PersonFactory(household__community=cast.community_b)
    client.force_login(world.facilitator)
    url = f"/savings/{world.group.pk}/members/new/"
    assert list(client.get(url).context["form"].fields["person"].queryset) == [newcomer]
    response = client.post(
        url, {"person": str(newcomer.pk), "joined_on": "2024-02-01", "role": "member"}
    )
    assert (response.status_code, response["Location"]) == (302, world.group.get_absolute_url())
    member = Membership.objects.get(person=newcomer)
    assert (member.number, member.joined_on) == (5, D(2024, 2, 1))


def test_the_meeting_page_sends_back_to_the_group_without_an_open_cycle(world, client):
    Cycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.SHARED_OUT)
    client.force_login(world.facilitator)
    response = client.get(f"/savings/{world.group.pk}/meetings/new/")
    assert (response.status_code, response["Location"]) == (302, world.group.get_absolute_url())


def test_the_loan_page_writes_off_with_an_officer_other_than_the_borrower(world, client):
    loan = world.three_meetings()
    client.force_login(world.facilitator)
    page = client.get(loan.get_absolute_url())
    assert page.context["position"].owed == 2600
    officers = list(page.context["form"].fields["approved_by"].queryset)
    assert officers == [world.members[0], world.members[1]]  # not member 3, the borrower
    response = client.post(
        loan.get_absolute_url(),
        {"on": "2024-06-01", "reason": "Partie", "approved_by": str(world.members[1].pk)},
    )
    assert (response.status_code, response["Location"]) == (302, loan.get_absolute_url())
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF


def test_readers_see_the_loan_and_share_out_pages_but_may_not_post(world, client, cast):
    loan = world.three_meetings()
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    share_out = f"/savings/cycles/{world.cycle.pk}/share-out/"
    assert client.get(loan.get_absolute_url()).status_code == 200
    assert client.get(share_out).status_code == 200
    before = Entry.objects.count()
    assert client.post(share_out, {"held_on": "2024-06-01"}).status_code == 403
    assert (
        client.post(
            loan.get_absolute_url(),
            {"on": "2024-06-01", "reason": "x", "approved_by": str(world.members[0].pk)},
        ).status_code
        == 403
    )
    assert Entry.objects.count() == before


def test_the_correction_page_posts_a_reversal_and_the_meeting_page_shows_it(world, client):
    meeting = world.record(world.meeting(D(2024, 1, 8)))
    entry = Entry.objects.filter(meeting=meeting, kind=EntryKind.SHARES).order_by("seq").first()
    client.force_login(world.facilitator)
    url = f"/savings/entries/{entry.pk}/correct/"
    form = {"id": str(uuid.uuid4()), "amount": "1500", "reason": "3 parts"}
    refused = client.post(url, form | {"amount": "1200"})
    assert (refused.status_code, Entry.objects.count()) == (400, 8)
    response = client.post(url, form)
    assert (response.status_code, response["Location"]) == (302, meeting.get_absolute_url())
    assert Entry.objects.count() == 10
    page = client.get(meeting.get_absolute_url())
    assert page.context["reversed_ids"] == {entry.pk}
    assert ledger.member_savings(world.group.pk)[entry.membership_id] == 1500


def test_the_passbook_shows_her_savings_after_each_movement(world, client):
    world.three_meetings()
    member = world.members[2]  # she borrowed 3 000 and repaid 1 300
    client.force_login(world.facilitator)
    context = client.get(member.get_absolute_url()).context
    saved = [line.savings for line in context["lines"] if line.kind == EntryKind.SHARES]
    assert saved == [1000, 2000, 3000]
    assert context["savings"] == 3000
    [(loan, position)] = context["loans"]
    assert (loan.principal, position.owed) == (3000, 2600)


# --- the API's other endpoints --------------------------------------------------------------


def test_the_api_lists_and_reads_groups_and_meetings_of_the_users_places(world, client, cast):
    meeting = world.record(world.meeting(D(2024, 1, 8)))
    client.force_login(world.facilitator)
    groups = client.get("/api/v1/savings/groups").json()
    assert [group["name"] for group in groups["items"]] == ["Benkadi"]
    body = client.get(f"/api/v1/savings/meetings/{meeting.pk}").json()
    assert (body["number"], body["expected_loan_fund"]) == (1, 4000)
    detail = client.get(f"/api/v1/savings/groups/{world.group.pk}").json()
    assert [member["savings"] for member in detail["members"]] == [1000] * 4
    assert detail["balances"]["loan_fund_cash"] == 4000
    client.force_login(cast.user(Role.SAVINGS_FACILITATOR, "b"))
    assert client.get("/api/v1/savings/groups").json()["items"] == []
    assert client.get(f"/api/v1/savings/meetings/{meeting.pk}").status_code == 404


def test_the_api_refuses_a_bad_role_or_leaving_in_the_error_shape(world, client):
    world.record(world.meeting(D(2024, 1, 8)))
    client.force_login(world.facilitator)
    member = world.members[3]
    role = client.post(
        f"/api/v1/savings/members/{member.pk}/role", {"role": "queen"}, "application/json"
    )
    assert role.status_code == 400
    assert list(role.json()["error"]["fields"]) == ["role"]
    leave = client.post(
        f"/api/v1/savings/members/{member.pk}/leave", {"left_on": "2024-01-07"}, "application/json"
    )
    assert leave.status_code == 400
    assert list(leave.json()["error"]["fields"]) == ["left_on"]
    assert Membership.objects.get(pk=member.pk).role == "member"
    assert Membership.objects.get(pk=member.pk).left_on is None
