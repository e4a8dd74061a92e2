import datetime
import json
import uuid

from jigiya.quality.models import ITEM_KEYS, Assessment, ExitInterview

D = datetime.date


def _post(client, url, body):
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_an_assessment_sent_twice_is_kept_once_and_other_content_is_a_conflict(
    cast, coach, client, criteria
):
    client.force_login(coach)
    url = f"/api/v1/quality/health-centers/{cast.center_a.pk}/assessments"
    body = {
        "id": str(uuid.uuid4()),
        "assessed_on": "2025-06-01",
        "assessors": "Seydou",
        "answers": [{"criterion_id": str(c.pk), "value": c.maximum} for c in criteria.values()],
    }
    first = _post(client, url, body)
    assert first.status_code == 201
    assert first.json()["score"] == 100.0
    assert _post(client, url, body).status_code == 200
    assert _post(client, url, {**body, "assessors": "Other"}).status_code == 409
    assert Assessment.objects.count() == 1


def test_an_assessment_outside_the_callers_places_is_not_found(cast, coach, client, criteria):
    client.force_login(coach)
    url = f"/api/v1/quality/health-centers/{cast.center_b.pk}/assessments"
    body = {"id": str(uuid.uuid4()), "assessed_on": "2025-06-01", "assessors": "S", "answers": []}
    assert _post(client, url, body).status_code == 404
    assert Assessment.objects.count() == 0


def test_an_exit_interview_answer_not_among_the_choices_is_refused(cast, coach, client):
    client.force_login(coach)
    url = f"/api/v1/quality/health-centers/{cast.center_a.pk}/exit-interviews"
    body = {
        "id": str(uuid.uuid4()),
        "interviewed_on": "2025-06-01",
        **dict.fromkeys(ITEM_KEYS, "satisfied"),
        "cost": "cheap",
    }
    response = _post(client, url, body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "cost": [
            "“cheap” is not one of the choices for Cost: Satisfied, Partly satisfied, "
            "Not satisfied, Does not apply."
        ]
    }
    assert ExitInterview.objects.count() == 0
    ok = _post(client, url, {**body, "cost": "partly"})
    assert ok.status_code == 201
    assert _post(client, url, {**body, "cost": "partly"}).status_code == 200


def test_the_ranking_endpoint(cast, coach, client):
    client.force_login(coach)
    response = client.get("/api/v1/quality/ranking?on=2025-06-01")
    assert response.status_code == 200
    assert response.json() == [
        {
            "health_center_id": str(cast.center_a.pk),
            "name": "CSCom A",
            "rank": None,
            "quartile": None,
            "score": None,
            "assessed_on": None,
        }
    ]
