import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.followup import services
from jigiya.registry import services as registry

NAMES = ["Moussa", "Seydou", "Bakary", "Lassana", "Oumar", "Yacouba"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


def _child(chw, household, name):
    child = registry.person_register(
        actor=chw, household=household, given_name=name, family_name="Coulibaly", sex="M",
        relationship="child", birth_date=datetime.date(2024, 1, 1),
    )  # fmt: skip
    registry.enrollment_start(
        actor=chw, person=child, program="child", start=datetime.date(2025, 6, 1)
    )
    services.visit_record(
        actor=chw, household=household, date=datetime.date(2025, 6, 5), people=[child.pk],
        children=[services.ChildCheckIn(person_id=child.pk, weight_kg=9, height_cm=76, muac_mm=130)],
    )  # fmt: skip
    return child


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_household_page_and_worklist_cost_fixed_queries(client, chw, household):
    client.force_login(chw)
    _child(chw, household, NAMES[0])
    small = (_count(client, household.get_absolute_url()), _count(client, "/followup/"))
    for name in NAMES[1:]:
        _child(chw, household, name)
    large = (_count(client, household.get_absolute_url()), _count(client, "/followup/"))
    assert small == large


def test_person_page_draws_the_growth_chart(client, chw, household):
    client.force_login(chw)
    child = _child(chw, household, NAMES[0])
    response = client.get(child.get_absolute_url())
    body = response.content.decode()
    assert body.count("<svg") == 2
    assert 'class="median"' in body and body.count('class="child"') == 2


def test_the_visit_form_refuses_an_impossible_muac(client, chw, household):
    client.force_login(chw)
    child = _child(chw, household, NAMES[0])
    response = client.post(
        f"/followup/people/{child.pk}/visit/", {"date": "2025-06-10", "muac_mm": "400"}
    )
    assert response.status_code == 400
    assert "400" in str(response.context["form"].errors["muac_mm"])
