"""Reads of indicator values for dashboards, reports, exports and DHIS2, scoped to the user."""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    EVERYWHERE,
    Actor,
    get_in_scope,
    has_perm_anywhere,
    has_perm_at,
    require_perm_at,
    scope_paths,
    scope_q,
)
from jigiya.accounts.roles import Perm
from jigiya.donors import selectors as donors
from jigiya.donors.models import Donor, Funding
from jigiya.donors.selectors import program_paths, require_program, sees_program
from jigiya.indicators import catalog
from jigiya.indicators.areas import HEALTH_CENTER, PLACE, Area
from jigiya.indicators.catalog import Indicator, Program
from jigiya.indicators.engine import PLACES
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.places.models import HealthCenter, Place


@dataclass(frozen=True)
class Point:
    month: datetime.date
    numerator: int
    denominator: int | None
    value: float | None


def _point(indicator: Indicator, month: datetime.date, n: int | None, d: int | None) -> Point:
    return Point(month, n or 0, d, indicator.value(n or 0, d))


# --- What a partner sees: `donors.selectors` says where; these apply it to values ---------


def _program_q(user: Actor, indicators: Sequence[Indicator], path_field: str = "place__path") -> Q:
    """Stored values of `indicators` at the places where the user sees each one's program."""
    codes: dict[str, list[str]] = {}
    for indicator in indicators:
        codes.setdefault(indicator.program, []).append(indicator.code)
    q = Q(pk__in=[])
    for program, program_codes in codes.items():
        paths = program_paths(user, program)
        if paths:
            where = reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in paths))
            q |= Q(indicator__in=program_codes) & where
    return q


def visible_indicators(user: Actor, place: Place) -> list[Indicator]:
    """The catalog's indicators whose program the user sees at `place`."""
    programs = {program for program in Program if sees_program(user, program, place)}
    return [i for i in catalog.all_indicators() if i.program in programs]


# --- Figures of an area: dashboards, drill-down, reports, exports, the API and DHIS2 ------

PROGRAM_PERMS: dict[str, Perm] = {
    Program.HEALTH: Perm.HEALTH_VIEW,
    Program.SAVINGS: Perm.SAVINGS_VIEW,
    Program.COOPERATIVES: Perm.COOPERATIVES_VIEW,
    Program.QUALITY: Perm.QUALITY_VIEW,
}

# (indicator code, area key, month, breakdown) → (numerator, denominator)
Stored = dict[tuple[str, tuple[str, Any], datetime.date, str], tuple[int, int | None]]


def _stored(
    indicators: Sequence[Indicator],
    areas: Sequence[Area],
    months: Collection[datetime.date],
    *,
    within: Q,
    breakdowns: Collection[str] | None = ("",),
) -> Stored:
    """The stored figures of `indicators` at `areas`, one query per kind of area: a place's rows
    as stored; a health area's the sum over its communities matching `within` (the one place
    where a health area is summed). `breakdowns=None`: every breakdown but the total, in order."""
    codes = [i.code for i in indicators]
    places = [area.place.pk for area in areas if area.center is None]
    centers = [area.center.pk for area in areas if area.center is not None]
    values = IndicatorValue.objects.filter(indicator__in=codes, month__in=months)
    if breakdowns is None:
        values = values.exclude(breakdown="").order_by("breakdown")
    else:
        values = values.filter(breakdown__in=breakdowns)
    found: Stored = {}
    if codes and places:
        for code, place_id, month, breakdown, n, d in values.filter(
            place_id__in=places
        ).values_list("indicator", "place_id", "month", "breakdown", "numerator", "denominator"):
            found[(code, (PLACE, place_id), month, breakdown)] = (n, d)
    if codes and centers:
        sums = (
            values.filter(within, place__health_center_id__in=centers)
            .values("indicator", "place__health_center_id", "month", "breakdown")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
        )
        for row in sums if breakdowns is None else sums.order_by():
            key = (HEALTH_CENTER, row["place__health_center_id"])
            found[(row["indicator"], key, row["month"], row["breakdown"])] = (row["n"], row["d"])
    return found


def _within(user: Actor, indicators: Sequence[Indicator], areas: Sequence[Area]) -> Q:
    """What a health area's sum covers for `user`: its communities in the user's places (for a
    partner: where its donor funds each indicator's program). Read only for a health area."""
    if all(area.center is None for area in areas):
        return Q()
    return _program_q(user, indicators)


def _figure(
    stored: Stored, indicator: Indicator, area: Area, month: datetime.date, breakdown: str = ""
) -> Point:
    n, d = stored.get((indicator.code, area.key, month, breakdown), (0, None))
    return _point(indicator, month, n, d)


def area_get(*, user: Actor, place_id: Any = None, health_center_id: Any = None) -> Area:
    """The place (`place_id`) or the health center (`health_center_id`) whose figures the user
    may see — a health center located in the user's places — or 404 (also for a malformed id)."""
    if health_center_id is not None:
        center = get_in_scope(
            HealthCenter.objects.select_related("place"),
            user,
            Perm.INDICATORS_VIEW,
            "place__path",
            pk=health_center_id,
        )
        return Area.of(center)
    place = get_in_scope(
        Place.objects.select_related("parent"), user, Perm.INDICATORS_VIEW, "path", pk=place_id
    )
    return Area.of(place)


def indicator_home_place(*, user: Actor) -> Place | None:
    """Where the user's dashboards start: the highest place they may see (None: nowhere)."""
    paths = scope_paths(user, Perm.INDICATORS_VIEW)
    if not paths:
        return None
    if EVERYWHERE in paths:
        return Place.objects.filter(parent__isnull=True).order_by("name").first()
    return Place.objects.filter(path__in=paths).order_by("depth", "name").first()


def indicator_place_ancestors(*, user: Actor, place: Place) -> list[tuple[Place, bool]]:
    """The places above `place`, root first, and whether the user may open each one."""
    ids = place.ancestor_ids()[:-1]
    above = Place.objects.filter(pk__in=ids).order_by("depth")
    return [(p, has_perm_at(user, Perm.INDICATORS_VIEW, p.path)) for p in above]


def area_places(*, user: Actor, area: Area) -> list[Place]:
    """The places whose records make up the area's figure that the user may see: a place
    itself; the communities of a health area in the user's places (one query)."""
    if area.center is None:
        return [area.place]
    return list(
        Place.objects.filter(
            scope_q(user, Perm.INDICATORS_VIEW), health_center=area.center
        ).order_by("name")
    )


def places_below(*, user: Actor, area: Area) -> list[Place]:
    """What an area's figure drills down to: the active places directly below a place, the
    communities of a health area; those in the user's places, by name (one query)."""
    if area.center is not None:
        return area_places(user=user, area=area)
    return list(
        Place.objects.filter(parent=area.place, is_active=True)
        .filter(scope_q(user, Perm.INDICATORS_VIEW))
        .order_by("name")
    )


def _require_figures(user: Actor, indicators: Sequence[Indicator], area: Area) -> None:
    """The check of every read of an area's figures: the user sees indicators there, and each
    indicator's program (403 otherwise: a partner where its donor does not fund it)."""
    require_perm_at(user, Perm.INDICATORS_VIEW, area)
    for program in {i.program for i in indicators}:
        require_program(user, program, area.place)


def area_series(
    *, user: Actor, indicators: Sequence[Indicator], area: Area, months: list[datetime.date]
) -> dict[str, list[Point]]:
    """For each indicator, one point per month for `area` (zero where nothing was recorded).
    One query whatever the number of indicators. Refuses (403) an indicator whose program the
    user does not see at the area (a partner: where its donor does not fund it)."""
    _require_figures(user, indicators, area)
    return _series(user, indicators, area, months)


def _series(
    user: Actor, indicators: Sequence[Indicator], area: Area, months: list[datetime.date]
) -> dict[str, list[Point]]:
    stored = _stored(indicators, [area], months, within=_within(user, indicators, [area]))
    return {i.code: [_figure(stored, i, area, month) for month in months] for i in indicators}


def series_by_indicator(
    *, user: Actor, indicators: Sequence[Indicator], place: Place, months: list[datetime.date]
) -> dict[str, list[Point]]:
    """The series of a place for the donor report, whose own rule (the donor's fundings in the
    user's places) says which programs it shows."""
    require_perm_at(user, Perm.INDICATORS_VIEW, place)
    return _series(user, indicators, Area.of(place), months)


def children_values(
    *, user: Actor, indicators: Sequence[Indicator], area: Area, month: datetime.date
) -> tuple[list[Place], dict[str, dict[Any, Point]]]:
    """The places below `area` (`places_below`) where the user sees every indicator's program,
    and each indicator's value there. Two queries whatever the number of places and indicators."""
    _require_figures(user, indicators, area)
    children = [
        child
        for child in places_below(user=user, area=area)
        if all(sees_program(user, i.program, child) for i in indicators)
    ]
    areas = [Area.of(child) for child in children]
    stored = _stored(indicators, areas, [month], within=Q())
    return children, {
        i.code: {a.pk: _figure(stored, i, a, month) for a in areas} for i in indicators
    }


def health_center_values(
    *, user: Actor, indicators: Sequence[Indicator], month: datetime.date, within: Place
) -> tuple[list[HealthCenter], dict[str, dict[Any, Point]]]:
    """Health centers located within `within` and each indicator's value there (the sum over
    the communities of its health area that the user may see). Two queries."""
    _require_figures(user, indicators, Area.of(within))
    centers = list(
        HealthCenter.objects.filter(
            scope_q(user, Perm.INDICATORS_VIEW, "place__path"), place__path__startswith=within.path
        )
        .select_related("place")
        .order_by("name")
    )
    areas = [Area.of(center) for center in centers]
    stored = _stored(indicators, areas, [month], within=_within(user, indicators, areas))
    return centers, {
        i.code: {a.pk: _figure(stored, i, a, month) for a in areas} for i in indicators
    }


def breakdown_values(
    *, user: Actor, indicator: Indicator, area: Area, month: datetime.date
) -> list[tuple[str, Point]]:
    """The stored breakdowns of a figure (sex, age band…), beside its total."""
    _require_figures(user, [indicator], area)
    stored = _stored(
        [indicator], [area], [month], within=_within(user, [indicator], [area]), breakdowns=None
    )
    return [
        (breakdown, _figure(stored, indicator, area, month, breakdown))
        for (_code, _key, _month, breakdown) in stored
    ]


def can_see_records(*, user: Actor, indicator: Indicator, place: Place) -> bool:
    """Record-level drill-down: the indicator has a hook and the user may see the program's
    records at `place` (a partner never may: aggregates only)."""
    return indicator.records is not None and has_perm_at(
        user, PROGRAM_PERMS[indicator.program], place.path
    )


def drill_records(
    *, user: Actor, indicator: Indicator, area: Area, month: datetime.date
) -> QuerySet | None:
    """The records behind one figure: those of its place, or of every community of a health
    area the user may see. None (aggregates only: the figure drills down to its places) unless
    the indicator gives records and the user may see the program's records in each of those
    places, so that the records always add up to the figure shown."""
    _require_figures(user, [indicator], area)
    places = area_places(user=user, area=area)
    if not places or not all(
        can_see_records(user=user, indicator=indicator, place=p) for p in places
    ):
        return None
    assert indicator.records is not None
    return reduce(or_, (indicator.records(user, p, month) for p in places))


def drill_missing(
    *, user: Actor, indicator: Indicator, area: Area, month: datetime.date
) -> QuerySet | None:
    """For a rate whose program gives them: the denominator's records missing from the
    numerator (who is still to be seen), under the same rule as `drill_records` (the program's
    view permission in every place of the figure). None otherwise."""
    _require_figures(user, [indicator], area)
    if indicator.missing is None:
        return None
    places = area_places(user=user, area=area)
    if not places or not all(
        can_see_records(user=user, indicator=indicator, place=p) for p in places
    ):
        return None
    return reduce(or_, (indicator.missing(user, p, month) for p in places))


def can_export_records(*, user: Actor, area: Area) -> bool:
    """`EXPORT_RECORDS` at the place, or in every community of a health area the user sees."""
    places = area_places(user=user, area=area)
    return bool(places) and all(has_perm_at(user, Perm.EXPORT_RECORDS, p.path) for p in places)


def export_records(
    *, user: Actor, indicator: Indicator, area: Area, month: datetime.date
) -> QuerySet:
    """Records for a record-level export: needs `EXPORT_RECORDS` (`can_export_records`, 403
    otherwise), an indicator with a records hook (400) and the program's view permission in
    each place of the figure (403)."""
    require_perm_at(user, Perm.INDICATORS_VIEW, area)
    if not can_export_records(user=user, area=area):
        raise PermissionDenied
    if indicator.records is None:
        raise ValidationError(
            {"indicator": _("This indicator has no records to export: export its table.")}
        )
    records = drill_records(user=user, indicator=indicator, area=area, month=month)
    if records is None:
        raise PermissionDenied
    return records


@dataclass(frozen=True)
class TableRow:
    indicator: Indicator
    area: Area  # a health center's row is the sum over its health area
    point: Point


def indicator_table(
    *, user: Actor, indicators: Sequence[Indicator], area: Area, months: list[datetime.date]
) -> list[TableRow]:
    """The tables of the dashboards as rows: each indicator for `area`, then for each place
    below it (`places_below`) where the user sees the indicator's program, for each month (zero
    where nothing was recorded)."""
    _require_figures(user, indicators, area)
    below = [Area.of(p) for p in places_below(user=user, area=area)]
    areas = [area, *below]
    stored = _stored(indicators, areas, months, within=_within(user, indicators, areas))
    return [
        TableRow(i, a, _figure(stored, i, a, month))
        for i in indicators
        for a in areas
        if a is area or sees_program(user, i.program, a.place)
        for month in months
    ]


def indicator_values(
    *,
    user: Actor,
    indicator: Indicator,
    months: list[datetime.date],
    place: Place | None = None,
    children: bool = False,
    breakdown: str | None = "",
) -> QuerySet[IndicatorValue]:
    """Stored values of one indicator in the user's places (for the API): of `place` (or of the
    places directly below it with `children`), or of every place the user may see; one
    breakdown ("" the total) or all of them (None)."""
    values = IndicatorValue.objects.filter(
        _program_q(user, [indicator]),
        month__in=months,
    )
    if place is not None:
        require_perm_at(user, Perm.INDICATORS_VIEW, place)
        require_program(user, indicator.program, place)
        values = values.filter(place__parent=place) if children else values.filter(place=place)
    if breakdown is not None:
        values = values.filter(breakdown=breakdown)
    return values.select_related("place").order_by("place__path", "month", "breakdown", "id")


def _sees_whole(user: Actor, perm: Perm, paths: Sequence[str]) -> bool:
    return user is None or all(has_perm_at(user, perm, path) for path in paths)


def _sees_program_in(user: Actor, program: str, paths: Sequence[str]) -> bool:
    if user is None:
        return True
    allowed = program_paths(user, program)
    return all(any(path.startswith(prefix) for prefix in allowed) for path in paths)


def whole_area_figures(
    *,
    user: Actor,
    areas: Sequence[Area],
    indicators: Sequence[Indicator],
    month: datetime.date,
    breakdowns: Collection[str],
    perm: Perm = Perm.INDICATORS_VIEW,
) -> dict[Area, dict[str, dict[str, Point]]]:
    """The figures of `areas` that `user` sees whole (for DHIS2): by area, indicator and
    breakdown (zero where nothing was recorded). An area is left out unless the user holds
    `perm` at its place and, for a health area, in every one of its communities (a partial sum
    would be a wrong figure, a full one a leak); an indicator, unless the user sees its program
    there (a partner: where its donor funds it). `user=None` is the system (a command): it sees
    everything. A fixed number of queries: the health areas' communities, one per kind of area."""
    if not indicators:
        return {}
    areas = [area for area in areas if _sees_whole(user, perm, [area.path])]
    paths = _community_paths([area.center for area in areas if area.center is not None])
    covered = {
        area: [area.path] if area.center is None else paths.get(area.center.pk, [])
        for area in areas
    }
    shown = [area for area in areas if _sees_whole(user, perm, covered[area])]
    stored = _stored(indicators, shown, [month], within=Q(), breakdowns=breakdowns)
    return {
        area: {
            i.code: {b: _figure(stored, i, area, month, b) for b in breakdowns}
            for i in indicators
            if _sees_program_in(user, i.program, covered[area])
        }
        for area in shown
    }


def _community_paths(centers: Sequence[HealthCenter]) -> dict[Any, list[str]]:
    """The paths of every community of each health area (whoever may see them): one query."""
    paths: dict[Any, list[str]] = {}
    if centers:
        for center_id, path in Place.objects.filter(
            health_center_id__in=[center.pk for center in centers]
        ).values_list("health_center_id", "path"):
            paths.setdefault(center_id, []).append(path)
    return paths


def breakdown_is_stored(*, code: str, breakdown: str) -> bool:
    """Some value of the indicator is stored with this breakdown (a DHIS2 mapping's check)."""
    return IndicatorValue.objects.filter(indicator=code, breakdown=breakdown).exists()


def stored_breakdowns(*, code: str, limit: int = 50) -> list[str]:
    """Up to `limit` breakdowns stored for the indicator (not the total), sorted."""
    values = IndicatorValue.objects.filter(indicator=code).exclude(breakdown="")
    return sorted(set(values.values_list("breakdown", flat=True).distinct()[:limit]))


# --- Donors ------------------------------------------------------------------------------


@dataclass
class FundedSection:
    funding: Funding
    place: Place
    months: list[datetime.date]
    indicators: list[Indicator]
    series: dict[str, list[Point]] = field(default_factory=dict)
    cards: list[dict[str, Any]] = field(default_factory=list)  # filled by the view


def donor_report(*, user: Actor, donor: Donor, months: list[datetime.date]) -> list[FundedSection]:
    """For each funding of `donor` in the user's places: its program's indicators at its place,
    over the months of `months` that the funding covers. Aggregates only."""
    sections = []
    for funding in donors.donor_fundings(user=user, donor=donor):
        covered = [
            month
            for month in months
            if month >= funding.start.replace(day=1)
            and (funding.end is None or month <= funding.end)
        ]
        indicators = [i for i in catalog.all_indicators() if i.program == funding.program]
        section = FundedSection(funding, funding.place, covered, indicators)
        if covered and indicators:
            section.series = series_by_indicator(
                user=user, indicators=indicators, place=funding.place, months=covered
            )
        sections.append(section)
    return sections


# --- Freshness ---------------------------------------------------------------------------


def can_see_freshness(user: Actor) -> bool:
    """Administrators and M&E officers: those who answer for the figures that leave Jigiya."""
    return has_perm_anywhere(user, Perm.INDICATORS_MANAGE)


@dataclass(frozen=True)
class IndicatorFreshness:
    indicator: Indicator
    values: int
    last_written: datetime.datetime | None
    stale: int


@dataclass(frozen=True)
class Freshness:
    stale_cells: int
    oldest_stale: datetime.datetime | None
    last_refresh: datetime.datetime | None
    refresh_queued: bool
    indicators: list[IndicatorFreshness]


def freshness(*, user: Actor) -> Freshness:
    """When values were last written and how many community-months wait for a refresh, in the
    user's places. A fixed number of queries."""
    if not can_see_freshness(user):
        raise PermissionDenied
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from jigiya.indicators.tasks import TASK_PATH

    stale = StaleCell.objects.filter(scope_q(user, Perm.INDICATORS_VIEW, "place__path"))
    stale_summary = stale.aggregate(count=Count("id"), oldest=Min("marked_at"))
    stale_by_source = dict(
        stale.values("source").annotate(count=Count("id")).order_by().values_list("source", "count")
    )
    written = {
        row["indicator"]: row
        for row in IndicatorValue.objects.filter(scope_q(user, Perm.INDICATORS_VIEW, "place__path"))
        .values("indicator")
        .annotate(count=Count("id"), last=Max("updated_at"))
        .order_by()
    }
    last_task = (
        DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.SUCCESSFUL)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return Freshness(
        stale_cells=stale_summary["count"],
        oldest_stale=stale_summary["oldest"],
        last_refresh=last_task,
        refresh_queued=DBTaskResult.objects.filter(
            task_path=TASK_PATH, status=TaskResultStatus.READY
        ).exists(),
        indicators=[
            IndicatorFreshness(
                indicator=i,
                values=written.get(i.code, {}).get("count", 0),
                last_written=written.get(i.code, {}).get("last"),
                stale=sum(stale_by_source.get(source, 0) for source in (*i.sources, PLACES)),
            )
            for i in catalog.all_indicators()
        ],
    )
