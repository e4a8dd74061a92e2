"""Drill-down from a health rate lists who is missing from its numerator — the children enrolled
not yet seen twice, the referrals not yet seen, the births at home — beside those counted, and
the two lists add up to the denominator (Community A, June 2025; the `june` world of
test_indicator_records)."""

import datetime

import pytest
import time_machine
from django.conf import settings

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner
from jigiya.followup import services
from jigiya.followup.enrollments import enrollment_start
from jigiya.followup.tests.test_indicator_records import june  # noqa: F401 - the fixture
from jigiya.indicators import engine
from jigiya.registry.models import FollowupProgram
from jigiya.registry.tests.factories import PersonFactory

D = datetime.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 7, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def enrolled(cast, chw, household, june):  # noqa: F811 - the fixture imported above
    """Awa (seen on 3 and 17 June) and Ali (seen on 3 June) enrolled on 1 May; Binta, enrolled
    on 10 June, never seen."""
    binta = PersonFactory(household=household, given_name="Binta", birth_date=D(2025, 2, 1))
    for person, start in ((june["awa"], D(2025, 5, 1)), (june["ali"], D(2025, 5, 1))):
        enrollment_start(actor=chw, person=person, program=FollowupProgram.CHILD, start=start)
    enrollment_start(actor=chw, person=binta, program=FollowupProgram.CHILD, start=D(2025, 6, 10))
    engine.rebuild()
    return {**june, "binta": binta}


def _drill(client, user, code, place):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client.get(
        "/indicators/drill/", {"indicator": code, "place": str(place.pk), "month": "2025-06"}
    )


def test_children_not_yet_seen_twice_are_listed_fewest_visits_first(cast, client, enrolled):
    response = _drill(
        client, cast.user(Role.ME_OFFICER), "health.children_two_contacts", cast.community_a
    )
    assert response.status_code == 200
    point = response.context["point"]
    assert (point.numerator, point.denominator) == (1, 3)
    assert [row[0] for row in response.context["rows"]] == ["Awa Traoré"]
    assert response.context["missing_count"] == 2
    assert [[value for _label, value in row] for row in response.context["missing_rows"]] == [
        ["Binta Traoré", "2025-02-01", "Community A", "Famille Diarra", "chw-a", 0],
        ["Ali Traoré", "2024-01-01", "Community A", "Famille Diarra", "chw-a", 1],
    ]
    assert response.context["missing_rows"][0][5] == ("visits in the month", 0)
    body = response.content.decode()
    assert "Missing from the numerator: 2" in body
    assert 'data-label="visits in the month"' in body


def test_counted_and_missing_add_up_to_the_denominator_from_the_commune(cast, client, enrolled):
    response = _drill(
        client, cast.user(Role.ME_OFFICER, "above"), "health.children_two_contacts", cast.commune_a
    )
    point = response.context["point"]
    assert response.context["count"] + response.context["missing_count"] == point.denominator == 3


def test_referrals_not_seen_and_births_at_home_are_the_missing(cast, client, enrolled):
    officer = cast.user(Role.ME_OFFICER)
    response = _drill(client, officer, "health.referrals_completed", cast.community_a)
    assert (response.context["count"], response.context["missing_count"]) == (0, 1)
    assert dict(response.context["missing_rows"][0])["status"] == "open"
    referral = enrolled["awa"].referrals.get()
    services.referral_close(
        actor=cast.user(Role.CHW), referral=referral, seen=True, seen_by="CSCom"
    )
    engine.refresh()
    response = _drill(client, officer, "health.referrals_completed", cast.community_a)
    assert (response.context["count"], response.context["missing_count"]) == (1, 0)
    assert "Nobody is missing." in response.content.decode()

    response = _drill(client, officer, "health.facility_deliveries", cast.community_a)
    assert (response.context["count"], response.context["missing_count"]) == (1, 1)
    assert dict(response.context["missing_rows"][0]) == {
        "date of delivery": "2025-06-26",
        "woman": "Hawa Coulibaly",
        "phone": "+223 70 00 00 02",
        "community": "Community A",
        "EDD": "2025-06-20",
        "ANC contacts": 1,
        "outcome": "live_birth",
        "place of delivery": "home",
        "health center": None,
    }


def test_a_count_has_no_missing_list_and_a_partner_sees_no_names(cast, client, enrolled):
    response = _drill(client, cast.user(Role.ME_OFFICER), "health.visits", cast.community_a)
    assert "missing_rows" not in response.context
    partner = funded_partner(cast, "a", "health", cast.community_a)
    response = _drill(client, partner, "health.children_two_contacts", cast.community_a)
    assert response.status_code == 200
    assert "missing_rows" not in response.context
    body = response.content.decode()
    assert "Binta" not in body and "Ali Traoré" not in body
