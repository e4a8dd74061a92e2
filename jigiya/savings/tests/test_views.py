import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.savings import selectors, services
from jigiya.savings.models import Entry, Meeting
from jigiya.savings.tests.factories import GroupFactory, MembershipFactory, PersonFactory

D = datetime.date


def _form(world, **changes):
    data = {"id": "5a1e0000-0000-4000-8000-000000000001", "held_on": "2024-01-08"}
    for index, _member in enumerate(world.members):
        data |= {
            f"m{index}_presence": "present",
            f"m{index}_shares": "2",
            f"m{index}_health": "100",
        }
    data |= {"counted_loan_fund": "4000", "counted_health_fund": "400"}
    data |= changes
    return data


def test_the_meeting_page_records_a_whole_meeting(world, client):
    client.force_login(world.facilitator)
    url = f"/savings/{world.group.pk}/meetings/new/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('name="m3_shares"') == 1
    response = client.post(url, _form(world))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert Entry.objects.count() == 8
    # The same form sent again (a double tap) changes nothing.
    assert client.post(url, _form(world)).status_code == 302
    assert Entry.objects.count() == 8


def test_the_meeting_page_shows_refusals_on_the_members_row(world, client):
    client.force_login(world.facilitator)
    response = client.post(
        f"/savings/{world.group.pk}/meetings/new/", _form(world, m1_presence="absent")
    )
    assert response.status_code == 400
    assert "m1_presence" in response.context["form"].errors
    assert Entry.objects.count() == 0


def test_pages_of_a_group(world, client, cast):
    meeting = world.record(world.meeting(D(2024, 1, 8)))
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    for url in (
        "/savings/",
        world.group.get_absolute_url(),
        meeting.get_absolute_url(),
        world.members[0].get_absolute_url(),
        world.cycle.get_absolute_url(),
        f"/savings/cycles/{world.cycle.pk}/share-out/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/savings/{world.group.pk}/meetings/new/").status_code == 403


def test_the_share_out_sheet_lists_every_member(world, client):
    world.record(world.meeting(D(2024, 1, 8)))
    client.force_login(world.facilitator)
    url = f"/savings/cycles/{world.cycle.pk}/share-out/"
    assert client.post(url, {"held_on": "2024-02-01"}).status_code == 302
    body = client.get(url).content.decode()
    for member in world.members:
        assert str(member.person) in body
    assert "1\u00a0000\u00a0FCFA" in body


def test_the_group_page_costs_the_same_queries_whatever_the_size(world, client):
    client.force_login(world.facilitator)
    world.record(world.meeting(D(2024, 1, 8)))
    url = world.group.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(5, 15):
        MembershipFactory(group=world.group, number=number)
    world.members = list(world.group.memberships.order_by("number"))
    world.record(world.meeting(D(2024, 1, 15)))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_memberships_of_people_for_the_household_page(world, cast, django_assert_num_queries):
    outsider = PersonFactory(household__community=cast.community_a)
    people = [world.members[0].person_id, world.members[1].person_id, outsider.pk]
    selectors.memberships_of(user=world.facilitator, person_ids=people)  # reads her places once
    with django_assert_num_queries(1):
        found = selectors.memberships_of(user=world.facilitator, person_ids=people)
        urls = [m.group.get_absolute_url() for ms in found.values() for m in ms]
    assert set(found) == {world.members[0].person_id, world.members[1].person_id}
    assert urls == [world.group.get_absolute_url()] * 2
    assert (
        selectors.memberships_of(user=cast.user(Role.CHW_SUPERVISOR, "b"), person_ids=people) == {}
    )


def test_the_household_page_shows_the_members_groups_at_a_fixed_cost(world, cast, client):
    """Savings registers its badges with the registry (`savings/panels.py`): a member's card
    shows the name of her group (it showed her own name again, a query each), whatever the
    number of members; a user who may not see savings sees none."""
    household = world.members[0].person.household
    client.force_login(world.facilitator)
    url = household.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        body = client.get(url).content.decode()
    assert body.count('<span class="badge">Benkadi</span>') == 1
    other = GroupFactory(community=cast.community_a, name="Danaya")
    for _number in range(3):
        MembershipFactory(group=other, person=PersonFactory(household=household))
    MembershipFactory(group=other, person=world.members[0].person)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert len(large) == len(small)
    assert body.count('<span class="badge">Benkadi</span>') == 1
    assert body.count('<span class="badge">Danaya</span>') == 4
    client.force_login(cast.user(Role.CHW, "a"))  # health.view, not savings.view
    assert '<span class="badge">Danaya</span>' not in client.get(url).content.decode()


def test_a_group_is_created_forming_and_then_activated(cast, client):
    user = cast.user(Role.SAVINGS_FACILITATOR, "a")
    group = services.group_create(
        actor=user, community=cast.community_a, name="Nouveau", formed_on=D(2024, 3, 1)
    )
    assert group.status == "forming"
    client.force_login(user)
    response = client.post(
        f"/savings/{group.pk}/status/", {"status": "active", "on": "2024-03-04", "reason": ""}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.status, group.status_since) == ("active", D(2024, 3, 4))
