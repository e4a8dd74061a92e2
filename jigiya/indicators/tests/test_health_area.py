"""A health center's figures, drill-down and run chart cover its whole health area: every
community it serves that the user may see, not only the community where it stands."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner
from jigiya.indicators import catalog, selectors
from jigiya.indicators.areas import Area
from jigiya.indicators.exports import pseudonym
from jigiya.indicators.models import IndicatorValue
from jigiya.places.tests.factories import PlaceFactory

WOMEN = "quality.asaco_assembly_women"
JAN = datetime.date(2025, 1, 1)


@pytest.fixture
def area(cast):
    """CSCom A also serves Community C, which lies in Commune B. January 2025 (stored values):
    A 40 women of 100 attending, C 30 of 50, B 20 of 60."""
    community_c = PlaceFactory(
        name="Community C", code="C3", parent=cast.commune_b, health_center=cast.center_a
    )
    for place, n, d in [
        (cast.community_a, 40, 100),
        (community_c, 30, 50),
        (cast.community_b, 20, 60),
    ]:
        IndicatorValue.objects.create(
            indicator=WOMEN, place=place, month=JAN, numerator=n, denominator=d
        )
        IndicatorValue.objects.create(
            indicator=WOMEN,
            place=place,
            month=JAN,
            breakdown="age=young",
            numerator=n // 2,
            denominator=d,
        )
    return community_c


def _get(client, user, url, **query):
    client.force_login(user)
    return client.get(url, query)


def test_a_health_center_drills_down_to_every_community_of_its_area(
    cast, client, area, women_without_records
):
    response = _get(
        client,
        cast.user(Role.ME_OFFICER, "above"),
        "/indicators/drill/",
        indicator=WOMEN,
        health_center=str(cast.center_a.pk),
        month="2025-01",
    )
    assert response.status_code == 200
    point = response.context["point"]
    assert (point.numerator, point.denominator) == (70, 150)
    rows = [(c.name, p.numerator, p.denominator) for c, p, _url in response.context["children"]]
    assert rows == [("Community A", 40, 100), ("Community C", 30, 50)]
    assert [(b, p.numerator) for b, p in response.context["breakdowns"]] == [("age=young", 35)]


def test_the_health_area_is_limited_to_the_communities_the_user_may_see(
    cast, client, area, women_without_records
):
    user = cast.user(Role.HEALTH_CENTER_STAFF, "a")
    response = _get(
        client,
        user,
        "/indicators/drill/",
        indicator=WOMEN,
        health_center=str(cast.center_a.pk),
        month="2025-01",
    )
    assert response.status_code == 200
    assert (response.context["point"].numerator, response.context["point"].denominator) == (40, 100)
    assert [c.name for c, _p, _u in response.context["children"]] == ["Community A"]
    assert "Community C" not in response.content.decode()
    response = _get(
        client,
        user,
        "/indicators/run-chart/",
        indicator=WOMEN,
        health_center=str(cast.center_a.pk),
        month="2025-01",
        range="12",
    )
    assert [p.numerator for p in response.context["series"]] == [0] * 11 + [40]


def test_the_run_chart_of_a_health_center_sums_its_area(cast, client, area):
    response = _get(
        client,
        cast.user(Role.PROGRAM_MANAGER, "above"),
        "/indicators/run-chart/",
        indicator=WOMEN,
        health_center=str(cast.center_a.pk),
        month="2025-02",
        range="12",
    )
    assert response.status_code == 200
    assert [(p.numerator, p.denominator) for p in response.context["series"]][-2:] == [
        (70, 150),
        (0, None),
    ]
    body = response.content.decode()
    assert f'name="health_center" value="{cast.center_a.pk}"' in body
    assert 'name="place"' not in body


def test_health_center_dashboard_links_to_its_whole_area(cast, client, area):
    response = _get(
        client,
        cast.user(Role.PROGRAM_MANAGER, "above"),
        f"/indicators/health-centers/{cast.center_a.pk}/",
        month="2025-01",
    )
    card = next(
        c
        for _p, cards in response.context["by_program"]
        for c in cards
        if c["indicator"].code == WOMEN
    )
    assert f"health_center={cast.center_a.pk}" in card["drill_url"]
    assert f"health_center={cast.center_a.pk}" in card["run_chart_url"]
    assert "place=" not in card["drill_url"] and "place=" not in card["run_chart_url"]
    assert f"health_center={cast.center_a.pk}" in card["csv_url"]
    assert "place=" not in card["csv_url"] and "place=" not in card["xlsx_url"]
    assert (card["point"].numerator, card["point"].denominator) == (70, 150)


def test_drill_to_records_over_the_health_area(cast, client, board_indicator):
    response = _get(
        client,
        cast.user(Role.QI_COACH, "above"),
        "/indicators/drill/",
        indicator=board_indicator.code,
        health_center=str(cast.center_a.pk),
        month="2025-01",
    )
    assert response.status_code == 200
    assert response.context["count"] == 2
    assert [row[0] for row in response.context["rows"]] == ["Awa Traoré", "Moussa Keïta"]
    assert response.context["export_url"] == ""


@pytest.mark.parametrize("url", ["/indicators/drill/", "/indicators/run-chart/"])
def test_bad_health_centers_are_refused(cast, client, area, url):
    user = cast.user(Role.PROGRAM_MANAGER, "a")
    query = {"indicator": WOMEN, "month": "2025-01"}
    assert _get(client, user, url, health_center=str(cast.center_b.pk), **query).status_code == 404
    assert _get(client, user, url, health_center="not-a-uuid", **query).status_code == 404
    response = _get(
        client,
        user,
        url,
        health_center=str(cast.center_a.pk),
        place=str(cast.community_a.pk),
        **query,
    )
    assert response.status_code == 400
    assert 'data-field="health_center"' in response.content.decode()


def _csv_lines(response):
    return [line for line in response.content.decode("utf-8-sig").split("\r\n") if line]


def test_a_health_center_table_export_sums_its_area_then_lists_its_communities(cast, client, area):
    response = _get(
        client,
        cast.user(Role.ME_OFFICER, "above"),
        "/indicators/export/table.csv",
        indicator=WOMEN,
        health_center=str(cast.center_a.pk),
        month="2025-02",
        range="6",
    )
    assert response.status_code == 200
    code, name = cast.center_a.code, cast.center_a.name
    assert (
        response["Content-Disposition"] == f'attachment; filename="indicators-{code}-2025-02.csv"'
    )
    lines = _csv_lines(response)[1:]
    assert len(lines) == 3 * 6  # the area and its two communities, 6 months each
    assert [line for line in lines if ",2025-0" in line] == [
        f"{WOMEN},{code},{name},health_center,2025-01,70,150,46.7,percent",
        f"{WOMEN},{code},{name},health_center,2025-02,0,,,percent",
        f"{WOMEN},A,Community A,community,2025-01,40,100,40.0,percent",
        f"{WOMEN},A,Community A,community,2025-02,0,,,percent",
        f"{WOMEN},C3,Community C,community,2025-01,30,50,60.0,percent",
        f"{WOMEN},C3,Community C,community,2025-02,0,,,percent",
    ]


def test_a_health_center_export_holds_only_the_communities_the_user_may_see(cast, client, area):
    user = cast.user(Role.HEALTH_CENTER_STAFF, "a")
    query = {"indicator": WOMEN, "health_center": str(cast.center_a.pk), "month": "2025-01"}
    response = _get(client, user, "/indicators/export/table.csv", range="6", **query)
    assert response.status_code == 200
    lines = [line for line in _csv_lines(response)[1:] if ",2025-01," in line]
    assert len(_csv_lines(response)) == 1 + 2 * 6
    assert [line.split(",")[1:6] for line in lines] == [
        [cast.center_a.code, cast.center_a.name, "health_center", "2025-01", "40"],
        ["A", "Community A", "community", "2025-01", "40"],
    ]
    query["health_center"] = str(cast.center_b.pk)
    assert _get(client, user, "/indicators/export/table.xlsx", **query).status_code == 404


def test_the_api_gives_a_health_center_month_by_month_over_its_area(cast, client, area):
    url = "/api/v1/indicators/health-center-values"
    query = {"indicator": WOMEN, "health_center_id": str(cast.center_a.pk), "start": "2024-12",
             "end": "2025-01"}  # fmt: skip
    response = _get(client, funded_partner(cast, "above", "quality", cast.region), url, **query)
    assert response.status_code == 200
    assert [
        (row["health_center_code"], row["month"], row["numerator"], row["denominator"],
         row["value"], row["status"])
        for row in response.json()
    ] == [
        (cast.center_a.code, "2024-12", 0, None, None, ""),
        (cast.center_a.code, "2025-01", 70, 150, pytest.approx(46.67, abs=0.01), "at_risk"),
    ]  # fmt: skip
    user = cast.user(Role.HEALTH_CENTER_STAFF, "a")
    response = _get(client, user, url, **query)
    assert [row["numerator"] for row in response.json()] == [0, 40]  # Community A only
    query["health_center_id"] = str(cast.center_b.pk)
    response = _get(client, user, url, **query)
    assert response.status_code == 404
    query |= {"health_center_id": str(cast.center_a.pk), "end": "2099-01"}
    response = _get(client, user, url, **query)
    assert response.status_code == 400
    assert "end" in response.json()["error"]["fields"]


def test_record_export_of_a_health_center_covers_its_area(cast, client, board_indicator):
    user = cast.user(Role.ME_OFFICER, "above")
    query = {"indicator": board_indicator.code, "health_center": str(cast.center_a.pk),
             "month": "2025-01"}  # fmt: skip
    drill = _get(client, user, "/indicators/drill/", **query)
    assert f"health_center={cast.center_a.pk}" in drill.context["export_url"]
    response = _get(client, user, "/indicators/export/records/", **query, pseudonyms="1")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="records-{board_indicator.code}-{cast.center_a.code}-2025-01.csv"'
    )
    lines = _csv_lines(response)
    assert lines[0] == "full_name,phone,role,asaco__name,term_start"
    assert sorted(lines[1:]) == sorted(
        f"{pseudonym(name)},{pseudonym(phone)},member,ASACO A,2025-01-15"
        for name, phone in [
            ("Awa Traoré", "+223 70 00 00 01"),
            ("Moussa Keïta", "+223 70 00 00 02"),
        ]
    )


def test_record_export_of_a_health_center_is_refused_outside_and_without_the_right(
    cast, client, board_indicator
):
    query = {"indicator": board_indicator.code, "month": "2025-01"}
    coach = cast.user(Role.QI_COACH, "above")  # sees records, may not export them
    url = "/indicators/export/records/"
    assert _get(client, coach, url, health_center=str(cast.center_a.pk), **query).status_code == 403
    officer = cast.user(Role.ME_OFFICER, "a")
    assert (
        _get(client, officer, url, health_center=str(cast.center_b.pk), **query).status_code == 404
    )


def test_a_partner_sees_a_health_area_where_its_donor_funds_the_program(cast, client, area):
    """Quality funded in Commune A only: CSCom A's figure is Community A's, not Community C's
    (Commune B) too; the drill lists A alone; the table has no row of C."""
    partner = funded_partner(cast, "above", "quality", cast.commune_a)
    url = "/api/v1/indicators/health-center-values"
    query = {"indicator": WOMEN, "health_center_id": str(cast.center_a.pk), "start": "2025-01",
             "end": "2025-01"}  # fmt: skip
    rows = _get(client, partner, url, **query).json()
    assert [(r["numerator"], r["denominator"]) for r in rows] == [(40, 100)]
    drill = {"indicator": WOMEN, "health_center": str(cast.center_a.pk), "month": "2025-01"}
    response = _get(client, partner, "/indicators/drill/", **drill)
    assert response.context["point"].numerator == 40
    assert [child.code for child, _point, _url in response.context["children"]] == ["A"]
    assert [(b, p.numerator) for b, p in response.context["breakdowns"]] == [("age=young", 20)]
    table = _get(client, partner, "/indicators/export/table.csv", **drill, range="6")
    assert "C3" not in table.content.decode("utf-8")
    # The ME officer of the region sees the whole area.
    officer = _get(client, cast.user(Role.ME_OFFICER, "above"), url, **query).json()
    assert [(r["numerator"], r["denominator"]) for r in officer] == [(70, 150)]


def test_the_figures_of_an_unfunded_program_are_refused_by_the_selector_and_the_api(
    cast, client, area
):
    """Health funded, quality not: a health area's quality figures are refused (403), by the
    API and by the selector every page and the API read them through."""
    partner = funded_partner(cast, "above", "health", cast.commune_a)
    url = "/api/v1/indicators/health-center-values"
    query = {"indicator": WOMEN, "health_center_id": str(cast.center_a.pk), "start": "2025-01",
             "end": "2025-01"}  # fmt: skip
    assert _get(client, partner, url, **query).status_code == 403
    with pytest.raises(PermissionDenied):
        selectors.area_series(
            user=partner,
            indicators=[catalog.by_code()[WOMEN]],
            area=Area.of(cast.center_a),
            months=[JAN],
        )
