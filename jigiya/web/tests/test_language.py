import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, get_format

from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import PASSWORD


def test_pages_are_french_by_default_whatever_the_browser_asks(db, client):
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="fr">' in body
    assert "Connexion" in body


def test_the_language_switcher_changes_the_language(db, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


def test_a_users_own_language_applies_from_login_until_they_switch(cast, client):
    user = cast.user(Role.CHW, "a")
    user.language = "bm"
    user.save(update_fields=["language"])
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    body = client.get(reverse("web:home")).content.decode()
    assert '<html lang="bm">' in body
    client.post(reverse("set_language"), {"language": "fr"})
    assert '<html lang="fr">' in client.get(reverse("web:home")).content.decode()


def test_a_language_picked_on_the_device_wins_over_the_accounts(cast, client):
    user = cast.user(Role.CHW, "a")
    user.language = "bm"
    user.save(update_fields=["language"])
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert '<html lang="en">' in client.get(reverse("web:home")).content.decode()


def test_api_clients_may_ask_for_a_language(cast, client):
    client.force_login(cast.user(Role.CHW, "a"))
    english = client.get("/api/v1/places/not-a-uuid", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/api/v1/places/not-a-uuid")
    assert english.status_code == french.status_code == 422
    assert english.json()["error"]["message"] == "The request does not match the expected format."
    assert french.json()["error"]["message"] != english.json()["error"]["message"]


@pytest.mark.parametrize("language", ["fr", "bm"])
def test_dates_are_day_month_year_with_distinct_months(language):
    """Issue 15: Bambara pages showed 06/03/2026 for the 3rd of June (the US order), French
    ones "Jui" for June and "Jul" for July."""
    june, july = datetime.date(2026, 6, 3), datetime.date(2026, 7, 3)
    with translation.override(language):
        assert date_format(june, "SHORT_DATE_FORMAT") == "03/06/2026"
        assert date_format(june, "DATE_FORMAT") == "3 juin 2026"
        assert date_format(july, "DATE_FORMAT") == "3 juil. 2026"
        assert date_format(datetime.datetime(2026, 7, 3, 9, 5), "DATETIME_FORMAT") == (
            "3 juil. 2026 09:05"
        )
        assert get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
        assert forms.DateField().clean("02/12/2026") == datetime.date(2026, 12, 2)


def test_english_dates_keep_their_own_format():
    with translation.override("en"):
        assert date_format(datetime.date(2026, 7, 3), "DATE_FORMAT") == "July 3, 2026"


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Nom\u00a0:"), ("bm", "Nom\u00a0:"), ("en", "Nom:")]
)
def test_a_colon_follows_the_typography_of_the_language(language, expected):
    with translation.override(language):
        assert Template("Nom{% colon %}").render(Context()) == expected
