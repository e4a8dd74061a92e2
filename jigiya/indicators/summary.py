"""The one-screen summary that opens a program dashboard and a manager's home page: for every
indicator of a program, the month's value with its numerator and denominator, the target, the
status, the change from the month before and a sparkline of the period.

Built from series already read (`selectors.area_series`): no query of its own, so a dashboard
keeps its fixed number of queries."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor
from jigiya.indicators import charts, selectors
from jigiya.indicators.areas import Area
from jigiya.indicators.catalog import Direction, Indicator, Program
from jigiya.indicators.params import Period, last_complete_month
from jigiya.indicators.selectors import Point
from jigiya.places.models import Place


@dataclass(frozen=True)
class SummaryRow:
    indicator: Indicator
    point: Point
    previous: Point | None
    status: str
    status_label: str
    change: str  # as people read it: "+3,2 pts", "\u221212", "—"
    trend: str  # "better", "worse" or "" (no target, no change, or no two values)
    spark: SafeString
    drill_url: str
    anchor: str  # the id of the indicator's detail card


@dataclass(frozen=True)
class ProgramSummary:
    program: Program
    rows: list[SummaryRow]
    dashboard_url: str


def status_label(status: str) -> str:
    return {
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "off_track": _("off track"),
    }.get(status, "")


@lru_cache(maxsize=8)
def _path(name: str, prefix: str) -> str:
    return reverse(name)


def _drill_path() -> str:
    """`reverse` once per script prefix: a manager's home has forty lines."""
    return _path("indicators:drill", get_script_prefix())


def card_anchor(indicator: Indicator) -> str:
    return "i-" + indicator.code.replace(".", "-")


def _change(indicator: Indicator, now: Point, before: Point | None) -> tuple[float | None, str]:
    """The change in the displayed value, and whether it goes the target's way."""
    if before is None or now.value is None or before.value is None:
        return None, ""
    change = now.value - before.value
    if indicator.target is None or abs(change) < 1e-9:
        return change, ""
    up_is_good = indicator.target.direction == Direction.UP
    return change, "better" if (change > 0) == up_is_good else "worse"


def summary_row(
    indicator: Indicator, series: list[Point], area: Area, period: Period, anchor: str = ""
) -> SummaryRow:
    """One indicator's line: `series` ends with the period's month."""
    point = series[-1]
    previous = series[-2] if len(series) > 1 else None
    # A month in progress gets no verdict: its figure is still growing.
    status = indicator.status(point.value) if period.open_index is None else ""
    change, trend = _change(indicator, point, previous)
    query = {"indicator": indicator.code, **area.query, "month": str(period.month)}
    return SummaryRow(
        indicator=indicator,
        point=point,
        previous=previous,
        status=status,
        status_label=status_label(status),
        change=charts.format_change(indicator.unit, change),
        trend=trend,
        spark=charts.sparkline(
            [p.value for p in series],
            open_last=period.open_index is not None,
            label=_("%(indicator)s over %(months)s months")
            % {"indicator": indicator.name, "months": len(series)},
        ),
        drill_url=f"{_drill_path()}?{urlencode(query)}",
        anchor=anchor or "#" + card_anchor(indicator),
    )


def program_summaries(
    programs: list[Program],
    indicators: list[Indicator],
    series: dict[str, list[Point]],
    area: Area,
    period: Period,
    *,
    on_dashboard: bool,
) -> list[ProgramSummary]:
    """A summary per program from its indicators' series. On the dashboard each line links to
    its card below; elsewhere, to that card on the program's dashboard."""
    query: dict[str, Any] = {**area.query, "month": str(period.month), "range": period.span}
    summaries = []
    for program in programs:
        url = f"{_path(f'indicators:program_{program}', get_script_prefix())}?{urlencode(query)}"
        rows = [
            summary_row(
                i,
                series[i.code],
                area,
                period,
                anchor=("" if on_dashboard else url) + "#" + card_anchor(i),
            )
            for i in indicators
            if i.program == program
        ]
        summaries.append(ProgramSummary(program, rows, url))
    return summaries


@dataclass(frozen=True)
class PlaceSummary:
    place: Place
    period: Period
    programs: list[ProgramSummary]


HOME_PLACES = 3  # a manager's home shows the summaries of at most this many of her places
HOME_SPAN = 6  # months in a home summary's sparklines


def home_summaries(*, user: Actor, places: Sequence[Place]) -> list[PlaceSummary]:
    """For a manager's or an M&E officer's home: at each of her places (the first
    `HOME_PLACES`), the summary of every program she sees there, for the last complete month.
    One query of values per place, whatever the number of programs and indicators."""
    period = Period(last_complete_month(), HOME_SPAN)
    summaries = []
    for place in list(places)[:HOME_PLACES]:
        area = Area.of(place)
        indicators = selectors.visible_indicators(user, place)
        if not indicators:
            continue
        series = selectors.area_series(
            user=user, indicators=indicators, area=area, months=period.months
        )
        programs = [p for p in Program if any(i.program == p for i in indicators)]
        summaries.append(
            PlaceSummary(
                place,
                period,
                program_summaries(programs, indicators, series, area, period, on_dashboard=False),
            )
        )
    return summaries
