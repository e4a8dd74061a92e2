"""The summary that opens a program dashboard and a manager's home: every indicator's value for
the month with its numerator and denominator, target, status, change and sparkline; the last
complete month by default, a month in progress drawn as such; a fixed number of queries.

The `assemblies` world: January 2025, A 100 attending (40 women), B 60 (20); February, A 50
(30). At the region: January 60 of 160 women (37.5 %), 2 assemblies; February 30 of 50 (60 %), 1.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.core.money import GROUP_SEPARATOR
from jigiya.core.periods import Month
from jigiya.core.spreadsheets import csv_text
from jigiya.indicators import charts
from jigiya.indicators.catalog import Unit
from jigiya.indicators.tests.test_dashboard_scale import _grow

HELD = "quality.asaco_assemblies"
WOMEN = "quality.asaco_assembly_women"
MARCH_10 = datetime.datetime(2025, 3, 10, 9, 0)
FEBRUARY_10 = datetime.datetime(2025, 2, 10, 9, 0)
MINUS = "\u2212"


@pytest.fixture
def manager_client(cast, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "above"))
    return client


def _rows(summary):
    return {row.indicator.code: row for row in summary.rows}


def test_the_dashboard_opens_on_the_last_complete_month_with_the_summary(
    cast, manager_client, assemblies
):
    with time_machine.travel(MARCH_10, tick=False):
        response = manager_client.get("/indicators/programs/quality/")
    assert response.status_code == 200
    assert response.context["period"].month == Month(2025, 2)
    rows = _rows(response.context["summary"])
    women, held = rows[WOMEN], rows[HELD]
    assert (women.point.numerator, women.point.denominator, women.point.value) == (30, 50, 60.0)
    assert women.previous.value == 37.5
    assert (women.change, women.trend) == ("+22,5\u00a0pts", "better")
    assert (women.status, women.status_label) == ("on_track", "on track")
    assert (held.point.value, held.change, held.trend, held.status) == (1.0, f"{MINUS}1", "", "")
    assert women.anchor == "#i-quality-asaco_assembly_women"
    body = response.content.decode()
    summary = body.split('class="panel summary-panel"')[1].split("</section>")[0]
    row = summary.split(f'data-indicator="{WOMEN}"')[1].split("</li>")[0]
    assert "60,0\u00a0%" in row and "30&#8239;/&#8239;50" in row and "target 50,0\u00a0%" in row
    assert "+22,5\u00a0pts in a month" in row and 'class="status on_track"' in row
    assert 'svg class="chart spark"' in row
    assert f"?indicator={WOMEN}&amp;place={cast.region.pk}&amp;month=2025-02" in row
    # Each line opens its detail card below, one per indicator.
    assert 'id="i-quality-asaco_assembly_women"' in body
    assert "data-open-month" not in body


def test_a_month_in_progress_is_marked_and_drawn_hollow(cast, manager_client, assemblies):
    with time_machine.travel(FEBRUARY_10, tick=False):
        response = manager_client.get("/indicators/programs/quality/", {"month": "2025-02"})
        run_chart = manager_client.get(
            "/indicators/run-chart/",
            {"indicator": WOMEN, "place": str(cast.region.pk), "month": "2025-02", "range": "12"},
        )
    body = response.content.decode()
    summary = body.split('class="panel summary-panel"')[1].split("</section>")[0]
    assert summary.count("data-open-month") == 1  # the summary's heading
    assert "month in progress" in summary
    # No verdict on a figure still growing: 60 % is above the target, but not yet final.
    assert 'class="status' not in summary
    assert _rows(response.context["summary"])[WOMEN].status == ""
    # The trend's February point is hollow, labelled, joined by a dotted line.
    card = body.split('id="i-quality-asaco_assembly_women"')[1].split("</section>")[0]
    assert card.count('<circle class="open"') == 1
    assert "02/25: 60,0\u00a0% so far (month in progress)" in card
    assert '<line class="open"' in card and "02/25 (in progress)" in card
    # The run chart draws it but leaves it out of the analysis: the median is January's alone.
    assert run_chart.context["analysis"].median == 37.5
    assert run_chart.content.decode().count('<circle class="open"') == 1


def test_the_summary_costs_no_query_and_the_dashboard_a_fixed_number(
    cast, manager_client, assemblies
):
    with CaptureQueriesContext(connection) as small:
        response = manager_client.get("/indicators/programs/quality/", {"month": "2025-01"})
    assert len(response.context["summary"].rows) == len(response.context["cards"])
    _grow(cast, communes=3, communities_each=4)
    with CaptureQueriesContext(connection) as large:
        manager_client.get("/indicators/programs/quality/", {"month": "2025-01"})
    assert len(large) == len(small) <= 12


def test_a_managers_home_shows_the_summary_of_her_programs_at_her_place(
    cast, manager_client, assemblies
):
    with time_machine.travel(MARCH_10, tick=False):
        response = manager_client.get("/")
    assert response.status_code == 200
    (place_summary,) = response.context["summaries"]
    assert place_summary.place == cast.region
    assert place_summary.period.month == Month(2025, 2)
    quality = next(s for s in place_summary.programs if s.program == "quality")
    women = _rows(quality)[WOMEN]
    assert (women.point.numerator, women.point.denominator, women.change) == (
        30,
        50,
        "+22,5\u00a0pts",
    )
    assert women.anchor == (
        f"/indicators/programs/quality/?place={cast.region.pk}&month=2025-02&range=6"
        "#i-quality-asaco_assembly_women"
    )
    body = response.content.decode()
    assert "Indicators at Bamako, 2025-02" in body
    assert body.index('class="home-summary"') < body.index("Your roles")


def test_the_home_summary_costs_the_same_queries_whatever_the_places(cast, client, assemblies):
    user = cast.user(Role.ME_OFFICER, "above")
    client.force_login(user)
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/").context["summaries"]) == 1
    _grow(cast, communes=3, communities_each=4)
    with CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large) == len(small)


def test_other_roles_homes_have_no_summary(cast, client, assemblies):
    for role in (Role.CHW, Role.CHW_SUPERVISOR):
        client.force_login(cast.user(role))
        response = client.get("/")
        assert response.context["summaries"] == []
        assert 'class="home-summary"' not in response.content.decode()


def test_table_csv_for_french_excel_uses_semicolons_and_decimal_commas(
    cast, manager_client, assemblies
):
    query = {"indicator": WOMEN, "place": str(cast.region.pk), "month": "2025-02", "range": "6"}
    response = manager_client.get("/indicators/export/table.csv", {**query, "dialect": "fr"})
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffindicator;place_code;place;place_kind;month;numerator;")
    lines = body.split("\r\n")
    assert f"{WOMEN};R;Bamako;region;2025-01;60;160;37,5;percent" in lines
    assert f"{WOMEN};R;Bamako;region;2025-02;30;50;60,0;percent" in lines
    plain = manager_client.get("/indicators/export/table.csv", query).content.decode("utf-8")
    assert f"{WOMEN},R,Bamako,region,2025-02,30,50,60.0,percent" in plain.split("\r\n")
    refused = manager_client.get("/indicators/export/table.csv", {**query, "dialect": "de"})
    assert refused.status_code == 400
    assert 'data-field="dialect"' in refused.content.decode()


def test_french_csv_keeps_formulas_neutral_and_numbers_numbers():
    text = csv_text(
        ["name", "amount", "count", "rate", "empty"],
        [["=HYPERLINK(1)", -3.5, -2, Decimal("1.25"), None], ["+223 70", 12.0, 0, "a;b", ""]],
        delimiter=";",
        decimal_comma=True,
    )
    assert text == (
        "\ufeffname;amount;count;rate;empty\r\n"
        "'=HYPERLINK(1);-3,5;-2;1,25;\r\n"
        '\'+223 70;12,0;0;"a;b";\r\n'
    )


@pytest.mark.parametrize(
    ("unit", "change", "text"),
    [
        (Unit.PERCENT, 22.5, "+22,5\u00a0pts"),
        (Unit.PERCENT, -0.04, f"{MINUS}0,0\u00a0pts"),
        (Unit.COUNT, -1.0, f"{MINUS}1"),
        (Unit.COUNT, 0.0, "±0"),
        (Unit.FCFA, 1500.0, f"+1{GROUP_SEPARATOR}500\u00a0FCFA"),
        (Unit.COUNT, None, "—"),
    ],
)
def test_changes_read_as_people_read_them(unit, change, text):
    assert charts.format_change(unit, change) == text


def test_an_open_sparkline_ends_on_a_hollow_point():
    closed = charts.sparkline([1.0, 2.0, 3.0])
    opened = charts.sparkline([1.0, 2.0, 3.0], open_last=True)
    assert 'fill="#0f6b4f" stroke' in closed and 'stroke-dasharray="3 3"' not in closed
    assert 'r="3" fill="#fff"' in opened and 'stroke-dasharray="3 3"' in opened
