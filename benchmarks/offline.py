"""The field client offline (issue 16), in Debian's Chromium against a live server on the bench
database, as the demo CHW (`relais.sotuba`) on a 360 px phone:

- the first render of her worklist (`/followup/`) from the service worker's cache with the
  network cut (a relay in front of the server closed: connection refused), beside the online
  render of the same page measured in the same run (median of ROUNDS loads each);
- sending QUEUED visits kept in her outbox once the network returns (goal ≤ 10 s), and the
  duplicates found in the database afterwards (goal 0);
- the bytes kept on the phone once her area is kept (the pages her worklist and her registry
  link to): the Cache Storage responses summed, the outbox's IndexedDB entries, and what
  `navigator.storage.estimate()` reports (goal ≤ 3 MB).

Chromium missing (or Playwright): one row saying so, nothing measured.
"""

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread

from benchmarks.context import Context
from benchmarks.report import Column, Section, kb

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
ROUNDS = 5
QUEUED = 50
SEND_GOAL_S = 10.0
STORED_GOAL = 3_000_000
START_PAGES = ("/followup/", "/registry/")

PAINTED = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {dcl: nav.domContentLoadedEventEnd, fcp: paint ? paint.startTime : null,
          rows: document.querySelectorAll("main a").length};
}"""

KEPT = """async () => {
  let cached = 0, responses = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      cached += (await response.blob()).size; responses += 1;
    }
  }
  let idb = 0;
  for (const [key, value] of await idbKeyval.entries(JigiyaOutbox.store)) {
    idb += String(key).length + JSON.stringify(value).length;
  }
  const estimate = await navigator.storage.estimate();
  return {cached, responses, idb, usage: estimate.usage};
}"""

# The visit forms of her households, read online and queued as the page would queue them.
QUEUE = """async (links) => {
  const forms = [];
  for (const href of links) {
    const html = await (await fetch(href, {credentials: "same-origin"})).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const form = [...doc.querySelectorAll("main form")]
      .find(f => f.querySelector("[name=made_at]"));
    // A household visit needs one person seen: the first box that says so, ticked.
    const seen = form && form.querySelector("input[type=checkbox][name$=seen], input[name=people]");
    if (seen) seen.checked = true;
    if (form) forms.push([href, form.getAttribute("action") || href, [...new FormData(form)]]);
  }
  return forms;
}"""

STORE = """async ([forms, user]) => {
  const ids = [];
  for (const [href, action, fields] of forms) {
    const made = new Date().toISOString();
    const pairs = fields.map(([n, v]) => [n, n === "made_at" ? made : String(v)]);
    const id = pairs.find(p => p[0] === "id")[1];
    await JigiyaOutbox.put({id, user, action, page: href, back: "/followup/", title: href,
      fields: pairs, made_at: made, status: "pending", message: ""});
    ids.push(id);
  }
  return ids;
}"""

FLUSH = """async (user) => {
  const result = await JigiyaOutbox.flush();
  const left = await JigiyaOutbox.entries(user);
  return {state: result.state, pending: left.filter(e => e.status !== "attention").length,
          attention: left.length - left.filter(e => e.status !== "attention").length};
}"""


@contextmanager
def live_server() -> Iterator[str]:
    """The project on a free port of 127.0.0.1, static files served, on the bench database."""
    connections.close_all()
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()


@contextmanager
def phone(base: str, session: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM calls beside Playwright's loop
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=ARGS
            )
            context = browser.new_context(viewport={"width": 360, "height": 740})
            context.set_default_timeout(30_000)
            cookie = settings.SESSION_COOKIE_NAME
            context.add_cookies([{"name": cookie, "value": session, "url": base}])
            yield context.new_page()
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _until(page: Any, script: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(script) and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def _keep_area(page: Any, base: str) -> None:
    """Install the worker, open her start pages, and wait until the pages they link to are
    kept (the cache stops growing for three seconds)."""
    page.goto(f"{base}/followup/")
    _until(page, "navigator.serviceWorker.getRegistration().then(r => !!(r && r.active))", 30)
    page.reload()
    _until(page, "navigator.serviceWorker.controller !== null", 30)
    for path in START_PAGES:
        page.goto(base + path)
    count, stable = -1, time.monotonic()
    deadline = stable + 90
    while time.monotonic() - stable < 3 and time.monotonic() < deadline:
        now = page.evaluate(
            "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
            ".then(c => c.keys())))).then(lists => lists.flat().length)"
        )
        if now != count:
            count, stable = now, time.monotonic()
        page.wait_for_timeout(250)


def _renders(page: Any, url: str) -> dict[str, float]:
    """Median DOMContentLoaded and first contentful paint of ROUNDS loads of `url`, in s."""
    loads = []
    for _round in range(ROUNDS):
        page.goto(url)
        loads.append(page.evaluate(PAINTED))
    fcps = [load["fcp"] for load in loads if load["fcp"] is not None]
    return {
        "dcl": statistics.median(load["dcl"] for load in loads) / 1000,
        "fcp": statistics.median(fcps) / 1000 if fcps else None,
        "links": loads[-1]["rows"],
    }


def _send(page: Any, relay: Any, user: Any) -> dict[str, Any]:
    """Queue a household visit for QUEUED of her households with the network cut, restore it,
    and time until the outbox is empty (or nothing more goes); the database counted after."""
    from jigiya.followup.models import Visit
    from jigiya.registry.models import Household

    households = Household.objects.filter(chw=user, is_active=True).order_by("pk")[:QUEUED]
    page.goto(page.url.split("#")[0])
    forms = page.evaluate(
        QUEUE,
        [f"/followup/households/{pk}/visit/" for pk in households.values_list("pk", flat=True)],
    )
    relay.cut()
    ids = page.evaluate(STORE, [forms, user.username])
    queued_kept = page.evaluate(KEPT)
    before = Visit.objects.count()
    relay.restore()
    started = time.monotonic()
    left: dict[str, Any] = {"pending": len(ids)}
    while left["pending"] and time.monotonic() - started < 120:
        left = page.evaluate(FLUSH, user.username)
        if left["pending"]:
            page.wait_for_timeout(200)
    seconds = time.monotonic() - started
    stored = Visit.objects.filter(pk__in=ids).count()
    return {
        "queued": len(ids),
        "seconds": seconds,
        "stored": stored,
        "attention": left.get("attention", 0),
        "duplicates": Visit.objects.count() - before - stored,
        "missing": len(ids) - stored - left.get("attention", 0),
        "kept": queued_kept,
    }


def _chw() -> Any:
    """The generated CHW with the most households (70 at district scale)."""
    from django.db.models import Count

    from jigiya.accounts.models import User

    return (
        User.objects.filter(username__startswith="gen.chw.", households__is_active=True)
        .annotate(n=Count("households"))
        .order_by("-n", "username")
        .first()
    )


def offline_field_client(ctx: Context) -> Section:
    chw = _chw() or ctx.chw
    from jigiya.registry.models import Household

    households = Household.objects.filter(chw=chw, is_active=True).count()
    section = Section(
        key="offline_field_client",
        title=(
            f"Field client offline, {chw.username} ({households} households) in Chromium "
            "at 360 px "
            f"(goals: {QUEUED} visits sent ≤ {SEND_GOAL_S:.0f} s, 0 duplicates; "
            f"stored ≤ {STORED_GOAL / 1e6:.0f} MB)"
        ),
        columns=[
            Column("measure", "measure", right=False),
            Column("value", "value", right=True),
            Column("baseline", "baseline (same run)", right=False),
            Column("verdict", "verdict", right=False),
        ],
    )
    if not CHROMIUM.exists():
        section.rows.append({"measure": f"{CHROMIUM} is missing", "verdict": "n/a"})
        return section
    from tests.browser.netcut import Relay

    client = Client()
    client.force_login(chw)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with live_server() as server:
        relay = Relay(server)
        try:
            with phone(relay.url, session) as page:
                figures = _measure(page, relay, chw)
        finally:
            relay.cut()
    _rows(section, figures)
    return section


def _measure(page: Any, relay: Any, user: Any) -> dict[str, Any]:
    base = relay.url
    _keep_area(page, base)
    kept = page.evaluate(KEPT)
    online = _renders(page, f"{base}/followup/")
    relay.cut()
    offline = _renders(page, f"{base}/followup/")
    relay.restore()
    sent = _send(page, relay, user)
    return {"kept": kept, "online": online, "offline": offline, "sent": sent}


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value * 1000:.0f} ms"


def _rows(section: Section, figures: dict[str, Any]) -> None:
    online, offline, sent, kept = (figures[k] for k in ("online", "offline", "sent", "kept"))
    stored = kept["cached"] + kept["idb"]
    section.rows += [
        {
            "measure": "worklist offline (cache), first contentful paint",
            "value": _seconds(offline["fcp"]),
            "baseline": f"online {_seconds(online['fcp'])}",
        },
        {
            "measure": "worklist offline (cache), DOMContentLoaded",
            "value": _seconds(offline["dcl"]),
            "baseline": f"online {_seconds(online['dcl'])}",
        },
        {
            "measure": f"{sent['queued']} queued visits sent after reconnection",
            "value": f"{sent['seconds']:.1f} s",
            "baseline": f"{sent['seconds'] / max(sent['queued'], 1) * 1000:.0f} ms per visit",
            "verdict": "OK" if sent["seconds"] <= SEND_GOAL_S else "OVER",
        },
        {
            "measure": "stored once / duplicates / needs attention / lost",
            "value": f"{sent['stored']} / {sent['duplicates']} / "
            f"{sent['attention']} / {sent['missing']}",
            "verdict": "OK"
            if sent["stored"] == sent["queued"] == QUEUED and sent["duplicates"] == 0
            else "OVER",
        },
        {
            "measure": f"stored on the phone ({kept['responses']} responses + outbox)",
            "value": f"{kb(stored)} KB",
            "baseline": f"storage.estimate() {kb(kept['usage'])} KB",
            "verdict": "OK" if max(stored, kept["usage"]) <= STORED_GOAL else "OVER",
        },
        {
            "measure": f"stored on the phone, {sent['queued']} visits queued",
            "value": f"{kb(sent['kept']['cached'] + sent['kept']['idb'])} KB",
            "baseline": f"storage.estimate() {kb(sent['kept']['usage'])} KB",
            "verdict": "OK"
            if max(sent["kept"]["cached"] + sent["kept"]["idb"], sent["kept"]["usage"])
            <= STORED_GOAL
            else "OVER",
        },
    ]
    section.notes += [
        f"Renders: median of {ROUNDS} loads each, in ms from the navigation's start; offline = "
        "the relay in front of the server closed (connection refused), the worker answers "
        f"from her cache; the worklist shows {offline['links']} links offline, "
        f"{online['links']} online.",
        f"Sending: a household visit (one person seen) for {sent['queued']} of her households, "
        "queued in IndexedDB with the network cut, then the outbox flushed (one at a time, "
        "as on the phone) until empty; "
        "duplicates = visits added beyond the queued ids.",
        f"Stored: Cache Storage bodies {kb(kept['cached'])} KB (static files + her pages) + "
        f"IndexedDB {kb(kept['idb'])} KB (outbox and drafts: {kb(sent['kept']['idb'])} KB "
        f"with {sent['queued']} visits queued), as JSON; storage.estimate() is Chromium's "
        "own count (with its overheads); 1 KB = 1 000 bytes.",
    ]
