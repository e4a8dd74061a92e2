import datetime
import uuid

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jigiya.accounts.roles import Role
from jigiya.quality import services
from jigiya.quality.models import ITEM_KEYS, Assessment, ExitInterview
from jigiya.quality.services import AnswerLine
from jigiya.quality.tests.conftest import assembly

D = datetime.date


def _complete(cast, actor, version, criteria, center, day, level=3):
    return services.assessment_record(
        actor=actor,
        health_center=center,
        version=version,
        assessed_on=day,
        assessors="Jury",
        answers=[AnswerLine(c.pk, c.maximum if level == 3 else 0) for c in criteria.values()],
    )


def test_the_assessment_page_prefills_and_records_a_complete_scorecard(
    cast, coach, client, version, criteria
):
    assembly(cast, cast.user(Role.ADMIN, "a"), D(2025, 1, 18))
    client.force_login(coach)
    url = f"/quality/centers/{cast.center_a.pk}/assessments/new/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "General assembly of 2025-01-18." in page.content.decode()
    data = {"id": str(uuid.uuid4()), "assessed_on": "2025-06-30", "assessors": "Seydou, Hawa"}
    for c in criteria.values():
        data[f"v_{c.pk}"] = str(c.maximum)
        data[f"e_{c.pk}"] = "vu"
    response = client.post(url, data)
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/quality/assessments/{assessment.pk}/"
    assert assessment.score == 100.0
    pre = assessment.answers.get(criterion=criteria["assembly_12m"])
    assert (pre.value, pre.source_url) == (1, f"/places/health-centers/{cast.center_a.pk}/")
    card = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "100.0 / 100" in card and "Seydou, Hawa" in card


def test_a_score_outside_its_scale_on_the_page_says_so_and_records_nothing(
    cast, coach, client, version, criteria
):
    client.force_login(coach)
    url = f"/quality/centers/{cast.center_a.pk}/assessments/new/"
    data = {
        "id": str(uuid.uuid4()),
        "assessed_on": "2025-06-30",
        "assessors": "Seydou",
        f"v_{criteria['board_women'].pk}": "140",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The score 140 of “Part des femmes au bureau” is outside its scale (0 to 100)." in (
        response.content.decode()
    )
    assert Assessment.objects.count() == 0


def test_an_exit_interview_page_records_one_respondent(cast, coach, client):
    client.force_login(coach)
    url = f"/quality/centers/{cast.center_a.pk}/interviews/new/"
    data = {
        "id": str(uuid.uuid4()),
        "interviewed_on": "2025-06-30",
        **dict.fromkeys(ITEM_KEYS, "satisfied"),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert ExitInterview.objects.count() == 1


def test_the_league_table_and_the_profile_show_rank_and_moves(
    cast, coach, client, version, criteria, national
):
    _complete(cast, national, version, criteria, cast.center_a, D(2023, 6, 1), level=0)
    _complete(cast, national, version, criteria, cast.center_b, D(2023, 6, 1), level=3)
    _complete(cast, national, version, criteria, cast.center_a, D(2024, 6, 1), level=3)
    _complete(cast, national, version, criteria, cast.center_b, D(2024, 6, 1), level=0)
    english(client, national)
    page = client.get("/quality/?on=2024-12-31", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1. CSCom A" in page and "2. CSCom B" in page
    assert "quartile 3 → 1" in page and "quartile 1 → 3" in page
    english(client, coach)
    profile = client.get(
        f"/quality/centers/{cast.center_a.pk}/?on=2024-12-31", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "1 of 2 (quartile 1), score 100.0 / 100" in profile
    assert profile.count('<svg class="chart trend"') == 1  # scores over time
    assert "CSCom B" not in client.get("/quality/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def _more(cast, coach, version, criteria, year):
    _complete(cast, coach, version, criteria, cast.center_a, D(year, 1, 5))
    for n in range(3):
        services.exit_interview_record(
            actor=coach,
            health_center=cast.center_a,
            interviewed_on=D(year, 5, 1 + n),
            answers=dict.fromkeys(ITEM_KEYS, "satisfied"),
        )
    project = services.project_create(
        actor=coach,
        health_center=cast.center_a,
        title=f"P{year}",
        aim="A",
        started_on=D(year, 1, 1),
        measures=[("outcome", "quality.satisfaction")],
    )
    services.progress_score_record(actor=coach, project=project, scored_on=D(year, 2, 1), score=2)
    services.handover_advance(
        actor=coach,
        health_center=cast.center_a,
        stage=["coach_led", "co_led"][year - 2024],
        reached_on=D(year, 3, 1),
        criteria_met=["team_formed", "first_pdsa"],
    )


def test_the_profile_costs_a_fixed_number_of_queries(cast, coach, client, version, criteria):
    client.force_login(coach)
    url = f"/quality/centers/{cast.center_a.pk}/"
    _more(cast, coach, version, criteria, 2024)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _more(cast, coach, version, criteria, 2025)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_league_table_costs_a_fixed_number_of_queries(cast, version, criteria, national):
    from jigiya.places.tests.factories import HealthCenterFactory

    client = Client()
    client.force_login(national)
    _complete(cast, national, version, criteria, cast.center_a, D(2024, 6, 1))
    with CaptureQueriesContext(connection) as few:
        assert "1. CSCom A" in client.get("/quality/?on=2024-12-31").content.decode()
    for n in range(6):
        center = HealthCenterFactory(name=f"CSCom G{n}", code=f"G{n}", place=cast.community_a)
        for year in (2023, 2024):
            _complete(cast, national, version, criteria, center, D(year, 6, 1), level=3 * (n % 2))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/quality/?on=2024-12-31").content.decode()
    assert "1. CSCom A" in page and "1. CSCom G1" in page and "5. CSCom G0" in page
    assert len(many) == len(few)


def english(client, user):
    """Log in and pick English on the device (French is the default)."""
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en"})


def test_the_qi_pages_record_a_project_its_pdsa_cycle_and_progress(cast, coach, client):
    from jigiya.quality.models import PdsaCycle, Project

    client.force_login(coach)
    center = cast.center_a.pk
    response = client.post(
        f"/quality/centers/{center}/projects/new/",
        {
            "title": "Retour",
            "aim": "95 %",
            "started_on": "2025-01-06",
            "outcome": "quality.satisfaction",
            "process": "",
            "balancing": "",
        },
    )
    project = Project.objects.get()
    assert response["Location"] == f"/quality/projects/{project.pk}/"
    assert [(m.kind, m.indicator_code) for m in project.measures.all()] == [
        ("outcome", "quality.satisfaction")
    ]
    client.post(
        f"/quality/projects/{project.pk}/pdsa/new/",
        {"started_on": "2025-02-01", "plan": "Appeler", "prediction": "Plus", "act": "adopt"},
    )
    client.post(
        f"/quality/projects/{project.pk}/scores/new/", {"scored_on": "2025-03-01", "score": "2.5"}
    )
    assert PdsaCycle.objects.get().act == "adopt"
    assert [s.score for s in project.scores.all()] == [2.5]
    page = client.get(f"/quality/projects/{project.pk}/")
    assert page.status_code == 200
    session = client.post(
        f"/quality/centers/{center}/sessions/new/",
        {"held_on": "2025-03-03", "topics": "Graphiques", "attendance": "6"},
    )
    assert session.status_code == 302
    assert (
        client.post(
            f"/quality/centers/{center}/team/new/",
            {"full_name": "Dr Sanogo", "role": "lead", "since": "2025-01-01"},
        ).status_code
        == 302
    )
