"""Editing, deactivation and newborns through the API and the pages."""

import datetime
import uuid

from jigiya.followup import services as followup
from jigiya.followup.models import Task
from jigiya.registry import services
from jigiya.registry.models import Household, Person


def _send(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def test_the_api_edits_only_the_fields_sent(client, chw, household, mother):
    client.force_login(chw)
    response = _send(
        client, "patch", f"/api/v1/registry/households/{household.pk}",
        {"landmark": "Près du puits", "head_id": str(mother.pk)},
    )  # fmt: skip
    assert response.status_code == 200
    assert (response.json()["landmark"], response.json()["head_id"]) == (
        "Près du puits",
        str(mother.pk),
    )
    assert Household.objects.get(pk=household.pk).name == "Famille Diarra"
    response = _send(client, "patch", f"/api/v1/registry/people/{mother.pk}", {"phone": "76000000"})
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["given_name"]) == ("76000000", "Mariam")
    response = _send(client, "patch", f"/api/v1/registry/people/{mother.pk}", {"age_years": 30})
    assert (response.json()["birth_date"], response.json()["birth_date_estimated"]) == (
        "1995-07-01",
        True,
    )


def test_the_api_refuses_bad_edits(client, chw, household, mother):
    client.force_login(chw)
    url = f"/api/v1/registry/people/{mother.pk}"
    assert _send(client, "patch", url, {"sex": "X"}).status_code == 422
    future = _send(client, "patch", url, {"birth_date": "2025-06-11"})
    assert future.status_code == 400
    assert list(future.json()["error"]["fields"]) == ["birth_date"]
    head = _send(
        client, "patch", f"/api/v1/registry/households/{household.pk}",
        {"head_id": str(uuid.uuid4())},
    )  # fmt: skip
    assert head.status_code == 400
    stored = Person.objects.get(pk=mother.pk)
    assert (stored.sex, stored.birth_date) == ("F", datetime.date(1998, 1, 1))
    assert Household.objects.get(pk=household.pk).head_id is None


def test_the_api_deactivates_once(client, chw, mother):
    client.force_login(chw)
    url = f"/api/v1/registry/people/{mother.pk}/deactivate"
    first = _send(client, "post", url, {"reason": "died"})
    again = _send(client, "post", url, {"reason": "died"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["is_active"] is False
    refused = _send(client, "post", url, {"reason": "completed"})
    assert (refused.status_code, list(refused.json()["error"]["fields"])) == (400, ["reason"])


def test_the_api_registers_the_newborn_with_the_delivery_once(client, chw, pregnancy):
    client.force_login(chw)
    baby_id = str(uuid.uuid4())
    body = {
        "outcome_date": "2025-06-09", "birth_outcome": "live_birth", "outcome_place": "home",
        "newborn": {"id": baby_id, "sex": "F", "given_name": "Awa"},
    }  # fmt: skip
    url = f"/api/v1/registry/pregnancies/{pregnancy.pk}/outcome"
    first = _send(client, "post", url, body)
    again = _send(client, "post", url, body)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["newborn_ids"] == again.json()["newborn_ids"] == [baby_id]
    baby = Person.objects.get(pk=baby_id)
    assert (baby.given_name, baby.birth_date) == ("Awa", datetime.date(2025, 6, 9))
    twin = _send(
        client, "post", f"/api/v1/registry/pregnancies/{pregnancy.pk}/newborns",
        {"id": str(uuid.uuid4()), "sex": "M"},
    )  # fmt: skip
    assert twin.status_code == 201
    assert Person.objects.filter(born_of=pregnancy).count() == 2
    conflict = _send(
        client, "post", f"/api/v1/registry/pregnancies/{pregnancy.pk}/newborns",
        {"id": baby_id, "sex": "M"},
    )  # fmt: skip
    assert conflict.status_code == 409


def test_the_pages_edit_and_deactivate(client, chw, household, mother):
    client.force_login(chw)
    page = client.get(f"/registry/households/{household.pk}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/registry/households/{household.pk}/edit/",
        {"name": "Famille Traoré", "landmark": "", "phone": "", "head": str(mother.pk)},
    )
    assert response.status_code == 302
    assert Household.objects.get(pk=household.pk).name == "Famille Traoré"
    assert client.get(f"/registry/people/{mother.pk}/edit/").status_code == 200
    response = client.post(
        f"/registry/people/{mother.pk}/edit/",
        {"given_name": "Mariama", "family_name": "Traoré", "sex": "F",
         "relationship": "spouse", "birth_date": "2025-07-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "birth_date" in response.context["form"].errors
    assert Person.objects.get(pk=mother.pk).given_name == "Mariam"
    response = client.post(
        f"/registry/people/{mother.pk}/deactivate/", {"reason": "moved", "day": "2025-06-10"}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=mother.pk).is_active is False


def test_the_delivery_page_offers_the_newborn(client, chw, pregnancy):
    client.force_login(chw)
    url = f"/registry/pregnancies/{pregnancy.pk}/outcome/"
    page = client.get(url)
    form = page.context["form"]
    assert {"register_newborn", "newborn_sex", "newborn_id"} <= set(form.fields)
    baby_id = str(form["newborn_id"].value())
    response = client.post(
        url,
        {"outcome_date": "2025-06-09", "birth_outcome": "live_birth",
         "outcome_place": "this_cscom", "register_newborn": "on", "newborn_sex": "M",
         "newborn_id": baby_id},
    )  # fmt: skip
    assert response.status_code == 302
    baby = Person.objects.get(pk=baby_id)
    assert Task.objects.filter(person=baby, kind="child_visit").count() == 1
    person_page = client.get(f"/registry/people/{pregnancy.woman_id}/")
    assert baby_id in person_page.content.decode()


def test_the_person_page_shows_each_task_with_its_history_and_offers_a_referral(
    client, chw, household
):
    child = services.person_register(
        actor=chw, household=household, given_name="Ali", family_name="Sow", sex="M",
        relationship="child", birth_date=datetime.date(2024, 2, 1),
    )  # fmt: skip
    followup.enrollment_start(
        actor=chw, person=child, program="child", start=datetime.date(2025, 6, 10)
    )
    client.force_login(chw)
    page = client.get(child.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert f"/followup/people/{child.pk}/refer/" in body
    task = page.context["tasks"][0]
    assert (task.due_date, task.shown) == (datetime.date(2025, 6, 10), "due")
    assert [change.to_state for change in task.history.all()] == ["open"]
    assert 'class="badge state-due"' in body
