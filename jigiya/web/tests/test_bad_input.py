"""Bad input never answers 500: NUL characters, page numbers and days that overflow, a body too
large, a PATCH that changes nothing. The API answers in its one JSON shape (with DEBUG=false,
as in production), pages with Jigiya's own error page naming the field.

These are the cases the adversarial run found; `test_api_fuzz.py` looks for more."""

import json

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from jigiya.accounts.roles import Role
from jigiya.api import api
from jigiya.core.typography import colon_for
from jigiya.places.models import Place
from jigiya.registry.models import Household
from jigiya.registry.tests.access import household, person

NUL_MESSAGE = "Null characters are not allowed."
FORMAT = "The request does not match the expected format."
NOTHING_SENT = "Send at least one field to change."
PAGINATED = sorted(
    path
    for path, operations in api.get_openapi_schema()["paths"].items()
    if any(p["name"] == "page" for p in operations.get("get", {}).get("parameters", []))
)


def _error(response, status):
    """The API's error body of `response`, after checking its status and shape."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _french(text):
    with translation.override("fr"):
        return gettext(text)


@pytest.fixture(autouse=True)
def production(settings):
    """As in production: DEBUG=false (pytest-django's default too, said here on purpose)."""
    settings.DEBUG = False


@pytest.fixture
def api_client(client):
    """A client whose API answers are in English (the API honours Accept-Language)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- NUL characters ---------------------------------------------------------------------


def test_a_nul_in_a_json_string_is_refused_naming_the_field_and_nothing_is_made(cast, api_client):
    api_client.force_login(cast.user(Role.CHW))
    before = Household.objects.count()
    body = {"id": "5b0f6a8e-1f7a-4c59-9a55-1d2b6f9a4e01", "name": "Famille\u0000 Diarra"}
    response = api_client.post(
        f"/api/v1/registry/communities/{cast.community_a.pk}/households",
        json.dumps(body),
        content_type="application/json",
    )
    assert _error(response, 422) == {
        "code": "invalid",
        "message": NUL_MESSAGE,
        "fields": {"name": [NUL_MESSAGE]},
    }
    assert Household.objects.count() == before


def test_a_nul_deep_in_a_visit_names_its_place_in_the_body(cast, api_client):
    api_client.force_login(cast.user(Role.CHW))
    home = household(cast, "a")
    body = {"id": "5b0f6a8e-1f7a-4c59-9a55-1d2b6f9a4e02", "children": [{"notes": "ok\u0000"}]}
    response = api_client.post(
        f"/api/v1/followup/households/{home.pk}/visits",
        json.dumps(body),
        content_type="application/json",
    )
    assert _error(response, 422)["fields"] == {"children.0.notes": [NUL_MESSAGE]}


@pytest.mark.parametrize("path", ["/api/v1/places", "/api/v1/registry/households", "/api/v1/users"])
def test_a_nul_in_a_search_parameter_is_refused(cast, api_client, path):
    api_client.force_login(cast.user(Role.ADMIN, "above"))
    response = api_client.get(path, {"search": "Dia\x00rra"})
    assert _error(response, 422) == {
        "code": "invalid",
        "message": NUL_MESSAGE,
        "fields": {"search": [NUL_MESSAGE]},
    }


def test_a_nul_in_a_page_search_answers_jigiyas_400_page(cast, client):
    client.force_login(cast.user(Role.CHW))
    response = client.get("/registry/", {"q": "Dia\x00rra"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "web/base.html" in [template.name for template in response.templates]
    assert (
        f'data-field="q">q{colon_for("fr")} {escape(_french(NUL_MESSAGE))}</li>'
        in response.content.decode()
    )


def test_a_nul_in_a_form_field_answers_400_and_changes_nothing(cast, client):
    client.force_login(cast.user(Role.CHW))
    home = household(cast, "a")
    response = client.post(f"/registry/households/{home.pk}/edit/", {"name": "X\x00"})
    assert response.status_code == 400
    assert 'data-field="name"' in response.content.decode()
    home.refresh_from_db()
    assert home.name == "Household a"


# --- numbers and days that overflow -----------------------------------------------------


def test_every_paginated_list_refuses_a_page_that_would_overflow(cast, api_client):
    api_client.force_login(cast.user(Role.ADMIN, "above"))
    assert len(PAGINATED) >= 7
    for path in PAGINATED:
        response = api_client.get(path + "?page=99999999999999999999&indicator=health.visits")
        error = _error(response, 422)
        assert error["fields"] == {"page": ["Input should be less than or equal to 1000000"]}, path
    last = api_client.get("/api/v1/places?page=1000000")
    assert last.status_code == 200 and last.json()["items"] == []


@pytest.mark.parametrize("path", ["/api/v1/followup/worklist", "/api/v1/followup/month"])
@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "Input should be greater than or equal to 1900-01-01"),
        ("9999-12-31", "Input should be less than or equal to 2100-12-31"),
    ],
)
def test_the_api_refuses_a_day_too_far_off(cast, api_client, path, day, message):
    api_client.force_login(cast.user(Role.CHW))
    error = _error(api_client.get(path, {"day": day}), 422)
    assert error == {"code": "invalid", "message": FORMAT, "fields": {"day": [message]}}
    assert api_client.get(path, {"day": "2100-12-31"}).status_code == 200


OUTSIDE = "%(day)s is outside %(first)s to %(last)s."
BOUNDS = {"first": "1900-01-01", "last": "2100-12-31"}


@pytest.mark.parametrize("path", ["/followup/", "/followup/month/", "/followup/supervision/"])
@pytest.mark.parametrize(
    ("day", "template", "values"),
    [
        ("0001-01-01", OUTSIDE, {"day": "0001-01-01", **BOUNDS}),
        ("9999-12-31", OUTSIDE, {"day": "9999-12-31", **BOUNDS}),
        ("31/12/2025", "%(value)s is not a day (yyyy-mm-dd).", {"value": "31/12/2025"}),
    ],
)
def test_pages_refuse_a_day_too_far_off_naming_it(cast, client, path, day, template, values):
    client.force_login(cast.user(Role.CHW_SUPERVISOR))
    response = client.get(path, {"day": day})
    assert response.status_code == 400
    message = escape(_french(template) % values)  # as the page writes it ("n'est" → n&#x27;est)
    assert f'data-field="day">day{colon_for("fr")} {message}</li>' in response.content.decode()
    assert client.get(path, {"day": "2025-06-10"}).status_code == 200


# --- a body too large -------------------------------------------------------------------


def test_a_20_mb_body_answers_413_in_the_apis_shape(cast, api_client, settings):
    api_client.force_login(cast.user(Role.ADMIN, "above"))
    body = json.dumps({"name": "x" * (20 * 1024 * 1024), "kind": "community", "code": "BIG"})
    response = api_client.post("/api/v1/places", body, content_type="application/json")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert _error(response, 413) == {
        "code": "too_large",
        "message": f"The request is too large: at most {limit} bytes may be sent.",
        "fields": {},
    }
    assert not Place.objects.filter(code="BIG").exists()


def test_a_20_mb_form_answers_jigiyas_413_page(cast, client):
    client.force_login(cast.user(Role.CHW))
    home = household(cast, "a")
    response = client.post(
        f"/registry/households/{home.pk}/edit/",
        "name=" + "x" * (20 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "web/base.html" in [template.name for template in response.templates]
    home.refresh_from_db()
    assert home.name == "Household a"


# --- a PATCH that changes nothing --------------------------------------------------------


@pytest.mark.parametrize("body", [b"", b"{}"])
def test_a_patch_with_nothing_in_it_is_refused(cast, api_client, body):
    api_client.force_login(cast.user(Role.ADMIN, "above"))
    targets = {
        f"/api/v1/places/{cast.community_a.pk}": cast.community_a,
        f"/api/v1/registry/households/{household(cast, 'a').pk}": household(cast, "a"),
        f"/api/v1/registry/people/{person(cast, 'a').pk}": person(cast, "a"),
    }
    patches = [path for path, ops in api.get_openapi_schema()["paths"].items() if "patch" in ops]
    assert len(patches) == len(targets)
    for path, record in targets.items():
        stamp = type(record).objects.get(pk=record.pk).updated_at
        response = api_client.patch(path, body, content_type="application/json")
        assert _error(response, 422) == {
            "code": "invalid",
            "message": FORMAT,
            "fields": {"__all__": [NOTHING_SENT]},
        }, path
        assert type(record).objects.get(pk=record.pk).updated_at == stamp


# --- an error nobody expected -------------------------------------------------------------


def test_an_unexpected_api_error_still_answers_in_the_apis_shape(cast, api_client, monkeypatch):
    from jigiya.places import selectors

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "health_center_list", broken)
    api_client.raise_request_exception = False
    api_client.force_login(cast.user(Role.ADMIN, "above"))
    error = _error(api_client.get("/api/v1/health-centers"), 500)
    assert error == {
        "code": "server_error",
        "message": "Something went wrong on our side: try again.",
        "fields": {},
    }


# --- Addresses no operation answers -------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/households/not-a-uuid/x", "/api/v1/"]
)
def test_an_unknown_api_address_answers_the_json_404(api_client, path):
    error = _error(api_client.get(path), 404)
    assert error == {
        "code": "not_found",
        "message": "No API operation at this address.",
        "fields": {},
    }


def test_an_unknown_page_address_still_answers_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
