"""The household and person pages are the registry's, the follow-up shows its part there
through `registry.plugins` (and any other program can): the same content as before, at a
fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.followup import services
from jigiya.registry import plugins
from jigiya.registry.tests.factories import register_person

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


def _visited_child(chw, household, name):
    child = register_person(chw, household, given_name=name, birth_date=datetime.date(2024, 6, 1))
    services.enrollment_start(actor=chw, person=child, program="child", start=TODAY)
    services.visit_record(
        actor=chw, household=household, date=TODAY, people=[child.pk],
        children=[services.ChildCheckIn(person_id=child.pk, weight_kg=8, muac_mm=130)],
    )  # fmt: skip
    return child


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_household_page_shows_the_follow_up_at_a_fixed_cost(client, chw, household, pregnancy):
    client.force_login(chw)
    url = household.get_absolute_url()
    _visited_child(chw, household, "Awa")
    small = _queries(client, url)
    for name in ("Seydou", "Lassana", "Oumou"):
        _visited_child(chw, household, name)
    assert _queries(client, url) == small
    body = client.get(url).content.decode()
    # The follow-up's button, its next tasks, referrals and last visits.
    assert f"/followup/households/{household.pk}/visit/" in body
    assert body.count('class="badge state-') == 5  # four children's next visits, her ANC
    assert body.count("/followup/visits/") == 4


def test_the_person_page_shows_the_follow_up_at_a_fixed_cost(client, chw, household, mother):
    client.force_login(chw)
    child = _visited_child(chw, household, "Awa")
    url = child.get_absolute_url()
    small = _queries(client, url)
    referral = services.referral_create(
        actor=chw, person=child, health_center=household.community.health_center,
        referred_on=TODAY, reasons=["other"], urgency="routine",
    )  # fmt: skip
    services.visit_record(
        actor=chw, household=household, date=datetime.date(2025, 6, 9), people=[child.pk],
        children=[services.ChildCheckIn(person_id=child.pk, weight_kg=8, muac_mm=128)],
    )  # fmt: skip
    assert _queries(client, url) == small
    body = client.get(url).content.decode()
    enrollment = child.enrollments.get()
    assert f"/registry/enrollments/{enrollment.pk}/end/" in body  # among the facts
    # Enrolled already, and no other program fits a child: no "Enroll" among the actions.
    assert f"/registry/people/{child.pk}/enroll/" not in body
    assert f"/followup/people/{child.pk}/visit/" in body  # among the actions
    assert body.count("<svg") == 2  # weight and length for age
    assert f"/followup/referrals/{referral.pk}/close/" in body
    woman = client.get(mother.get_absolute_url()).content.decode()
    assert f"/registry/people/{mother.pk}/pregnancy/" in woman
    assert "<svg" not in woman


def test_another_program_adds_badges_to_the_members(client, chw, household, mother, monkeypatch):
    """What a savings group (or a cooperative) registers to show a woman's membership."""
    monkeypatch.setattr(plugins, "_household_panels", list(plugins._household_panels))
    plugins.household_panel(
        lambda user, household: plugins.Panel(badges={mother.pk: ["Groupe Benkadi"]})
    )
    client.force_login(chw)
    body = client.get(household.get_absolute_url()).content.decode()
    assert '<span class="badge">Groupe Benkadi</span>' in body
