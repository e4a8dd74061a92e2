"""A dashboard's cards cached a few seconds (core.pagecache): per user and her access, served
again for less, new figures within the expiry."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner
from jigiya.indicators import engine
from jigiya.places import services

NOW = datetime.datetime(2025, 4, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def cached(settings, db):
    settings.JIGIYA_PAGE_CACHE_SECONDS = 20
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    cache.clear()


def _get(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"month": "2025-03"})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_cards_are_served_again_for_fewer_queries_and_new_figures_follow_the_expiry(
    cast, client, assemblies, admin_user, cached
):
    user = cast.user(Role.HEALTH_CENTER_STAFF)
    url = f"/indicators/health-centers/{cast.center_a.pk}/"
    first, first_queries = _get(client, user, url)
    _again, again_queries = _get(client, user, url)
    services.assembly_record(
        actor=admin_user, asaco=cast.asaco_a, held_on=datetime.date(2025, 3, 22),
        attendance=80, women_attending=44, decisions="x",
    )  # fmt: skip
    engine.refresh()

    within, _queries = _get(client, user, url)
    cached.shift(21)
    expired, _queries = _get(client, user, url)

    assert again_queries < first_queries
    assert "55,0\u00a0%" not in first
    assert "55,0\u00a0%" not in within  # at most JIGIYA_PAGE_CACHE_SECONDS late
    assert "55,0\u00a0%" in expired  # March: 44 women of 80


def test_each_user_gets_the_cards_her_access_allows_not_anothers(cast, client, assemblies):
    url = f"/indicators/places/{cast.community_a.pk}/"
    manager = cast.user(Role.PROGRAM_MANAGER, "above")
    partner = funded_partner(cast, "a", "health", cast.region)  # funds health, not quality

    for_manager, _queries = _get(client, manager, url)
    for_partner, _queries = _get(client, partner, url)

    assert "ASACO" in for_manager
    assert "ASACO" not in for_partner
