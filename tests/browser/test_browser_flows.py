"""What a community health worker does in a real browser: log in in French, see their places,
switch to English, log out; a wrong password; a place outside their scope; on a phone, find the
child still to see this month and record the visit."""

import re
from pathlib import Path
from typing import Any

import pytest

from jigiya.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

CHW = "relais.sotuba"
# The project's French catalogue. The texts only it translates ("Vos lieux", …) are asserted once
# it is compiled; the rest of the French (Django's and its admin's own catalogues: "Connexion",
# "Déconnexion", the login error) and the untranslated data ("Sotuba") are asserted always.
FRENCH_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "jigiya" / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
)


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()


def test_chw_logs_in_in_french_switches_to_english_and_logs_out(
    page: Any, live_server: Any, demo_world: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page.goto(f"{base}/")
    # Not logged in: the home page sends to the login page, in French (the default language).
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Connexion")
    expect(page.get_by_label("Mot de passe")).to_be_visible()

    log_in(page, base, CHW, DEMO_PASSWORD)
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    places = page.locator("section", has=page.locator("ul.cards a[href^='/places/']")).first
    expect(places.locator("ul.cards")).to_contain_text("Sotuba")
    expect(page.locator("main")).not_to_contain_text("Yirimadio")
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
    if FRENCH_CATALOGUE.exists():  # FRENCH CATALOGUE: the project's own French texts.
        expect(page.locator("h1")).to_have_text("Bonjour, Aminata")
        expect(page.locator("h2", has_text="Vos lieux")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("Your places")

    # The language switcher in the header: a select and a submit button.
    page.locator("form.lang select[name=language]").select_option("en")
    page.locator("form.lang button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Hello, Aminata")
    expect(page.locator("h2", has_text="Your places")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Sotuba")
    expect(page.locator("form.lang select[name=language]")).to_have_value("en")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Log in")
    # Logged out for real: home sends back to the login page.
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(
    page: Any, live_server: Any, demo_world: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    log_in(page, base, CHW, "not-the-password")
    expect(page).to_have_url(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    error = page.locator(".errorlist[role=alert]")
    expect(error).to_be_visible()
    # Django's own French message: "Saisissez un nom d'utilisateur et un mot de passe valides…"
    expect(error).to_contain_text("mot de passe")
    expect(page.locator("#id_username")).to_have_value(CHW)
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.get_by_role("button", name="Déconnexion")).to_have_count(0)
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_chw_gets_a_404_for_a_place_outside_their_places(
    page: Any, live_server: Any, demo_world: Any
) -> None:
    from playwright.sync_api import expect

    from jigiya.places.models import Place

    base = live_server.url
    sotuba = Place.objects.get(code="BKO-C1-SOT")
    yirimadio = Place.objects.get(code="BKO-C6-YIR")
    log_in(page, base, CHW, DEMO_PASSWORD)
    expect(page).to_have_url(f"{base}/")

    # Their own community opens…
    response = page.goto(f"{base}{sotuba.get_absolute_url()}")
    assert response is not None and response.status == 200
    expect(page.locator("main")).to_contain_text("Sotuba")

    # …a community of another commune does not even admit it exists.
    response = page.goto(f"{base}{yirimadio.get_absolute_url()}")
    assert response is not None and response.status == 404
    body = page.locator("body")
    expect(body).not_to_contain_text("Yirimadio")
    expect(body).not_to_contain_text("BKO-C6-YIR")
    expect(body).not_to_contain_text("Commune VI")


def test_chw_on_a_phone_finds_the_child_to_see_and_records_the_visit(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    """The follow-up's core loop on a phone-sized screen: the worklist by day and by household,
    her month with the child still to see, the visit form, and the month after the visit."""
    import datetime

    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.accounts.models import User
    from jigiya.followup import services as followup_services
    from jigiya.followup.models import ChildAssessment
    from jigiya.places.models import Place
    from jigiya.registry import services as registry

    chw = User.objects.get(username=CHW)
    today = timezone.localdate()
    household = registry.household_create(
        actor=chw, community=Place.objects.get(code="BKO-C1-SOT"), name="Famille Diarra", chw=chw
    )
    child = registry.person_register(
        actor=chw, household=household, given_name="Awa", family_name="Diarra", sex="F",
        relationship="child", birth_date=today - datetime.timedelta(days=365),
    )  # fmt: skip
    followup_services.enrollment_start(actor=chw, person=child, program="child", start=today)

    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, CHW, DEMO_PASSWORD)
    page.goto(f"{base}/followup/")
    today_list = page.locator("h2:has-text('Aujourd') + ul.cards")
    expect(today_list).to_contain_text("Awa Diarra")
    expect(today_list).to_contain_text("12 mois · Famille Diarra")
    expect(today_list).to_contain_text("Visite de suivi de l'enfant · à faire le")

    page.get_by_role("link", name="Par ménage").click()
    expect(page).to_have_url(f"{base}/followup/?by=household")
    expect(page.locator("main ul.cards").last).to_contain_text("Famille Diarra")
    expect(page.locator("h2", has_text="En retard")).to_have_count(0)

    page.get_by_role("link", name="Mon mois").click()
    expect(page.locator("h2", has_text="Encore à voir deux fois")).to_contain_text("1")
    expect(page.locator("main")).to_contain_text("0 sur 1 enfant suivi vu deux fois ce mois")
    page.get_by_role("link", name="Awa Diarra").click()
    expect(page.locator("h1")).to_contain_text("Awa Diarra")
    page.locator("#id_weight_kg").fill("9.1")
    page.locator("#id_height_cm").fill("74")
    page.locator("#id_muac_mm").fill("138")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/followup/month/")  # back where she came from (issue 15)
    assert ChildAssessment.objects.filter(person=child, muac_mm=138).count() == 1

    expect(page.locator("main")).to_contain_text("Awa Diarra")
    expect(page.locator("main")).to_contain_text("Famille Diarra · une visite ce mois")
    context.close()
