import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from jigiya.core.tests.refusals import refused_unchanged
from jigiya.quality import services
from jigiya.quality.models import Assessment, Criterion, InstrumentVersion
from jigiya.quality.services import AnswerLine

D = __import__("datetime").date


def _state():
    return (
        InstrumentVersion.objects.count(),
        list(Criterion.objects.order_by("pk").values_list("pk", "text", "scale", "weight")),
    )


def test_the_migration_ships_the_transparency_and_accountability_instrument(version, criteria):
    assert version.number == 1
    assert version.instrument.code == "transparency-accountability"
    assert [(c.key, c.scale, c.weight) for c in criteria.values()] == [
        ("assembly_12m", "yes_no", 3),
        ("board_term", "yes_no", 2),
        ("board_women", "percent", 1),
        ("accounts_presented", "zero_three", 3),
        ("prices_displayed", "zero_three", 2),
        ("complaints_channel", "zero_three", 2),
        ("community_feedback", "zero_three", 1),
    ]


def test_a_criterion_of_an_unused_version_changes_in_place(national, criteria):
    changed = services.criterion_change(
        actor=national,
        criterion=criteria["prices_displayed"],
        text="Tarifs affichés",
        scale="zero_three",
        weight=4,
    )
    assert changed.pk == criteria["prices_displayed"].pk
    assert InstrumentVersion.objects.count() == 1
    assert changed.weight == 4


def test_changing_a_criterion_in_use_makes_a_new_version_and_past_assessments_keep_theirs(
    cast, coach, national, version, criteria
):
    past = services.assessment_record(
        actor=coach,
        health_center=cast.center_a,
        version=version,
        assessed_on=D(2025, 1, 10),
        assessors="Awa, Seydou",
        answers=[AnswerLine(c.pk, c.maximum) for c in criteria.values()],
    )
    changed = services.criterion_change(
        actor=national,
        criterion=criteria["prices_displayed"],
        text="Tarifs affichés et lisibles",
        scale="yes_no",
        weight=5,
    )
    assert changed.version.number == 2
    assert changed.version.criteria.count() == 7
    old = Criterion.objects.get(pk=criteria["prices_displayed"].pk)
    assert (old.text, old.scale, old.weight) == (
        "Tarifs des soins et médicaments affichés",
        "zero_three",
        2,
    )
    past.refresh_from_db()
    assert past.version_id == version.pk
    assert past.score == 100.0


def test_editing_a_past_version_is_refused(cast, coach, national, version, criteria):
    services.assessment_record(
        actor=coach,
        health_center=cast.center_a,
        version=version,
        assessed_on=D(2025, 1, 10),
        assessors="Awa",
        answers=[],
    )
    services.criterion_change(
        actor=national,
        criterion=criteria["prices_displayed"],
        text="Nouveau",
        scale="yes_no",
        weight=2,
    )
    with translation.override("en"):
        errors = refused_unchanged(
            _state,
            services.criterion_change,
            actor=national,
            criterion=criteria["cost"] if "cost" in criteria else criteria["complaints_channel"],
            text="Changed",
            scale="yes_no",
            weight=1,
        )
    assert errors == {
        "version": [
            "Version 1 of Transparence et redevabilité is a past version and cannot be "
            "changed; change the current version (2)."
        ]
    }


def test_a_coach_of_one_commune_cannot_configure_instruments(coach, criteria):
    with pytest.raises(PermissionDenied):
        services.criterion_change(
            actor=coach, criterion=criteria["prices_displayed"], text="x", scale="yes_no", weight=1
        )


def test_a_weight_outside_1_to_100_is_refused(national, criteria):
    with translation.override("en"):
        errors = refused_unchanged(
            _state,
            services.criterion_change,
            actor=national,
            criterion=criteria["prices_displayed"],
            text="x",
            scale="yes_no",
            weight=0,
        )
    assert errors == {"weight": ["The weight 0 is outside 1 to 100."]}
    assert Assessment.objects.count() == 0


def test_the_scorecard_module_and_the_migration_ship_the_same_criteria(criteria):
    from jigiya.quality import scorecard

    shipped = [
        (c.key, c.text, c.scale, c.weight, c.prefill) for d in scorecard.DOMAINS for c in d.criteria
    ]
    assert shipped == [(c.key, c.text, c.scale, c.weight, c.prefill) for c in criteria.values()]
