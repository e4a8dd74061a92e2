"""The Content-Security-Policy in a real browser: a journey through the pages that carry
something the policy could block (the indicators' styles, the growth chart, htmx, the API's
interactive docs, the Django admin) meets no violation, and a violation would be seen."""

import datetime
from typing import Any

import pytest

from jigiya.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Each page's `securitypolicyviolation` events, kept where the test can read them.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def _violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__cspViolations || []"))


def _journey_world() -> Any:
    """A child in Sotuba with one visit, so the person page draws the growth chart."""
    from django.utils import timezone

    from jigiya.accounts.models import User
    from jigiya.followup import services as followup_services
    from jigiya.places.models import Place
    from jigiya.registry import services as registry

    chw = User.objects.get(username="relais.sotuba")
    today = timezone.localdate()
    household = registry.household_create(
        actor=chw, community=Place.objects.get(code="BKO-C1-SOT"), name="Famille Coulibaly", chw=chw
    )
    child = registry.person_register(
        actor=chw, household=household, given_name="Fanta", family_name="Coulibaly", sex="F",
        relationship="child", birth_date=today - datetime.timedelta(days=400),
    )  # fmt: skip
    followup_services.enrollment_start(actor=chw, person=child, program="child", start=today)
    return child


def test_a_journey_meets_no_policy_violation(browser: Any, live_server: Any, demo_world: Any):
    from playwright.sync_api import expect

    child = _journey_world()
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 800})
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text))
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("relais.sotuba")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/")
    seen = {"/": _violations(page)}

    page.goto(f"{base}/followup/people/{child.pk}/visit/")
    page.locator("#id_weight_kg").fill("9.4")
    page.locator("#id_height_cm").fill("76")
    page.locator("#id_muac_mm").fill("140")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}{child.get_absolute_url()}")
    chart = page.locator("svg.growth").first
    expect(chart).to_be_visible()
    # The chart's styles come from jigiya.css: the median line is drawn green, as before.
    median = chart.locator(".median").first
    assert median.evaluate("line => getComputedStyle(line).stroke") == "rgb(42, 122, 75)"
    seen[child.get_absolute_url()] = _violations(page)

    for path in ("/indicators/", "/indicators/programs/health/", "/followup/"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page)

    assert seen == {path: [] for path in seen}
    assert [text for text in console if "Content Security Policy" in text] == []

    # The watch works: an inline style added now is refused and seen.
    page.goto(f"{base}/")
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert _violations(page) == ["style-src-elem inline"]
    context.close()


def test_the_api_docs_and_the_django_admin_work_under_the_policy(
    browser: Any, live_server: Any, demo_world: Any
):
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/django-admin/")  # its own login page sends to Jigiya's
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/django-admin/")
    seen = {}
    for path in ("/django-admin/", "/django-admin/accounts/user/", "/api/v1/docs"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page)
    # Swagger UI, from Ninja's own static files, draws the operations.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Jigiya API")
    assert seen == {path: [] for path in seen}
    context.close()
