"""Assigning and changing a CSCom's QI coach: the history is kept, the coach must be a QI coach
of the health center's places, and refused changes leave everything as it was."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jigiya.accounts.roles import Role
from jigiya.quality import selectors, services
from jigiya.quality.models import CoachAssignment

D = datetime.date


def _state():
    return sorted(CoachAssignment.objects.values_list("coach__username", "since"))


def test_a_change_of_coach_keeps_the_history(cast, coach, client):
    other = cast.user(Role.QI_COACH, "above")
    services.coach_assign(
        actor=coach, health_center=cast.center_a, coach=coach, since=D(2024, 1, 1)
    )
    services.coach_assign(
        actor=coach, health_center=cast.center_a, coach=other, since=D(2025, 3, 1)
    )
    history = selectors.coach_history(center=cast.center_a)
    assert [(a.coach, a.since) for a in history] == [(other, D(2025, 3, 1)), (coach, D(2024, 1, 1))]


def test_refused_coach_changes_change_nothing(cast, coach):
    services.coach_assign(
        actor=coach, health_center=cast.center_a, coach=coach, since=D(2025, 1, 1)
    )
    before = _state()
    cases = [
        (cast.user(Role.CHW, "a"), D(2025, 2, 1), "coach", "is not a QI coach for this health center."),
        (cast.user(Role.QI_COACH, "b"), D(2025, 2, 1), "coach", "is not a QI coach for this health center."),
        (coach, D(2025, 2, 1), "coach", "is already the coach."),
        (cast.user(Role.QI_COACH, "above"), D(2024, 12, 31), "since",
         "The date is before the current coach's assignment (2025-01-01)."),
    ]  # fmt: skip
    for user, since, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            services.coach_assign(actor=coach, health_center=cast.center_a, coach=user, since=since)
        assert message in refused.value.message_dict[field][0]
        assert _state() == before


def test_the_coach_page_assigns_and_shows_the_history(cast, coach, client):
    other = cast.user(Role.QI_COACH, "above")
    client.force_login(coach)
    url = f"/quality/centers/{cast.center_a.pk}/coach/"
    page = client.get(url)
    assert page.status_code == 200 and "No coach assigned yet." in page.content.decode()
    response = client.post(url, {"coach": other.pk, "since": "2025-06-01"})
    assert response.status_code == 302 and response["Location"] == url
    refused = client.post(url, {"coach": other.pk, "since": "2025-06-02"})
    assert refused.status_code == 400 and "is already the coach." in refused.content.decode()
    assert _state() == [(other.username, D(2025, 6, 1))]
    # A program manager sees the history, cannot assign.
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    page = client.get(url).content.decode()
    assert "from 2025-06-01" in page and 'name="coach"' not in page
    assert client.post(url, {"coach": coach.pk, "since": "2025-06-20"}).status_code == 403
    assert _state() == [(other.username, D(2025, 6, 1))]
