import datetime
import uuid

import pytest
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.core.errors import Conflict
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.places import services as places
from jigiya.quality import selectors, services
from jigiya.quality.models import Answer, Assessment
from jigiya.quality.services import AnswerLine
from jigiya.quality.tests.conftest import assembly

D = datetime.date


def _state():
    return (
        Assessment.objects.count(),
        Answer.objects.count(),
        list(Assessment.objects.values_list("points", "complete")),
    )


def _all(criteria, **values):
    return [
        AnswerLine(c.pk, values.get(key, c.maximum), f"note {key}") for key, c in criteria.items()
    ]


def test_the_score_is_the_weighted_share_of_points_on_0_to_100(cast, coach, version, criteria):
    # yes/no: 1 of 1 (w3), 0 of 1 (w2); percent 40 of 100 (w1); 0-3: 2 of 3 (w3), 3 (w2),
    # 1 of 3 (w2), 0 (w1). Weights 14: (3*1 + 0 + 0.4 + 3*2/3 + 2 + 2/3 + 0) / 14 = 8.0667/14
    answers = _all(
        criteria,
        board_term=0,
        board_women=40,
        accounts_presented=2,
        complaints_channel=1,
        community_feedback=0,
    )
    assessment = services.assessment_record(
        actor=coach,
        health_center=cast.center_a,
        version=version,
        assessed_on=D(2025, 3, 1),
        assessors="Seydou Traoré, Hawa Konaté",
        answers=answers,
    )
    assert assessment.complete is True
    assert (assessment.points, assessment.max_points) == (2420, 4200)
    assert assessment.score == 57.6


def test_missing_criteria_make_it_incomplete_and_unranked_until_answered(
    cast, coach, version, criteria
):
    first = [AnswerLine(criteria["assembly_12m"].pk, 1)]
    assessment = services.assessment_record(
        actor=coach,
        health_center=cast.center_a,
        version=version,
        assessed_on=D(2025, 3, 1),
        assessors="Seydou",
        answers=first,
    )
    assert assessment.complete is False
    assert assessment.score is None
    ranking = selectors.ranking(user=coach, on=D(2025, 6, 1))
    assert ranking.rows == []
    assert [r.center.name for r in ranking.unranked] == ["CSCom A"]
    rest = [line for line in _all(criteria) if line.criterion_id != criteria["assembly_12m"].pk]
    services.answers_add(actor=coach, assessment=assessment, answers=rest)
    assessment.refresh_from_db()
    assert assessment.score == 100.0
    ranking = selectors.ranking(user=coach, on=D(2025, 6, 1))
    assert [(r.center.name, r.rank, r.quartile) for r in ranking.rows] == [("CSCom A", 1, 1)]


def test_a_criterion_answered_twice_is_refused(cast, coach, version, criteria):
    answers = [*_all(criteria), AnswerLine(criteria["prices_displayed"].pk, 1)]
    with translation.override("en"):
        errors = refused_unchanged(
            _state,
            services.assessment_record,
            actor=coach,
            health_center=cast.center_a,
            version=version,
            assessed_on=D(2025, 3, 1),
            assessors="Seydou",
            answers=answers,
        )
    assert errors == {
        "answers": ["The criterion “Tarifs des soins et médicaments affichés” is answered twice."]
    }


def test_answering_again_a_criterion_already_answered_is_refused(cast, coach, version, criteria):
    assessment = services.assessment_record(
        actor=coach,
        health_center=cast.center_a,
        version=version,
        assessed_on=D(2025, 3, 1),
        assessors="Seydou",
        answers=[AnswerLine(criteria["assembly_12m"].pk, 1)],
    )
    with translation.override("en"):
        errors = refused_unchanged(
            _state,
            services.answers_add,
            actor=coach,
            assessment=assessment,
            answers=[AnswerLine(criteria["assembly_12m"].pk, 0)],
        )
    assert errors == {
        "answers": [
            "The criterion “Assemblée générale tenue dans les 12 derniers mois” is answered twice."
        ]
    }


@pytest.mark.parametrize(
    ("key", "value", "maximum"),
    [("assembly_12m", 2, 1), ("accounts_presented", 4, 3), ("board_women", 101, 100)],
)
def test_a_score_outside_its_scale_is_refused(cast, coach, version, criteria, key, value, maximum):
    with translation.override("en"):
        errors = refused_unchanged(
            _state,
            services.assessment_record,
            actor=coach,
            health_center=cast.center_a,
            version=version,
            assessed_on=D(2025, 3, 1),
            assessors="Seydou",
            answers=_all(criteria, **{key: value}),
        )
    assert errors == {
        "answers": [
            f"The score {value} of “{criteria[key].text}” is outside its scale (0 to {maximum})."
        ]
    }


def test_an_assessment_outside_the_assessors_places_is_refused(cast, coach, version, criteria):
    with translation.override("en"):
        errors = refused_unchanged(
            _state,
            services.assessment_record,
            actor=coach,
            health_center=cast.center_b,
            version=version,
            assessed_on=D(2025, 3, 1),
            assessors="Seydou",
            answers=_all(criteria),
        )
    assert errors == {
        "health_center": [
            "You may not record quality work for this health center: it is outside your "
            "places or your role does not allow it."
        ]
    }


def test_the_same_assessment_sent_twice_is_kept_once_and_other_content_conflicts(
    cast, coach, version, criteria
):
    sent = uuid.uuid4()
    kwargs = {
        "actor": coach,
        "health_center": cast.center_a,
        "version": version,
        "assessed_on": D(2025, 3, 1),
        "assessors": "Seydou",
        "answers": _all(criteria),
        "id": sent,
    }
    first = services.assessment_record(**kwargs)
    again = services.assessment_record(**kwargs)
    assert again.pk == first.pk == sent
    assert Assessment.objects.count() == 1
    with pytest.raises(Conflict):
        services.assessment_record(**{**kwargs, "assessors": "Someone else"})


def test_prefill_reads_the_general_assembly_and_the_board_with_a_link(cast, version, criteria):
    admin = cast.user(Role.ADMIN, "a")
    assembly(cast, admin, D(2024, 11, 5))
    for name, sex, start in [
        ("A", "F", D(2023, 1, 1)),
        ("B", "M", D(2023, 1, 1)),
        ("C", "F", D(2023, 1, 1)),
    ]:
        places.board_member_add(
            actor=admin,
            asaco=cast.asaco_a,
            full_name=name,
            role="member",
            sex=sex,
            term_start=start,
        )
    with translation.override("en"):
        found = selectors.prefill(cast.center_a, list(criteria.values()), D(2025, 6, 1))
    link = f"/places/health-centers/{cast.center_a.pk}/"
    assert {
        criteria[k].pk: (found[criteria[k].pk].value, found[criteria[k].pk].evidence)
        for k in ("assembly_12m", "board_term", "board_women")
    } == {
        criteria["assembly_12m"].pk: (1, "General assembly of 2024-11-05."),
        criteria["board_term"].pk: (1, "Board elected on 2023-01-01."),
        criteria["board_women"].pk: (67, "2 women of 3 board seats."),
    }
    assert {p.url for p in found.values()} == {link}
    later = selectors.prefill(cast.center_a, list(criteria.values()), D(2026, 2, 1))
    assert later[criteria["assembly_12m"].pk].value == 0
    assert later[criteria["board_term"].pk].value == 0


def test_ranking_quartiles_and_who_moved(cast, coach, version, criteria, national):
    from jigiya.places.tests.factories import HealthCenterFactory

    centers = [cast.center_a, cast.center_b] + [
        HealthCenterFactory(name=f"CSCom {n}", code=f"HC{n}", place=cast.community_a) for n in "CD"
    ]
    year1 = {"CSCom A": 0, "CSCom B": 3, "CSCom C": 2, "CSCom D": 1}
    year2 = {"CSCom A": 3, "CSCom B": 2, "CSCom C": 1, "CSCom D": 1}
    for day, levels in ((D(2023, 6, 1), year1), (D(2024, 6, 1), year2)):
        for center in centers:
            services.assessment_record(
                actor=national,
                health_center=center,
                version=version,
                assessed_on=day,
                assessors="Jury",
                answers=_all(
                    criteria,
                    **{
                        k: levels[center.name] * c.maximum // 3
                        if c.scale != "zero_three"
                        else levels[center.name]
                        for k, c in criteria.items()
                    },
                ),
            )
    then = selectors.ranking(user=national, on=D(2023, 12, 31))
    now = selectors.ranking(user=national, on=D(2024, 12, 31))
    assert [(r.center.name, r.rank, r.quartile) for r in then.rows] == [
        ("CSCom B", 1, 1),
        ("CSCom C", 2, 2),
        ("CSCom D", 3, 3),
        ("CSCom A", 4, 4),
    ]
    assert [(r.center.name, r.rank, r.quartile) for r in now.rows] == [
        ("CSCom A", 1, 1),
        ("CSCom B", 2, 2),
        ("CSCom C", 3, 3),
        ("CSCom D", 3, 3),
    ]
    moved = selectors.moves(now, then)
    assert [(m.center.name, m.before, m.after, m.up) for m in moved] == [
        ("CSCom A", 4, 1, True),
        ("CSCom B", 1, 2, False),
        ("CSCom C", 2, 3, False),
    ]
    # A coach of Community A sees her places' rows, with their national ranks.
    mine = selectors.ranking(user=coach, on=D(2024, 12, 31))
    assert [(r.center.name, r.rank) for r in mine.rows] == [
        ("CSCom A", 1),
        ("CSCom C", 3),
        ("CSCom D", 3),
    ]
    assert mine.count == 4
