from jigiya.core.generate import SCALES, Progress, discover_steps, step_rng
from jigiya.quality import generate, selectors
from jigiya.quality.models import Assessment


def test_tiny_scale_makes_ranked_partners_interviews_and_qi_work(version):
    # `version` comes with the fixed cast, whose country (code ML) the generated places need.
    steps = {step.name: step for step in discover_steps()}
    steps["places"].generate(SCALES["tiny"], step_rng(1, steps["places"]), Progress())
    created = generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress())
    assert created == {
        "assessments": 12,  # 3 centers, 4 rounds
        "scorecard answers": 84,
        "exit interviews": 72,
        "reported returns": 54,
        "coaching sessions": 36,
        "QI projects": 3,
    }
    for assessment in Assessment.objects.all():  # bulk rows carry the points a service computes
        answers = list(assessment.answers.select_related("criterion"))
        assert assessment.points == sum(
            a.criterion.weight * a.value * (300 // a.criterion.maximum) for a in answers
        )
    ranked = [
        r for r in selectors.rank_all(SCALES and __import__("datetime").date(2026, 1, 1)) if r.rank
    ]
    assert len(ranked) == 3
    assert generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress()) == {}
    assert generate.reset()["assessments"] == 12
