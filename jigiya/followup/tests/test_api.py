import datetime
import uuid

import pytest
import time_machine
from django.utils import translation

from jigiya.followup import services as followup_services
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
    followup_services.enrollment_start(
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


def test_household_and_person_tasks_give_the_state_shown_and_the_history(
    client, chw, household, child
):
    client.force_login(chw)
    with time_machine.travel(datetime.datetime(2025, 6, 12, 9, 0), tick=False):
        tasks = client.get(f"/api/v1/followup/households/{household.pk}/tasks").json()
        person_tasks = client.get(f"/api/v1/followup/people/{child.pk}/tasks").json()
    assert [
        (t["kind"], t["due_date"], t["state"], t["stored_state"], t["history"]) for t in tasks
    ] == [
        ("child_visit", "2025-06-10", "overdue", "open", [
            {"day": "2025-06-10", "from_state": "", "to_state": "open", "visit_id": None, "note": ""}
        ]),
    ]  # fmt: skip
    assert person_tasks == tasks


def test_a_child_check_on_a_child_over_five_and_a_month_answers_400(client, chw, household):
    client.force_login(chw)
    boy = registry.person_register(
        actor=chw, household=household, given_name="Moussa", family_name="Sow", sex="M",
        relationship="child", birth_date=datetime.date(2020, 3, 1),
    )  # fmt: skip
    body = {
        "id": str(uuid.uuid4()),
        "date": "2025-06-10",
        "children": [{"person_id": str(boy.pk), "muac_mm": 150}],
    }
    with translation.override("en"):
        response = client.post(
            f"/api/v1/followup/households/{household.pk}/visits",
            body,
            content_type="application/json",
            headers={"accept-language": "en"},
        )
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["children.0.person_id"][0]
    assert message.startswith("Moussa Sow is 5 years 3 months old on 2025-06-10")
    assert Visit.objects.count() == 0


def test_a_pregnancy_check_after_the_delivery_answers_400(client, chw, household):
    client.force_login(chw)
    woman = registry.person_register(
        actor=chw, household=household, given_name="Mariam", family_name="Sow", sex="F",
        relationship="spouse", birth_date=datetime.date(1998, 1, 1),
    )  # fmt: skip
    pregnancy = followup_services.pregnancy_register(
        actor=chw, woman=woman, lmp=datetime.date(2024, 9, 1)
    )
    followup_services.pregnancy_outcome_record(
        actor=chw, pregnancy=pregnancy, outcome_date=datetime.date(2025, 6, 1),
        birth_outcome="live_birth", outcome_place="this_cscom", health_center=household.community.health_center,
    )  # fmt: skip
    body = {
        "id": str(uuid.uuid4()),
        "date": "2025-06-10",
        "people": [str(woman.pk)],
        "pregnancies": [{"pregnancy_id": str(pregnancy.pk), "danger_signs": ["fever"]}],
    }
    response = client.post(
        f"/api/v1/followup/households/{household.pk}/visits", body, content_type="application/json"
    )
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["pregnancies.0.pregnancy_id"][0]
    assert "Mariam Sow" in message and "2025-06-01" in message
    assert Visit.objects.count() == 0 and Referral.objects.count() == 0
