"""The registry's page forms sent again by the phone's outbox (issue 16): a household and a
person registered once whatever the number of sends, with the time made on the phone; the
same id with other content refused as a conflict (409), nothing changed."""

import datetime
import uuid

import pytest

from jigiya.registry.models import Household, Person

MADE = "2025-06-09T16:40:00Z"
MADE_AT = datetime.datetime(2025, 6, 9, 16, 40, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def english_page(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_household_sent_twice_is_registered_once(client, cast, chw):
    client.force_login(chw)
    data = {
        "id": str(uuid.uuid4()), "made_at": MADE, "community": str(cast.community_a.pk),
        "name": "Famille Sangaré", "landmark": "", "phone": "",
    }  # fmt: skip
    first = client.post("/registry/households/new/", data)
    again = client.post("/registry/households/new/", data)
    household = Household.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"] == household.get_absolute_url()
    assert (str(household.pk), household.made_at, household.name) == (
        data["id"], MADE_AT, "Famille Sangaré",
    )  # fmt: skip
    conflict = client.post("/registry/households/new/", data | {"name": "Famille Keita"})
    assert conflict.status_code == 409
    assert "A different household was already sent with this id." in conflict.content.decode()
    assert list(Household.objects.values_list("name", flat=True)) == ["Famille Sangaré"]


def test_a_person_sent_twice_is_registered_once(client, chw, household):
    client.force_login(chw)
    url = f"/registry/households/{household.pk}/people/new/"
    data = {
        "id": str(uuid.uuid4()), "made_at": MADE, "given_name": "Fanta",
        "family_name": "Diarra", "sex": "F", "relationship": "child",
        "birth_date": "2024-02-02",
    }  # fmt: skip
    first, again = client.post(url, data), client.post(url, data)
    assert (first.status_code, again.status_code) == (302, 302)
    fanta = Person.objects.get(given_name="Fanta")
    assert (str(fanta.pk), fanta.made_at) == (data["id"], MADE_AT)
    conflict = client.post(url, data | {"birth_date": "2024-03-03"})
    assert conflict.status_code == 409
    assert Person.objects.get(given_name="Fanta").birth_date == datetime.date(2024, 2, 2)
