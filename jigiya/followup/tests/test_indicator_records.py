"""Drill-down from a health figure to the records behind it, and their export with pseudonyms,
within the user's access (Community A, June 2025)."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner
from jigiya.followup import services
from jigiya.followup import services as followup_services
from jigiya.followup.models import Referral
from jigiya.indicators import engine
from jigiya.indicators.exports import pseudonym
from jigiya.indicators.models import IndicatorValue
from jigiya.registry import services as registry
from jigiya.registry.tests.factories import PersonFactory

JUNE = datetime.date(2025, 6, 1)
D = datetime.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 7, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def june(cast, chw, household):
    """In Community A: Awa (red MUAC on 3 June, so referred; green on 17 June) and Ali (yellow
    on 3 June), born 1 January 2024; Mariam delivered at the CSCom on 18 June, Hawa at home on
    26 June. In Community B: one visit on 5 June."""
    awa, ali = (
        PersonFactory(household=household, given_name=name, birth_date=D(2024, 1, 1))
        for name in ("Awa", "Ali")
    )
    services.visit_record(
        actor=chw,
        household=household,
        date=D(2025, 6, 3),
        people=[awa.pk, ali.pk],
        children=[
            services.ChildCheckIn(person_id=awa.pk, muac_mm=112),
            services.ChildCheckIn(person_id=ali.pk, muac_mm=120),
        ],
    )
    services.visit_record(
        actor=chw,
        household=household,
        date=D(2025, 6, 17),
        people=[awa.pk],
        children=[services.ChildCheckIn(person_id=awa.pk, muac_mm=126)],
    )
    women = {}
    for name, phone, day, place in (
        ("Mariam", "+223 70 00 00 01", D(2025, 6, 18), "this_cscom"),
        ("Hawa", "+223 70 00 00 02", D(2025, 6, 26), "home"),
    ):
        woman = PersonFactory(
            household=household,
            given_name=name,
            family_name="Coulibaly",
            relationship="spouse",
            birth_date=D(1995, 1, 1),
            phone=phone,
        )
        pregnancy = followup_services.pregnancy_register(actor=chw, woman=woman, edd=D(2025, 6, 20))
        followup_services.anc_contact_record(
            actor=chw, pregnancy=pregnancy, date=D(2025, 3, 5), place="this_cscom"
        )
        followup_services.pregnancy_outcome_record(
            actor=chw,
            pregnancy=pregnancy,
            outcome_date=day,
            birth_outcome="live_birth",
            outcome_place=place,
        )
        women[name] = woman
    chw_b = cast.user(Role.CHW, "b")
    household_b = registry.household_create(
        actor=chw_b, community=cast.community_b, name="Famille Keïta", chw=chw_b
    )
    moussa = PersonFactory(household=household_b, given_name="Moussa", family_name="Keïta")
    services.visit_record(
        actor=chw_b, household=household_b, date=D(2025, 6, 5), people=[moussa.pk]
    )
    engine.rebuild()
    return {"awa": awa, "ali": ali, **women}


def _drill(client, user, code, place, **extra):
    client.force_login(user)
    return client.get(
        "/indicators/drill/",
        {"indicator": code, "place": str(place.pk), "month": "2025-06", **extra},
    )


def _numerator(code, place):
    return IndicatorValue.objects.get(
        indicator=code, place=place, month=JUNE, breakdown=""
    ).numerator


def test_visits_drill_down_to_the_visits_of_the_month(cast, client, june):
    response = _drill(client, cast.user(Role.ME_OFFICER), "health.visits", cast.community_a)
    assert response.status_code == 200
    assert response.context["count"] == _numerator("health.visits", cast.community_a) == 2
    assert response.context["rows"] == [
        ["2025-06-03", "Community A", "chw-a", "Famille Diarra", 2],
        ["2025-06-17", "Community A", "chw-a", "Famille Diarra", 1],
    ]
    # From the cercle, an officer of the region sees both communities' visits.
    response = _drill(client, cast.user(Role.ME_OFFICER, "above"), "health.visits", cast.cercle)
    assert response.context["count"] == _numerator("health.visits", cast.cercle) == 3
    assert [row[:2] for row in response.context["rows"]] == [
        ["2025-06-03", "Community A"],
        ["2025-06-05", "Community B"],
        ["2025-06-17", "Community A"],
    ]


def test_children_by_muac_band_list_each_childs_last_measurement(cast, client, june):
    response = _drill(
        client, cast.user(Role.ME_OFFICER), "health.children_by_muac", cast.community_a
    )
    assert response.context["count"] == _numerator("health.children_by_muac", cast.community_a) == 2
    assert response.context["rows"] == [
        ["2025-06-03", "Ali Traoré", "Community A", 17, 120, "yellow"],
        ["2025-06-17", "Awa Traoré", "Community A", 17, 126, "green"],
    ]
    bands = IndicatorValue.objects.filter(
        indicator="health.children_by_muac", place=cast.community_a, month=JUNE
    ).exclude(breakdown="")
    assert sorted(bands.values_list("breakdown", "numerator")) == [
        ("muac=green", 1),
        ("muac=yellow", 1),
    ]


def test_referrals_drill_down_to_the_referrals_made_in_the_month(cast, client, june):
    referral = Referral.objects.get(person=june["awa"])
    response = _drill(client, cast.user(Role.ME_OFFICER), "health.referrals", cast.community_a)
    assert response.context["count"] == _numerator("health.referrals", cast.community_a) == 1
    assert response.context["rows"] == [
        [
            "2025-06-03",
            "Awa Traoré",
            "Community A",
            str(referral.reasons),
            "",
            "urgent",
            "open",
            None,
            "CSCom A",
        ]
    ]
    # Referrals completed: the numerator is the referrals seen, none yet.
    response = _drill(
        client, cast.user(Role.ME_OFFICER), "health.referrals_completed", cast.community_a
    )
    assert (response.context["count"], response.context["point"].denominator) == (0, 1)
    services.referral_close(
        actor=cast.user(Role.CHW), referral=referral, seen=True, seen_by="CSCom"
    )
    engine.refresh()
    response = _drill(
        client, cast.user(Role.ME_OFFICER), "health.referrals_completed", cast.community_a
    )
    assert response.context["count"] == response.context["point"].numerator == 1
    assert response.context["rows"][0][6:8] == ["seen", "2025-07-10"]


def test_facility_deliveries_list_the_numerator_births_only(cast, client, june):
    response = _drill(
        client, cast.user(Role.ME_OFFICER), "health.facility_deliveries", cast.community_a
    )
    point = response.context["point"]
    assert (point.numerator, point.denominator) == (1, 2)
    assert response.context["count"] == 1
    assert response.context["rows"] == [
        [
            "2025-06-18",
            "Mariam Coulibaly",
            "+223 70 00 00 01",
            "Community A",
            "2025-06-20",
            1,
            "live_birth",
            "this_cscom",
            "CSCom A",
        ]
    ]


def test_record_export_replaces_names_and_phones_by_pseudonyms(cast, client, june):
    client.force_login(cast.user(Role.ME_OFFICER))
    query = {
        "indicator": "health.facility_deliveries",
        "place": str(cast.community_a.pk),
        "month": "2025-06",
        "format": "csv",
    }
    response = client.get("/indicators/export/records/", {**query, "pseudonyms": "1"})
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "Mariam" not in body and "+223" not in body and "Hawa" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [
        [
            "outcome_date",
            "woman",
            "woman__phone",
            "woman__household__community__name",
            "edd",
            "anc_count",
            "birth_outcome",
            "outcome_place",
            "outcome_health_center__name",
        ],
        [
            "2025-06-18",
            pseudonym("Mariam Coulibaly"),
            pseudonym("+223 70 00 00 01"),
            "Community A",
            "2025-06-20",
            "1",
            "live_birth",
            "this_cscom",
            "CSCom A",
        ],
    ]
    # Without the option, the names are there; the household is a name too.
    plain = client.get("/indicators/export/records/", query).content.decode("utf-8-sig")
    assert "Mariam Coulibaly" in plain
    visits = client.get(
        "/indicators/export/records/", {**query, "indicator": "health.visits", "pseudonyms": "1"}
    ).content.decode("utf-8-sig")
    assert "Famille Diarra" not in visits and pseudonym("Famille Diarra") in visits


def test_outside_the_community_404_and_a_partner_sees_no_records(cast, client, june):
    for code in ("health.visits", "health.children_by_muac", "health.referrals"):
        assert (
            _drill(client, cast.user(Role.ME_OFFICER, "b"), code, cast.community_a).status_code
            == 404
        )
    client.force_login(cast.user(Role.ME_OFFICER, "b"))
    export = client.get(
        "/indicators/export/records/",
        {"indicator": "health.visits", "place": str(cast.community_a.pk), "month": "2025-06"},
    )
    assert export.status_code == 404
    partner = funded_partner(cast, "a", "health", cast.community_a)
    for code in ("health.visits", "health.children_by_muac", "health.facility_deliveries"):
        response = _drill(client, partner, code, cast.community_a)
        body = response.content.decode()
        assert response.status_code == 200
        assert "columns" not in response.context
        assert "Traoré" not in body and "Coulibaly" not in body and "Famille Diarra" not in body
    # A CHW sees the records of her community, but may not export them.
    assert (
        _drill(client, cast.user(Role.CHW), "health.visits", cast.community_a).context["count"] == 2
    )
    client.force_login(cast.user(Role.CHW))
    export = client.get(
        "/indicators/export/records/",
        {"indicator": "health.visits", "place": str(cast.community_a.pk), "month": "2025-06"},
    )
    assert export.status_code == 403


def test_the_drill_page_costs_the_same_queries_whatever_the_records(
    cast, client, chw, household, june, django_assert_num_queries
):
    user = cast.user(Role.ME_OFFICER)
    codes = ("health.visits", "health.children_by_muac", "health.facility_deliveries")
    counts = {}
    for code in codes:
        _drill(client, user, code, cast.community_a)  # warm the session and caches
        with CaptureQueriesContext(connection) as before:
            _drill(client, user, code, cast.community_a)
        counts[code] = len(before.captured_queries)
    for day in (D(2025, 6, 20), D(2025, 6, 24), D(2025, 6, 27)):
        services.visit_record(
            actor=chw,
            household=household,
            date=day,
            people=[june["awa"].pk, june["ali"].pk],
            children=[
                services.ChildCheckIn(person_id=june["awa"].pk, muac_mm=130),
                services.ChildCheckIn(person_id=june["ali"].pk, muac_mm=131),
            ],
        )
    engine.refresh()
    for code in codes:
        with django_assert_num_queries(counts[code]):
            response = _drill(client, user, code, cast.community_a)
        assert response.context["count"] == _numerator(code, cast.community_a)
    assert _numerator("health.visits", cast.community_a) == 5
