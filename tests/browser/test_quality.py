"""A QI coach at the Sotuba CSCom enters a transparency and accountability assessment on a
360-px screen: the general assembly is pre-filled from the ASACO's records with a link to
them, one criterion is scored outside its scale and refused with the reason, then the scorecard
is recorded and its one-page printable card shows the score. Screenshots go to
var/screenshots/."""

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_savings_meeting import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_coach_enters_an_assessment_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect

    from jigiya.places.models import HealthCenter
    from jigiya.quality import scorecard, selectors
    from jigiya.quality.models import Answer, Assessment

    admin = get_user_model().objects.get(username="admin")
    version = scorecard.ensure(actor=admin)
    criteria = {c.key: c for c in selectors.version_criteria(version)}
    sotuba = HealthCenter.objects.get(code="CSCOM-SOT")
    get_user_model().objects.filter(username="coach").update(language="en")  # messages checked
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    log_in(page, live_server.url, "coach")
    page.goto(f"{live_server.url}/quality/centers/{sotuba.pk}/assessments/new/")
    page.locator("#id_assessors").fill("Seydou Traoré, Hawa Konaté")
    board_women = page.locator(f"#id_v_{criteria['board_women'].pk}")
    expect(board_women).to_have_value("40")  # 2 women of the 5 seats, from the board
    for key in ("accounts_presented", "prices_displayed", "complaints_channel"):
        page.locator(f"#id_v_{criteria[key].pk}").select_option("3")
    page.locator(f"#id_v_{criteria['community_feedback'].pk}").select_option("2")
    page.locator(f"#id_e_{criteria['prices_displayed'].pk}").fill("Tarifs au mur de l'accueil")
    board_women.fill("140")
    page.screenshot(path=str(SHOTS / "quality-assessment-360.png"), full_page=True)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "The score 140 of “Part des femmes au bureau” is outside its scale (0 to 100)."
    )
    assert Assessment.objects.count() == 0
    page.screenshot(path=str(SHOTS / "quality-assessment-refused-360.png"), full_page=True)
    page.locator(f"#id_v_{criteria['board_women'].pk}").fill("40")
    button = page.locator("main form button[type=submit]")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360 and box["height"] >= 44
    with page.expect_navigation():
        button.click()
    assessment = Assessment.objects.get()
    expect(page).to_have_url(f"{live_server.url}{assessment.get_absolute_url()}")
    # The last assembly (2025-01-18) is older than 12 months: pre-filled "No"; the board was
    # elected in 2022, more than three years ago: "No" too.
    assert assessment.complete is True
    assert assessment.score == round(100 * (0.4 + 3 + 2 + 2 + 2 / 3) / 14, 1)
    expect(page.locator("#score")).to_contain_text(f"{assessment.score} / 100")
    assert Answer.objects.get(criterion=criteria["assembly_12m"]).source_url == (
        f"/places/health-centers/{sotuba.pk}/"
    )
    page.screenshot(path=str(SHOTS / "quality-scorecard-360.png"), full_page=True)
    phone.close()
