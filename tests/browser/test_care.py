"""Free care on a phone (issue 14): the Sotuba health center records a care line for a covered
child, and the program manager verifies it. Screenshots at 360 px go to var/screenshots/."""

import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_savings_meeting import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _covered_child(today: datetime.date) -> Any:
    """A free-care scheme for Sotuba paying its CSCom, and Fanta, two, covered since a month."""
    from jigiya.accounts.models import User
    from jigiya.care import services
    from jigiya.donors.models import Donor, Funding
    from jigiya.places.models import HealthCenter, Place
    from jigiya.registry import services as registry_services
    from jigiya.registry.models import Household, Person

    admin = User.objects.get(username="admin")
    sotuba = Place.objects.get(code="BKO-C1-SOT")
    center = HealthCenter.objects.get(code="CSCOM-SOT")
    donor = Donor.objects.create(name="Fondation Santé", code="FS")
    funding = Funding.objects.create(
        donor=donor, program="health", place=sotuba, start=datetime.date(2025, 1, 1)
    )
    scheme = services.scheme_create(
        actor=admin, name="Soins gratuits Sotuba", place=sotuba, level="free",
        services=["consultation", "medicines"], health_centers=[center],
        valid_from=datetime.date(2025, 1, 1), funding=funding, ceiling=10_000,
    )  # fmt: skip
    household = Household.objects.create(community=sotuba, name="Famille Diarra")
    start = today - datetime.timedelta(days=30)
    registry_services.least_access_assess(
        actor=admin, household=household, assessed_on=start,
        criteria=["no_regular_income", "could_not_pay_care", "food_insecure"],
    )  # fmt: skip
    child = Person.objects.create(
        household=household, given_name="Fanta", family_name="Diarra", sex="F",
        relationship="child", birth_date=today - datetime.timedelta(days=730),
    )  # fmt: skip
    services.coverage_decide(
        actor=admin, person=child, scheme=scheme, start=start, reason="Moindre accès"
    )
    return center, child


def _phone(browser: Any) -> tuple[Any, Any]:
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    return phone, phone.new_page()


def test_a_health_center_records_a_care_line_and_the_manager_verifies_it(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.care.models import CareLine, Claim

    today = timezone.localdate()
    center, child = _covered_child(today)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    # The CSCom's staff records yesterday's consultation of Fanta: 2 500 FCFA.
    phone, page = _phone(browser)
    log_in(page, base, "cscom.sotuba")
    page.goto(f"{base}/care/centers/{center.pk}/")
    page.screenshot(path=str(SHOTS / "care-center-360.png"), full_page=True)
    with page.expect_navigation():
        page.locator(f"a[href='/care/centers/{center.pk}/lines/new/']").first.click()
    page.locator("#id_person").select_option(str(child.pk))
    page.locator("#id_day").fill((today - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_service").select_option("consultation")
    page.locator("#id_amount").fill("2500")
    page.screenshot(path=str(SHOTS / "care-line-360.png"), full_page=True)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".errorlist").all_inner_texts() == []
    line = CareLine.objects.get()
    expect(page).to_have_url(f"{base}/care/claims/{line.claim_id}/")
    expect(page.locator("main")).to_contain_text("2\u00a0500\u00a0FCFA")
    expect(page.locator(f"form[action='/care/claims/{line.claim_id}/verify/']")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "care-claim-staff-360.png"), full_page=True)
    phone.close()

    # The program manager verifies the lines on her phone, then approves the claim.
    phone, page = _phone(browser)
    log_in(page, base, "manager")
    page.goto(f"{base}/care/claims/{line.claim_id}/")
    button = page.locator(f"form[action='/care/claims/{line.claim_id}/verify/'] button")
    box = button.bounding_box()
    # On screen, no sideways scroll. (The site's buttons are 39 px tall, `web/jigiya.css`.)
    assert box is not None and box["x"] + box["width"] <= 360 and box["height"] >= 38
    with page.expect_navigation():
        button.click()
    assert CareLine.objects.get().status == "approved"
    with page.expect_navigation():
        page.locator(f"form[action='/care/claims/{line.claim_id}/approve/'] button").click()
    claim = Claim.objects.get()
    assert (claim.status, claim.approved_amount) == ("approved", 2500)
    expect(page.locator(f"a[href='/care/claims/{claim.pk}/pay/']")).to_be_visible()
    page.screenshot(path=str(SHOTS / "care-claim-manager-360.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # no sideways scroll
    phone.close()


def _budget_used(amount: int, *, used: int) -> Any:
    """Sotuba's budget of `amount` FCFA for the last 400 days, and a covered child's consultation
    of `used` FCFA yesterday, claimed, verified and approved by the manager: the budget."""
    from django.utils import timezone

    from jigiya.accounts.models import User
    from jigiya.care import services
    from jigiya.care.models import Scheme

    today = timezone.localdate()
    center, child = _covered_child(today)
    manager, staff = (User.objects.get(username=n) for n in ("manager", "cscom.sotuba"))
    budget = services.budget_set(
        actor=manager, health_center=center, scheme=Scheme.objects.get(),
        start=today - datetime.timedelta(days=400), end=today + datetime.timedelta(days=30),
        amount=amount,
    )  # fmt: skip
    line = services.care_line_record(
        actor=staff, health_center=center, person=child, service="consultation", amount=used,
        day=today - datetime.timedelta(days=1),
    )  # fmt: skip
    services.claim_verify(actor=manager, claim=line.claim)
    services.claim_approve(actor=manager, claim=line.claim)
    return budget


def test_the_manager_reads_her_budget_alerts_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    """A tight Sotuba budget (2 500 FCFA used of 3 000) alerts the program manager: the
    header's badge counts her unread notice; marked read on `/care/alerts/` at 360 px, the
    badge goes."""
    from jigiya.accounts.models import User
    from jigiya.care.models import BudgetNotice

    manager = User.objects.get(username="manager")
    _budget_used(3000, used=2500)
    unread = BudgetNotice.objects.filter(user=manager, read_at=None).count()
    assert unread == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone, page = _phone(browser)
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/care/alerts/")
    # On a phone the links sit behind the menu button, which repeats the count.
    badge = page.locator("header details.menu > summary .badge")
    assert badge.inner_text().split()[0] == str(unread)
    page.locator("header details.menu > summary").click()
    in_menu = page.locator("header a[href='/care/alerts/'] .badge")
    assert in_menu.inner_text().split()[0] == str(unread)
    page.locator("header details.menu > summary").click()
    page.screenshot(path=str(SHOTS / "care-alerts-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    button = page.locator("main input[name=notice] + button").first
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    with page.expect_navigation():
        button.click()
    assert BudgetNotice.objects.filter(user=manager, read_at=None).count() == unread - 1
    if unread > 1:
        assert badge.inner_text().split()[0] == str(unread - 1)
    else:
        assert badge.count() == 0
    phone.close()


def test_the_manager_reads_on_a_phone_that_a_lowered_budget_raised_an_alert(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    """2 000 FCFA used of 3 000 raises nothing; lowered to 2 400 (83 % used), the budget alerts
    the manager, and `/care/alerts/` at 360 px says why and opens the scheme."""
    from playwright.sync_api import expect

    from jigiya.accounts.models import User
    from jigiya.care import services
    from jigiya.care.models import BudgetAlert
    from jigiya.core.money import format_fcfa

    manager = User.objects.get(username="manager")
    budget = _budget_used(3000, used=2000)
    scheme = budget.scheme
    assert not BudgetAlert.objects.exists()
    services.budget_edit(
        actor=manager, budget=budget, amount=2400, end=budget.end,
        over_budget=budget.over_budget, reason="Dotation réduite",
    )  # fmt: skip
    assert BudgetAlert.objects.get().lowered_by is not None
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone, page = _phone(browser)
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/care/alerts/")
    expect(page.locator("main")).to_contain_text(
        f"Le budget a été baissé de {format_fcfa(3000)} à {format_fcfa(2400)} : Dotation réduite"
    )
    link = page.locator(f"main a[href='{scheme.get_absolute_url()}']")
    box = link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360 and box["height"] >= 44
    page.screenshot(path=str(SHOTS / "care-alerts-lowered-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(scheme.get_absolute_url())
    phone.close()
