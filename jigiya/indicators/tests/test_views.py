import datetime
import html

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jigiya.accounts.roles import Role
from jigiya.core.periods import Month
from jigiya.donors.tests.partners import funded_partner
from jigiya.indicators import catalog, engine, summary
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.places import services

HELD = "quality.asaco_assemblies"
WOMEN = "quality.asaco_assembly_women"


def _empty_programs():
    return sum(
        1
        for program in catalog.Program
        if not any(i.program == program for i in catalog.all_indicators())
    )


def _get(client, user, url, **query):
    client.force_login(user)
    return client.get(url, query)


def test_catalog_lists_every_indicator_with_its_definition(cast, client):
    response = _get(client, cast.user(Role.CHW), "/indicators/catalog/")
    assert response.status_code == 200
    body = response.content.decode()
    for code in (HELD, WOMEN):
        assert f'id="{code}"' in body
    assert (
        str(
            _(
                "Women attending the ASACO's general assemblies in the month, out of everyone attending."
            )
        ).replace("'", "&#x27;")
        in body
    )
    assert str(_("people attending")) in body
    assert body.count(str(_("No indicators yet for this program."))) == _empty_programs()


def test_overview_shows_all_four_programs_and_the_latest_value(cast, client, assemblies):
    response = _get(
        client, cast.user(Role.PROGRAM_MANAGER, "above"), "/indicators/", month="2025-01", range="6"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="panel"') == 4
    assert body.count(str(_("No indicators yet for this program."))) == _empty_programs()
    # At the region: women 60 of 160 attending = 37.5 %, below 90 % of the 50 % target.
    assert "37,5\u00a0%" in body
    assert 'class="status off_track"' in body


@pytest.mark.parametrize(
    ("women", "status"), [(50, "on_track"), (46, "at_risk"), (44, "off_track")]
)
def test_targets_are_shown_on_track_at_risk_or_off_track(cast, client, admin_user, women, status):
    services.assembly_record(
        actor=admin_user,
        asaco=cast.asaco_a,
        held_on=datetime.date(2025, 3, 1),
        attendance=100,
        women_attending=women,
        decisions="x",
    )
    engine.refresh()
    response = _get(
        client,
        cast.user(Role.ME_OFFICER),
        "/indicators/programs/quality/",
        place=str(cast.community_a.pk),
        month="2025-03",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'class="status {status}"' in body
    assert f"{women},0\u00a0%" in body


def test_program_dashboard_has_trend_bars_and_league_as_svg(cast, client, assemblies):
    user = cast.user(Role.PROGRAM_MANAGER, "above")
    response = _get(client, user, "/indicators/programs/quality/", month="2025-01", range="12")
    body = response.content.decode()
    assert response.status_code == 200
    shown = len([i for i in catalog.all_indicators() if i.program == "quality"])
    assert body.count('<svg class="chart trend"') == shown
    assert body.count('<svg class="chart bars"') == 2 * shown  # by place and league, each
    assert "<script" not in body.split("<main>")[1]
    assert 'stroke-dasharray="6 4"' in body  # the target line
    # The league puts CSCom A (40 %) before CSCom B (33.3 %).
    league = body.split(str(_("Health centers, best first, %(month)s") % {"month": "2025-01"}))[2]
    assert league.index("1. CSCom A") < league.index("2. CSCom B")


def test_the_league_shows_the_best_centers_and_counts_the_rest(cast, client):
    from jigiya.places.tests.factories import HealthCenterFactory, PlaceFactory

    month = datetime.date(2025, 1, 1)
    for n in range(1, 18):  # CSCom 01 at 1 %, …, CSCom 17 at 17 %; A and B have no figure
        community = PlaceFactory(parent=cast.commune_a, name=f"Q{n:02d}")
        center = HealthCenterFactory(name=f"CSCom {n:02d}", place=community)
        community.health_center = center
        community.save(update_fields=["health_center"])
        IndicatorValue.objects.create(
            indicator=WOMEN, place=community, month=month, numerator=n, denominator=100
        )
    user = cast.user(Role.PROGRAM_MANAGER, "above")
    body = _get(client, user, "/indicators/programs/quality/", month="2025-01").content.decode()
    heading = str(_("Health centers, best first, %(month)s") % {"month": "2025-01"})
    card = body.split(f'id="{summary.card_anchor(catalog.get(WOMEN))}"')[1].split("</section>")[0]
    women = card.split(heading)[1]
    assert [f"{r}. CSCom {17 - r + 1:02d}" in women for r in range(1, 16)] == [True] * 15
    assert "CSCom 02" not in women and "CSCom A" not in women
    more = ngettext(
        "and %(counter)s more health center: see the export.",
        "and %(counter)s more health centers: see the export.",
        4,
    )
    assert more % {"counter": 4} in women


def test_program_dashboard_costs_a_fixed_number_of_queries(
    cast, client, assemblies, django_assert_max_num_queries
):
    client.force_login(cast.user(Role.ADMIN, "above"))
    with django_assert_max_num_queries(12):
        assert client.get("/indicators/programs/quality/").status_code == 200


def test_a_user_never_sees_figures_outside_their_places(cast, client, assemblies):
    user = cast.user(Role.PROGRAM_MANAGER, "a")
    response = _get(client, user, "/indicators/programs/quality/", place=str(cast.community_b.pk))
    assert response.status_code == 404
    response = _get(client, user, "/indicators/programs/quality/", month="2025-01")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Community B" not in body and "CSCom B" not in body
    # Its dashboard starts at Community A: 40 of 100.
    assert "40,0\u00a0%" in body


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2025-13"}, "month"),
        ({"month": "janvier"}, "month"),
        ({"month": str(Month.current().next())}, "month"),
        ({"range": "7"}, "range"),
        ({"range": "abc"}, "range"),
    ],
)
def test_bad_periods_are_refused_with_a_clear_message(cast, client, query, field):
    for url in ("/indicators/", "/indicators/programs/health/", "/indicators/run-chart/"):
        response = _get(client, cast.user(Role.CHW), url, **query)
        assert response.status_code == 400, url
        assert f'data-field="{field}"' in response.content.decode()


def test_a_future_month_says_so(cast, client):
    future = Month.current().next()
    response = _get(client, cast.user(Role.CHW), "/indicators/", month=str(future))
    expected = _("%(month)s is in the future: no figures yet.") % {"month": future}
    assert expected in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/indicators/run-chart/", "/indicators/drill/", "/indicators/export/table.csv"]
)
def test_unknown_indicators_are_refused(cast, client, url):
    response = _get(client, cast.user(Role.ME_OFFICER), url, indicator="health.nothing")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="indicator"' in body
    message = _("There is no indicator “%(code)s” in the catalog.") % {"code": "health.nothing"}
    assert html.escape(message) in body


def test_place_and_health_center_dashboards(cast, client, assemblies):
    user = cast.user(Role.HEALTH_CENTER_STAFF)
    response = _get(client, user, f"/indicators/places/{cast.community_a.pk}/", month="2025-02")
    assert response.status_code == 200
    assert "60,0\u00a0%" in response.content.decode()  # February: 30 of 50
    response = _get(
        client, user, f"/indicators/health-centers/{cast.center_a.pk}/", month="2025-01"
    )
    assert response.status_code == 200
    assert "40,0\u00a0%" in response.content.decode()
    assert _get(client, user, f"/indicators/health-centers/{cast.center_b.pk}/").status_code == 404


def test_run_chart_shows_median_and_signals(cast, client, admin_user):
    # Twelve months of assemblies: six at 20 % women, then six at 60 %: a shift of six? No: the
    # limit for n = 12 is 7, so no shift, but 1 crossing < 3 is a signal.
    for index in range(12):
        services.assembly_record(
            actor=admin_user,
            asaco=cast.asaco_a,
            held_on=datetime.date(2024, 1, 10) + datetime.timedelta(days=31 * index),
            attendance=100,
            women_attending=20 if index < 6 else 60,
            decisions="x",
        )
    engine.refresh()
    response = _get(
        client,
        cast.user(Role.QI_COACH),
        "/indicators/run-chart/",
        indicator=WOMEN,
        place=str(cast.community_a.pk),
        month="2024-12",
        range="12",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["analysis"].median == 40
    assert (response.context["analysis"].crossings, response.context["analysis"].longest_run) == (
        1,
        6,
    )
    assert 'data-signal="crossings"' in body
    assert 'data-signal="shift"' not in body


def test_a_run_chart_reaches_back_years_and_offers_its_own_ranges(cast, client, assemblies):
    user = cast.user(Role.QI_COACH)
    query = {"indicator": WOMEN, "place": str(cast.community_a.pk), "month": "2025-02"}
    response = _get(client, user, "/indicators/run-chart/", range="60", **query)
    assert response.status_code == 200
    series = response.context["series"]
    assert (len(series), series[0].month, series[-1].month) == (
        60, datetime.date(2020, 3, 1), datetime.date(2025, 2, 1),
    )  # fmt: skip
    assert [(p.numerator, p.denominator) for p in series[-2:]] == [(40, 100), (30, 50)]
    assert '<option value="120">' in response.content.decode()
    default = _get(client, user, "/indicators/run-chart/", **query)
    assert len(default.context["series"]) == 24
    card_links = _get(client, user, "/indicators/", month="2025-02", range="6").content.decode()
    assert "range=6" not in card_links.split("run-chart/")[1].split('"')[0]
    refused = _get(client, user, "/indicators/run-chart/", range="6", **query)
    assert refused.status_code == 400
    assert 'data-field="range"' in refused.content.decode()


def test_drill_down_by_place_when_the_indicator_has_no_records(
    cast, client, assemblies, women_without_records
):
    response = _get(
        client,
        cast.user(Role.ME_OFFICER, "above"),
        "/indicators/drill/",
        indicator=WOMEN,
        place=str(cast.cercle.pk),
        month="2025-01",
    )
    assert response.status_code == 200
    rows = [
        (child.name, point.numerator, point.denominator)
        for child, point, _url in response.context["children"]
    ]
    assert rows == [("Commune A", 40, 100), ("Commune B", 20, 60)]


def test_drill_down_to_records_within_access(cast, client, board_indicator):
    query = {"indicator": board_indicator.code, "place": str(cast.cercle.pk), "month": "2025-01"}
    response = _get(client, cast.user(Role.QI_COACH, "above"), "/indicators/drill/", **query)
    assert response.status_code == 200
    assert response.context["count"] == 3
    assert [row[0] for row in response.context["rows"]] == [
        "Awa Traoré",
        "Fanta Diarra",
        "Moussa Keïta",
    ]
    # A coach of Community A sees only its records.
    query["place"] = str(cast.community_a.pk)
    response = _get(client, cast.user(Role.QI_COACH, "a"), "/indicators/drill/", **query)
    assert [row[0] for row in response.context["rows"]] == ["Awa Traoré", "Moussa Keïta"]


def test_a_partner_sees_aggregates_only_never_records(cast, client, board_indicator):
    query = {
        "indicator": board_indicator.code,
        "place": str(cast.community_a.pk),
        "month": "2025-01",
    }
    partner = funded_partner(cast, "a", board_indicator.program, cast.region)
    response = _get(client, partner, "/indicators/drill/", **query)
    body = response.content.decode()
    assert response.status_code == 200
    assert "columns" not in response.context
    assert "Awa Traoré" not in body and "+223" not in body
    assert response.context["point"].numerator == 2


def test_community_report_is_printable(cast, client, assemblies):
    url = f"/indicators/places/{cast.community_a.pk}/report/"
    response = _get(client, cast.user(Role.CHW), url, month="2025-02")
    body = response.content.decode()
    assert response.status_code == 200
    assert "@media print" in body
    assert "60,0\u00a0%" in body and "40,0\u00a0%" in body  # this month and the month before


def test_freshness_for_admins_and_me_officers_only(cast, client, admin_user):
    services.assembly_record(
        actor=admin_user,
        asaco=cast.asaco_a,
        held_on=datetime.date(2025, 1, 18),
        attendance=10,
        women_attending=5,
        decisions="x",
    )
    assert StaleCell.objects.count() == 1
    response = _get(client, cast.user(Role.ME_OFFICER), "/indicators/freshness/")
    assert response.status_code == 200
    assert 'data-stale="1"' in response.content.decode()
    stale = {row.indicator.code: row.stale for row in response.context["freshness"].indicators}
    assert (stale[HELD], stale[WOMEN]) == (1, 1)
    assert sum(stale.values()) == 2
    assert (
        _get(client, cast.user(Role.ME_OFFICER, "b"), "/indicators/freshness/")
        .context["freshness"]
        .stale_cells
        == 0
    )
    for role in (Role.PROGRAM_MANAGER, Role.CHW, Role.PARTNER):
        assert _get(client, cast.user(role), "/indicators/freshness/").status_code == 403


def test_a_new_record_shows_on_the_dashboard_after_refresh(cast, client, assemblies, admin_user):
    user = cast.user(Role.PROGRAM_MANAGER, "above")
    query = {"place": str(cast.community_a.pk), "month": "2025-03"}
    before = _get(client, user, "/indicators/programs/quality/", **query)
    assert before.context["cards"][0]["point"].numerator == 0
    services.assembly_record(
        actor=admin_user,
        asaco=cast.asaco_a,
        held_on=datetime.date(2025, 3, 22),
        attendance=80,
        women_attending=44,
        decisions="x",
    )
    assert _get(client, user, "/indicators/freshness/").status_code == 403  # PM: no freshness
    engine.refresh()
    after = _get(client, user, "/indicators/programs/quality/", **query)
    cards = {card["indicator"].code: card for card in after.context["cards"]}
    assert cards[HELD]["point"].numerator == 1
    assert (cards[WOMEN]["point"].numerator, cards[WOMEN]["point"].denominator) == (44, 80)
    assert "55,0\u00a0%" in after.content.decode()
    assert IndicatorValue.objects.filter(indicator=WOMEN, place=cast.country).count() == 3
