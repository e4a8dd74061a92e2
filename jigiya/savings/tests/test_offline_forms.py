"""The meeting page sent again by the phone's outbox (issue 16): the same meeting once, the
time it was made on the phone kept beside the time received, another meeting under the same
id refused with a clear message (409), nothing posted twice."""

import datetime

from jigiya.savings.models import Entry, Meeting
from jigiya.savings.tests.test_views import _form

MADE = "2024-01-08T09:30:00Z"  # on the phone, under the tree, before the network returned


def test_the_meeting_sent_again_is_stored_once_with_the_phones_time(world, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.facilitator)
    url = f"/savings/{world.group.pk}/meetings/new/"
    first = client.post(url, _form(world, made_at=MADE))
    again = client.post(url, _form(world, made_at=MADE))
    meeting = Meeting.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == meeting.get_absolute_url()
    assert meeting.made_at == datetime.datetime(2024, 1, 8, 9, 30, tzinfo=datetime.UTC)
    assert meeting.created_at > meeting.made_at
    assert Entry.objects.count() == 8


def test_another_meeting_under_the_same_id_is_a_conflict_and_changes_nothing(
    world, client, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.facilitator)
    url = f"/savings/{world.group.pk}/meetings/new/"
    client.post(url, _form(world))
    response = client.post(url, _form(world, m0_shares="3", counted_loan_fund="4500"))
    assert response.status_code == 409
    assert "A different meeting was already sent with this id." in response.content.decode()
    assert Meeting.objects.count() == 1
    assert Entry.objects.count() == 8


def test_a_phone_clock_ahead_is_not_believed(world, client):
    client.force_login(world.facilitator)
    url = f"/savings/{world.group.pk}/meetings/new/"
    assert client.post(url, _form(world, made_at="2999-01-01T00:00:00Z")).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.made_at is not None and meeting.made_at <= meeting.created_at
