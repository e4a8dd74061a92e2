import datetime
import uuid

import pytest
import time_machine

from jigiya.followup.models import Referral, Visit
from jigiya.registry import services as registry


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def child(chw, household):
    person = registry.person_register(
        actor=chw, household=household, given_name="Ali", family_name="Sow", sex="M",
        relationship="child", birth_date=datetime.date(2024, 6, 10),
    )  # fmt: skip
    registry.enrollment_start(
        actor=chw, person=person, program="child", start=datetime.date(2025, 6, 10)
    )
    return person


def test_a_visit_sent_twice_is_recorded_once(client, chw, household, child):
    client.force_login(chw)
    url = f"/api/v1/followup/households/{household.pk}/visits"
    body = {
        "id": str(uuid.uuid4()),
        "date": "2025-06-10",
        "people": [str(child.pk)],
        "children": [
            {"person_id": str(child.pk), "weight_kg": "9.6", "height_cm": "75.7", "muac_mm": 112}
        ],
        "education": [{"topic": "hygiene", "attendee_ids": [str(child.pk)]}],
    }
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["children"][0]["muac_band"] == "red"
    assert first.json()["children"][0]["waz"] == "-0.04"
    assert len(first.json()["referrals"]) == 1
    assert Visit.objects.count() == 1 and Referral.objects.count() == 1
    body["children"][0]["muac_mm"] = 140
    assert client.post(url, body, content_type="application/json").status_code == 409


def test_an_impossible_weight_answers_400_naming_the_field(client, chw, household, child):
    client.force_login(chw)
    body = {
        "id": str(uuid.uuid4()),
        "date": "2025-06-10",
        "people": [str(child.pk)],
        "children": [{"person_id": str(child.pk), "weight_kg": "80"}],
    }
    response = client.post(
        f"/api/v1/followup/households/{household.pk}/visits", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["children.0.weight_kg"]
    assert Visit.objects.count() == 0


def test_the_worklist_and_the_referral_outcome(client, cast, chw, household, child):
    client.force_login(chw)
    worklist = client.get("/api/v1/followup/worklist").json()
    assert [t["kind"] for t in worklist["due_today"]] == ["child_visit"]
    created = client.post(
        f"/api/v1/followup/people/{child.pk}/referrals",
        {
            "id": str(uuid.uuid4()),
            "referred_on": "2025-06-10",
            "reasons": ["other"],
            "urgency": "routine",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    staff = cast.user("health_center_staff", "a")
    client.force_login(staff)
    closed = client.post(
        f"/api/v1/followup/referrals/{created.json()['id']}/outcome",
        {"seen": True, "seen_by": "Sage-femme", "action_taken": "Paludisme traité"},
        content_type="application/json",
    )
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closed_via"]) == ("seen", "health_center")
