"""`made_at` on the savings meeting the facilitator's phone sends (issue 16): kept on the
meeting beside the time received, never part of what a replay compares; ahead of the server's
clock beyond a few minutes, or before the program started, refused with 422 on `made_at`
and nothing posted."""

import datetime

from jigiya.savings.models import Entry, Meeting
from jigiya.savings.tests.test_api import _body, _post

NOW = datetime.datetime(2024, 6, 30, 12, tzinfo=datetime.UTC)  # the frozen clock (conftest)


def test_the_time_made_on_the_phone_is_kept_and_a_replay_without_it_is_the_same(world, client):
    client.force_login(world.facilitator)
    body = _body(world, made_at="2024-01-08T17:30:00Z")
    assert _post(client, world, body).status_code == 201
    meeting = Meeting.objects.get(pk=body["id"])
    made_at = datetime.datetime(2024, 1, 8, 17, 30, tzinfo=datetime.UTC)
    assert (meeting.made_at, meeting.created_at) == (made_at, NOW)
    del body["made_at"]
    assert _post(client, world, body).status_code == 200
    assert Meeting.objects.get().made_at == made_at


def test_a_time_in_the_future_or_before_the_program_is_refused_and_nothing_posted(
    world, client, settings
):
    settings.PROGRAM_START_DATE = datetime.date(2024, 1, 1)
    client.force_login(world.facilitator)
    entries = Entry.objects.count()
    for made in ("2024-06-30T12:06:00Z", "2023-12-31T23:00:00Z"):
        body = _body(world, made_at=made)
        response = _post(client, world, body)
        assert response.status_code == 422, response.json()
        assert list(response.json()["error"]["fields"]) == ["made_at"]
    assert (Meeting.objects.count(), Entry.objects.count()) == (0, entries)
