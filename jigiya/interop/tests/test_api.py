from jigiya.accounts.roles import Role
from jigiya.core.periods import Month
from jigiya.interop.models import Dhis2Push

# Next month: always in the future, whatever the day the suite runs.
NEXT = Month.current().next()


BASE = "/api/v1/dhis2"


def test_preview_returns_the_payload_and_its_sources(world, admin_user, client):
    client.force_login(admin_user)
    response = client.get(f"{BASE}/servers/{world.server.pk}/preview", {"period": "202610"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "202610"
    assert len(body["payload"]["dataValues"]) == 8
    assert body["sources"][0]["place"] == "Community A"


def test_preview_refuses_a_future_or_unknown_period(world, admin_user, client):
    client.force_login(admin_user)
    for period in (NEXT.dhis2, "2026-13"):
        response = client.get(f"{BASE}/servers/{world.server.pk}/preview", {"period": period})
        assert response.status_code == 400
        assert "period" in response.json()["error"]["fields"]


def test_push_history_and_detail(world, admin_user, client):
    world.fake.data_elements.discard("deWSHARE001")
    client.force_login(admin_user)
    response = client.post(
        f"{BASE}/servers/{world.server.pk}/push",
        {"period": "2026-10"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "partial"
    assert (body["imported"], body["ignored"]) == (6, 2)
    assert body["conflicts"][0]["object"] == "deWSHARE001"
    assert [v["index"] for v in body["conflicts"][0]["values"]] == [3, 7]
    listing = client.get(f"{BASE}/pushes", {"server_id": str(world.server.pk)}).json()
    assert [item["id"] for item in listing["items"]] == [body["id"]]
    detail = client.get(f"{BASE}/pushes/{body['id']}").json()
    assert detail["conflicts"] == body["conflicts"]
    assert "password" not in str(client.get(f"{BASE}/servers").json())


def test_push_refusals_change_nothing(world, admin_user, cast, client):
    url = f"{BASE}/servers/{world.server.pk}/push"
    client.force_login(admin_user)
    assert client.post(url, {}, content_type="application/json").status_code == 400
    assert (
        client.post(url, {"period": str(NEXT)}, content_type="application/json").status_code == 400
    )
    Dhis2Push.objects.create(
        server=world.server, period="202610", payload={}, payload_hash="x" * 64, value_count=0
    )
    response = client.post(url, {"period": "2026-10"}, content_type="application/json")
    assert response.status_code == 409
    client.force_login(cast.user(Role.CHW, "above"))
    assert (
        client.post(url, {"period": "2026-09"}, content_type="application/json").status_code == 403
    )
    assert Dhis2Push.objects.count() == 1
    assert world.fake.requests == []
