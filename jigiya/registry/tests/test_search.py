"""Issue 15, registration: the household list found by name (server-side, accents and case
aside, every word, only in the user's places) and what tells people and households apart."""

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.registry import selectors, services
from jigiya.registry.models import age_label

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 10)


def _family(chw: Any, community: Any, name: str, *members: tuple[str, str, str]) -> Any:
    household = services.household_create(actor=chw, community=community, name=name, chw=chw)
    for given, family, sex in members:
        services.person_register(
            actor=chw, household=household, given_name=given, family_name=family, sex=sex,
            relationship="spouse", birth_date=datetime.date(1990, 1, 1), confirm_duplicate=True,
        )  # fmt: skip
    return household


def _names(households: Any) -> list[str]:
    return [household.name for household in households]


def test_search_words_drop_accents_case_and_punctuation() -> None:
    assert selectors.search_words("  CISSÉ  Aïssata-Maïga ") == ["cisse", "aissata", "maiga"]
    assert selectors.search_words("N'Diaye (14)") == ["n", "diaye", "14"]
    assert selectors.search_words(" - ' ") == []


def test_a_word_matches_its_letters_with_or_without_accents() -> None:
    pattern = selectors.folded_pattern("cisse")
    assert pattern.startswith("[cCçÇ][iIîïíìÎÏÍÌ]")
    for name in ("Famille Cissé 14", "FAMILLE CISSE", "famille çissè"):
        assert re.search(pattern, name), name
    assert not re.search(pattern, "Famille Cissa 14")
    assert selectors.folded_pattern("14") == "14"


def test_the_household_list_finds_a_household_by_its_name_without_accents(cast: Any) -> None:
    chw = cast.user(Role.CHW, "a")
    _family(chw, cast.community_a, "Famille Cissé", ("Awa", "Cissé", "F"))
    _family(chw, cast.community_a, "Famille Doumbia", ("Safiatou", "Doumbia", "F"))
    _family(chw, cast.community_a, "Famille Cissé 7")

    assert _names(selectors.household_list(user=chw, search="CISSE")) == [
        "Famille Cissé",
        "Famille Cissé 7",
    ]
    assert _names(selectors.household_list(user=chw, search="famille  cissé 7")) == [
        "Famille Cissé 7"
    ]
    assert _names(selectors.household_list(user=chw, search="")) == [
        "Famille Cissé",
        "Famille Cissé 7",
        "Famille Doumbia",
    ]


def test_the_household_list_finds_a_household_by_a_members_name(cast: Any) -> None:
    chw = cast.user(Role.CHW, "a")
    _family(chw, cast.community_a, "Famille Diarra", ("Aïssata", "Doumbia", "F"))
    _family(chw, cast.community_a, "Famille Keïta", ("Moussa", "Keïta", "M"))

    assert _names(selectors.household_list(user=chw, search="aissata")) == ["Famille Diarra"]
    # Every word counts: one in a member's name, the other in the household's.
    assert _names(selectors.household_list(user=chw, search="doumbia diarra")) == ["Famille Diarra"]
    assert _names(selectors.household_list(user=chw, search="doumbia keita")) == []


def test_the_household_search_stays_within_the_users_places(cast: Any) -> None:
    chw_a, chw_b = cast.user(Role.CHW, "a"), cast.user(Role.CHW, "b")
    _family(chw_a, cast.community_a, "Famille Cissé", ("Awa", "Cissé", "F"))
    _family(chw_b, cast.community_b, "Famille Cissé", ("Fanta", "Cissé", "F"))

    found = list(selectors.household_list(user=chw_b, search="cisse"))
    assert [household.community for household in found] == [cast.community_b]


def test_the_household_list_shows_its_active_members_oldest_first(cast: Any) -> None:
    chw = cast.user(Role.CHW, "a")
    household = _family(chw, cast.community_a, "Famille Cissé")
    for given, born in (("Fanta", 2001), ("Awa", 1985), ("Kadi", 2010)):
        services.person_register(
            actor=chw, household=household, given_name=given, family_name="Cissé", sex="F",
            relationship="child", birth_date=datetime.date(born, 1, 1),
        )  # fmt: skip
    kadi = household.members.get(given_name="Kadi")
    services.person_deactivate(actor=chw, person=kadi, reason="moved", day=DAY)

    (found,) = selectors.household_list(user=chw)
    assert [str(person) for person in found.active_members] == ["Awa Cissé", "Fanta Cissé"]


def test_the_household_page_costs_the_same_queries_for_2_or_8_households(
    cast: Any, client: Any
) -> None:
    chw = cast.user(Role.CHW, "a")
    client.force_login(chw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for n in range(2):
        _family(chw, cast.community_a, f"Famille Cissé {n}", ("Awa", "Cissé", "F"))
    with CaptureQueriesContext(connection) as few:
        client.get("/registry/?q=cisse")
    for n in range(2, 8):
        _family(chw, cast.community_a, f"Famille Cissé {n}", ("Awa", "Cissé", "F"))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/registry/?q=cisse")
    assert response.content.decode().count("1 member · Awa Cissé") == 8
    assert len(many) == len(few)


def test_a_search_that_finds_nobody_says_so(cast: Any, client: Any) -> None:
    chw = cast.user(Role.CHW, "a")
    client.force_login(chw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _family(chw, cast.community_a, "Famille Cissé", ("Awa", "Cissé", "F"))

    page = client.get("/registry/?q=Traoré").content.decode()

    assert "No household or person named “Traoré”." in page
    assert "Famille Cissé" not in page


@pytest.mark.parametrize(
    ("birth", "estimated", "label"),
    [
        (datetime.date(2025, 6, 10), False, "0 days"),
        (datetime.date(2025, 6, 9), False, "1 day"),
        (datetime.date(2025, 5, 11), False, "30 days"),
        (datetime.date(2025, 5, 10), False, "1 month"),
        (datetime.date(2023, 6, 11), False, "23 months"),
        (datetime.date(2023, 6, 10), False, "2 years"),
        (datetime.date(2001, 7, 1), True, "~23 years"),
        (datetime.date(2025, 6, 11), False, ""),
        (None, False, ""),
    ],
)
def test_an_age_is_told_in_days_then_months_then_years(
    english: Any, birth: datetime.date | None, estimated: bool, label: str
) -> None:
    assert age_label(birth, DAY, estimated) == label
