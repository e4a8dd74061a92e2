import uuid

import pytest
from django.test import Client

from jigiya.accounts import services as account_services
from jigiya.accounts.roles import Role
from jigiya.places.models import Place


@pytest.fixture
def admin_api(cast, admin_user):
    """An API client authenticated with a bearer token of the national administrator."""
    _token, key = account_services.token_create(actor=admin_user, user=admin_user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_list_is_paginated_and_scoped(cast, client):
    client.force_login(cast.user(Role.CHW, "a"))
    body = client.get("/api/v1/places").json()
    assert body["count"] == 1
    assert [item["code"] for item in body["items"]] == ["A"]


def test_list_filters_by_kind(admin_api):
    body = admin_api.get("/api/v1/places?kind=commune").json()
    assert sorted(item["code"] for item in body["items"]) == ["CA", "CB"]


def test_pages_follow_the_tree_order(admin_api):
    by_path = list(Place.objects.order_by("path").values_list("code", flat=True))
    body = admin_api.get("/api/v1/places?page=2&page_size=3").json()
    assert body["count"] == 7
    assert [item["code"] for item in body["items"]] == by_path[3:6]


def test_a_page_number_below_one_is_refused(admin_api):
    response = admin_api.get("/api/v1/places?page=0")
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["page"]


def test_create_a_community(cast, admin_api):
    response = admin_api.post(
        "/api/v1/places",
        {"kind": "community", "name": "Sotuba", "code": "SOT", "parent_id": str(cast.commune_a.pk)},
        content_type="application/json",
    )
    assert response.status_code == 201
    place = Place.objects.get(code="SOT")
    assert response.json()["id"] == str(place.pk)
    assert place.path == f"{cast.commune_a.path}{place.pk.hex}/"


def test_a_body_that_does_not_match_the_schema_names_each_field(cast, admin_api):
    count = Place.objects.count()
    response = admin_api.post(
        "/api/v1/places",
        {"kind": "village", "name": "", "parent_id": "not-a-uuid"},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"kind", "name", "code", "parent_id"}
    assert Place.objects.count() == count


def test_malformed_json_is_a_clear_400_and_creates_nothing(admin_api):
    count = Place.objects.count()
    response = admin_api.post("/api/v1/places", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["message"].startswith("Cannot parse request body")
    assert Place.objects.count() == count


def test_an_unknown_place_id_is_404_with_the_error_shape(admin_api):
    response = admin_api.get(f"/api/v1/places/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_moving_a_place_under_its_own_descendant_is_refused(cast, admin_api):
    response = admin_api.patch(
        f"/api/v1/places/{cast.cercle.pk}",
        {"parent_id": str(cast.commune_a.pk)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["parent"]
    cast.cercle.refresh_from_db()
    assert cast.cercle.parent == cast.region


def test_patch_renames_and_moves(cast, admin_api):
    response = admin_api.patch(
        f"/api/v1/places/{cast.community_a.pk}",
        {"name": "Sotuba", "parent_id": str(cast.commune_b.pk)},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Sotuba"
    assert response.json()["parent_id"] == str(cast.commune_b.pk)


def test_a_read_only_partner_cannot_write(cast, client):
    client.force_login(cast.user(Role.PARTNER, "above"))
    client.handler.enforce_csrf_checks = False
    response = client.patch(
        f"/api/v1/places/{cast.community_a.pk}", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    cast.community_a.refresh_from_db()
    assert cast.community_a.name == "Community A"


def test_session_writes_need_the_csrf_token(cast, admin_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    response = browser.patch(
        f"/api/v1/places/{cast.community_a.pk}", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    cast.community_a.refresh_from_db()
    assert cast.community_a.name == "Community A"


def test_a_revoked_token_is_401(cast, admin_user):
    token, key = account_services.token_create(actor=admin_user, user=admin_user, name="lost")
    account_services.token_revoke(actor=admin_user, token=token)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/places")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_health_center_detail_includes_its_asaco(cast, admin_api):
    body = admin_api.get(f"/api/v1/health-centers/{cast.center_a.pk}").json()
    assert body["code"] == "HCA"
    assert body["asaco"]["name"] == "ASACO A"
    assert [c["code"] for c in body["communities"]] == ["A"]


def test_openapi_and_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Jigiya API"
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs  # our own static files, not a CDN
    assert "cdn." not in docs
