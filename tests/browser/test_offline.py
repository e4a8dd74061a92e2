"""The field client offline (issue 16), in Debian's Chromium at 360 px, through a relay that
really fails (tests/browser/netcut.py) as well as the browser's offline emulation: a CHW's
visit and a facilitator's meeting typed without network are kept on the phone, counted in the
header, survive a closed page, and are stored exactly once when the network returns; on a
shared phone each user's outbox is her own; a conflict is shown and resolved; a new release
of the service worker keeps the outbox."""

import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.netcut import Relay  # the `relay` fixture (conftest.py)
from tests.browser.test_child_visit import _child
from tests.browser.test_savings_meeting import _group, log_in

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 360, 740
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _until(page: Any, script: str, seconds: float = 15) -> None:
    """Poll `script` in the page (not `wait_for_function`: the CSP forbids its eval). A page
    navigating meanwhile (a reload after a new release) is polled again once loaded."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + seconds
    while True:
        try:
            if page.evaluate(script):
                return
        except Error as error:
            if "context was destroyed" not in str(error):
                raise
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        page.wait_for_timeout(100)


def _installed(page: Any) -> None:
    """Wait for the service worker, then reload so it controls the page (and keeps it)."""
    _until(page, "navigator.serviceWorker.getRegistration().then(r => !!(r && r.active))")
    page.reload()
    _until(page, "navigator.serviceWorker.controller !== null")


def _count(page: Any) -> str:
    link = page.locator("#outbox-count")
    return "" if link.is_hidden() else link.locator("span").inner_text()


def _log_out(page: Any) -> None:
    page.locator("header details.menu > summary").click()  # on a phone the menu is folded
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button").click()


def test_a_visit_and_a_meeting_typed_offline_are_stored_once_on_a_shared_phone(
    phone: Any, relay: Relay, demo_world: Any
) -> None:
    from django.conf import settings
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.followup.models import Visit
    from jigiya.savings.models import Meeting

    today = timezone.localdate()
    child, group = _child(today), _group(today)
    base = relay.url
    # English: these strings are new, the lead compiles their French into the catalogue.
    phone.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    page = phone.new_page()
    page.on("console", lambda message: print("console:", message.text))
    page.on("pageerror", lambda error: print("pageerror:", error))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    # Online: the CHW's worklist and the child's visit form are kept on the phone.
    log_in(page, base, "relais.sotuba")
    page.goto(f"{base}/followup/")
    _installed(page)
    form_url = f"{base}/followup/people/{child.pk}/visit/?next=/followup/"
    page.goto(form_url)

    # The network dies (the relay closes: connection refused); she saves the visit.
    relay.cut()
    page.locator("#id_weight_kg").fill("11.3")
    page.locator("#id_muac_mm").fill("136")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/followup/#saved-offline")
    expect(page.locator("#field-banner")).to_contain_text("not yet sent")
    expect(page.locator("#outbox-count span")).to_have_text("1")
    assert Visit.objects.filter(people=child).count() == 1  # only last week's

    # The page closed and opened again without network: still there, counted.
    page.close()
    page = phone.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.goto(f"{base}/followup/")
    expect(page.locator("#outbox-count span")).to_have_text("1")

    # The network is back; she hands the phone over: logging out asks, keeps her visit.
    relay.restore()
    _log_out(page)
    assert len(dialogs) == 1
    log_in(page, base, "animatrice")
    page.goto(f"{base}/outbox/")
    expect(page.locator("#outbox-list")).to_contain_text("Nothing waiting")
    assert _count(page) == ""
    # The network came back before she logged out: the outbox may have sent her visit, as
    # hers, in that moment (the entry names its author); else it waits for her. Never as the
    # facilitator.
    assert not Visit.objects.filter(people=child, chw__username="animatrice").exists()

    # The facilitator's meeting, under the browser's offline emulation and a dead network.
    page.goto(f"{base}/savings/{group.pk}/meetings/new/")
    phone.set_offline(True)
    relay.cut()
    page.locator("[data-counted=counted_loan_fund]").fill("30000")
    page.locator("[data-counted=counted_health_fund]").fill("600")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#field-banner")).to_contain_text("not yet sent")
    expect(page.locator("#outbox-count span")).to_have_text("1")
    assert Meeting.objects.filter(group=group).count() == 1
    relay.restore()
    phone.set_offline(False)
    expect(page.locator("#outbox-count")).to_be_hidden()
    meetings = Meeting.objects.filter(group=group)
    assert meetings.count() == 2
    latest = meetings.order_by("-held_on").first()
    assert latest is not None and latest.held_on == today and latest.made_at is not None

    # Her turn again: her visit is sent as hers, once, dated when she typed it.
    _log_out(page)
    log_in(page, base, "relais.sotuba")
    page.goto(f"{base}/outbox/")
    expect(page.locator("#outbox-count")).to_be_hidden()
    visits = Visit.objects.filter(people=child).order_by("-date", "-created_at")
    assert visits.count() == 2
    visit = visits.first()
    assert visit is not None and visit.chw.username == "relais.sotuba"
    assert visit.made_at is not None and visit.made_at < visit.created_at
    assert Meeting.objects.filter(group=group).count() == 2


def test_a_conflict_and_a_server_error_stay_in_the_outbox_across_a_new_release(
    phone: Any, live_server: Any, demo_world: Any, settings: Any
) -> None:
    """A queued visit whose id the server already holds with other content: "needs attention"
    with the server's message, then sent as a new record; a 500 keeps an entry for a later
    try; a new release of the service worker, accepted, keeps what waits."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.followup.models import Visit

    today = timezone.localdate()
    child = _child(today)
    taken = Visit.objects.get(people=child)  # last week's visit: its id is taken
    base = live_server.url
    phone.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    page = phone.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "relais.sotuba")
    page.goto(f"{base}/followup/people/{child.pk}/visit/?next=/followup/")
    _installed(page)
    _until(page, "caches.open('jigiya-pages|relais.sotuba').then(c => c.match('/followup/'))"
           ".then(Boolean)")  # fmt: skip

    # Her form, queued under the id of a visit the server holds with other content.
    page.locator("#id_weight_kg").fill("11.3")
    page.evaluate(f"document.querySelector('input[name=id]').value = '{taken.pk}'")
    phone.set_offline(True)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#outbox-count span")).to_have_text("1")
    phone.set_offline(False)
    page.goto(f"{base}/outbox/")
    card = page.locator("#outbox-list li.attention")
    expect(card).to_contain_text("A different visit was already sent with this id.")
    expect(page.locator("#outbox-count")).to_have_class("outbox-count attention")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "outbox-attention-360.png"), full_page=True)
    assert Visit.objects.filter(people=child).count() == 1  # nothing changed

    # A new release while it waits: she is told, accepts, and the entry is still there.
    settings.JIGIYA_CLIENT_RELEASE = "2"
    page.reload()
    page.locator("#field-banner button").click()
    page.wait_for_load_state()
    _until(page, "document.querySelectorAll('#outbox-list li.attention').length === 1")
    expect(page.locator("#outbox-list li.attention")).to_contain_text("A different visit")

    # The server answers 500 to the first try: the entry waits, then goes as a new record.
    failures = []

    def fail_once(route: Any) -> None:
        if route.request.method == "POST" and not failures:
            failures.append(route.request.url)
            route.fulfill(status=500, body="boom")
        else:
            route.continue_()

    page.route("**/followup/people/**", fail_once)
    page.locator("#outbox-list li.attention button", has_text="new record").click()
    _until(page, "document.querySelectorAll('#outbox-list li.pending').length === 1")
    expect(page.locator("#outbox-list li.pending")).to_contain_text("HTTP 500")
    assert len(failures) == 1 and Visit.objects.filter(people=child).count() == 1
    page.locator("#outbox-send").click()
    expect(page.locator("#outbox-count")).to_be_hidden()
    assert Visit.objects.filter(people=child).count() == 2
    assert Visit.objects.filter(people=child).exclude(pk=taken.pk).get().made_at is not None
