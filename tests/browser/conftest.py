"""Browser tests: Playwright's sync API driving Debian's Chromium against the live server.

Never a downloaded browser: Chromium comes from Debian's packages, at /usr/bin/chromium. Where it
is missing the browser tests are skipped, unless JIGIYA_REQUIRE_BROWSER=1 (as in `.ci/run`), which
turns the skip into a loud failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.netcut import Relay

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: Any
) -> None:
    """On SQLite, the live server's database is a file, not Django's shared in-memory one: the
    service worker fetches pages beside the user's posts, and threads sharing one in-memory
    connection then fail with "database table is locked". On a file each thread has its own
    connection, and the settings' WAL, IMMEDIATE transactions and 20 s busy timeout queue the
    writes as on a server."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("browser-db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


def _unavailable(reason: str) -> None:
    if os.environ.get("JIGIYA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"JIGIYA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    # Playwright's sync API keeps an asyncio event loop in this thread, so Django would refuse
    # every ORM call the tests make (loading the demo world, flushing the database) as "async
    # unsafe". Set only while a browser runs, so the other tests keep Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page with its own cookies, in a French-speaking browser."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_world(transactional_db: Any, settings: Any) -> Any:
    """The demo world (places, health centers, one login per role) in the test database."""
    from jigiya.accounts import demo as accounts_demo
    from jigiya.places import demo as places_demo

    # Ten demo logins with the real hasher would cost seconds per test; the live server runs in
    # this process, so it checks passwords with the same fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin = accounts_demo.load_admin()
    places_demo.load(admin=admin)
    return accounts_demo.load(admin=admin)


# The field client offline (issue 16): a relay that really fails in front of the live server,
# and a phone (360 px) whose pages share one service worker.
@pytest.fixture
def relay(live_server: Any) -> Iterator[Relay]:
    relay = Relay(live_server.url)
    yield relay
    relay.cut()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture(autouse=True)
def patient_pages(monkeypatch: Any) -> None:
    """On a busy test machine a page may take more than the 4 s after which the service worker
    reads it from the phone (web/offline.py): the browser tests wait longer, so they see the
    server's page; the test of a slow network sets it back."""
    from jigiya.web import offline

    monkeypatch.setattr(offline, "SLOW_PAGE_MS", 15_000)
