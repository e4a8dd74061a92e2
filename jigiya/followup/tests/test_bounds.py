"""Bounds on the follow-up's dates and texts (issue 11): nothing dated before the program
(`PROGRAM_START_DATE`) or the person's birth, no text over its limit — refused by the services
(so pages, the API and field clients share them), naming the field and the bound, changing
nothing."""

import datetime
import uuid

import pytest
import time_machine

from jigiya.core.models import AuditEntry
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.followup import services
from jigiya.followup.models import Referral, Task, Visit
from jigiya.indicators.models import StaleCell
from jigiya.registry.models import AncContact, Enrollment, Pregnancy
from jigiya.registry.tests.conftest import english
from jigiya.registry.tests.factories import PersonFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")
__all__ = ["english"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def child(household):
    """Ali, born on 1 March 2025 (the household's last-born), not enrolled."""
    return PersonFactory(household=household, given_name="Ali", birth_date=D(2025, 3, 1))


def _counts():
    return (
        Visit.objects.count(),
        Referral.objects.count(),
        Pregnancy.objects.count(),
        AncContact.objects.count(),
        Enrollment.objects.count(),
        Task.objects.count(),
        AuditEntry.objects.count(),
        StaleCell.objects.count(),
    )


def _refused(call, **kwargs):
    return refused_unchanged(_counts, call, **kwargs)


def test_a_visit_dated_0001_01_01_is_refused(chw, household, child):
    assert _refused(
        services.visit_record, actor=chw, household=household, date=D(1, 1, 1), people=[child.pk]
    ) == {"date": ["The visit date 0001-01-01 is before the start of the program (2000-01-01)."]}


def test_the_program_start_is_a_setting(settings, chw, household, mother):
    settings.PROGRAM_START_DATE = D(2014, 3, 1)
    assert _refused(
        services.visit_record, actor=chw, household=household, date=D(2014, 2, 28),
        people=[mother.pk],
    ) == {"date": ["The visit date 2014-02-28 is before the start of the program (2014-03-01)."]}  # fmt: skip
    visit = services.visit_record(
        actor=chw, household=household, date=D(2014, 3, 1), people=[mother.pk]
    )
    assert visit.date == D(2014, 3, 1)


def test_a_visit_before_a_persons_birth_is_refused(chw, household, child, mother):
    assert _refused(
        services.visit_record, actor=chw, household=household, date=D(2025, 2, 28),
        people=[mother.pk, child.pk],
    ) == {"people": ["The visit date 2025-02-28 is before the birth of Ali Traoré (2025-03-01)."]}  # fmt: skip


def test_visit_notes_over_2000_characters_are_refused(chw, household, mother):
    assert _refused(
        services.visit_record, actor=chw, household=household, date=D(2025, 6, 10),
        people=[mother.pk], notes="n" * 2001,
    ) == {"notes": ["The notes has 2001 characters; at most 2000 are allowed."]}  # fmt: skip
    visit = services.visit_record(
        actor=chw, household=household, date=D(2025, 6, 10), people=[mother.pk], notes="n" * 2000
    )
    assert len(visit.notes) == 2000


def test_an_education_detail_over_200_characters_is_refused(chw, household, mother):
    assert _refused(
        services.visit_record, actor=chw, household=household, date=D(2025, 6, 10),
        people=[mother.pk], education=[services.EducationIn(topic="hygiene", detail="d" * 201)],
    ) == {"education.0.detail": ["The detail has 201 characters; at most 200 are allowed."]}  # fmt: skip


def test_a_referral_before_the_program_or_the_birth_is_refused(cast, chw, child):
    center = cast.community_a.health_center
    common = {"actor": chw, "person": child, "health_center": center, "reasons": ["fever"],
              "urgency": "routine"}  # fmt: skip
    assert _refused(services.referral_create, referred_on=D(1999, 12, 31), **common) == {
        "referred_on": [
            "The referral date 1999-12-31 is before the start of the program (2000-01-01)."
        ]
    }
    assert _refused(services.referral_create, referred_on=D(2025, 2, 1), **common) == {
        "referred_on": [
            "The referral date 2025-02-01 is before the birth of Ali Traoré (2025-03-01)."
        ]
    }


def test_a_pregnancy_before_the_program_or_the_womans_birth_is_refused(settings, chw, household):
    girl = PersonFactory(household=household, given_name="Awa", sex="F", birth_date=D(2024, 10, 1))
    assert _refused(services.pregnancy_register, actor=chw, woman=girl, lmp=D(2024, 9, 1)) == {
        "lmp": [
            "The pregnancy (from its last menstrual period) 2024-09-01 is before the birth of "
            "Awa Traoré (2024-10-01)."
        ]
    }
    settings.PROGRAM_START_DATE = D(2025, 1, 1)
    woman = PersonFactory(household=household, given_name="Kadi", sex="F", birth_date=D(1990, 1, 1))
    assert _refused(services.pregnancy_register, actor=chw, woman=woman, lmp=D(2024, 9, 1)) == {
        "lmp": [
            "The last menstrual period 2024-09-01 is before the start of the program (2025-01-01)."
        ]
    }


def test_an_anc_contact_or_delivery_before_the_program_is_refused(settings, chw, pregnancy):
    settings.PROGRAM_START_DATE = D(2025, 1, 1)
    assert _refused(
        services.anc_contact_record, actor=chw, pregnancy=pregnancy, date=D(2024, 12, 1),
        place="this_cscom",
    ) == {"date": ["The ANC contact 2024-12-01 is before the start of the program (2025-01-01)."]}  # fmt: skip
    assert _refused(
        services.pregnancy_outcome_record, actor=chw, pregnancy=pregnancy,
        outcome_date=D(2024, 12, 31), birth_outcome="pregnancy_loss", outcome_place="home",
    ) == {"outcome_date": ["The delivery 2024-12-31 is before the start of the program (2025-01-01)."]}  # fmt: skip


def test_an_enrollment_before_the_program_is_refused(settings, chw, household):
    settings.PROGRAM_START_DATE = D(2025, 1, 1)
    child = PersonFactory(household=household, given_name="Ada", birth_date=D(2024, 1, 1))
    assert _refused(
        services.enrollment_start, actor=chw, person=child, program="child", start=D(2024, 12, 31)
    ) == {"start": ["The start 2024-12-31 is before the start of the program (2025-01-01)."]}


# --- through the API: the same rules, the documented error shape ------------------------------


def _post_visit(client, household, **body):
    return client.post(
        f"/api/v1/followup/households/{household.pk}/visits",
        {"id": str(uuid.uuid4()), **body},
        content_type="application/json",
    )


def test_the_api_refuses_a_visit_dated_0001_01_01(client, chw, household, mother):
    client.force_login(chw)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = _post_visit(client, household, date="0001-01-01", people=[str(mother.pk)])
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "date": ["The visit date 0001-01-01 is before the start of the program (2000-01-01)."]
    }
    assert _counts() == before


def test_the_api_refuses_a_megabyte_of_notes_and_declares_the_limit(client, chw, household, mother):
    client.force_login(chw)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = _post_visit(
        client, household, date="2025-06-10", people=[str(mother.pk)], notes="n" * 1_000_000
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["notes"]
    assert _counts() == before
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/followup/households/{household_id}/visits"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["notes"]["maxLength"] == 2000


def test_the_visit_page_refuses_notes_over_the_limit(client, chw, household, mother):
    client.force_login(chw)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = client.post(
        f"/followup/people/{mother.pk}/visit/",
        {
            "id": str(uuid.uuid4()),
            "date": "2025-06-10",
            "notes": "n" * 2001,
            "birth_plan": "undecided",
        },
    )
    assert response.status_code == 400
    assert "notes" in response.context["form"].errors
    assert _counts() == before
