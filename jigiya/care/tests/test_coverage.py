"""Coverage schemes and decisions: eligibility, renewals and exits."""

import datetime

from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.care import services
from jigiya.care.models import Coverage
from jigiya.care.tests.conftest import covered_person
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.registry import services as registry_services
from jigiya.registry.models import Household

D = datetime.date


def _coverages() -> list:
    return list(Coverage.objects.values_list("pk", "start", "end", "exit_reason"))


def test_a_child_of_a_qualifying_household_is_covered(world):
    assert world.child_cover.scheme == world.scheme
    assert world.child_cover.assessment.decision == "free"
    assert world.child_cover.start == D(2026, 1, 1)
    assert world.child_cover.end is None


def test_a_woman_neither_pregnant_nor_a_child_is_refused(world):
    aunt = covered_person(
        world.cast, world.household, given_name="Kadia", sex="F", relationship="other",
        birth_date=D(1980, 1, 1),
    )  # fmt: skip
    with translation.override("en"):
        errors = refused_unchanged(
            _coverages, services.coverage_decide, actor=world.decider, person=aunt,
            scheme=world.scheme, start=D(2026, 2, 1), reason="Asked",
        )  # fmt: skip
    assert errors == {
        "start": [
            "Kadia Diarra is neither a child under five nor pregnant or within 42 days of a "
            "delivery on 2026-02-01."
        ]
    }


def test_a_household_assessed_subsidized_does_not_qualify_for_free_care(world):
    household = Household.objects.create(community=world.cast.community_a, name="Coulibaly")
    registry_services.least_access_assess(
        actor=world.cast.user(Role.CHW), household=household, assessed_on=D(2025, 12, 1),
        criteria=["no_regular_income", "female_headed"],
    )  # fmt: skip
    child = covered_person(
        world.cast, household, given_name="Issa", sex="M", relationship="child",
        birth_date=D(2024, 1, 1),
    )  # fmt: skip
    with translation.override("en"):
        errors = refused_unchanged(
            _coverages, services.coverage_decide, actor=world.decider, person=child,
            scheme=world.scheme, start=D(2026, 2, 1), reason="Asked",
        )  # fmt: skip
    assert errors == {
        "start": ["The household of Issa Diarra is not assessed for Free care on 2026-02-01."]
    }


def test_a_second_open_decision_for_the_same_scheme_is_refused(world):
    with translation.override("en"):
        errors = refused_unchanged(
            _coverages, services.coverage_decide, actor=world.decider, person=world.child,
            scheme=world.scheme, start=D(2026, 2, 1), reason="Again",
        )  # fmt: skip
    assert errors == {
        "scheme": [
            "Fanta Diarra is already covered by Soins gratuits: end that decision or renew it."
        ]
    }


def test_a_renewal_ends_the_decision_and_points_at_it(world):
    renewed = services.coverage_renew(
        actor=world.decider, coverage=world.child_cover, start=D(2027, 1, 1), end=None,
        reason="Reassessed: still free",
    )  # fmt: skip
    world.child_cover.refresh_from_db()
    assert world.child_cover.end == D(2026, 12, 31)
    assert renewed.renews == world.child_cover
    assert renewed.start == D(2027, 1, 1)


def test_an_exit_keeps_the_lines_claimed_before_it(world):
    world.line(day=D(2026, 11, 3))
    with translation.override("en"):
        errors = refused_unchanged(
            _coverages, services.coverage_end, actor=world.decider, coverage=world.child_cover,
            end=D(2026, 11, 1), exit_reason="moved",
        )  # fmt: skip
    assert errors == {
        "end": ["Care on 2026-11-03 was claimed under this coverage: end it on or after it."]
    }
    ended = services.coverage_end(
        actor=world.decider, coverage=world.child_cover, end=D(2026, 11, 30), exit_reason="moved"
    )
    assert (ended.end, ended.exit_reason) == (D(2026, 11, 30), "moved")


def test_health_center_staff_cannot_decide_coverage(world):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.coverage_end(
            actor=world.staff, coverage=world.child_cover, end=D(2026, 11, 30),
            exit_reason="moved",
        )  # fmt: skip
