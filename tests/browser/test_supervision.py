"""A supervisor on a phone (360 x 740, issue 15) picks last month, reads a CHW's referral
counts and finds them equal to the referral lists they link to, opens the CHW's worklist and
filters her overdue referrals. Screenshots at 360 px go to var/screenshots/."""

import datetime
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_savings_meeting import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTH, HEIGHT = 360, 740


def _referrals(today: datetime.date) -> Any:
    """relais.sotuba referred three children on the 10th of last month (still open) and one
    today."""
    from jigiya.accounts.models import User
    from jigiya.followup import services
    from jigiya.places.models import Place
    from jigiya.registry import services as registry

    chw = User.objects.get(username="relais.sotuba")
    sotuba = Place.objects.get(code="BKO-C1-SOT")
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)
    household = registry.household_create(
        actor=chw, community=sotuba, name="Famille Cissé", chw=chw
    )
    for name, day in (("Awa", last_month), ("Bintou", last_month), ("Coumba", last_month),
                      ("Djeneba", today)):  # fmt: skip
        child = registry.person_register(
            actor=chw, household=household, given_name=name, family_name="Cissé", sex="F",
            relationship="child", birth_date=datetime.date(2024, 1, 1),
        )  # fmt: skip
        services.referral_create(
            actor=chw, person=child, health_center=sotuba.health_center, referred_on=day,
            reasons=["other"], reason_text="Fièvre", urgency="urgent",
        )  # fmt: skip
    return chw, last_month


def _figure(card: Any, kind: str) -> int:
    return int(card.locator(f"dd a.{kind}").inner_text())


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_supervisor_checks_a_chws_referrals_of_last_month_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    today = timezone.localdate()
    chw, last_month = _referrals(today)
    period = f"{last_month:%Y-%m}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    phone = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
    phone.set_default_timeout(60_000)  # a shared, busy machine
    page = phone.new_page()
    log_in(page, base, "superviseur")

    # The supervision page, then last month.
    page.goto(f"{base}/followup/supervision/")
    with page.expect_navigation():
        page.locator(f"nav.tabs a[href='?month={period}']").click()
    expect(page.locator("nav.tabs [aria-current=page]")).to_have_count(1)
    card = page.locator("ul.supervision > li").filter(
        has=page.locator(f"a.chw[href='/followup/?chw={chw.pk}']")
    )
    expect(card).to_have_count(1)
    figures = [_figure(card, kind) for kind in ("made", "open", "overdue")]
    assert figures == [3, 4, 3]
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "supervision-last-month-360.png"), full_page=True)

    # Each count equals the list it opens.
    for kind, count in (("made", 3), ("open", 4), ("overdue", 3)):
        with page.expect_navigation():
            card.locator(f"dd a.{kind}").click()
        expect(page.locator("ul.referrals > li")).to_have_count(count)
        expect(page.locator("p.referral-count")).to_contain_text(str(count))
        page.go_back()

    # Her worklist, then her referrals, filtered to the overdue ones.
    with page.expect_navigation():
        card.locator("a.chw").click()
    expect(page).to_have_url(f"{base}/followup/?chw={chw.pk}")
    expect(page.locator("h1")).to_contain_text(chw.get_full_name())
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "supervision-chw-worklist-360.png"), full_page=True)
    with page.expect_navigation():
        page.locator(f"main .actions a[href='/followup/referrals/?chw={chw.pk}']").click()
    expect(page.locator("ul.referrals > li")).to_have_count(4)
    with page.expect_navigation():
        page.locator("nav.tabs a[href*='overdue=1']").click()
    rows = page.locator("ul.referrals > li")
    expect(rows).to_have_count(3)
    days = (today - last_month).days
    for i in range(3):
        expect(rows.nth(i)).to_contain_text(re.compile(rf"\b{days}\b"))
        expect(rows.nth(i)).to_contain_text(chw.get_full_name())
    expect(page.locator("ul.referrals")).not_to_contain_text("Djeneba")
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "supervision-overdue-referrals-360.png"), full_page=True)
    phone.close()
