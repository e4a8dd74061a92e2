"""Over the demo world (loaded once for this module): for every health and savings indicator, the
records its drill-down gives add up to the stored numerator, community by community and month by
month, and at the country; every stored breakdown is a declared disaggregation.

The savings indicators are checked here too, so that the demo world (about 20 s) is built once."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import AssignmentFactory, UserFactory
from jigiya.core.periods import Month
from jigiya.core.tests.worlds import rolled_back
from jigiya.indicators import selectors
from jigiya.indicators.areas import Area
from jigiya.indicators.catalog import Disaggregation, Program, all_indicators, get
from jigiya.indicators.models import IndicatorValue
from jigiya.places.models import HealthCenter, Place, PlaceKind

# Where a numerator is an FCFA sum: the column of each record's part of it, and its factor.
AMOUNTS = {
    "savings.savings_per_member": ("savings", 1),
    "savings.assets": ("assets", 1),
    "savings.loan_fund_utilization": ("principal_owed", 1),
    "savings.par30": ("principal_owed", 1),
    "savings.annual_return": ("earned", 365),
    "savings.health_grants": ("amount", 1),
    "care.paid_against_budget": ("amount", 1),
    "care.cost_per_consultation": ("covered", 1),
}
# The follow-up's, free care's (also community health) and savings' figures.
CODES = sorted(i.code for i in all_indicators() if i.program in (Program.HEALTH, Program.SAVINGS))
PLACE_DIMENSIONS = {Disaggregation.COMMUNITY, Disaggregation.HEALTH_CENTER}


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo world with its indicators rebuilt, rolled back after the module. Built inside
    a transaction marked as a test case's, as Django's TestCase does, so the services' durable
    transactions nest in it."""
    with rolled_back(django_db_blocker):
        call_command("demo", stdout=io.StringIO())
        admin = UserFactory(username="records-admin")
        AssignmentFactory(user=admin, role=Role.ADMIN, place=Place.objects.get(parent__isnull=True))
        yield admin


def _figure(records: Any, code: str) -> int:
    if code not in AMOUNTS:
        return records.count()
    column, factor = AMOUNTS[code]
    return factor * (records.aggregate(total=Sum(column))["total"] or 0)


def _stored(code: str, place_ids: Any) -> dict[tuple, int]:
    return {
        (place_id, month): numerator
        for place_id, month, numerator in IndicatorValue.objects.filter(
            indicator=code, place__in=place_ids, breakdown=""
        ).values_list("place_id", "month", "numerator")
    }


@pytest.mark.parametrize("code", CODES)
def test_the_records_behind_every_figure_add_up_to_its_numerator(demo_world, db, code):
    indicator = get(code)
    assert indicator is not None and indicator.records is not None
    assert indicator.record_columns
    communities = {c.pk: c for c in Place.objects.filter(kind=PlaceKind.COMMUNITY)}
    stored = _stored(code, list(communities))
    assert stored, f"the demo world gives no value of {code}"  # (members leaving: zeros)
    # Every stored community-month, and every community over the last six months (zeros too).
    recent = [Month.current().shift(-n).first_day for n in range(6)]
    cells = set(stored) | {(place_id, month) for place_id in communities for month in recent}
    for place_id, month in sorted(cells, key=str):
        records = indicator.records(demo_world, communities[place_id], month)
        expected = stored.get((place_id, month), 0)
        assert _figure(records, code) == expected, (code, communities[place_id].name, month)
    # Above the communities, the records are those of every community below: the roll-up.
    country = Place.objects.get(parent__isnull=True)
    at_country = _stored(code, [country.pk])
    busiest = sorted(at_country, key=lambda cell: -at_country[cell])[:2]
    for _place, month in [*busiest, (country.pk, recent[0])]:
        records = indicator.records(demo_world, country, month)
        assert _figure(records, code) == at_country.get((country.pk, month), 0), (code, month)
    # A health center's figure: its communities' records, joined into one queryset.
    center = (
        HealthCenter.objects.annotate(n=Count("communities"))
        .filter(n__gte=2)
        .order_by("-n", "name")
        .first()
    )
    assert center is not None
    area = set(center.communities.values_list("pk", flat=True))
    for month in {month for place_id, month in stored if place_id in area} | set(recent):
        records = selectors.drill_records(
            user=demo_world, indicator=indicator, area=Area.of(center), month=month
        )
        expected = sum(n for (place_id, m), n in stored.items() if m == month and place_id in area)
        assert _figure(records, code) == expected, (code, center.name, month)


def test_every_stored_breakdown_is_a_declared_disaggregation(demo_world, db):
    stored: dict[str, set[str]] = {}
    for code, breakdown in (
        IndicatorValue.objects.exclude(breakdown="")
        .values_list("indicator", "breakdown")
        .distinct()
    ):
        stored.setdefault(code, set()).add(breakdown.split("=", 1)[0])
    for indicator in all_indicators():
        declared = {str(d) for d in indicator.disaggregations}
        assert stored.get(indicator.code, set()) <= declared, indicator.code
        assert set(indicator.disaggregations) >= PLACE_DIMENSIONS, indicator.code
    # Health and savings declare exactly what they store: the demo world gives each of them.
    for indicator in all_indicators():
        if indicator.program in (Program.HEALTH, Program.SAVINGS):
            declared = {str(d) for d in indicator.disaggregations} - PLACE_DIMENSIONS
            assert declared == stored.get(indicator.code, set()), indicator.code
    assert {code: sorted(keys) for code, keys in stored.items()} == {
        "cooperatives.units_distributed": ["product"],
        "cooperatives.units_produced": ["product"],
        "cooperatives.units_sold": ["product"],
        "health.children_by_muac": ["muac"],
        "health.education_sessions": ["topic"],
        "savings.health_grants": ["purpose"],
        "savings.members": ["sex"],
    }
