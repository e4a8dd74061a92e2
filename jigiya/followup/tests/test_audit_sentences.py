"""The audit trail reads as sentences with names, filtered by user, kind of record, place and
day (the page lives in accounts; the records here are the follow-up's)."""

import datetime

import pytest
import time_machine
from django.conf import settings

from jigiya.followup import services
from jigiya.registry import services as registry

DAY = datetime.datetime(2025, 6, 10, 9, 0)


@pytest.fixture
def visited(cast, chw):
    with time_machine.travel(DAY, tick=False):
        chw.first_name, chw.last_name = "Awa", "Coulibaly"
        chw.save(update_fields=["first_name", "last_name"])
        household = registry.household_create(
            actor=chw, community=cast.community_a, name="Famille Cissé", chw=chw
        )
        child = registry.person_register(
            actor=chw, household=household, given_name="Fanta", family_name="Cissé", sex="F",
            relationship="child", birth_date=datetime.date(2024, 1, 1),
        )  # fmt: skip
        services.visit_record(actor=chw, household=household, date=DAY.date(), people=[child.pk])
    return household


def _sentences(client, query):
    response = client.get(f"/accounts/audit/?{query}")
    assert response.status_code == 200
    return [sentence for _entry, sentence, _lines in response.context["sentences"]]


def test_a_visit_reads_as_a_sentence_with_names(cast, admin_user, client, visited):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _sentences(client, "kind=followup.visit") == [
        "Awa Coulibaly recorded visit “Famille Cissé” (Community A) on June 10, 2025"
    ]
    assert _sentences(client, "kind=registry.person") == [
        "Awa Coulibaly recorded person “Fanta Cissé” (Community A) on June 10, 2025"
    ]
    body = client.get("/accounts/audit/?kind=followup.visit").content.decode()
    assert "Awa Coulibaly recorded visit “Famille Cissé” (Community A) on June 10, 2025" in body


def test_the_trail_is_filtered_by_user_place_and_day(cast, admin_user, client, visited):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    everything = _sentences(client, "kind=followup.visit&who=coulibaly")
    assert len(everything) == 1
    assert _sentences(client, "kind=followup.visit&who=diarra") == []
    assert len(_sentences(client, f"kind=followup.visit&place={cast.commune_a.pk}")) == 1
    assert _sentences(client, f"kind=followup.visit&place={cast.community_b.pk}") == []
    assert len(_sentences(client, "kind=followup.visit&since=2025-06-10&until=2025-06-10")) == 1
    assert _sentences(client, "kind=followup.visit&since=2025-06-11") == []
    assert client.get("/accounts/audit/?since=juin").status_code == 400


def test_only_a_national_administrator_reads_the_trail(cast, client, visited):
    from jigiya.accounts.roles import Role

    client.force_login(cast.user(Role.ADMIN, "a"))  # an administrator of Community A only
    assert client.get("/accounts/audit/").status_code == 403


def _details(client, query):
    response = client.get(f"/accounts/audit/?{query}")
    assert response.status_code == 200
    return [lines for _entry, _sentence, lines in response.context["sentences"]]


def test_the_details_show_labels_not_stored_codes(cast, admin_user, chw, client, visited):
    from jigiya.registry.models import Person

    child = Person.objects.get(given_name="Fanta")
    with time_machine.travel(DAY + datetime.timedelta(days=1), tick=False):
        registry.person_update(
            actor=chw, person=child, given_name="Fanta", family_name="Cissé", sex="F",
            relationship="grandchild", birth_date=datetime.date(2024, 2, 1),
        )  # fmt: skip
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    changed, created = _details(client, "kind=registry.person")
    assert changed == [
        "Date of birth: Jan. 1, 2024 → Feb. 1, 2024",
        "Relationship to the head: Child → Grandchild",
    ]
    assert created == [
        "Created by: Awa Coulibaly",
        "Household: Famille Cissé",
        "Given name: Fanta",
        "Family name: Cissé",
        "Sex: Female",
        "Date of birth: Jan. 1, 2024",
        "Date of birth estimated: No",
        "Relationship to the head: Child",
        "Active: Yes",
    ]
    body = client.get("/accounts/audit/?kind=registry.person").content.decode()
    assert "Relationship to the head: Child → Grandchild" in body
    assert "<code>" not in body and "child →" not in body


def test_the_details_follow_french_typography(cast, admin_user, client, visited):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    (created,) = _details(client, "kind=registry.person")
    assert created[4] == "Sexe\u00a0: Femme"
    assert created[5] == "Date de naissance\u00a0: 1 jan. 2024"
