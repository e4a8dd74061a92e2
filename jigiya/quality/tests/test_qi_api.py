"""The QI program's writes over the API: each idempotent per client UUID (the same body again
200, other content under the same id 409), refused input 400 with nothing recorded, a health
center or project outside the caller's places 404."""

import datetime
import json
import uuid

from jigiya.quality import services
from jigiya.quality.models import CoachingSession, PdsaCycle, ProgressScore, Project, TeamMember


def _post(client, url, body):
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def _counts():
    return tuple(
        m.objects.count() for m in (TeamMember, CoachingSession, Project, PdsaCycle, ProgressScore)
    )


def _project(cast, coach, center=None):
    return services.project_create(
        actor=coach, health_center=center or cast.center_a, title="Attente",
        aim="Moins de 30 minutes d'attente", started_on=datetime.date(2025, 1, 6),
        measures=[],
    )  # fmt: skip


def test_a_team_member_sent_twice_is_kept_once(cast, coach, client):
    client.force_login(coach)
    url = f"/api/v1/quality/health-centers/{cast.center_a.pk}/team-members"
    body = {"id": str(uuid.uuid4()), "full_name": "Awa Koné", "role": "lead",
            "since": "2025-01-02"}  # fmt: skip
    first = _post(client, url, body)
    assert first.status_code == 201
    assert first.json() == {**body, "health_center_id": str(cast.center_a.pk)}
    assert _post(client, url, body).status_code == 200
    assert _post(client, url, {**body, "role": "data"}).status_code == 409
    assert list(TeamMember.objects.values_list("full_name", "role")) == [("Awa Koné", "lead")]
    refused = _post(client, url, {**body, "id": str(uuid.uuid4()), "role": "boss"})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"role": ["Choose a role of the QI team."]}
    assert TeamMember.objects.count() == 1


def test_a_coaching_session_sent_twice_is_kept_once(cast, coach, client):
    client.force_login(coach)
    url = f"/api/v1/quality/health-centers/{cast.center_a.pk}/coaching-sessions"
    body = {"id": str(uuid.uuid4()), "held_on": "2025-06-02", "topics": "Run charts",
            "attendance": 7, "notes": "", "next_steps": "PDSA 2"}  # fmt: skip
    assert _post(client, url, body).status_code == 201
    assert _post(client, url, body).status_code == 200
    assert _post(client, url, {**body, "attendance": 8}).status_code == 409
    session = CoachingSession.objects.get()
    assert (session.topics, session.attendance, session.next_steps) == ("Run charts", 7, "PDSA 2")


def test_a_project_with_a_measure_outside_the_catalog_is_refused(cast, coach, client):
    client.force_login(coach)
    url = f"/api/v1/quality/health-centers/{cast.center_a.pk}/projects"
    body = {"id": str(uuid.uuid4()), "title": "Attente", "aim": "Moins d'attente",
            "started_on": "2025-01-06",
            "measures": [{"kind": "outcome", "indicator_code": "quality.satisfaction"}]}  # fmt: skip
    before = _counts()
    refused = _post(client, url, {**body, "measures": [{"kind": "outcome",
                                                        "indicator_code": "no.such"}]})  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "measures": ["“no.such” is not an indicator of the catalog."]
    }
    assert _counts() == before
    assert _post(client, url, body).status_code == 201
    assert _post(client, url, body).status_code == 200
    project = Project.objects.get()
    assert list(project.measures.values_list("kind", "indicator_code")) == [
        ("outcome", "quality.satisfaction")
    ]


def test_pdsa_cycles_and_progress_scores(cast, coach, client):
    project = _project(cast, coach)
    client.force_login(coach)
    url = f"/api/v1/quality/projects/{project.pk}/pdsa-cycles"
    body = {"id": str(uuid.uuid4()), "started_on": "2025-02-03", "plan": "Tickets",
            "prediction": "Attente divisée par deux", "act": "adopt"}  # fmt: skip
    assert _post(client, url, body).status_code == 201
    assert _post(client, url, body).status_code == 200
    refused = _post(client, url, {**body, "id": str(uuid.uuid4()), "act": "maybe"})
    assert refused.status_code == 400
    assert PdsaCycle.objects.get().act == "adopt"
    url = f"/api/v1/quality/projects/{project.pk}/progress-scores"
    body = {"id": str(uuid.uuid4()), "scored_on": "2025-03-01", "score": 2.5, "note": ""}
    first = _post(client, url, body)
    assert first.status_code == 201
    assert first.json() == {**body, "project_id": str(project.pk)}
    assert _post(client, url, body).status_code == 200
    assert _post(client, url, {**body, "score": 3.0}).status_code == 409
    before = _counts()
    refused = _post(client, url, {**body, "id": str(uuid.uuid4()), "score": 2.3})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "score": ["The progress score 2.3 is not one of 0.5, 1.0 … 5.0."]
    }
    assert _counts() == before
    assert list(ProgressScore.objects.values_list("tenths", flat=True)) == [25]


def test_qi_writes_outside_the_callers_places_are_not_found(cast, coach, client):
    project = _project(cast, cast.user("qi_coach", "b"), center=cast.center_b)
    client.force_login(coach)
    before = _counts()
    center = f"/api/v1/quality/health-centers/{cast.center_b.pk}"
    member = {"id": str(uuid.uuid4()), "full_name": "X", "role": "lead", "since": "2025-01-02"}
    assert _post(client, f"{center}/team-members", member).status_code == 404
    score = {"id": str(uuid.uuid4()), "scored_on": "2025-03-01", "score": 2.5}
    url = f"/api/v1/quality/projects/{project.pk}/progress-scores"
    assert _post(client, url, score).status_code == 404
    assert _counts() == before
