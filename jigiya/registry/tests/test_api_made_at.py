"""`made_at` on the registry's API writes a field client sends (issue 16): households and
people. Kept on the record beside the time received; ahead of the server's clock beyond a few
minutes, or before the program started, refused with 422 on `made_at` and nothing stored."""

import datetime
import uuid
from typing import Any

from jigiya.registry.models import Household, Person

NOW = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)  # the frozen clock (conftest)
MADE = "2025-06-09T16:45:00Z"
MADE_AT = datetime.datetime(2025, 6, 9, 16, 45, tzinfo=datetime.UTC)


def _writes(cast: Any, household: Any) -> list[tuple[str, dict[str, Any], Any]]:
    return [
        (
            f"/api/v1/registry/communities/{cast.community_a.pk}/households",
            {"id": str(uuid.uuid4()), "name": "Famille Keïta"},
            Household,
        ),
        (
            f"/api/v1/registry/households/{household.pk}/people",
            {
                "id": str(uuid.uuid4()),
                "given_name": "Oumou",
                "family_name": "Diarra",
                "sex": "F",
                "relationship": "child",
                "birth_date": "2020-02-02",
            },
            Person,
        ),
    ]


def test_the_time_made_on_the_phone_is_kept_beside_the_time_received(client, cast, chw, household):
    client.force_login(chw)
    for url, body, model in _writes(cast, household):
        response = client.post(url, body | {"made_at": MADE}, content_type="application/json")
        assert response.status_code == 201, response.json()
        record = model.objects.get(pk=body["id"])
        assert (record.made_at, record.created_at) == (MADE_AT, NOW)


def test_a_time_in_the_future_or_before_the_program_is_refused_and_nothing_stored(
    client, cast, chw, household, settings
):
    settings.PROGRAM_START_DATE = datetime.date(2025, 1, 1)
    client.force_login(chw)
    counts = (Household.objects.count(), Person.objects.count())
    for url, body, _model in _writes(cast, household):
        for made in ("2025-06-10T09:06:00Z", "2024-12-31T23:00:00Z"):
            response = client.post(url, body | {"made_at": made}, content_type="application/json")
            assert response.status_code == 422, response.json()
            assert list(response.json()["error"]["fields"]) == ["made_at"]
    assert (Household.objects.count(), Person.objects.count()) == counts
