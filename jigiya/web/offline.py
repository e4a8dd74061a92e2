"""The installable, offline field client (issue 16): the service worker at the site root, the
web manifest and the outbox page. The service worker's code is a template: the list of static
files it precaches (with a revision each) is made here, so a release that changes any of them
is a new worker, installed beside the old one until the user accepts to reload."""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Static files every page may need offline: the app shell, the outbox and the form scripts.
PRECACHED = (
    "web/jigiya.css",
    "web/htmx.min.js",
    "web/idb-keyval.umd.js",
    "web/outbox.js",
    "web/field.js",
    "web/print.js",
    "web/icon-192.png",
    "web/icon-512.png",
    "savings/meeting.js",
)
# Pages kept on the phone (per user) while online, read from there when the network is down:
# her worklist, households and people, the forms of a visit, a referral, a pregnancy, a
# person; a facilitator's groups and meeting form; the outbox.
OFFLINE_PREFIXES = ("/", "/outbox/", "/followup/", "/registry/", "/savings/")
THEME = "#0f6b4f"
# A page the network has not answered within this many ms is read from the phone when it is
# kept there (a slow 3G network at the edge of town); the late answer refreshes the copy.
SLOW_PAGE_MS = 4000


@cache
def precache_entries() -> tuple[tuple[str, str], ...]:
    """(url, revision) of each precached file: the revision is a hash of its content."""
    entries = []
    for name in PRECACHED:
        path = finders.find(name)
        with open(str(path), "rb") as file:
            revision = hashlib.sha256(file.read()).hexdigest()[:16]
        entries.append((static(name), revision))
    return tuple(entries)


def release() -> str:
    """This release of the field client: its files and its worker's template, as one hash."""
    text = json.dumps([precache_entries(), settings.JIGIYA_CLIENT_RELEASE])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so its scope is the whole site; never cached by the
    browser's HTTP cache, so a new release is seen at the next page load."""
    entries = [{"url": url, "revision": revision} for url, revision in precache_entries()]
    version = release()
    context = {
        "version": version,
        "version_json": json.dumps(version),
        "workbox_sw": json.dumps(static("web/workbox/workbox-sw.js")),
        "workbox_prefix": json.dumps(static("web/workbox/").rstrip("/")),
        "idb_keyval": json.dumps(static("web/idb-keyval.umd.js")),
        "outbox_js": json.dumps(static("web/outbox.js")),
        "precache": json.dumps(entries),
        "offline_prefixes": json.dumps(OFFLINE_PREFIXES),
        "slow_ms": json.dumps(SLOW_PAGE_MS),
    }
    response = render(request, "web/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web manifest: installable from the browser's menu, opening on the home page."""
    data = {
        "name": "Jigiya",
        "short_name": "Jigiya",
        "description": _("Community health, savings and cooperatives"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f5",
        "theme_color": THEME,
        "icons": [
            {"src": static("web/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("web/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    """What is saved on this phone and not yet sent, for the user logged in: filled by
    offline.js from the phone's storage (the server knows nothing of it). Its meta tags give
    the outbox a fresh CSRF token and the name of the user logged in now."""
    return render(request, "web/outbox.html", {})
