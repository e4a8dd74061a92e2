"""Editing households and people, deactivating people, registering newborns."""

import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jigiya.core.models import AuditEntry
from jigiya.followup import services as followup
from jigiya.followup.models import ChildAssessment, Task, TaskState
from jigiya.followup.selectors import tasks_for_chw
from jigiya.indicators.models import StaleCell
from jigiya.registry import services
from jigiya.registry.models import Enrollment, Household, Person, Pregnancy
from jigiya.registry.tests.factories import details_of, register_person

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture
def child(chw, household):
    person = register_person(chw, household)
    followup.enrollment_start(actor=chw, person=person, program="child", start=TODAY)
    return person


# --- households ------------------------------------------------------------------------------


def test_a_household_is_edited_with_its_audit_entry(chw, household, mother):
    services.household_update(
        actor=chw, household=household, name="Famille Diarra II", head=mother, phone=" 70 "
    )
    household.refresh_from_db()
    assert (household.name, household.head, household.phone) == ("Famille Diarra II", mother, "70")
    entry = AuditEntry.objects.filter(object_id=str(household.pk)).order_by("-id").first()
    assert entry.action == "update"


def test_a_household_with_active_members_cannot_be_deactivated(chw, household, mother):
    with pytest.raises(ValidationError) as refused:
        services.household_update(actor=chw, household=household, is_active=False)
    assert list(refused.value.message_dict) == ["is_active"]
    household.refresh_from_db()
    assert household.is_active is True


def test_the_head_must_be_a_member(cast, chw, household):
    other = services.household_create(actor=chw, community=cast.community_a, name="Voisins")
    stranger = register_person(chw, other, given_name="Kadidia")
    with pytest.raises(ValidationError) as refused:
        services.household_update(actor=chw, household=household, head=stranger)
    assert list(refused.value.message_dict) == ["head"]
    assert Household.objects.get(pk=household.pk).head is None


# --- people ----------------------------------------------------------------------------------


def test_a_person_is_corrected_and_audited(chw, household, mother):
    services.person_update(
        actor=chw, person=mother, **details_of(mother, given_name="Mariama", phone="76000000")
    )
    mother.refresh_from_db()
    assert (mother.given_name, mother.name_key, mother.phone) == (
        "Mariama",
        "mariama traore",
        "76000000",
    )
    assert AuditEntry.objects.filter(object_id=str(mother.pk), action="update").count() == 1
    # The same details again change nothing, not even the audit trail.
    services.person_update(actor=chw, person=mother, **details_of(mother))
    assert AuditEntry.objects.filter(object_id=str(mother.pk), action="update").count() == 1


def test_an_age_replaces_the_date_of_birth_by_an_estimate(chw, household, mother):
    services.person_update(
        actor=chw, person=mother, **details_of(mother, birth_date=None, age_years=30)
    )
    mother.refresh_from_db()
    assert (mother.birth_date, mother.birth_date_estimated) == (datetime.date(1995, 7, 1), True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": datetime.date(2025, 6, 11)}, "birth_date"),
        ({"birth_date": None, "age_years": 130}, "age_years"),
        ({"birth_date": datetime.date(2019, 1, 1)}, "birth_date"),  # enrolled at six
        ({"sex": "X"}, "sex"),
        ({"relationship": "cousin"}, "relationship"),
    ],
)
def test_impossible_details_are_refused_and_nothing_changes(chw, child, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.person_update(actor=chw, person=child, **details_of(child, **changes))
    assert list(refused.value.message_dict) == [field]
    stored = Person.objects.get(pk=child.pk)
    assert (stored.birth_date, stored.sex, stored.relationship) == (
        datetime.date(2024, 3, 1),
        "F",
        "child",
    )


def test_a_birth_date_after_a_visit_is_refused(chw, household, child):
    followup.visit_record(actor=chw, household=household, date=TODAY, people=[child.pk])
    later = time_machine.travel(datetime.datetime(2025, 6, 12, 9, 0), tick=False)
    with later, pytest.raises(ValidationError) as refused:
        services.person_update(
            actor=chw, person=child, **details_of(child, birth_date=datetime.date(2025, 6, 11))
        )
    assert "2025-06-11" in refused.value.message_dict["birth_date"][0]
    assert Person.objects.get(pk=child.pk).birth_date == datetime.date(2024, 3, 1)


def test_a_woman_with_an_open_pregnancy_keeps_her_sex(chw, mother):
    followup.pregnancy_register(actor=chw, woman=mother, lmp=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.person_update(actor=chw, person=mother, **details_of(mother, sex="M"))
    assert list(refused.value.message_dict) == ["sex"]
    assert Person.objects.get(pk=mother.pk).sex == "F"


def test_a_renamed_person_is_checked_for_duplicates(chw, household, child):
    other = register_person(
        chw, household, given_name="Aminata", birth_date=datetime.date(2024, 5, 1)
    )
    with pytest.raises(services.PossibleDuplicate) as refused:
        services.person_update(actor=chw, person=other, **details_of(other, given_name="Fatumata"))
    assert refused.value.candidates == [child]
    assert Person.objects.get(pk=other.pk).given_name == "Aminata"
    services.person_update(
        actor=chw, person=other, **details_of(other, given_name="Fatumata"), confirm_duplicate=True
    )
    assert Person.objects.get(pk=other.pk).given_name == "Fatumata"


def test_a_corrected_birth_date_rescores_the_child_and_marks_cells_stale(chw, household, child):
    followup.visit_record(
        actor=chw,
        household=household,
        date=TODAY,
        people=[child.pk],
        children=[followup.ChildCheckIn(person_id=child.pk, weight_kg=Decimal("9"))],
    )
    before = ChildAssessment.objects.get()
    assert before.age_days == 466
    StaleCell.objects.all().delete()
    services.person_update(
        actor=chw, person=child, **details_of(child, birth_date=datetime.date(2024, 6, 10))
    )
    after = ChildAssessment.objects.get()
    assert after.age_days == 365
    assert after.waz != before.waz
    assert set(StaleCell.objects.values_list("source", flat=True)) == {
        "followup.visit",
        "registry.enrollment",
    }


def test_the_chw_of_another_place_cannot_edit(cast, child):
    other = cast.user("chw", "b")
    with pytest.raises(PermissionDenied):
        services.person_update(actor=other, person=child, **details_of(child, given_name="X"))
    assert Person.objects.get(pk=child.pk).given_name == "Fatoumata"


# --- deactivation ----------------------------------------------------------------------------


def test_a_deactivated_person_leaves_the_worklist_with_task_history(cast, chw, child):
    task = Task.objects.get(person=child, kind="child_visit")
    followup.referral_create(
        actor=chw, person=child, health_center=cast.center_a, urgency="urgent",
        referred_on=datetime.date(2025, 6, 1), reasons=["muac_red"],
    )  # fmt: skip
    assert len(tasks_for_chw(chw, TODAY).overdue_referrals) == 1
    assert tasks_for_chw(chw, TODAY).count == 1  # the visit (the follow-up window closed)
    services.person_deactivate(actor=chw, person=child, reason="moved")
    worklist = tasks_for_chw(chw, TODAY)
    assert (worklist.count, worklist.overdue_referrals) == (0, [])
    child.refresh_from_db()
    task.refresh_from_db()
    assert child.is_active is False
    assert task.state == TaskState.CANCELLED
    assert list(task.history.values_list("to_state", "note")) == [
        ("open", ""),
        ("cancelled", "moved"),
    ]
    assert Enrollment.objects.get(person=child).exit_reason == "moved"
    # Sent again: nothing more.
    again = services.person_deactivate(actor=chw, person=child, reason="moved")
    assert again._replayed is True
    assert task.history.count() == 2
    assert not Task.objects.filter(person=child, state="open").exists()


@pytest.mark.parametrize(
    ("reason", "day", "field"),
    [
        ("completed", None, "reason"),
        ("died", datetime.date(2025, 6, 11), "day"),
        ("died", datetime.date(2025, 6, 9), "day"),  # before the follow-up started
    ],
)
def test_a_wrong_deactivation_is_refused(chw, child, reason, day, field):
    with pytest.raises(ValidationError) as refused:
        services.person_deactivate(actor=chw, person=child, reason=reason, day=day)
    assert list(refused.value.message_dict) == [field]
    assert Person.objects.get(pk=child.pk).is_active is True
    assert Task.objects.get(person=child).state == TaskState.OPEN


# --- newborns --------------------------------------------------------------------------------


def test_a_live_birth_registers_the_newborn_in_child_follow_up(chw, household, pregnancy):
    baby_id = uuid.uuid4()
    followup.pregnancy_outcome_record(
        actor=chw,
        pregnancy=pregnancy,
        outcome_date=datetime.date(2025, 6, 8),
        birth_outcome="live_birth",
        outcome_place="this_cscom",
        register_newborn=True,
        newborn_id=baby_id,
        newborn_sex="M",
    )
    baby = Person.objects.get(pk=baby_id)
    assert (baby.household, baby.sex, baby.birth_date, baby.born_of, baby.relationship) == (
        household,
        "M",
        datetime.date(2025, 6, 8),
        pregnancy,
        "child",
    )
    assert baby.family_name == "Traoré"
    assert Enrollment.objects.get(person=baby).start == datetime.date(2025, 6, 8)
    assert list(Task.objects.filter(person=baby).values_list("kind", "due_date")) == [
        ("child_visit", datetime.date(2025, 6, 8))
    ]
    assert set(
        Task.objects.filter(pregnancy=pregnancy, state="open").values_list("kind", flat=True)
    ) == {
        "postnatal_48h",
        "postnatal_7d",
    }
    again = followup.newborn_register(actor=chw, pregnancy=pregnancy, id=baby_id, sex="M")
    assert again._replayed is True
    assert Person.objects.filter(born_of=pregnancy).count() == 1


def test_a_newborn_needs_a_live_birth_and_a_sex(chw, pregnancy):
    with pytest.raises(ValidationError) as refused:
        followup.pregnancy_outcome_record(
            actor=chw,
            pregnancy=pregnancy,
            outcome_date=datetime.date(2025, 6, 8),
            birth_outcome="stillbirth",
            outcome_place="home",
            register_newborn=True,
            newborn_sex="F",
        )
    assert list(refused.value.message_dict) == ["register_newborn"]
    with pytest.raises(ValidationError) as refused:
        followup.pregnancy_outcome_record(
            actor=chw,
            pregnancy=pregnancy,
            outcome_date=datetime.date(2025, 6, 8),
            birth_outcome="live_birth",
            outcome_place="home",
            register_newborn=True,
        )
    assert list(refused.value.message_dict) == ["newborn_sex"]
    assert Pregnancy.objects.get(pk=pregnancy.pk).outcome_date is None
    assert Person.objects.filter(born_of=pregnancy).count() == 0
    with pytest.raises(ValidationError) as refused:
        followup.newborn_register(actor=chw, pregnancy=pregnancy, sex="F")
    assert list(refused.value.message_dict) == ["pregnancy"]
