import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jigiya.core.errors import Conflict
from jigiya.followup import services as followup
from jigiya.followup.models import Task, TaskState
from jigiya.registry import services
from jigiya.registry.models import Enrollment, Household, LeastAccessAssessment, Person, Pregnancy
from jigiya.registry.tests.factories import register_person

TODAY = datetime.date(2025, 6, 10)


def test_the_same_household_sent_twice_is_created_once(cast, chw):
    device_id = uuid.uuid4()
    first = services.household_create(
        actor=chw, community=cast.community_a, name="Famille Keïta", id=device_id
    )
    again = services.household_create(
        actor=chw, community=cast.community_a, name="Famille Keïta", id=device_id
    )
    assert again.pk == first.pk == device_id
    assert again._replayed is True
    assert Household.objects.count() == 1


def test_the_same_id_with_other_content_is_a_conflict(cast, chw):
    device_id = uuid.uuid4()
    services.household_create(actor=chw, community=cast.community_a, name="A", id=device_id)
    with pytest.raises(Conflict):
        services.household_create(actor=chw, community=cast.community_a, name="B", id=device_id)
    assert Household.objects.get().name == "A"


def test_a_chw_cannot_register_a_household_outside_their_places(cast, chw):
    with pytest.raises(PermissionDenied):
        services.household_create(actor=chw, community=cast.community_b, name="Ailleurs")
    assert Household.objects.count() == 0


def test_a_likely_duplicate_is_shown_before_anything_is_created(cast, chw, household):
    existing = register_person(chw, household)
    other = services.household_create(actor=chw, community=cast.community_a, name="Voisins")
    with pytest.raises(services.PossibleDuplicate) as refused:
        # Accents and case differ, birth date 5 months apart, another household.
        register_person(
            chw,
            other,
            given_name="FATOUMATA",
            family_name="Diara",
            birth_date=datetime.date(2024, 8, 1),
        )
    assert refused.value.candidates == [existing]
    assert "confirm_duplicate" in refused.value.message_dict
    assert Person.objects.count() == 1
    confirmed = register_person(
        chw, other, given_name="FATOUMATA", family_name="Diara", confirm_duplicate=True
    )
    assert confirmed.name_key == "fatoumata diara"
    assert Person.objects.count() == 2


def test_not_a_duplicate_when_sex_birth_year_or_community_differ(cast, chw, household):
    register_person(chw, household)
    register_person(chw, household, sex="M", given_name="Fatoumata")
    register_person(chw, household, birth_date=datetime.date(2022, 1, 1))
    chw_b = cast.user("chw", "b")
    elsewhere = services.household_create(actor=chw_b, community=cast.community_b, name="B")
    register_person(chw_b, elsewhere)
    assert Person.objects.count() == 4


def test_a_birth_date_in_the_future_is_refused(chw, household):
    with pytest.raises(ValidationError) as refused:
        register_person(chw, household, birth_date=datetime.date(2025, 6, 11))
    assert list(refused.value.message_dict) == ["birth_date"]
    assert "2025-06-11" in refused.value.message_dict["birth_date"][0]
    assert Person.objects.count() == 0


def test_an_age_gives_an_estimated_birth_date(chw, household):
    person = register_person(chw, household, birth_date=None, age_years=30, relationship="head")
    assert person.birth_date == datetime.date(1995, 7, 1)
    assert person.birth_date_estimated is True
    household.refresh_from_db()
    assert household.head == person


def test_a_second_enrollment_in_the_same_program_is_refused(chw, household):
    child = register_person(chw, household)
    followup.enrollment_start(actor=chw, person=child, program="child", start=TODAY)
    with pytest.raises(ValidationError) as refused:
        followup.enrollment_start(actor=chw, person=child, program="child", start=TODAY)
    assert list(refused.value.message_dict) == ["program"]
    assert Enrollment.objects.count() == 1
    assert Task.objects.filter(kind="child_visit").count() == 1


def test_enrollment_schedules_the_first_visit_and_ending_it_cancels_it(chw, household):
    child = register_person(chw, household)
    enrollment = followup.enrollment_start(actor=chw, person=child, program="child", start=TODAY)
    task = Task.objects.get()
    assert (task.window_start, task.due_date, task.window_end) == (
        TODAY,
        TODAY,
        datetime.date(2025, 6, 23),
    )
    followup.enrollment_end(actor=chw, enrollment=enrollment, end=TODAY, reason="moved")
    task.refresh_from_db()
    assert task.state == TaskState.CANCELLED
    assert list(task.history.values_list("from_state", "to_state")) == [
        ("", "open"),
        ("open", "cancelled"),
    ]


def test_an_edd_more_than_44_weeks_after_the_lmp_is_refused(chw, household):
    woman = register_person(
        chw, household, given_name="Mariam", birth_date=datetime.date(1998, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        followup.pregnancy_register(
            actor=chw,
            woman=woman,
            lmp=datetime.date(2025, 3, 1),
            edd=datetime.date(2026, 1, 20),
        )
    assert list(refused.value.message_dict) == ["edd"]
    assert "2026-01-20" in refused.value.message_dict["edd"][0]
    assert Pregnancy.objects.count() == 0
    assert Enrollment.objects.count() == 0


def test_a_pregnancy_from_the_lmp_schedules_the_who_contacts_ahead(chw, household):
    woman = register_person(
        chw, household, given_name="Mariam", birth_date=datetime.date(1998, 1, 1)
    )
    pregnancy = followup.pregnancy_register(actor=chw, woman=woman, lmp=datetime.date(2025, 3, 1))
    assert pregnancy.edd == datetime.date(2025, 12, 6)
    # 12 weeks (24 May, window to 6 June) is past; the 7 others are ahead.
    assert list(
        Task.objects.filter(pregnancy=pregnancy)
        .order_by("sequence")
        .values_list("sequence", "due_date")
    ) == [
        (2, datetime.date(2025, 7, 19)),
        (3, datetime.date(2025, 8, 30)),
        (4, datetime.date(2025, 9, 27)),
        (5, datetime.date(2025, 10, 25)),
        (6, datetime.date(2025, 11, 8)),
        (7, datetime.date(2025, 11, 22)),
        (8, datetime.date(2025, 12, 6)),
    ]
    assert Enrollment.objects.get().program == "pregnancy"


def test_the_delivery_schedules_the_postnatal_visits(cast, chw, household):
    woman = register_person(
        chw, household, given_name="Mariam", birth_date=datetime.date(1998, 1, 1)
    )
    pregnancy = followup.pregnancy_register(actor=chw, woman=woman, lmp=datetime.date(2024, 9, 10))
    followup.pregnancy_outcome_record(
        actor=chw,
        pregnancy=pregnancy,
        outcome_date=datetime.date(2025, 6, 8),
        birth_outcome="live_birth",
        outcome_place="this_cscom",
    )
    pregnancy.refresh_from_db()
    assert pregnancy.outcome_health_center == cast.center_a
    assert list(
        Task.objects.filter(pregnancy=pregnancy, state="open")
        .order_by("due_date")
        .values_list("kind", "window_start", "due_date", "window_end")
    ) == [
        (
            "postnatal_48h",
            datetime.date(2025, 6, 8),
            datetime.date(2025, 6, 9),
            datetime.date(2025, 6, 10),
        ),
        (
            "postnatal_7d",
            datetime.date(2025, 6, 11),
            datetime.date(2025, 6, 14),
            datetime.date(2025, 6, 15),
        ),
    ]
    assert Task.objects.filter(pregnancy=pregnancy, state="cancelled").count() == 1
    assert Enrollment.objects.get().exit_reason == "completed"


def test_least_access_score_and_decision(chw, household):
    assessment = services.least_access_assess(
        actor=chw,
        household=household,
        assessed_on=TODAY,
        criteria=["no_regular_income", "could_not_pay_care", "female_headed"],
    )
    assert (assessment.score, assessment.decision) == (5, "free")
    assert services.least_access_decision(["female_headed", "food_insecure"]) == (3, "subsidized")
    assert services.least_access_decision(["female_headed"]) == (1, "not_eligible")
    with pytest.raises(ValidationError):
        services.least_access_assess(
            actor=chw, household=household, assessed_on=TODAY, criteria=["rich"]
        )
    assert LeastAccessAssessment.objects.count() == 1


def test_deactivating_a_person_ends_enrollments_and_cancels_tasks(chw, household):
    child = register_person(chw, household)
    followup.enrollment_start(actor=chw, person=child, program="child", start=TODAY)
    services.person_deactivate(actor=chw, person=child, reason="died")
    child.refresh_from_db()
    assert child.is_active is False
    assert Enrollment.objects.get().exit_reason == "died"
    assert Task.objects.get().state == "cancelled"
