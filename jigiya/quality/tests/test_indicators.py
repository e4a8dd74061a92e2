import datetime

from jigiya.indicators.catalog import Cells, get
from jigiya.quality import services
from jigiya.quality.models import ITEM_KEYS
from jigiya.quality.services import AnswerLine

D = datetime.date
MONTHS = [D(2024, m, 1) for m in range(1, 13)]


def _facts(code, cast):
    cells = Cells(
        place_ids=frozenset({cast.community_a.pk, cast.community_b.pk}), months=frozenset(MONTHS)
    )
    return {
        (fact.month.month, fact.place_id == cast.community_a.pk): (fact.numerator, fact.denominator)
        for fact in get(code).compute(cells)
    }


def test_the_catalog_holds_the_quality_indicators():
    codes = [
        "quality.ta_score",
        "quality.ta_top_quartile",
        "quality.satisfaction",
        "quality.return_to_deliver_reported",
        "quality.coaching_sessions",
        "quality.active_projects",
        "quality.progress_score",
        "quality.handover_coach_led",
        "quality.handover_co_led",
        "quality.handover_team_led",
        "quality.handover_handed_over",
    ]
    assert all(get(code) is not None for code in codes)


def test_score_and_top_quartile(cast, national, version, criteria):
    for center, level, day in (
        (cast.center_a, 3, D(2024, 3, 4)),
        (cast.center_b, 0, D(2024, 5, 6)),
    ):
        services.assessment_record(
            actor=national,
            health_center=center,
            version=version,
            assessed_on=day,
            assessors="Jury",
            answers=[AnswerLine(c.pk, c.maximum * level // 3) for c in criteria.values()],
        )
    score = _facts("quality.ta_score", cast)
    assert score == {(3, True): (4200, 4200), (5, False): (0, 4200)}
    assert get("quality.ta_score").value(4200, 4200) == 100.0
    top = _facts("quality.ta_top_quartile", cast)
    assert top[(3, True)] == (1, 1)  # ranked alone in March
    assert (3, False) not in top
    assert top[(5, True)] == (1, 1) and top[(5, False)] == (0, 1)


def test_satisfaction_and_reported_return(cast, coach):
    for n, overall in enumerate(["satisfied"] * 3 + ["partly"]):
        services.exit_interview_record(
            actor=coach,
            health_center=cast.center_a,
            interviewed_on=D(2024, 4, 1 + n),
            answers={**dict.fromkeys(ITEM_KEYS, "satisfied"), "overall": overall},
        )
    services.reported_return_record(
        actor=coach, health_center=cast.center_a, month=D(2024, 4, 1), returned=9, followed=10
    )
    assert _facts("quality.satisfaction", cast) == {(4, True): (3, 4)}
    assert _facts("quality.return_to_deliver_reported", cast) == {(4, True): (9, 10)}


def test_sessions_projects_progress_and_handover_stages(cast, coach):
    services.coaching_session_record(
        actor=coach,
        health_center=cast.center_a,
        held_on=D(2024, 2, 10),
        topics="PDSA",
        attendance=5,
    )
    project = services.project_create(
        actor=coach,
        health_center=cast.center_a,
        title="P",
        aim="A",
        started_on=D(2024, 3, 15),
        measures=[],
    )
    services.progress_score_record(actor=coach, project=project, scored_on=D(2024, 4, 2), score=2)
    services.progress_score_record(
        actor=coach, project=project, scored_on=D(2024, 6, 2), score="3.5"
    )
    services.handover_advance(
        actor=coach,
        health_center=cast.center_a,
        stage="coach_led",
        reached_on=D(2024, 1, 5),
        criteria_met=[],
    )
    services.handover_advance(
        actor=coach,
        health_center=cast.center_a,
        stage="co_led",
        reached_on=D(2024, 7, 5),
        criteria_met=["team_formed", "first_pdsa"],
    )
    assert _facts("quality.coaching_sessions", cast) == {(2, True): (1, None)}
    projects = _facts("quality.active_projects", cast)
    assert (2, True) not in projects and projects[(3, True)] == (1, None)
    progress = _facts("quality.progress_score", cast)
    assert (progress[(4, True)], progress[(5, True)], progress[(6, True)]) == (
        (20, 10),
        (20, 10),
        (35, 10),
    )
    assert get("quality.progress_score").value(35, 10) == 3.5
    coach_led = _facts("quality.handover_coach_led", cast)
    co_led = _facts("quality.handover_co_led", cast)
    assert coach_led[(6, True)] == (1, None) and (7, True) not in coach_led
    assert co_led[(7, True)] == (1, None) and (6, True) not in co_led
