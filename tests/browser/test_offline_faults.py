"""The field client's faults (issue 16, "bad input and faults"), in Debian's Chromium at 360 px
through the relay of tests/browser/netcut.py: a visit queued on the phone and then sent from
two tabs at once, the network dying as the server's answer comes back, a server that never
answers, the browser clearing the site's storage, and a 3G network too slow for the worklist.
Each ends with the visit stored once on the server or still in the outbox — except storage
cleared by the browser, which takes the outbox with it (said so below and in the README)."""

import contextlib
import datetime
import time
from typing import Any

import pytest

from tests.browser.netcut import Relay
from tests.browser.test_child_visit import _child
from tests.browser.test_offline import _count, _installed, _until
from tests.browser.test_savings_meeting import log_in

pytestmark = pytest.mark.browser

USER = "relais.sotuba"
KEPT = "caches.open('jigiya-pages|relais.sotuba').then(c => c.match('{}')).then(Boolean)"
WAITING = f"JigiyaOutbox.entries('{USER}').then(list => list.length)"


def _visits(child: Any) -> int:
    from jigiya.followup.models import Visit

    return Visit.objects.filter(people=child).count()


def _open(phone: Any, relay: Relay, path: str) -> tuple[Any, Any]:
    """Her phone with the worker installed on `path`, her area kept; the child of the test."""
    from django.conf import settings
    from django.utils import timezone

    child = _child(timezone.localdate())
    base = relay.url
    phone.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    page = phone.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, USER)
    page.goto(base + path.format(child=child.pk))
    _installed(page)
    for kept in ("/followup/", "/outbox/"):
        _until(page, KEPT.format(kept))
    return page, child


def _queued(phone: Any, relay: Relay) -> tuple[Any, Any]:
    """A visit saved with the network down: in the outbox, not on the server."""
    from playwright.sync_api import expect

    page, child = _open(phone, relay, "/followup/people/{child}/visit/?next=/followup/")
    relay.cut()
    page.locator("#id_weight_kg").fill("11.3")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{relay.url}/followup/#saved-offline")
    expect(page.locator("#outbox-count span")).to_have_text("1")
    assert _visits(child) == 1  # last week's only
    return page, child


def _flush(page: Any) -> Any:
    """The outbox sent from the test, once the page's own send (on load, on a timer) is done:
    the lock answers "busy" while it runs."""
    deadline = time.monotonic() + 15
    while (result := page.evaluate("JigiyaOutbox.flush()"))["state"] == "busy":
        assert time.monotonic() < deadline, "the outbox stayed busy"
        page.wait_for_timeout(100)
    return result


SEND = """() => {
  window.result = undefined;
  JigiyaOutbox.session()
    .then(s => JigiyaOutbox.entries(s.user).then(list => JigiyaOutbox.send(list[0], s.token)))
    .then(r => { window.result = r; }, e => { window.result = String(e); });
}"""


def test_the_same_entry_sent_from_two_tabs_at_once_is_stored_once(
    phone: Any, relay: Relay, demo_world: Any
) -> None:
    """Both tabs post the same entry together, past the lock that would keep them apart: the
    server stores it once, and once the outbox has tried again it is empty."""
    page, child = _queued(phone, relay)
    other = phone.new_page()
    other.goto(f"{relay.url}/outbox/")  # from the phone: the network is still down
    assert other.evaluate(WAITING) == 1
    relay.restore()
    page.evaluate(SEND)
    other.evaluate(SEND)
    _until(page, "window.result !== undefined")
    _until(other, "window.result !== undefined")
    results = sorted([page.evaluate("window.result"), other.evaluate("window.result")])
    print("two tabs:", results)
    # Each hears a success, or a server error (the test database, one SQLite connection
    # shared by the live server's threads, may refuse the second write: "table is locked")
    # and keeps the entry for the next try. Never a second visit.
    # A 500 may even come after the visit was stored: then it is on the server and still in
    # the outbox, and the next try finds it there (stored once).
    assert set(results) <= {"sent", "retry"}
    assert _visits(child) in (1, 2)
    assert _flush(page)["state"] == "done"
    assert _visits(child) == 2
    assert page.evaluate(WAITING) == 0


def test_the_network_dying_as_the_answer_comes_back_neither_loses_nor_doubles(
    phone: Any, relay: Relay, demo_world: Any
) -> None:
    """The server stores the visit, the network dies before the phone hears it: the entry
    stays in the outbox; sent again, the server knows it (stored once) and it leaves."""
    page, child = _queued(phone, relay)
    relay.lose_answer = True
    relay.restore()
    assert _flush(page) == {"state": "offline", "sent": 0}
    assert not relay.lose_answer  # the answer was lost
    assert _visits(child) == 2  # the server has it
    assert page.evaluate(WAITING) == 1  # the phone keeps it
    relay.restore()
    assert _flush(page)["state"] == "done"
    assert _visits(child) == 2
    assert page.evaluate(WAITING) == 0


def test_a_server_that_never_answers_does_not_hold_the_outbox(
    phone: Any, relay: Relay, demo_world: Any
) -> None:
    """The visit's post hangs: given up after the outbox's timeout (1 s here, 30 s on a
    phone), the entry waits with the reason; the next try sends it, once."""
    from playwright.sync_api import expect

    page, child = _queued(phone, relay)
    page.goto(f"{relay.url}/outbox/")
    hung: list[Any] = []

    def hang(route: Any) -> None:
        if route.request.method == "POST":
            hung.append(route)  # never answered
        else:
            route.continue_()

    page.route("**/followup/people/**", hang)
    relay.restore()
    page.evaluate("JigiyaOutbox.timeout = 1000")
    page.locator("#outbox-send").click()
    expect(page.locator("#outbox-list li.pending")).to_contain_text(
        "The server did not answer in time: it will be sent again."
    )
    assert len(hung) == 1 and _visits(child) == 1
    with contextlib.suppress(Exception):
        hung[0].abort()
    page.unroute("**/followup/people/**")
    page.locator("#outbox-send").click()
    expect(page.locator("#outbox-count")).to_be_hidden()
    assert _visits(child) == 2


def test_storage_cleared_by_the_browser_takes_the_outbox_with_it(
    phone: Any, relay: Relay, demo_world: Any
) -> None:
    """What the user sees, honestly: the browser's own clearing of the site's storage
    (IndexedDB and Cache Storage) removes what waited; nothing reaches the server, the
    header shows no count and the outbox page says nothing waits. The client asks the
    browser to keep its storage (navigator.storage.persist) so it is not evicted under
    pressure; a user's "clear site data" cannot be refused."""
    from playwright.sync_api import expect

    page, child = _queued(phone, relay)
    cdp = phone.new_cdp_session(page)
    cdp.send(
        "Storage.clearDataForOrigin",
        {"origin": relay.url, "storageTypes": "indexeddb,cache_storage"},
    )
    relay.restore()
    page.goto(f"{relay.url}/outbox/")
    expect(page.locator("#outbox-list")).to_contain_text("Nothing waiting")
    assert _count(page) == ""
    assert page.evaluate("navigator.storage.persisted().then(p => typeof p)") == "boolean"
    assert _visits(child) == 1


def test_a_3g_load_of_the_worklist_reads_it_from_the_phone(
    phone: Any, relay: Relay, demo_world: Any, monkeypatch: Any
) -> None:
    """Slow 3G in the page (CDP) and a network holding every answer 30 s (the relay, which
    the service worker feels too): the worklist kept on the phone shows, without waiting for
    the network. Measured and printed; asserted only against the network's delay."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.web import offline

    monkeypatch.setattr(offline, "SLOW_PAGE_MS", 4000)  # as on a phone
    page, _kept_child = _open(phone, relay, "/followup/")
    relay.delay = 30.0
    slowed = timezone.now()
    cdp = phone.new_cdp_session(page)
    cdp.send("Network.enable")
    slow_3g = {"latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **slow_3g})
    started = time.monotonic()
    page.goto(f"{relay.url}/followup/", wait_until="domcontentloaded", timeout=25_000)
    expect(page.locator("main")).to_contain_text("Awa Coulibaly")
    elapsed = time.monotonic() - started
    rendered = page.locator("meta[name=jigiya-rendered]").get_attribute("content")
    assert datetime.datetime.fromisoformat(str(rendered)) < slowed  # rendered before: kept
    print(f"worklist on slow 3G, from the phone: {elapsed:.1f} s (the network: > 30 s)")
    assert elapsed < relay.delay
