import datetime

import pytest
from django.utils import translation

from jigiya.core.tests.refusals import refused_unchanged
from jigiya.quality import selectors, services
from jigiya.quality.models import HandoverStep, ProgressScore

D = datetime.date


def _steps():
    return list(HandoverStep.objects.values_list("stage", "reached_on"))


def test_the_handover_goes_stage_by_stage_with_its_criteria(cast, coach):
    center = cast.center_a
    services.handover_advance(
        actor=coach,
        health_center=center,
        stage="coach_led",
        reached_on=D(2022, 1, 1),
        criteria_met=[],
    )
    services.handover_advance(
        actor=coach,
        health_center=center,
        stage="co_led",
        reached_on=D(2023, 1, 1),
        criteria_met=["team_formed", "first_pdsa"],
    )
    assert services.current_stage(center).stage == "co_led"
    with translation.override("en"):
        shown = selectors.handover(center)
    assert [(s.stage, labels) for s, labels in shown["steps"]] == [
        ("coach_led", []),
        ("co_led", ["The team has run a PDSA cycle", "A QI team with a lead is formed"]),
    ]


def test_a_stage_skipped_without_its_criteria_is_refused(cast, coach):
    services.handover_advance(
        actor=coach,
        health_center=cast.center_a,
        stage="coach_led",
        reached_on=D(2022, 1, 1),
        criteria_met=[],
    )
    with translation.override("en"):
        errors = refused_unchanged(
            _steps,
            services.handover_advance,
            actor=coach,
            health_center=cast.center_a,
            stage="team_led",
            reached_on=D(2023, 1, 1),
            criteria_met=["team_chairs", "reads_charts"],
        )
    assert errors == {
        "criteria_met": [
            "Stage Co-led needs its criteria: A QI team with a lead is formed; The team has "
            "run a PDSA cycle."
        ]
    }
    # With the skipped stage's criteria met too, the jump is allowed.
    services.handover_advance(
        actor=coach,
        health_center=cast.center_a,
        stage="team_led",
        reached_on=D(2023, 1, 1),
        criteria_met=["team_chairs", "reads_charts", "team_formed", "first_pdsa"],
    )
    assert services.current_stage(cast.center_a).stage == "team_led"


def test_a_stage_already_passed_is_refused(cast, coach):
    services.handover_advance(
        actor=coach,
        health_center=cast.center_a,
        stage="co_led",
        reached_on=D(2022, 1, 1),
        criteria_met=["team_formed", "first_pdsa"],
    )
    with translation.override("en"):
        errors = refused_unchanged(
            _steps,
            services.handover_advance,
            actor=coach,
            health_center=cast.center_a,
            stage="coach_led",
            reached_on=D(2023, 1, 1),
            criteria_met=[],
        )
    assert errors == {"stage": ["This health center is already at the stage Co-led."]}


def _project(cast, coach):
    return services.project_create(
        actor=coach,
        health_center=cast.center_a,
        title="Accueil des femmes enceintes",
        aim="90 % des femmes suivies accouchent au CSCom",
        started_on=D(2024, 1, 1),
        measures=[("outcome", "health.return_to_deliver"), ("process", "quality.satisfaction")],
    )


def test_progress_scores_keep_their_history(cast, coach):
    project = _project(cast, coach)
    for day, score in ((D(2024, 3, 1), "1.5"), (D(2024, 9, 1), 3), (D(2025, 3, 1), 4.5)):
        services.progress_score_record(actor=coach, project=project, scored_on=day, score=score)
    assert [(s.scored_on, s.score) for s in project.scores.all()] == [
        (D(2024, 3, 1), 1.5),
        (D(2024, 9, 1), 3.0),
        (D(2025, 3, 1), 4.5),
    ]


@pytest.mark.parametrize("score", ["0", "5.5", "2.3", "abc"])
def test_a_progress_score_off_the_scale_is_refused(cast, coach, score):
    project = _project(cast, coach)
    with translation.override("en"):
        errors = refused_unchanged(
            ProgressScore.objects.count,
            services.progress_score_record,
            actor=coach,
            project=project,
            scored_on=D(2024, 3, 1),
            score=score,
        )
    assert errors == {"score": [f"The progress score {score} is not one of 0.5, 1.0 … 5.0."]}


def test_a_measure_must_be_an_indicator_of_the_catalog(cast, coach):
    from jigiya.quality.models import Project

    with translation.override("en"):
        errors = refused_unchanged(
            Project.objects.count,
            services.project_create,
            actor=coach,
            health_center=cast.center_a,
            title="T",
            aim="A",
            started_on=D(2024, 1, 1),
            measures=[("outcome", "nope.nothing")],
        )
    assert errors == {"measures": ["“nope.nothing” is not an indicator of the catalog."]}
