import datetime

from jigiya.indicators import catalog, charts

WOMEN = catalog.get("quality.asaco_assembly_women")
HELD = catalog.get("quality.asaco_assemblies")
MONTHS = [datetime.date(2025, month, 1) for month in (1, 2, 3)]


def test_values_read_as_people_write_them():
    assert charts.format_value("percent", 37.5) == "37,5\u00a0%"
    assert charts.format_value("count", 1234) == "1\u00a0234"
    assert charts.format_value("fcfa", 12500) == "12\u00a0500\u00a0FCFA"
    assert charts.format_value("percent", None) == "—"


def test_trend_draws_the_target_and_leaves_gaps_for_missing_values():
    svg = charts.trend(WOMEN, list(zip(MONTHS, [40.0, None, 60.0], strict=True)))
    assert svg.startswith('<svg class="chart trend"')
    assert 'stroke-dasharray="6 4"' in svg  # target 50 %
    assert svg.count("<circle") == 2
    assert "<polyline" not in svg  # no two consecutive known points: nothing to join


def test_run_chart_marks_the_points_of_a_shift():
    svg = charts.trend(
        HELD, list(zip(MONTHS, [1.0, 2.0, 3.0], strict=True)), median=2.0, marked={0}
    )
    assert svg.count(f'fill="{charts.SIGNAL}"') == 1
    assert "médiane" in svg or "median" in svg


def test_bars_colour_by_status_and_escape_names():
    svg = charts.bars(
        WOMEN,
        [charts.Bar("<A>", 55.0, "on_track", "/x?a=1&b=2"), charts.Bar("B", 30.0, "off_track")],
        ranked=True,
    )
    assert "1. &lt;A&gt;" in svg and "<A>" not in svg
    assert 'href="/x?a=1&amp;b=2"' in svg
    assert f'fill="{charts.COLOURS["on_track"]}"' in svg
    assert f'fill="{charts.COLOURS["off_track"]}"' in svg
