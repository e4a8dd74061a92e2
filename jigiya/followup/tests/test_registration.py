"""Issue 15, registration as the follow-up sees it: the worklist searched by name, the
programs a person may be enrolled in, a pregnancy from "months pregnant", and the newborn of
a delivery enrolled and scheduled with no step of its own."""

import datetime
import uuid
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.followup import selectors, services
from jigiya.followup.models import Task, TaskKind, TaskState
from jigiya.registry import services as registry
from jigiya.registry.models import Enrollment, Person, Pregnancy

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


def _person(chw: Any, household: Any, given: str, family: str, sex: str, born: Any) -> Person:
    return registry.person_register(
        actor=chw, household=household, given_name=given, family_name=family, sex=sex,
        relationship="child", birth_date=born, confirm_duplicate=True,
    )  # fmt: skip


def _child_followed(chw: Any, household: Any, given: str, born: datetime.date) -> Person:
    child = _person(chw, household, given, "Doumbia", "F", born)
    services.enrollment_start(actor=chw, person=child, program="child", start=TODAY)
    return child


# --- the worklist searched by name ----------------------------------------------------------


def test_the_worklist_search_finds_a_person_or_a_household_without_accents(
    cast: Any, chw: Any
) -> None:
    doumbia = registry.household_create(
        actor=chw, community=cast.community_a, name="Famille Doumbia 14", chw=chw
    )
    cisse = registry.household_create(
        actor=chw, community=cast.community_a, name="Famille Cissé", chw=chw
    )
    older = _child_followed(chw, doumbia, "Safiatou", datetime.date(2023, 7, 1))
    younger = _child_followed(chw, doumbia, "Safiatou", datetime.date(2025, 3, 1))
    lassana = _child_followed(chw, cisse, "Lassana", datetime.date(2024, 1, 1))

    def found(search: str) -> list[Any]:
        worklist = selectors.tasks_for_chw(chw, TODAY, search=search)
        return sorted(str(task.person_id) for task in worklist.due_today)

    assert found("") == sorted(str(p.pk) for p in (older, younger, lassana))
    assert found("SAFIATOU") == sorted(str(p.pk) for p in (older, younger))
    assert found("cisse") == [str(lassana.pk)]  # the household's name, accent aside
    assert found("safiatou cisse") == []  # every word must be found
    assert found("Doumbia 14 safiatou") == sorted(str(p.pk) for p in (older, younger))


def test_the_worklist_search_stays_within_her_households(cast: Any, chw: Any) -> None:
    other = cast.user(Role.CHW, "b")
    household = registry.household_create(
        actor=other, community=cast.community_b, name="Famille Cissé", chw=other
    )
    child = _person(other, household, "Awa", "Cissé", "F", datetime.date(2024, 1, 1))
    services.enrollment_start(actor=other, person=child, program="child", start=TODAY)

    assert selectors.tasks_for_chw(chw, TODAY, search="cisse").count == 0
    assert selectors.tasks_for_chw(other, TODAY, search="cisse").count == 1


def test_the_worklist_tells_two_children_of_the_same_name_apart(
    cast: Any, chw: Any, client: Any
) -> None:
    household = registry.household_create(
        actor=chw, community=cast.community_a, name="Famille Doumbia 14", chw=chw
    )
    _child_followed(chw, household, "Safiatou", datetime.date(2023, 7, 1))
    _child_followed(chw, household, "Safiatou", datetime.date(2025, 3, 1))
    client.force_login(chw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get("/followup/?q=safiatou").content.decode()

    assert "23 months · Famille Doumbia 14" in page
    assert "3 months · Famille Doumbia 14" in page
    assert "2 tasks for “safiatou” this week." in page
    assert 'href="/registry/?q=safiatou"' in page


# --- the programs that fit ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "born", "programs"),
    [
        ("F", datetime.date(2025, 6, 10), ["child"]),  # born today
        ("M", datetime.date(2020, 6, 11), ["child"]),  # five tomorrow
        ("M", datetime.date(2020, 6, 10), []),  # five today
        ("F", datetime.date(2020, 6, 10), []),  # five, too young for a pregnancy
        ("F", datetime.date(2015, 6, 11), []),  # ten tomorrow
        ("F", datetime.date(2015, 6, 10), ["pregnancy"]),  # ten today
        ("F", datetime.date(1998, 1, 1), ["pregnancy"]),
        ("F", None, ["pregnancy"]),  # age unknown
        ("M", None, []),
    ],
)
def test_only_the_programs_that_fit_the_age_and_sex_are_offered(
    household: Any, chw: Any, sex: str, born: Any, programs: list[str]
) -> None:
    person = _person(chw, household, "Awa", "Diarra", sex, born)
    assert selectors.enrollable_programs(person=person, day=TODAY) == programs


def test_a_program_already_open_is_not_offered_again(household: Any, chw: Any) -> None:
    child = _child_followed(chw, household, "Awa", datetime.date(2024, 1, 1))
    assert selectors.enrollable_programs(person=child, day=TODAY) == []


def test_a_girl_under_ten_is_not_followed_for_a_pregnancy(household: Any, chw: Any) -> None:
    girl = _person(chw, household, "Awa", "Diarra", "F", datetime.date(2016, 1, 1))

    with pytest.raises(ValidationError) as refused:
        services.enrollment_start(actor=chw, person=girl, program="pregnancy", start=TODAY)

    assert refused.value.message_dict["person"] == ["Awa Diarra a moins de 10 ans le 2025-06-10."]
    assert not Enrollment.objects.filter(person=girl).exists()


def test_the_enroll_page_offers_the_only_program_that_fits_chosen(
    household: Any, chw: Any, client: Any
) -> None:
    child = _person(chw, household, "Awa", "Diarra", "F", datetime.date(2024, 1, 1))
    client.force_login(chw)

    page = client.get(f"/registry/people/{child.pk}/enroll/").content.decode()

    assert '<option value="child" selected>' in page
    assert 'value="pregnancy"' not in page


def test_a_newborn_of_a_delivery_is_enrolled_with_no_enroll_button(
    pregnancy: Any, chw: Any, client: Any
) -> None:
    services.pregnancy_outcome_record(
        actor=chw, pregnancy=pregnancy, outcome_date=TODAY, birth_outcome="live_birth",
        outcome_place="home", register_newborn=True, newborn_sex="M",
    )  # fmt: skip
    baby = Person.objects.get(born_of=pregnancy)
    assert list(Enrollment.objects.filter(person=baby).values_list("program", "start")) == [
        ("child", TODAY)
    ]
    first = Task.objects.get(person=baby, state=TaskState.OPEN)
    assert (first.kind, first.due_date) == (TaskKind.CHILD_VISIT, TODAY)
    assert Task.objects.filter(person=pregnancy.woman, state=TaskState.OPEN).count() == 2
    client.force_login(chw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(baby.get_absolute_url()).content.decode()

    assert f'href="/registry/people/{baby.pk}/enroll/"' not in page
    assert "Mother" in page and "Mariam Traoré" in page
    assert "(0 days)" in page


def test_recording_the_delivery_says_the_baby_is_followed_and_when(
    pregnancy: Any, chw: Any, client: Any
) -> None:
    client.force_login(chw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form = client.get(f"/registry/pregnancies/{pregnancy.pk}/outcome/").context["form"]

    response = client.post(
        f"/registry/pregnancies/{pregnancy.pk}/outcome/",
        {
            "outcome_date": "2025-06-10",
            "birth_outcome": "live_birth",
            "outcome_place": "home",
            "register_newborn": "on",
            "newborn_sex": "F",
            "newborn_id": form["newborn_id"].value(),
        },
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Baby Traoré is registered and followed; first visit due 06/10/2025.",
        "Delivery recorded.",
    ]


# --- a pregnancy from "months pregnant" ----------------------------------------------------


def test_a_pregnancy_is_registered_from_the_months_when_no_date_is_known(
    mother: Any, chw: Any
) -> None:
    pregnancy = services.pregnancy_register(actor=chw, woman=mother, months_pregnant=5)

    # 5 mean months (152 days) back: 9 January 2025; the EDD 280 days after it.
    assert (pregnancy.lmp, pregnancy.edd, pregnancy.lmp_estimated) == (
        datetime.date(2025, 1, 9),
        datetime.date(2025, 10, 16),
        True,
    )
    assert Enrollment.objects.filter(person=mother, program="pregnancy", end=None).count() == 1
    assert Task.objects.filter(pregnancy=pregnancy, state=TaskState.OPEN).exists()


def test_a_pregnancy_from_its_dates_is_not_estimated(mother: Any, chw: Any) -> None:
    pregnancy = services.pregnancy_register(actor=chw, woman=mother, lmp=datetime.date(2025, 1, 9))
    assert (pregnancy.edd, pregnancy.lmp_estimated) == (datetime.date(2025, 10, 16), False)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"months_pregnant": 0}, "0 months of pregnancy is not possible: give 1 to 10."),
        ({"months_pregnant": 11}, "11 months of pregnancy is not possible: give 1 to 10."),
        (
            {"months_pregnant": 5, "lmp": datetime.date(2025, 1, 9)},
            "Give the months of pregnancy only when neither date is known.",
        ),
        (
            {"months_pregnant": 5, "edd": datetime.date(2025, 10, 16)},
            "Give the months of pregnancy only when neither date is known.",
        ),
    ],
)
def test_months_of_pregnancy_that_cannot_be_are_refused_and_nothing_is_stored(
    mother: Any, chw: Any, english: Any, extra: dict, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.pregnancy_register(actor=chw, woman=mother, **extra)

    assert refused.value.message_dict == {"months_pregnant": [message]}
    assert not Pregnancy.objects.filter(woman=mother).exists()
    assert not Enrollment.objects.filter(person=mother).exists()
    assert not Task.objects.filter(person=mother).exists()


def test_a_refusal_about_the_estimated_date_is_told_on_the_months(
    household: Any, chw: Any, english: Any
) -> None:
    """A woman born five months ago cannot be five months pregnant: the refusal names the
    months field, not the LMP she never gave."""
    baby = _person(chw, household, "Awa", "Diarra", "F", datetime.date(2025, 1, 10))

    with pytest.raises(ValidationError) as refused:
        services.pregnancy_register(actor=chw, woman=baby, months_pregnant=5)

    assert list(refused.value.message_dict) == ["months_pregnant"]
    assert not Pregnancy.objects.filter(woman=baby).exists()


def test_the_pregnancy_page_registers_from_the_months(mother: Any, chw: Any, client: Any) -> None:
    client.force_login(chw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        f"/registry/people/{mother.pk}/pregnancy/",
        {"id": str(uuid.uuid4()), "months_pregnant": "5"},  # the page's client id
        follow=True,
    )

    pregnancy = Pregnancy.objects.get(woman=mother)
    assert (pregnancy.lmp, pregnancy.lmp_estimated) == (datetime.date(2025, 1, 9), True)
    page = response.content.decode()
    assert "Last menstrual period ~01/09/2025, estimated from the months of pregnancy." in page
    # One pregnancy open: not offered again.
    assert f'href="/registry/people/{mother.pk}/pregnancy/"' not in page
