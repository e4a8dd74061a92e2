"""A partner sees aggregate results for what its donor funds (DESIGN): the funded programs, at
the funded places and below, never the place around them; other roles are not affected. The
pages and the API here; the scope itself (`donors.selectors.program_paths`) in
`jigiya/donors/tests/test_partner_scope.py`."""

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner

WOMEN = "quality.asaco_assembly_women"
VALUES = "/api/v1/indicators/values"


def _partner(cast):
    """At the region; its donor funds the quality program in Commune A only."""
    return funded_partner(cast, "above", "quality", cast.commune_a)


def test_the_funded_program_at_the_funded_place_and_below(cast, client, assemblies):
    client.force_login(_partner(cast))
    for place in (cast.commune_a, cast.community_a):
        response = client.get("/indicators/programs/quality/", {"place": str(place.pk)})
        assert response.status_code == 200
        overview = client.get("/indicators/", {"place": str(place.pk)})
        assert [row["program"] for row in overview.context["program_rows"]] == ["quality"]
        page = client.get(f"/indicators/places/{place.pk}/")
        assert [program for program, _cards in page.context["by_program"]] == ["quality"]


def test_not_the_place_around_nor_another_program(cast, client, assemblies):
    client.force_login(_partner(cast))
    for place in (cast.region, cast.cercle, cast.commune_b, cast.community_b):
        response = client.get("/indicators/programs/quality/", {"place": str(place.pk)})
        assert response.status_code == 403, place.code
        assert client.get("/indicators/", {"place": str(place.pk)}).context["program_rows"] == []
    community = {"place": str(cast.community_a.pk)}
    assert client.get("/indicators/programs/health/", community).status_code == 403
    assert client.get("/indicators/programs/savings/", community).status_code == 403
    chart = {"indicator": "health.visits", **community}
    assert client.get("/indicators/run-chart/", chart).status_code == 403
    assert client.get("/indicators/drill/", chart | {"month": "2025-01"}).status_code == 403
    assert client.get("/indicators/export/table.csv", chart).status_code == 403


def test_the_api_gives_the_funded_places_only(cast, client, assemblies):
    client.force_login(_partner(cast))
    query = {"indicator": WOMEN, "start": "2025-01", "end": "2025-02"}
    body = client.get(VALUES, query).json()
    assert [(row["place_code"], row["month"], row["numerator"]) for row in body["items"]] == [
        ("CA", "2025-01", 40),
        ("CA", "2025-02", 30),
        ("A", "2025-01", 40),
        ("A", "2025-02", 30),
    ]
    assert client.get(VALUES, query | {"place_id": str(cast.region.pk)}).status_code == 403
    health = {"indicator": "health.visits", "start": "2025-01", "end": "2025-02"}
    assert client.get(VALUES, health).json()["count"] == 0


def test_a_partner_without_a_donor_sees_no_program(cast, client, assemblies):
    client.force_login(cast.user(Role.PARTNER, "above"))
    assert client.get("/indicators/programs/quality/").status_code == 403
    assert client.get("/indicators/").context["program_rows"] == []
    assert client.get(VALUES, {"indicator": WOMEN}).json()["count"] == 0


def test_other_roles_see_every_program(cast, client, assemblies):
    client.force_login(cast.user(Role.ME_OFFICER, "above"))
    overview = client.get("/indicators/")
    assert [row["program"] for row in overview.context["program_rows"]] == [
        "health",
        "savings",
        "cooperatives",
        "quality",
    ]
    assert client.get("/indicators/programs/health/").status_code == 200


def test_a_partner_lands_where_its_donor_funds_the_program(cast, client, assemblies):
    """Without `place=`, the dashboard of a program funded below the partner's home place opens
    at the funded place, and the run chart starts with a funded indicator."""
    client.force_login(_partner(cast))
    response = client.get("/indicators/programs/quality/")
    assert response.status_code == 200
    assert response.context["place"] == cast.commune_a
    chart = client.get("/indicators/run-chart/", {"place": str(cast.commune_a.pk)})
    assert chart.status_code == 200
    assert chart.context["indicator"].program == "quality"
    assert {i.program for i in chart.context["indicators"]} == {"quality"}


def test_a_deactivated_donor_shows_nothing_any_more(cast, client, assemblies):
    from jigiya.donors.models import Donor

    partner = _partner(cast)
    client.force_login(partner)
    community = {"place": str(cast.community_a.pk)}
    assert client.get("/indicators/programs/quality/", community).status_code == 200
    Donor.objects.filter(users__user=partner).update(is_active=False)
    assert client.get("/indicators/programs/quality/", community).status_code == 403
    assert client.get("/indicators/donors/").context["donors"].count() == 0


def test_a_table_of_an_unfunded_program_is_refused(cast, client, assemblies):
    client.force_login(_partner(cast))
    query = {"place": str(cast.community_a.pk), "month": "2025-02", "range": "6"}
    assert client.get(
        "/indicators/export/table.csv", query | {"program": "health"}
    ).status_code == (403)
    funded = client.get("/indicators/export/table.csv", query | {"program": "quality"})
    assert funded.status_code == 200
    assert "quality.asaco_assembly_women" in funded.content.decode("utf-8")
