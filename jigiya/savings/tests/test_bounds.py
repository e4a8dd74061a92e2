"""Bounds on the savings' dates and texts (issue 11; the amounts' ceilings are in
test_limits.py): nothing dated before the program or the group's formation, no note over its
limit — refused by the services, naming the field and the bound, changing nothing."""

import datetime
import uuid

import pytest
from django.utils import translation

from jigiya.core.models import AuditEntry
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.indicators.models import StaleCell
from jigiya.savings import services
from jigiya.savings.models import Entry, Group, Meeting, Membership
from jigiya.savings.services import CashLine, GrantLine
from jigiya.savings.tests.factories import HouseholdFactory, PersonFactory

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts():
    return (
        Group.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
        Entry.objects.count(),
        AuditEntry.objects.count(),
        StaleCell.objects.count(),
    )


def _refused(call, **kwargs):
    return refused_unchanged(_counts, call, **kwargs)


def test_a_meeting_dated_0001_01_01_is_refused(world):
    assert _refused(
        services.meeting_record, actor=world.facilitator, group=world.group,
        data=world.meeting(D(1, 1, 1), counted_loan_fund=4000, counted_health_fund=400),
    ) == {"held_on": ["The date 0001-01-01 is before the start of the program (2000-01-01)."]}  # fmt: skip


def test_a_meeting_before_the_groups_formation_is_refused(world):
    # Benkadi was formed on 1 January 2024.
    assert _refused(
        services.meeting_record, actor=world.facilitator, group=world.group,
        data=world.meeting(D(2023, 12, 31), counted_loan_fund=4000, counted_health_fund=400),
    ) == {"held_on": ["The date 2023-12-31 is before the group's formation (2024-01-01)."]}  # fmt: skip


def test_a_fine_reason_grant_note_or_description_over_200_characters_is_refused(world):
    # Before, they were cut to 200 characters in silence.
    long = "r" * 201
    assert _refused(
        services.meeting_record, actor=world.facilitator, group=world.group,
        data=world.meeting(D(2024, 1, 8), members=world.lines({0: {"fine": 100, "fine_reason": long}})),
    ) == {"members.0.fine_reason": ["The reason for the fine has 201 characters; at most 200 are allowed."]}  # fmt: skip
    grant = GrantLine(membership_id=world.members[0].pk, amount=100, purpose="delivery", note=long)
    assert _refused(
        services.meeting_record, actor=world.facilitator, group=world.group,
        data=world.meeting(D(2024, 1, 8), grants=[grant]),
    ) == {"grants.0.note": ["The note has 201 characters; at most 200 are allowed."]}  # fmt: skip
    assert _refused(
        services.meeting_record, actor=world.facilitator, group=world.group,
        data=world.meeting(D(2024, 1, 8), incomes=[CashLine(amount=100, description=long)]),
    ) == {"incomes.0.description": ["The description has 201 characters; at most 200 are allowed."]}  # fmt: skip


def test_a_group_formed_before_the_program_is_refused(world, cast):
    assert _refused(
        services.group_create, actor=world.facilitator, community=cast.community_a,
        name="Jigiya", formed_on=D(1999, 12, 31),
    ) == {"formed_on": ["The date 1999-12-31 is before the start of the program (2000-01-01)."]}  # fmt: skip


def test_joining_before_the_formation_or_the_birth_is_refused(world, cast):
    person = PersonFactory(
        household=HouseholdFactory(community=cast.community_a), given_name="Kadi",
        birth_date=D(2024, 2, 1),
    )  # fmt: skip
    common = {"actor": world.facilitator, "group": world.group, "person": person}
    assert _refused(services.membership_add, joined_on=D(2023, 12, 1), **common) == {
        "joined_on": ["The date 2023-12-01 is before the group's formation (2024-01-01)."]
    }
    assert _refused(services.membership_add, joined_on=D(2024, 1, 15), **common) == {
        "joined_on": ["The date 2024-01-15 is before the birth of Kadi Traoré (2024-02-01)."]
    }


def test_a_correction_reason_over_200_characters_is_refused(world):
    meeting = world.record(world.meeting(D(2024, 1, 8)))
    entry = meeting.entries.order_by("seq").first()
    assert _refused(
        services.entry_correct, actor=world.facilitator, entry=entry, reason="r" * 201,
        id=uuid.uuid4(),
    ) == {"reason": ["The reason has 201 characters; at most 200 are allowed."]}  # fmt: skip


# --- through the API -------------------------------------------------------------------------

URL = "/api/v1/savings/groups/{}/meetings"


def _body(world, **extra):
    return {
        "id": str(uuid.uuid4()),
        "held_on": "2024-01-08",
        "members": [
            {"membership_id": str(m.pk), "shares": 2, "health": 100} for m in world.members
        ],
        "counted_loan_fund": 4000,
        "counted_health_fund": 400,
        **extra,
    }


def test_the_api_refuses_a_meeting_dated_0001_01_01(world, client):
    client.force_login(world.facilitator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = client.post(
        URL.format(world.group.pk),
        _body(world, held_on="0001-01-01"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "held_on": ["The date 0001-01-01 is before the start of the program (2000-01-01)."]
    }
    assert _counts() == before


def test_the_api_declares_and_enforces_the_limit_of_the_difference_note(world, client):
    client.force_login(world.facilitator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = client.post(
        URL.format(world.group.pk),
        _body(world, counted_loan_fund=3900, difference_note="d" * 501),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["difference_note"]
    assert _counts() == before
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/savings/groups/{group_id}/meetings"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["difference_note"]["maxLength"] == 500
