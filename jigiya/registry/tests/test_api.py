import uuid

import pytest

from jigiya.registry.models import Household, Person


@pytest.fixture
def api(client, chw):
    client.force_login(chw)
    return client


def _post(api, url, body):
    return api.post(url, body, content_type="application/json")


def test_a_retried_household_creates_nothing_twice(api, cast, chw):
    body = {"id": str(uuid.uuid4()), "name": "Famille Sidibé", "chw_id": str(chw.pk)}
    url = f"/api/v1/registry/communities/{cast.community_a.pk}/households"
    first = _post(api, url, body)
    again = _post(api, url, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    conflict = _post(api, url, {**body, "name": "Autre"})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "conflict"
    assert Household.objects.count() == 1


def test_a_possible_duplicate_answers_400_with_the_candidates(api, household):
    url = f"/api/v1/registry/households/{household.pk}/people"
    person = {
        "given_name": "Kadiatou", "family_name": "Camara", "sex": "F",
        "relationship": "child", "birth_date": "2024-02-01",
    }  # fmt: skip
    assert _post(api, url, {**person, "id": str(uuid.uuid4())}).status_code == 201
    response = _post(api, url, {**person, "given_name": "Kadiatu", "id": str(uuid.uuid4())})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["confirm_duplicate"]
    assert [c["given_name"] for c in response.json()["candidates"]] == ["Kadiatou"]
    confirmed = _post(
        api,
        url,
        {**person, "given_name": "Kadiatu", "id": str(uuid.uuid4()), "confirm_duplicate": True},
    )
    assert confirmed.status_code == 201
    assert Person.objects.count() == 2


def test_a_body_that_does_not_match_is_422_inside_and_404_outside(api, cast, household):
    inside = _post(api, f"/api/v1/registry/households/{household.pk}/people", {"sex": "X"})
    assert inside.status_code == 422
    assert "given_name" in inside.json()["error"]["fields"]
    other = Household.objects.create(name="B", community=cast.community_b)
    assert _post(api, f"/api/v1/registry/households/{other.pk}/people", {}).status_code == 404


def test_the_household_detail_lists_members_and_next_tasks(api, household):
    url = f"/api/v1/registry/households/{household.pk}/people"
    child_id = str(uuid.uuid4())
    _post(api, url, {"id": child_id, "given_name": "Ali", "family_name": "Sow", "sex": "M",
                     "relationship": "child", "birth_date": "2024-02-01"})  # fmt: skip
    enrolled = _post(
        api,
        f"/api/v1/registry/people/{child_id}/enrollments",
        {"id": str(uuid.uuid4()), "program": "child", "start": "2025-06-10"},
    )
    assert enrolled.status_code == 201
    body = api.get(f"/api/v1/registry/households/{household.pk}").json()
    assert [m["given_name"] for m in body["members"]] == ["Ali"]
    assert [(t["kind"], t["due_date"]) for t in body["next_tasks"]] == [
        ("child_visit", "2025-06-10")
    ]
    # The state as the pages show it (upcoming, due, overdue), not the stored "open".
    from django.utils import timezone

    from jigiya.followup.models import Task

    task = Task.objects.get(person_id=child_id)
    assert body["next_tasks"][0]["state"] == task.shown_state(timezone.localdate()) == "due"
