"""`made_at` on the follow-up's API writes a field client sends (issue 16): visits, referrals,
pregnancies. Optional; kept on the record beside the time received; a time ahead of the
server's clock within a few minutes is stored as now (a phone's clock running ahead); further
ahead, or before the program started, refused with 422 on `made_at` and nothing stored."""

import datetime
import uuid
from typing import Any

import pytest
import time_machine

from jigiya.followup.models import Referral, Visit
from jigiya.registry.models import Pregnancy

NOW = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)
MADE = "2025-06-10T07:15:00Z"
MADE_AT = datetime.datetime(2025, 6, 10, 7, 15, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _writes(household: Any, mother: Any) -> list[tuple[str, dict[str, Any], Any]]:
    """(url, body, model) of each write, each under a new id."""
    return [
        (
            f"/api/v1/followup/households/{household.pk}/visits",
            {"id": str(uuid.uuid4()), "date": "2025-06-10", "people": [str(mother.pk)]},
            Visit,
        ),
        (
            f"/api/v1/followup/people/{mother.pk}/referrals",
            {
                "id": str(uuid.uuid4()),
                "referred_on": "2025-06-10",
                "reasons": ["other"],
                "urgency": "routine",
            },
            Referral,
        ),
        (
            f"/api/v1/registry/people/{mother.pk}/pregnancies",
            {"id": str(uuid.uuid4()), "months_pregnant": 3},
            Pregnancy,
        ),
    ]


def test_the_time_made_on_the_phone_is_kept_beside_the_time_received(
    client, chw, household, mother
):
    client.force_login(chw)
    for url, body, model in _writes(household, mother):
        response = client.post(url, body | {"made_at": MADE}, content_type="application/json")
        assert response.status_code == 201, response.json()
        record = model.objects.get(pk=body["id"])
        assert (record.made_at, record.created_at) == (MADE_AT, NOW)
    # Without it: none. A clock four minutes ahead: now.
    url, body, _model = _writes(household, mother)[0]
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert Visit.objects.get(pk=body["id"]).made_at is None
    url, body, _model = _writes(household, mother)[1]
    ahead = body | {"made_at": "2025-06-10T09:04:00Z"}
    assert client.post(url, ahead, content_type="application/json").status_code == 201
    assert Referral.objects.get(pk=body["id"]).made_at == NOW


def test_a_time_in_the_future_or_before_the_program_is_refused_and_nothing_stored(
    client, chw, household, mother, settings
):
    settings.PROGRAM_START_DATE = datetime.date(2025, 1, 1)
    client.force_login(chw)
    counts = [model.objects.count() for _url, _body, model in _writes(household, mother)]
    for url, body, model in _writes(household, mother):
        for made in ("2025-06-10T09:06:00Z", "2024-12-31T23:00:00Z", "not a time"):
            response = client.post(url, body | {"made_at": made}, content_type="application/json")
            assert response.status_code == 422, response.json()
            assert list(response.json()["error"]["fields"]) == ["made_at"]
        assert not model.objects.filter(pk=body["id"]).exists()
    assert [model.objects.count() for _u, _b, model in _writes(household, mother)] == counts
