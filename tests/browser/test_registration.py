"""A CHW on a phone (360 x 740, issue 15) registers a family from the start: the household
(her only community already chosen, the GPS filled by "use my location"), the mother (no sex
chosen for her), her pregnancy from "8 months pregnant" (she knows neither date: the LMP is
estimated and stored as such), then the delivery with the newborn, who is enrolled and
scheduled at once (no "Enroll" step) and shows his mother; finally she finds them again by
name, accents and case aside, on her worklist and in the households. Screenshots at 360 px go
to var/screenshots/."""

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_savings_meeting import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTH, HEIGHT = 360, 740
BAMAKO = {"latitude": 12.65432, "longitude": -7.98765, "accuracy": 12}


def _neighbours() -> Any:
    """Famille Cissé of Sotuba, followed by relais.sotuba: Awa, 17 months, due for a visit."""
    from django.utils import timezone

    from jigiya.accounts.models import User
    from jigiya.followup import services
    from jigiya.places.models import Place
    from jigiya.registry import services as registry

    chw = User.objects.get(username="relais.sotuba")
    household = registry.household_create(
        actor=chw, community=Place.objects.get(code="BKO-C1-SOT"), name="Famille Cissé", chw=chw
    )
    awa = registry.person_register(
        actor=chw, household=household, given_name="Awa", family_name="Cissé", sex="F",
        relationship="child", birth_date=timezone.localdate() - datetime.timedelta(days=520),
    )  # fmt: skip
    services.enrollment_start(actor=chw, person=awa, program="child", start=timezone.localdate())
    return household


def _on_screen(page: Any, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.screenshot(path=str(SHOTS / f"registration-{name}-360.png"), full_page=True)


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def _household(page: Any, base: str) -> Any:
    """The household: her only community chosen already, the location from the phone."""
    from playwright.sync_api import expect

    from jigiya.registry.models import Household

    page.goto(f"{base}/registry/households/new/")
    community = page.locator("#id_community")
    expect(community.locator("option")).to_have_count(1)
    expect(community.locator("option:checked")).to_have_text("Sotuba")
    page.locator("[data-locate]").click()
    expect(page.locator("#id_latitude")).to_have_value("12.65432")
    expect(page.locator("#id_longitude")).to_have_value("-7.98765")
    expect(page.locator("[data-locate-status]")).to_contain_text("12 m")
    page.locator("#id_name").fill("Famille Doumbia")
    _on_screen(page, "household")
    _submit(page)
    household = Household.objects.get(name="Famille Doumbia")
    assert (household.community.code, household.latitude, household.longitude) == (
        "BKO-C1-SOT",
        Decimal("12.65432"),
        Decimal("-7.98765"),
    )
    expect(page).to_have_url(f"{base}{household.get_absolute_url()}")
    return household


def _mother(page: Any, base: str, household: Any) -> Any:
    """The mother: no sex chosen in advance, so a form sent without one is refused."""
    from playwright.sync_api import expect

    from jigiya.registry.models import Person

    page.goto(f"{base}/registry/households/{household.pk}/people/new/")
    expect(page.locator("#id_sex")).to_have_value("")
    page.locator("#id_given_name").fill("Safiatou")
    page.locator("#id_family_name").fill("Doumbia")
    page.locator("#id_relationship").select_option("spouse")
    page.locator("#id_age_years").fill("24")
    _submit(page)
    expect(page.locator("main .errorlist")).to_have_count(1)
    assert not Person.objects.filter(household=household).exists()
    page.locator("#id_sex").select_option("F")
    _submit(page)
    mother = Person.objects.get(household=household)
    assert (str(mother), mother.sex, mother.birth_date_estimated) == ("Safiatou Doumbia", "F", True)
    card = page.locator("main ul.cards li", has_text="Safiatou Doumbia")
    expect(card).to_contain_text(re.compile(r"~24 (ans|years)"))
    return mother


def _pregnancy_from_months(page: Any, base: str, mother: Any, today: datetime.date) -> Any:
    from playwright.sync_api import expect

    from jigiya.registry.models import Pregnancy

    page.goto(f"{base}{mother.get_absolute_url()}")
    with page.expect_navigation():
        page.locator(f"a[href='/registry/people/{mother.pk}/pregnancy/']").click()
    page.locator("#id_months_pregnant").fill("8")
    _on_screen(page, "pregnancy-months")
    _submit(page)
    pregnancy = Pregnancy.objects.get(woman=mother)
    lmp = today - datetime.timedelta(days=244)  # 8 mean months of 30.4375 days
    assert (pregnancy.lmp, pregnancy.lmp_estimated, pregnancy.edd) == (
        lmp,
        True,
        lmp + datetime.timedelta(days=280),
    )
    expect(page.locator("main")).to_contain_text(f"~{lmp:%d/%m/%Y}")
    # One pregnancy open: not offered again.
    expect(page.locator(f"a[href='/registry/people/{mother.pk}/pregnancy/']")).to_have_count(0)
    return pregnancy


def _delivery(page: Any, pregnancy: Any, today: datetime.date) -> Any:
    """The delivery at home, a boy: registered, enrolled and his first visit due today."""
    from playwright.sync_api import expect

    from jigiya.followup.models import Task, TaskState
    from jigiya.registry.models import Enrollment, Person

    with page.expect_navigation():
        page.locator(f"a[href='/registry/pregnancies/{pregnancy.pk}/outcome/']").click()
    page.locator("#id_outcome_date").fill(today.isoformat())
    page.locator("#id_outcome_place").select_option("home")
    expect(page.locator("#id_register_newborn")).to_be_checked()
    page.locator("#id_newborn_sex").select_option("M")
    _submit(page)
    baby = Person.objects.get(born_of=pregnancy)
    assert Enrollment.objects.filter(person=baby, program="child", start=today, end=None).exists()
    tasks = Task.objects.filter(person=baby, state=TaskState.OPEN)
    assert list(tasks.values_list("kind", "due_date")) == [("child_visit", today)]
    assert Task.objects.filter(person=pregnancy.woman, state=TaskState.OPEN).count() == 2
    expect(page.locator(".messages")).to_contain_text(f"{baby} ")
    expect(page.locator(".messages")).to_contain_text(f"{today:%d/%m/%Y}")
    _on_screen(page, "delivery")

    with page.expect_navigation():
        page.locator(f"main a[href='{baby.get_absolute_url()}']").first.click()
    expect(page.locator(f"a[href='/registry/people/{baby.pk}/enroll/']")).to_have_count(0)
    expect(page.locator("dl.facts")).to_contain_text("Safiatou Doumbia")
    _on_screen(page, "newborn")
    return baby


def _found_by_name(page: Any, base: str, baby: Any) -> None:
    """Her worklist searched "DOUMBIÀ": this family's three tasks, not the Cissés'; the
    households searched "doumbia": this household."""
    from playwright.sync_api import expect

    page.goto(f"{base}/followup/")
    page.locator("#q").fill("DOUMBIÀ")
    with page.expect_navigation():
        page.locator("form.search button[type=submit]").click()
    cards = page.locator("main ul.cards li a")
    expect(cards).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("Cissé")
    newborn = page.locator("main ul.cards li", has_text=str(baby))
    expect(newborn).to_contain_text("Safiatou Doumbia")  # his mother
    expect(newborn).to_contain_text("Famille Doumbia")
    _on_screen(page, "worklist-search")

    page.goto(f"{base}/registry/?q=doumbia")
    expect(page.locator("main ul.cards li")).to_have_count(1)
    expect(page.locator("main ul.cards li")).to_contain_text("Safiatou Doumbia")
    _on_screen(page, "households-search")


def test_a_chw_registers_a_family_from_the_household_to_the_newborn_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    _neighbours()
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    phone = browser.new_context(
        locale="fr-FR",
        viewport={"width": WIDTH, "height": HEIGHT},
        geolocation=BAMAKO,
        permissions=["geolocation"],
    )
    phone.set_default_timeout(30_000)  # slow on a busy shared machine
    page = phone.new_page()
    log_in(page, base, "relais.sotuba")

    household = _household(page, base)
    mother = _mother(page, base, household)
    pregnancy = _pregnancy_from_months(page, base, mother, today)
    baby = _delivery(page, pregnancy, today)
    _found_by_name(page, base, baby)
    phone.close()
