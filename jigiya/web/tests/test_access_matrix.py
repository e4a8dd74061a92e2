"""The access matrix: every page and API endpoint, as every role, inside and outside its places.

Routes are discovered from the URL configuration and the OpenAPI schema, so a page or endpoint
added later is tested here without anyone remembering to. A route with a path parameter this
file does not know fails `test_every_path_parameter_is_known`: teach `OBJECTS` about it.

"Inside" objects belong to Community A, "outside" objects to Community B; the acting user holds
their role at Community A. Outside, nothing is ever shown or changed (404 or 403).
"""

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver

from jigiya.accounts.roles import Role
from jigiya.api import api

SKIPPED_PREFIXES = ("django-admin/", "i18n/", "api/v1/", "static/")
# The field client's service worker and manifest hold no data: public, like the static files.
PUBLIC = {"accounts:login", "accounts:logout", "healthz", "service_worker", "web_manifest"}
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", route


ROUTES = sorted(
    (name, route)
    for name, route in _walk(get_resolver().url_patterns)
    if not route.startswith(SKIPPED_PREFIXES)
)


def _collect() -> tuple[dict[str, Callable[[Any, str], Any]], list[str]]:
    """Every app's `tests/access.py` says how to make its objects in place "a" or "b"."""
    objects: dict[str, Callable[[Any, str], Any]] = {}
    outside: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jigiya."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError:
            continue
        objects.update(module.OBJECTS)
        outside += getattr(module, "OUTSIDE_TEXT", {}).get("b", [])
    return objects, outside


# Path parameter → the object of that kind belonging to Community A ("a") or B ("b").
OBJECTS, OUTSIDE_TEXT = _collect()


def _url(route: str, cast: Any, where: str) -> str:
    return "/" + PARAM.sub(lambda match: str(OBJECTS[match.group(1)](cast, where)), route)


def _fingerprint(cast: Any) -> dict[str, tuple[int, Any]]:
    """Row count and latest change of every Jigiya table: equal before and after means untouched.

    Every object a route may need is made first, so making it later is not mistaken for a change.
    """
    for make in OBJECTS.values():
        make(cast, "a")
        make(cast, "b")
    prints = {}
    for model in apps.get_models():
        if not model.__module__.startswith("jigiya."):
            continue
        rows = model.objects.all()
        latest = (
            rows.aggregate(latest=Max("updated_at"))["latest"]
            if any(field.name == "updated_at" for field in model._meta.fields)
            else None
        )
        prints[model._meta.label] = (rows.count(), latest)
    return prints


def test_every_path_parameter_is_known():
    unknown = {
        (name, param)
        for name, route in ROUTES
        for param in PARAM.findall(route)
        if param not in OBJECTS
    }
    assert unknown == set()
    assert len(ROUTES) >= 20  # the discovery found the project's pages


def test_anonymous_visitors_are_sent_to_login(cast, client):
    for name, route in ROUTES:
        response = client.get(_url(route, cast, "a"))
        if name in PUBLIC:
            assert response.status_code in (200, 405), name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize("role", list(Role))
def test_pages_outside_the_users_places_are_never_shown_or_changed(role, cast, client):
    user = cast.user(role, "a")
    client.force_login(user)
    outside_names = OUTSIDE_TEXT
    before = _fingerprint(cast)
    problems = []
    for name, route in ROUTES:
        if name in PUBLIC or not PARAM.search(route):
            continue
        url = _url(route, cast, "b")
        for method in ("get", "post"):
            response = getattr(client, method)(url, {})
            if response.status_code not in (403, 404, 405):
                problems.append(f"{method.upper()} {name} → {response.status_code}")
            body = response.content.decode()
            problems += [f"{name} shows {text!r}" for text in outside_names if text in body]
    assert problems == []
    assert _fingerprint(cast) == before


@pytest.mark.parametrize("role", list(Role))
def test_pages_inside_the_users_places_open_or_refuse_cleanly(role, cast, client):
    client.force_login(cast.user(role, "a"))
    problems = []
    for name, route in ROUTES:
        if name in PUBLIC or name == "accounts:logout":
            continue
        response = client.get(_url(route, cast, "a"))
        if response.status_code not in (200, 403, 405):
            problems.append(f"GET {name} → {response.status_code}")
        if response.status_code == 200 and name in ("web:home", "places:list"):
            body = response.content.decode()
            problems += [f"{name} shows Community B" for text in ["Community B"] if text in body]
    assert problems == []


@pytest.mark.parametrize("role", list(Role))
def test_a_user_above_sees_both_places(role, cast, client):
    client.force_login(cast.user(role, "above"))
    for where in ("a", "b"):
        response = client.get(_url("places/<uuid:place_id>/", cast, where))
        assert response.status_code == 200
        response = client.get(_url("places/health-centers/<uuid:health_center_id>/", cast, where))
        assert response.status_code == 200


# --- the API ----------------------------------------------------------------------------

API_ROUTES = sorted(
    (method.upper(), path)
    for path, operations in api.get_openapi_schema()["paths"].items()
    for method in operations
)
API_PARAM = re.compile(r"{(\w+)}")


def _api_url(path: str, cast: Any, where: str) -> str:
    return API_PARAM.sub(lambda match: str(OBJECTS[match.group(1)](cast, where)), path)


def test_every_api_path_parameter_is_known():
    assert {p for _m, path in API_ROUTES for p in API_PARAM.findall(path)} <= set(OBJECTS)
    assert len(API_ROUTES) >= 8


def test_the_api_refuses_anonymous_callers(cast, client):
    for method, path in API_ROUTES:
        response = getattr(client, method.lower())(
            _api_url(path, cast, "a"), {}, content_type="application/json"
        )
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("role", list(Role))
def test_the_api_never_shows_or_changes_what_is_outside(role, cast, client):
    client.force_login(cast.user(role, "a"))
    before = _fingerprint(cast)
    outside_ids = {
        str(cast.community_b.pk),
        str(cast.center_b.pk),
        str(cast.commune_b.pk),
        str(cast.user(Role.CHW, "b").pk),
    }
    problems = []
    for method, path in API_ROUTES:
        body = {
            "name": "Hijack",
            "kind": "community",
            "code": "HJ",
            "parent_id": str(cast.commune_b.pk),
        }
        if API_PARAM.search(path):
            response = getattr(client, method.lower())(
                _api_url(path, cast, "b"), body, content_type="application/json"
            )
            if response.status_code not in (403, 404):
                problems.append(f"{method} {path} (outside) → {response.status_code}")
        elif method == "GET":
            response = client.get(path.replace("/api/v1", "/api/v1", 1))
            text = response.content.decode()
            problems += [f"{path} lists {i}" for i in outside_ids if i in text]
        else:
            response = getattr(client, method.lower())(path, body, content_type="application/json")
            if response.status_code not in (403, 404):
                problems.append(f"{method} {path} under outside parent → {response.status_code}")
    assert problems == []
    assert _fingerprint(cast) == before
