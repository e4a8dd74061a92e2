"""Rules the pages check are the services' rules: the API (and any other caller) meets each
one with a 400 in the API's error shape, and nothing is recorded."""

import datetime
import uuid

import pytest
import time_machine
from django.utils import translation

from jigiya.followup import services
from jigiya.followup.models import Referral, Task, Visit
from jigiya.registry import services as registry
from jigiya.registry.models import AncContact, Enrollment, Person


@pytest.fixture(autouse=True)
def frozen():
    with (
        time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False),
        translation.override("en"),
    ):
        yield


# Messages compared in English, the source language, whatever the catalogue says.
ENGLISH = {"Accept-Language": "en"}


def _post(client, url, body):
    return client.post(f"/api/v1{url}", body, content_type="application/json", headers=ENGLISH)


def _invalid(field, message):
    return {"error": {"code": "invalid", "message": message, "fields": {field: [message]}}}


def test_a_deactivated_person_is_not_referred_through_the_api(client, chw, mother):
    """The page refused it (403) but the API answered 201: the service refuses it now."""
    registry.person_deactivate(actor=chw, person=mother, reason="moved")
    client.force_login(chw)
    response = _post(client, f"/followup/people/{mother.pk}/referrals", {
        "id": str(uuid.uuid4()), "referred_on": "2025-06-10", "reasons": ["other"],
        "urgency": "routine",
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json() == _invalid("person", "Mariam Traoré is no longer active.")
    assert Referral.objects.count() == 0
    assert Task.objects.filter(kind="referral_followup").count() == 0


def test_an_anc_contact_at_home_is_refused_through_the_api(client, chw, pregnancy):
    client.force_login(chw)
    response = _post(client, f"/registry/pregnancies/{pregnancy.pk}/anc-contacts", {
        "id": str(uuid.uuid4()), "date": "2025-05-02", "place": "home",
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json() == _invalid("place", "An ANC contact takes place at a health facility.")
    assert AncContact.objects.count() == 0


def test_a_follow_up_is_not_ended_as_completed_by_hand(client, chw, mother, pregnancy):
    client.force_login(chw)
    response = _post(client, f"/registry/people/{mother.pk}/enrollments/end", {
        "program": "pregnancy", "end": "2025-06-10", "reason": "completed",
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json() == _invalid(
        "reason", "A follow-up is completed by recording the delivery."
    )
    assert Enrollment.objects.get(person=mother).end is None


def test_a_visit_seeing_nobody_is_refused_through_the_api(client, chw, household):
    client.force_login(chw)
    response = _post(client, f"/followup/households/{household.pk}/visits", {
        "id": str(uuid.uuid4()), "date": "2025-06-10", "people": [], "notes": "Nobody home",
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json() == _invalid("people", "Tick at least one person seen.")
    assert Visit.objects.count() == 0


def test_the_newborn_page_sent_again_with_another_sex_is_a_conflict(client, chw, pregnancy):
    """It answered 500; the page now shows the conflict (409) and changes nothing."""
    services.pregnancy_outcome_record(
        actor=chw, pregnancy=pregnancy, outcome_date=datetime.date(2025, 6, 8),
        birth_outcome="live_birth", outcome_place="this_cscom",
    )  # fmt: skip
    client.force_login(chw)
    url = f"/registry/pregnancies/{pregnancy.pk}/newborn/"
    baby_id = str(client.get(url).context["form"]["id"].value())
    first = client.post(url, {"id": baby_id, "sex": "F", "given_name": "Awa"})
    assert first.status_code == 302
    again = client.post(url, {"id": baby_id, "sex": "M", "given_name": "Awa"})
    assert again.status_code == 409
    # In French, her language: "A different person was already sent with this id."
    assert again.context["form"].errors == {
        "__all__": [
            "Un enregistrement différent (personne) a déjà été envoyé avec cet identifiant."
        ]
    }
    baby = Person.objects.get(pk=baby_id)
    assert (baby.sex, baby.given_name, baby.born_of_id) == ("F", "Awa", pregnancy.pk)
    assert Person.objects.filter(born_of=pregnancy).count() == 1
    assert Enrollment.objects.filter(person=baby).count() == 1
