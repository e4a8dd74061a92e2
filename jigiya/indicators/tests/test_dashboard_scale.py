"""The dashboards read stored values only: a fixed number of queries whatever the number of
places and records, and never a query on the records themselves."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner
from jigiya.indicators import catalog
from jigiya.indicators.catalog import Program
from jigiya.indicators.models import IndicatorValue
from jigiya.places.models import PlaceKind
from jigiya.places.tests.factories import HealthCenterFactory, PlaceFactory

RECORD_TABLES = ('"followup_', '"registry_', '"savings_', '"cooperatives_', '"quality_')


def _dashboard(client, program, month="2025-01"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/indicators/programs/{program}/", {"month": month, "range": "18"})
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _grow(cast, communes, communities_each):
    """More communes, communities and health centers, with a stored value for every indicator
    of every program in every month of 2024."""
    months = [datetime.date(2024, month, 1) for month in range(1, 13)]
    for c in range(communes):
        commune = PlaceFactory(
            kind=PlaceKind.COMMUNE, name=f"Commune X{c}", code=f"X{c}", parent=cast.cercle
        )
        places = [commune]
        for n in range(communities_each):
            community = PlaceFactory(name=f"Community X{c}-{n}", code=f"X{c}-{n}", parent=commune)
            community.health_center = HealthCenterFactory(
                name=f"CSCom X{c}-{n}", code=f"HX{c}-{n}", place=community
            )
            community.save(update_fields=["health_center"])
            places.append(community)
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=i.code, place=place, month=month, numerator=7, denominator=9)
            for i in catalog.all_indicators()
            for place in places
            for month in months
        )


def test_program_dashboards_cost_the_same_queries_whatever_the_places_and_records(cast, client):
    client.force_login(cast.user(Role.ADMIN, "above"))
    small = {program: _dashboard(client, program) for program in Program}
    _grow(cast, communes=4, communities_each=5)
    large = {program: _dashboard(client, program) for program in Program}
    assert {p: len(q) for p, q in large.items()} == {p: len(q) for p, q in small.items()}
    for sql in (query for queries in large.values() for query in queries):
        assert not any(table in sql for table in RECORD_TABLES), sql


def test_health_center_drill_costs_the_same_queries_whatever_the_area(cast, client):
    client.force_login(funded_partner(cast, "above", "health", cast.region))
    code = next(i.code for i in catalog.all_indicators())
    query = {"indicator": code, "health_center": str(cast.center_a.pk), "month": "2024-06"}
    with CaptureQueriesContext(connection) as small:
        assert client.get("/indicators/drill/", query).status_code == 200
    for n in range(6):
        PlaceFactory(
            name=f"Served {n}", code=f"S{n}", parent=cast.commune_a, health_center=cast.center_a
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get("/indicators/drill/", query)
    assert len(response.context["children"]) == 7
    assert len(large) == len(small)
