"""A CHW on a phone (360 x 740, issue 15) opens a child's visit from her worklist, sees the
child's age, last weight, height and MUAC with their dates and the vaccines already given;
a weight implausible against the last one (11.15 → 8.2 kg in 11 days) asks her to measure
again and confirm; confirmed, the visit is saved, flagged for the supervisor, and she is back
on her worklist with the confirmation. Screenshots at 360 px go to var/screenshots/."""

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


def _child(today: datetime.date) -> Any:
    """Awa Coulibaly of Sotuba, 17 months, followed by relais.sotuba, seen 11 days ago."""
    from jigiya.accounts.models import User
    from jigiya.followup import services
    from jigiya.places.models import Place
    from jigiya.registry import services as registry

    chw = User.objects.get(username="relais.sotuba")
    sotuba = Place.objects.get(code="BKO-C1-SOT")
    household = registry.household_create(
        actor=chw, community=sotuba, name="Famille Coulibaly", chw=chw
    )
    child = registry.person_register(
        actor=chw, household=household, given_name="Awa", family_name="Coulibaly", sex="F",
        relationship="child", birth_date=today - datetime.timedelta(days=520),
    )  # fmt: skip
    seen = today - datetime.timedelta(days=11)
    services.enrollment_start(actor=chw, person=child, program="child", start=seen)
    services.visit_record(
        actor=chw, household=household, date=seen, people=[child.pk],
        children=[services.ChildCheckIn(
            person_id=child.pk, weight_kg=Decimal("11.15"), height_cm=Decimal("87.4"),
            muac_mm=135, vaccines=["bcg", "opv0"],
        )],
    )  # fmt: skip
    return child


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_chw_records_a_child_visit_with_an_implausible_weight_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.followup.models import ChildAssessment

    today = timezone.localdate()
    child = _child(today)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    phone = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    log_in(page, base, "relais.sotuba")

    # The worklist: Awa's next visit, due in three days.
    page.goto(f"{base}/followup/")
    link = page.locator(f"ul.cards a[href='/followup/people/{child.pk}/visit/?next=/followup/']")
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()

    # The visit form: her age, the last measures with their date, the vaccines given.
    seen = (today - datetime.timedelta(days=11)).strftime("%d/%m/%Y")
    facts = page.locator("dl.last-measures")
    expect(facts).to_contain_text(re.compile(r"17 mo(is|nths)"))  # French once translated
    expect(facts).to_contain_text(f"11,15 kg {seen}")
    expect(facts).to_contain_text(f"87,4 cm {seen}")
    expect(facts).to_contain_text(f"135 mm {seen}")
    given = page.locator("fieldset.vaccines input[type=checkbox][disabled]")
    expect(given).to_have_count(2)
    assert all(given.nth(i).is_checked() for i in range(2))
    expect(page.locator("fieldset.vaccines input[value=bcg]:not([disabled])")).to_have_count(0)
    expect(page.locator("input[name=confirmed]")).to_have_count(0)
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "child-visit-360.png"), full_page=True)

    # 8.2 kg eleven days after 11.15 kg: refused, both values stated, the box offered.
    page.locator("#id_weight_kg").fill("8.2")
    page.locator("#id_muac_mm").fill("132")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    error = page.locator("main .errorlist").first
    expect(error).to_contain_text("11.15")
    expect(error).to_contain_text("8.2")
    expect(error).to_contain_text(seen)
    box = page.locator("input[name=confirmed]")
    expect(box).to_be_visible()
    size = box.bounding_box()
    assert size is not None and size["height"] >= 24 and size["x"] + size["width"] <= WIDTH
    assert ChildAssessment.objects.filter(person=child).count() == 1  # nothing stored
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "child-visit-implausible-360.png"), full_page=True)

    # Measured again, confirmed: saved, flagged, back on the worklist with the message.
    expect(page.locator("#id_weight_kg")).to_have_value("8.2")
    box.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/followup/")
    expect(page.locator(".messages")).to_contain_text("Awa Coulibaly")
    latest = ChildAssessment.objects.filter(person=child).order_by("-visit__date").first()
    assert latest is not None and latest.weight_kg == Decimal("8.20") and latest.muac_mm == 132
    assert "11.15" in latest.flag and "8.2" in latest.flag
    page.screenshot(path=str(SHOTS / "child-visit-saved-360.png"), full_page=True)
    phone.close()
