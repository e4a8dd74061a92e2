"""The field client's server side (issue 16): the service worker at the root with its
precache list and a version that changes with a release, the manifest, the outbox page with
the meta tags the outbox reads, the user named on every page (never on other answers), and
field.js kept the bundle of its parts."""

import json
import subprocess
import sys
from pathlib import Path

from jigiya.web import offline

ROOT = Path(__file__).resolve().parents[3]


def test_the_service_worker_is_served_at_the_root_with_its_precache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'importScripts("/static/web/workbox/workbox-sw.js", ' in body
    urls = [url for url, _revision in offline.precache_entries()]
    assert "/static/web/field.js" in urls and "/static/savings/meeting.js" in urls
    assert json.dumps([{"url": u, "revision": r} for u, r in offline.precache_entries()]) in body


def test_a_new_release_is_a_new_service_worker(client, settings):
    first = client.get("/sw.js").content
    settings.JIGIYA_CLIENT_RELEASE = "next"
    assert client.get("/sw.js").content != first


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert (data["start_url"], data["display"], data["theme_color"]) == (
        "/",
        "standalone",
        "#0f6b4f",
    )
    assert [icon["sizes"] for icon in data["icons"]] == ["192x192", "512x512", "512x512"]
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_outbox_page_names_the_user_and_a_fresh_token(client, cast):
    from jigiya.accounts.roles import Role

    chw = cast.user(Role.CHW, "a")
    client.force_login(chw)
    response = client.get("/outbox/?fresh=1")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["X-Jigiya-User"] == chw.username
    assert f'<meta name="jigiya-user" content="{chw.username}">' in body
    assert '<meta name="csrf-token" content="' in body
    assert '<ul class="cards outbox" id="outbox-list">' in body
    assert "X-Jigiya-User" not in client.get("/manifest.webmanifest").headers


def test_anonymous_pages_name_nobody(client):
    response = client.get("/accounts/login/")
    assert "X-Jigiya-User" not in response.headers
    assert 'name="jigiya-user"' not in response.content.decode()
    assert client.get("/outbox/").status_code == 302


def test_field_js_is_the_bundle_of_its_parts():
    check = [sys.executable, str(ROOT / "tools" / "bundle_field_js.py"), "--check"]
    assert subprocess.run(check, capture_output=True).returncode == 0
