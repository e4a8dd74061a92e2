"""The worklist cached a few seconds (core.pagecache): served again for less, a change a service
announces shown at once, anything else within the expiry."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.followup import services as followup_services
from jigiya.registry import services as registry

NOW = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def cached(settings, db):
    settings.JIGIYA_PAGE_CACHE_SECONDS = 20
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    cache.clear()


def _enrolled_child(chw, household, name):
    child = registry.person_register(
        actor=chw, household=household, given_name=name, family_name="Coulibaly", sex="M",
        relationship="child", birth_date=datetime.date(2024, 1, 1),
    )  # fmt: skip
    followup_services.enrollment_start(
        actor=chw, person=child, program="child", start=datetime.date(2025, 6, 9)
    )
    return child


def _tasks(page):
    return page.split('<nav class="tabs"', 1)[1].split("</main>", 1)[0]


def _get(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/followup/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_worklist_is_served_again_from_the_cache_for_fewer_queries(client, chw, household):
    _enrolled_child(chw, household, "Moussa")
    client.force_login(chw)

    first, first_queries = _get(client)
    again, again_queries = _get(client)

    assert "Moussa Coulibaly" in first
    assert _tasks(again) == _tasks(first)  # the page around them carries a new CSRF token
    assert again_queries < first_queries


def test_a_chws_own_change_shows_at_once(client, chw, household):
    _enrolled_child(chw, household, "Moussa")
    client.force_login(chw)
    before, _queries = _get(client)

    _enrolled_child(chw, household, "Seydou")  # the service announces the change
    after, _queries = _get(client)

    assert "Seydou Coulibaly" not in before
    assert "Seydou Coulibaly" in after


def test_a_change_no_service_announces_shows_once_the_cache_expires(client, chw, household, cached):
    _enrolled_child(chw, household, "Moussa")
    client.force_login(chw)
    _get(client)
    household.name = "Famille Renommée"
    household.save(update_fields=["name"])

    within, _queries = _get(client)
    cached.shift(21)
    expired, _queries = _get(client)

    assert "Famille Renommée" not in within
    assert "Famille Renommée" in expired


def test_without_the_cache_every_request_reads_afresh(client, chw, household, settings):
    settings.JIGIYA_PAGE_CACHE_SECONDS = 0
    _enrolled_child(chw, household, "Moussa")
    client.force_login(chw)
    _get(client)
    household.name = "Famille Renommée"
    household.save(update_fields=["name"])

    now, _queries = _get(client)

    assert "Famille Renommée" in now
