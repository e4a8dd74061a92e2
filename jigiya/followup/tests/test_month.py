"""The CHW's own month (`/followup/month/`, `/api/v1/followup/month`): her coverage against the
target and the enrolled children still to see twice."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.followup import selectors, services
from jigiya.followup import services as followup_services
from jigiya.registry import services as registry

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


def _child(chw, community, family, name):
    household = registry.household_create(
        actor=chw, community=community, name=f"Famille {family}", chw=chw
    )
    child = registry.person_register(
        actor=chw, household=household, given_name=name, family_name=family, sex="F",
        relationship="child", birth_date=datetime.date(2024, 1, 1),
    )  # fmt: skip
    followup_services.enrollment_start(
        actor=chw, person=child, program="child", start=datetime.date(2025, 5, 1)
    )
    return child


def _visit(chw, child, day):
    services.visit_record(
        actor=chw, household=child.household, date=datetime.date(2025, *day),
        people=[child.pk], children=[services.ChildCheckIn(person_id=child.pk, muac_mm=130)],
    )  # fmt: skip


@pytest.fixture
def month_world(cast, chw):
    """Aminata seen twice in June, Bintou once (and in May), Coumba not yet; another CHW's
    child, seen once, is not hers."""
    aminata = _child(chw, cast.community_a, "Traoré", "Aminata")
    bintou = _child(chw, cast.community_a, "Diallo", "Bintou")
    coumba = _child(chw, cast.community_a, "Keita", "Coumba")
    _visit(chw, aminata, (6, 3))
    _visit(chw, aminata, (6, 9))
    _visit(chw, bintou, (5, 20))
    _visit(chw, bintou, (6, 5))
    other_chw = cast.user(Role.CHW, "b")
    _visit(other_chw, _child(other_chw, cast.community_b, "Sidibé", "Fanta"), (6, 4))
    return aminata, bintou, coumba


def test_the_month_counts_her_children_and_lists_who_is_left(chw, month_world):
    _, bintou, coumba = month_world
    month = selectors.chw_month(user=chw, today=TODAY)
    row = month.row
    assert (row.households, row.children, row.children_covered, row.visits) == (3, 3, 1, 3)
    assert round(row.coverage, 1) == 33.3
    assert month.target == 90
    assert month.days_left == 21  # 10 to 30 June
    assert [(p.pk, p.seen) for p in month.to_see] == [(coumba.pk, 0), (bintou.pk, 1)]


def test_the_month_costs_eight_queries_whatever_the_number_of_children(cast, chw, month_world):
    with CaptureQueriesContext(connection) as small:
        selectors.chw_month(user=chw, today=TODAY)
    for name in ("Djeneba", "Fatoumata", "Hawa"):
        _visit(chw, _child(chw, cast.community_a, "Coulibaly", name), (6, 8))
    with CaptureQueriesContext(connection) as large:
        month = selectors.chw_month(user=chw, today=TODAY)
    assert len(month.to_see) == 5
    assert len(small) == len(large) == 8


def test_the_month_page_shows_it_in_french(client, chw, month_world):
    aminata, bintou, coumba = month_world
    client.force_login(chw)
    body = client.get("/followup/month/").content.decode()
    assert "<strong>33 %</strong>" in body
    assert "1 sur 3 enfants suivis vus deux fois ce mois · objectif 90 %" in body
    assert "<strong>3</strong><span>Visites ce mois-ci · 3 ménages</span>" in body
    assert '<h2>Encore à voir deux fois <span class="badge">2</span></h2>' in body
    assert "21 jours restent dans le mois, aujourd'hui compris." in body
    # Each child with her age (17 months, in the catalogue's words) to tell her apart.
    assert re.search(
        f'<li><a href="/followup/people/{coumba.pk}/visit/\\?next=/followup/month/"><strong>Coumba Keita</strong>'
        "<span>17 [a-z]+ · Famille Keita · aucune visite ce mois</span></a></li>",
        body,
    )
    assert re.search(
        f'<li><a href="/followup/people/{bintou.pk}/visit/\\?next=/followup/month/"><strong>Bintou Diallo</strong>'
        "<span>17 [a-z]+ · Famille Diallo · une visite ce mois</span></a></li>",
        body,
    )
    assert str(aminata.pk) not in body


def test_the_month_api_gives_the_same(client, chw, month_world):
    client.force_login(chw)
    data = client.get("/api/v1/followup/month").json()
    assert data["today"] == "2025-06-10"
    assert (data["target"], data["days_left"]) == (90, 21)
    assert {k: data["row"][k] for k in ("households", "children", "children_covered")} == {
        "households": 3,
        "children": 3,
        "children_covered": 1,
    }
    assert [(c["person_name"], c["household_name"], c["seen"]) for c in data["to_see"]] == [
        ("Coumba Keita", "Famille Keita", 0),
        ("Bintou Diallo", "Famille Diallo", 1),
    ]


def test_someone_who_does_not_record_health_data_is_refused(client, cast, month_world):
    partner = cast.user(Role.PARTNER, "a")
    client.force_login(partner)
    assert client.get("/followup/month/").status_code == 403
    assert client.get("/api/v1/followup/month").status_code == 403
