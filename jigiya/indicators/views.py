"""Dashboards, run charts, drill-down, reports and exports: read-only pages, scoped to the user.

Every page takes its period from the query string (`month=YYYY-MM`, `range=6|12|18`) and its
place from `place=<id>` (default: the highest place the user may see). Bad input (an unknown
indicator, a malformed or future month, an unknown range, an export over the limit) is answered
with status 400 and a message naming the field; nothing else changes.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache, wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jigiya.accounts.access import access_key, has_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core import pagecache
from jigiya.core.errors import validation_fields
from jigiya.core.periods import Month
from jigiya.donors import selectors as donors
from jigiya.indicators import catalog, charts, exports, runcharts, selectors, summary
from jigiya.indicators.areas import Area
from jigiya.indicators.catalog import Indicator, Program
from jigiya.indicators.params import (
    RUN_CHART_SPANS,
    SPANS,
    Period,
    last_complete_month,
    parse_indicator,
    parse_month,
    parse_period,
    parse_program,
)
from jigiya.indicators.selectors import Point
from jigiya.places.models import HealthCenter, Place

LEAGUE_SIZE = 15
DRILL_ROWS = 100

View = Callable[..., HttpResponse]


def page(view: View) -> View:
    """Signed in, GET only, and bad input answered with a clear message (400)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            context = {"errors": validation_fields(exc), "spans": SPANS, "get": request.GET}
            return render(request, "indicators/refused.html", context, status=400)

    return login_required(require_GET(wrapper))


def _place(request: HttpRequest) -> Place:
    """`place=<id>`, or the highest place the user may see (403 when there is none)."""
    place_id = request.GET.get("place")
    if place_id:
        return selectors.area_get(user=request.user, place_id=place_id).place
    place = selectors.indicator_home_place(user=request.user)
    if place is None:
        raise PermissionDenied
    return place


def _area(request: HttpRequest) -> Area:
    """`health_center=<id>`: a health center located in the user's places (404 otherwise, as for
    `place=`); its figures are the sums over the communities of its health area the user may
    see. Refused (400) beside `place=`: a figure is of one or the other. Otherwise `_place`."""
    center_id = request.GET.get("health_center")
    if not center_id:
        return Area.of(_place(request))
    if request.GET.get("place"):
        raise ValidationError({"health_center": _("Choose a place or a health center, not both.")})
    return selectors.area_get(user=request.user, health_center_id=center_id)


@lru_cache(maxsize=512)
def _path(name: str, args: tuple[Any, ...], prefix: str) -> str:
    """`reverse` once per view, arguments and script prefix: a dashboard asks for ~100 links,
    the same few views each time, and reversing them was a sixth of its time."""
    return reverse(f"indicators:{name}", args=args)


def _url(name: str, *args: Any, **query: Any) -> str:
    url = _path(name, tuple(str(arg) for arg in args), get_script_prefix())
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _program_url(program: str, **query: Any) -> str:
    return _url(f"program_{program}", **query)


def _common(request: HttpRequest, period: Period, area: Area | None = None) -> dict[str, Any]:
    place = area.place if area else None
    return {
        "period": period,
        "spans": SPANS,
        "place": place,
        "center": area.center if area else None,
        "breadcrumbs": (
            selectors.indicator_place_ancestors(user=request.user, place=place) if place else []
        ),
        "programs": list(Program),
        "can_export_records": place is not None
        and has_perm_at(request.user, Perm.EXPORT_RECORDS, place.path),
        "can_see_freshness": selectors.can_see_freshness(request.user),
    }


_status_label = summary.status_label


def _card(
    request: HttpRequest,
    indicator: Indicator,
    series: list[Point],
    area: Area | Place,
    period: Period,
    **charts_: Any,
) -> dict[str, Any]:
    area = area if isinstance(area, Area) else Area.of(area)
    latest = series[-1]
    # A month in progress gets no verdict: its figure is still growing.
    status = indicator.status(latest.value) if period.open_index is None else ""
    # A health center's figures drill down to (and chart) its whole health area.
    query = {"indicator": indicator.code, **area.query, "month": period.month}
    return {
        "indicator": indicator,
        "anchor": summary.card_anchor(indicator),
        "point": latest,
        "previous": series[-2] if len(series) > 1 else None,
        "status": status,
        "status_label": _status_label(status),
        "in_progress": period.open_index is not None,
        # A card with its trend needs no sparkline (the overview and the report show one).
        "spark": ""
        if "trend" in charts_
        else charts.sparkline(
            [point.value for point in series], open_last=period.open_index is not None
        ),
        "drill_url": _url("drill", **query),
        # A run chart needs points: at least its own shortest range.
        "run_chart_url": _url("run_chart", **query, range=max(period.span, RUN_CHART_SPANS[0])),
        "csv_url": _url("table_csv", **query, range=period.span),
        "csv_fr_url": _url("table_csv", **query, range=period.span, dialect=exports.FRENCH),
        "xlsx_url": _url("table_xlsx", **query, range=period.span),
        **charts_,
    }


def _trend(indicator: Indicator, series: list[Point], period: Period) -> str:
    return charts.trend(
        indicator, [(p.month, p.value) for p in series], open_index=period.open_index
    )


@page
def catalog_page(request: HttpRequest) -> HttpResponse:
    by_program = [
        (program, [i for i in catalog.all_indicators() if i.program == program])
        for program in Program
    ]
    return render(request, "indicators/catalog.html", {"by_program": by_program})


def _program_cards(
    request: HttpRequest, area: Area, period: Period, *, trend: bool
) -> list[tuple[Program, list[dict[str, Any]]]]:
    """Each program the user sees at `area`, with a card (and a trend) per indicator."""
    indicators = selectors.visible_indicators(request.user, area.place)
    series = selectors.area_series(
        user=request.user, indicators=indicators, area=area, months=period.months
    )
    return [
        (
            program,
            [
                _card(
                    request,
                    i,
                    series[i.code],
                    area,
                    period,
                    **({"trend": _trend(i, series[i.code], period)} if trend else {}),
                )
                for i in indicators
                if i.program == program
            ],
        )
        for program in Program
        if selectors.sees_program(request.user, program, area.place)
    ]


@page
def overview(request: HttpRequest) -> HttpResponse:
    """All four programs at one place: each indicator's latest value, status and trend."""
    period = parse_period(request.GET.get("month"), request.GET.get("range"))
    area = Area.of(_place(request))
    programs = [
        {
            "program": program,
            "url": _program_url(program, place=area.pk, month=period.month, range=period.span),
            "cards": cards,
        }
        for program, cards in _program_cards(request, area, period, trend=False)
    ]
    context = _common(request, period, area) | {"program_rows": programs}
    return render(request, "indicators/overview.html", context)


def _bars(
    indicator: Indicator,
    values: dict[Any, Point],
    places: Sequence[Place | HealthCenter],
    url: Callable[[Any], str],
) -> list[charts.Bar]:
    return [
        charts.Bar(
            where.name,
            values[where.pk].value,
            indicator.status(values[where.pk].value),
            url(where.pk),
        )
        for where in places
    ]


def _league(centers: Sequence[HealthCenter], values: dict[Any, Point]) -> list[HealthCenter]:
    """Health centers best first (no figure last, then by name)."""
    return sorted(
        centers,
        key=lambda c: (values[c.pk].value is None, -(values[c.pk].value or 0), c.name),
    )


@page
def program_dashboard(request: HttpRequest, program: str) -> HttpResponse:
    """One program at one place: trend with target, bars by place below, league of centers."""
    period = parse_period(request.GET.get("month"), request.GET.get("range"))
    user = request.user
    place = _place(request)
    if "place" not in request.GET and not selectors.sees_program(user, program, place):
        # A partner whose donor funds the program below its home place lands where it is funded.
        place = donors.program_home_place(user, program) or place
    selectors.require_program(user, program, place)
    area = Area.of(place)
    indicators = [i for i in catalog.all_indicators() if i.program == program]
    month = period.month.first_day
    series = selectors.area_series(
        user=user, indicators=indicators, area=area, months=period.months
    )
    children, by_child = selectors.children_values(
        user=user, indicators=indicators, area=area, month=month
    )
    centers, by_center = selectors.health_center_values(
        user=user, indicators=indicators, month=month, within=place
    )
    span = {"month": period.month, "range": period.span}
    # Every card links the same places and mostly the same centers: each link is made once.
    to_child = {c.pk: _program_url(program, place=c.pk, **span) for c in children}
    center_url = cache(lambda pk: _url("health_center", pk, **span))
    cards = []
    for i in indicators:
        child_bars = _bars(i, by_child[i.code], children, to_child.__getitem__)
        shown = _league(centers, by_center[i.code])[:LEAGUE_SIZE]  # a bar and a link each
        league = _bars(i, by_center[i.code], shown, center_url)
        cards.append(
            _card(
                request,
                i,
                series[i.code],
                area,
                period,
                trend=_trend(i, series[i.code], period),
                bars=charts.bars(i, child_bars) if child_bars else "",
                league=charts.bars(i, league, ranked=True) if league else "",
                league_more=max(len(centers) - LEAGUE_SIZE, 0),
            )
        )
    context = _common(request, period, area) | {
        "program": Program(program),
        "summary": summary.program_summaries(
            [Program(program)], indicators, series, area, period, on_dashboard=True
        )[0],
        "cards": cards,
        "children": children,
    }
    return render(request, "indicators/program.html", context)


def _area_dashboard(request: HttpRequest, area: Area, template: str) -> HttpResponse:
    """Every indicator of one area with its trend, and the places it drills down to. The cards
    (the page's cost) are cached a few seconds (core.pagecache) under the user, her access,
    the language, the area and the period: the figures the worker refreshes within seconds
    show here at most JIGIYA_PAGE_CACHE_SECONDS later."""
    period = parse_period(request.GET.get("month"), request.GET.get("range"))

    def cards() -> str:
        by_program = _program_cards(request, area, period, trend=True)
        return render_to_string("indicators/_trend_cards.html", {"by_program": by_program})

    where = (area.place.pk, area.center.pk if area.center else None)
    key = ("indicators.cards", access_key(request.user), get_language(), where, period.query)
    context = _common(request, period, area) | {
        "cards": pagecache.fragment(key, cards),
        "children": selectors.places_below(user=request.user, area=area),
    }
    return render(request, template, context)


@page
def place_dashboard(request: HttpRequest, place_id: str) -> HttpResponse:
    """Every indicator of one place (a community, or any place above), with its trend."""
    area = selectors.area_get(user=request.user, place_id=place_id)
    return _area_dashboard(request, area, "indicators/place.html")


@page
def health_center_dashboard(request: HttpRequest, health_center_id: str) -> HttpResponse:
    """Every indicator of one health center: the sum over the communities of its health area."""
    area = selectors.area_get(user=request.user, health_center_id=health_center_id)
    return _area_dashboard(request, area, "indicators/health_center.html")


@page
def run_chart(request: HttpRequest) -> HttpResponse:
    """One indicator over time with its median and the two run-chart signals."""
    period = parse_period(
        request.GET.get("month"), request.GET.get("range") or "24", spans=RUN_CHART_SPANS
    )
    area = _area(request)
    indicator = _indicator_or_first(request, area.place)
    series = selectors.area_series(
        user=request.user, indicators=[indicator], area=area, months=period.months
    )[indicator.code]
    # The month in progress is drawn, not analysed: its figure is still growing.
    known = [
        (index, p.value)
        for index, p in enumerate(series)
        if p.value is not None and index != period.open_index
    ]
    analysis = runcharts.analyse([value for _index, value in known])
    # The analysis indexes known points only; map its shift back to the series' months.
    marked = {known[index][0] for index in analysis.shift_points()}
    chart = charts.trend(
        indicator,
        [(p.month, p.value) for p in series],
        median=analysis.median,
        marked=marked,
        open_index=period.open_index,
    )
    context = _common(request, period, area) | {
        "indicator": indicator,
        "indicators": selectors.visible_indicators(request.user, area.place),
        "series": series,
        "analysis": analysis,
        "chart": chart,
        "spans": RUN_CHART_SPANS,
    }
    return render(request, "indicators/run_chart.html", context)


def _indicator_or_first(request: HttpRequest, place: Place) -> Indicator:
    """`indicator=`, else the first the user sees at `place` (a partner: of a funded program)."""
    code = request.GET.get("indicator")
    if code is None:
        first = next(iter(selectors.visible_indicators(request.user, place)), None)
        if first is None:
            if not catalog.all_indicators():
                raise Http404(_("The catalog has no indicator yet."))
            raise PermissionDenied  # a partner whose donor funds nothing here
        return first
    return parse_indicator(code)


def _month_or_last_complete(request: HttpRequest) -> Month:
    text = request.GET.get("month")
    return parse_month(text) if text else last_complete_month()


@page
def drill(request: HttpRequest) -> HttpResponse:
    """The records behind a figure (when the program gives them and the user may see them),
    otherwise the figure broken down by the places below and by its stored breakdowns.
    With `health_center=`: the figure of its health area, by its communities."""
    month = _month_or_last_complete(request)
    area = _area(request)
    indicator = _indicator_or_first(request, area.place)
    user = request.user
    point = selectors.area_series(
        user=user, indicators=[indicator], area=area, months=[month.first_day]
    )[indicator.code][0]
    records = selectors.drill_records(
        user=user, indicator=indicator, area=area, month=month.first_day
    )
    period = Period(month)
    status = indicator.status(point.value) if period.open_index is None else ""
    context = _common(request, period, area) | {
        "indicator": indicator,
        "month": month,
        "point": point,
        "status": status,
        "status_label": _status_label(status),
    }
    if records is not None:
        context |= _drill_records(request, indicator, area, month, records)
        context |= _drill_missing(request, indicator, area, month)
    else:
        context |= _drill_places(request, indicator, area, month)
    return render(request, "indicators/drill.html", context)


def _drill_records(
    request: HttpRequest, indicator: Indicator, area: Area, month: Month, records: QuerySet
) -> dict[str, Any]:
    """The first records behind the figure, their count, and the export link when allowed."""
    rows = list(
        exports.record_rows(records[:DRILL_ROWS], indicator.record_columns, pseudonyms=False)
    )
    may_export = selectors.can_export_records(user=request.user, area=area)
    query = {"indicator": indicator.code, **area.query, "month": month, "format": "csv"}
    return {
        "columns": indicator.record_columns,
        "rows": rows,
        "labelled_rows": _labelled(indicator, rows),
        "count": records.count(),
        "export_url": _url("records_export", **query, dialect=exports.FRENCH) if may_export else "",
        "export_plain_url": _url("records_export", **query) if may_export else "",
    }


def _drill_missing(
    request: HttpRequest, indicator: Indicator, area: Area, month: Month
) -> dict[str, Any]:
    """Who is missing from a rate's numerator (the first of them, and their count)."""
    missing = selectors.drill_missing(
        user=request.user, indicator=indicator, area=area, month=month.first_day
    )
    if missing is None:
        return {}
    rows = exports.record_rows(missing[:DRILL_ROWS], indicator.record_columns, pseudonyms=False)
    return {"missing_rows": _labelled(indicator, rows), "missing_count": missing.count()}


def _labelled(indicator: Indicator, rows: Iterable[list[Any]]) -> list[list[tuple[Any, Any]]]:
    """(label, value) per cell: on a phone each row is a card with its labels."""
    labels = [column.label for column in indicator.record_columns]
    return [list(zip(labels, row, strict=True)) for row in rows]


def _drill_places(
    request: HttpRequest, indicator: Indicator, area: Area, month: Month
) -> dict[str, Any]:
    """The figure by the places below the area, and by its stored breakdowns."""
    user = request.user
    children, by_child = selectors.children_values(
        user=user, indicators=[indicator], area=area, month=month.first_day
    )
    return {
        "children": [
            (
                child,
                by_child[indicator.code][child.pk],
                _url("drill", indicator=indicator.code, place=child.pk, month=month),
            )
            for child in children
        ],
        "breakdowns": selectors.breakdown_values(
            user=user, indicator=indicator, area=area, month=month.first_day
        ),
    }


@page
def table_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Indicator tables (one indicator, one program's, or all) for a place and the places
    directly below it, or for a health center and the communities of its health area, month by
    month, as CSV or XLSX."""
    code = request.GET.get("indicator")
    program = parse_program(request.GET.get("program"))
    if code:
        indicators = [parse_indicator(code)]
    else:
        indicators = [i for i in catalog.all_indicators() if not program or i.program == program]
    period = parse_period(request.GET.get("month"), request.GET.get("range"))
    area = _area(request)
    if program and not code:  # refused even when the program has no indicator yet
        selectors.require_program(request.user, program, area.place)
    elif not code:
        visible = {i.code for i in selectors.visible_indicators(request.user, area.place)}
        indicators = [i for i in indicators if i.code in visible]
    rows = selectors.indicator_table(
        user=request.user, indicators=indicators, area=area, months=period.months
    )
    exports.check_size(len(rows))
    return exports.respond(
        exports.TABLE_HEADER,
        exports.table_rows(rows),
        filename=f"indicators-{area.code}-{period.month}",
        fmt=fmt,
        dialect=exports.parse_dialect(request.GET.get("dialect")),
    )


@page
def records_export(request: HttpRequest) -> HttpResponse:
    """The records behind an indicator, for staff who may export records; names and phone
    numbers replaced by pseudonyms on request. Without an indicator: the form (of a place)."""
    area = _area(request)
    if not selectors.can_export_records(user=request.user, area=area):
        raise PermissionDenied
    code = request.GET.get("indicator")
    if not code and area.center is None:
        context = _common(request, Period(last_complete_month()), area) | {
            "indicators": [i for i in catalog.all_indicators() if i.records is not None],
        }
        return render(request, "indicators/records_export.html", context)
    indicator = parse_indicator(code)
    month = parse_month(request.GET.get("month"))
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": _("Choose CSV or XLSX.")})
    records = selectors.export_records(
        user=request.user, indicator=indicator, area=area, month=month.first_day
    )
    exports.check_size(records.count())
    return exports.respond(
        exports.record_header(indicator.record_columns),
        exports.record_rows(
            records.iterator(chunk_size=2000),
            indicator.record_columns,
            pseudonyms=request.GET.get("pseudonyms") in ("1", "on", "true"),
        ),
        filename=f"records-{indicator.code}-{area.code}-{month}",
        fmt=fmt,
        dialect=exports.parse_dialect(request.GET.get("dialect")),
    )


@page
def community_report(request: HttpRequest, place_id: str) -> HttpResponse:
    """The printable monthly report of one community (or any place): every indicator."""
    area = selectors.area_get(user=request.user, place_id=place_id)
    period = parse_period(request.GET.get("month"), "12")
    context = _common(request, period, area) | {
        "by_program": _program_cards(request, area, period, trend=False),
        "printed_on": datetime.date.today(),
    }
    return render(request, "indicators/community_report.html", context)


@page
def donor_list(request: HttpRequest) -> HttpResponse:
    context = {
        "donors": donors.donor_list(user=request.user),
        "can_manage": donors.can_manage_donors(request.user),
    }
    return render(request, "indicators/donor_list.html", context)


@page
def donor_report(request: HttpRequest, donor_id: str) -> HttpResponse:
    """What one donor funds: each funding's program indicators at its place, aggregates only."""
    donor = donors.donor_get(user=request.user, donor_id=donor_id)
    period = parse_period(request.GET.get("month"), request.GET.get("range"))
    sections = selectors.donor_report(user=request.user, donor=donor, months=period.months)
    for section in sections:
        section.cards = [
            _card(
                request,
                i,
                section.series[i.code],
                section.place,
                period,
                trend=charts.trend(i, [(p.month, p.value) for p in section.series[i.code]]),
            )
            for i in section.indicators
            if section.series
        ]
    context = _common(request, period) | {"donor": donor, "sections": sections}
    return render(request, "indicators/donor_report.html", context)


@page
def freshness(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/freshness.html",
        {"freshness": selectors.freshness(user=request.user)},
    )
