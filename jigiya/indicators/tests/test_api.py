from jigiya.accounts.roles import Role
from jigiya.core.periods import Month
from jigiya.donors.tests.partners import funded_partner

WOMEN = "quality.asaco_assembly_women"


def test_catalog(cast, client):
    client.force_login(cast.user(Role.PARTNER))
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    assert set(by_code) >= {"quality.asaco_assemblies", WOMEN}
    assert by_code[WOMEN]["unit"] == "percent"
    assert by_code[WOMEN]["program"] == "quality"
    assert by_code[WOMEN]["target"] == {"value": 50.0, "direction": "up", "at_risk_margin": 0.1}
    assert by_code[WOMEN]["disaggregations"] == ["community", "health_center"]
    assert by_code["quality.asaco_assemblies"]["target"] is None


def test_values_scoped_and_paginated(cast, client, assemblies):
    client.force_login(cast.user(Role.CHW, "a"))
    query = {"indicator": WOMEN, "start": "2025-01", "end": "2025-02"}
    response = client.get("/api/v1/indicators/values", query)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2  # only Community A: nothing above it, nothing of B
    assert [(row["place_code"], row["month"], row["numerator"], row["denominator"], row["value"],
             row["status"]) for row in body["items"]] == [
        ("A", "2025-01", 40, 100, 40.0, "off_track"),
        ("A", "2025-02", 30, 50, 60.0, "on_track"),
    ]  # fmt: skip
    client.force_login(funded_partner(cast, "above", "quality", cast.region))
    response = client.get("/api/v1/indicators/values", query | {"page_size": 3, "page": 2})
    body = response.json()
    # January: the region, the cercle, both communes and both communities; February: A's 4.
    assert body["count"] == 6 + 4
    assert len(body["items"]) == 3


def test_values_of_the_places_below(cast, client, assemblies):
    client.force_login(cast.user(Role.ME_OFFICER, "above"))
    response = client.get(
        "/api/v1/indicators/values",
        {"indicator": WOMEN, "place_id": str(cast.cercle.pk), "children": "true", "end": "2025-01",
         "start": "2025-01"},
    )  # fmt: skip
    rows = sorted((row["place_name"], row["numerator"]) for row in response.json()["items"])
    assert rows == [("Commune A", 40), ("Commune B", 20)]


def test_values_refuse_bad_input(cast, client):
    client.force_login(cast.user(Role.ME_OFFICER))
    url = "/api/v1/indicators/values"
    cases = [
        ({"indicator": "nope"}, "indicator"),
        ({"indicator": WOMEN, "end": "2025-13"}, "end"),
        ({"indicator": WOMEN, "end": str(Month.current().next())}, "end"),
        ({"indicator": WOMEN, "start": "2025-06", "end": "2025-01"}, "start"),
    ]
    for query, field in cases:
        response = client.get(url, query)
        assert response.status_code == 400, query
        assert field in response.json()["error"]["fields"], query
    assert (
        client.get(url, {"indicator": WOMEN, "place_id": str(cast.community_b.pk)}).status_code
        == 404
    )
    assert client.get(url).status_code == 422
