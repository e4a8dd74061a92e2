"""Rules the pages check that the services enforce too (the API and field clients go through the
services only): each refused, in the documented error shape, with nothing changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jigiya.accounts.roles import Role
from jigiya.savings import services
from jigiya.savings.models import Entry, Group, Meeting, Membership
from jigiya.savings.tests.factories import PersonFactory

D = datetime.date


def _counts():
    return (Group.objects.count(), Membership.objects.count(), Meeting.objects.count())


def test_a_difference_note_longer_than_the_page_allows_is_refused_by_the_api(world, client):
    client.force_login(world.facilitator)
    body = {
        "id": "6f1c2d7e-2c4b-4a51-9b7e-0d3f1a2b3c4d",
        "held_on": "2024-01-08",
        "members": [
            {"membership_id": str(m.pk), "shares": 2, "health": 100} for m in world.members
        ],
        "counted_loan_fund": 3900,
        "counted_health_fund": 400,
        "difference_note": "x" * 501,
        "confirmed_by_id": str(world.members[1].pk),
    }
    response = client.post(
        f"/api/v1/savings/groups/{world.group.pk}/meetings", body, content_type="application/json"
    )
    # The API's schema declares the limit (OpenAPI's maxLength): 422, the documented shape.
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", ["difference_note"])
    assert (Meeting.objects.count(), Entry.objects.count()) == (0, 0)

    body["difference_note"] = "x" * 500  # what the page allows is accepted
    response = client.post(
        f"/api/v1/savings/groups/{world.group.pk}/meetings", body, content_type="application/json"
    )
    assert response.status_code == 201


def test_a_deactivated_person_cannot_join(world, cast):
    person = PersonFactory(household__community=cast.community_a, is_active=False)
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            actor=world.facilitator, group=world.group, person=person, joined_on=D(2024, 2, 1)
        )
    assert list(caught.value.message_dict) == ["person"]
    assert _counts() == before


def test_a_person_of_another_community_cannot_join_even_inside_the_actors_places(world, cast):
    facilitator = cast.user(Role.SAVINGS_FACILITATOR, "above")
    person = PersonFactory(household__community=cast.community_b)
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            actor=facilitator, group=world.group, person=person, joined_on=D(2024, 2, 1)
        )
    assert list(caught.value.message_dict) == ["person"]
    assert _counts() == before


def test_no_group_in_a_community_no_longer_active(cast):
    """Someone who records above it still may not open a group there."""
    cast.community_a.is_active = False
    cast.community_a.save(update_fields=["is_active"])
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.group_create(
            actor=cast.user(Role.SAVINGS_FACILITATOR, "above"),
            community=cast.community_a,
            name="Jigiya",
            formed_on=D(2024, 1, 1),
        )
    assert list(caught.value.message_dict) == ["community"]
    assert _counts() == before
