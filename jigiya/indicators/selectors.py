"""Reads of indicator values for dashboards, reports, exports and DHIS2, scoped to the user."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    EVERYWHERE,
    get_in_scope,
    has_perm_anywhere,
    has_perm_at,
    scope_paths,
    scope_q,
)
from jigiya.accounts.roles import Perm
from jigiya.donors import selectors as donors
from jigiya.donors.models import Donor, Funding
from jigiya.donors.selectors import program_paths, require_program, sees_program
from jigiya.indicators import catalog
from jigiya.indicators.catalog import Indicator, Program
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


def _require_view(user: Any, place: Place) -> None:
    if not has_perm_at(user, Perm.INDICATORS_VIEW, place.path):
        raise PermissionDenied


# --- What a partner sees: `donors.selectors` says where; these apply it to values ---------


def _program_q(user: Any, indicators: Sequence[Indicator], path_field: str = "place__path") -> Q:
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


def visible_indicators(user: Any, place: Place) -> list[Indicator]:
    """The catalog's indicators whose program the user sees at `place`."""
    programs = {program for program in Program if sees_program(user, program, place)}
    return [i for i in catalog.all_indicators() if i.program in programs]


def indicator_series(
    *,
    user: Any,
    indicator: Indicator,
    place: Place,
    months: list[datetime.date],
    breakdown: str = "",
) -> list[Point]:
    """One point per month (zero where nothing was recorded) for `place`."""
    _require_view(user, place)
    stored = {
        month: (n, d)
        for month, n, d in IndicatorValue.objects.filter(
            indicator=indicator.code, place=place, month__in=months, breakdown=breakdown
        ).values_list("month", "numerator", "denominator")
    }
    return [_point(indicator, month, *stored.get(month, (0, None))) for month in months]


def indicator_by_children(
    *, user: Any, indicator: Indicator, place: Place, month: datetime.date, breakdown: str = ""
) -> list[tuple[Place, Point]]:
    """The value of each place directly below `place` that the user may see."""
    _require_view(user, place)
    children = list(
        Place.objects.filter(parent=place, is_active=True)
        .filter(scope_q(user, Perm.INDICATORS_VIEW))
        .order_by("name")
    )
    stored = {
        place_id: (n, d)
        for place_id, n, d in IndicatorValue.objects.filter(
            indicator=indicator.code, place__in=children, month=month, breakdown=breakdown
        ).values_list("place_id", "numerator", "denominator")
    }
    return [
        (child, _point(indicator, month, *stored.get(child.pk, (0, None)))) for child in children
    ]


def indicator_by_health_center(
    *, user: Any, indicator: Indicator, month: datetime.date, within: Place | None = None
) -> list[tuple[HealthCenter, Point]]:
    """Each health center's value: the sum over the communities of its health area."""
    centers = HealthCenter.objects.filter(scope_q(user, Perm.INDICATORS_VIEW, "place__path"))
    if within is not None:
        _require_view(user, within)
        centers = centers.filter(place__path__startswith=within.path)
    centers_by_id = {center.pk: center for center in centers.select_related("place")}
    sums = (
        IndicatorValue.objects.filter(
            Q(place__health_center_id__in=centers_by_id),
            indicator=indicator.code,
            month=month,
            breakdown="",
        )
        .values("place__health_center_id")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    found = {row["place__health_center_id"]: (row["n"], row["d"]) for row in sums}
    return [
        (center, _point(indicator, month, *found.get(center_id, (0, None))))
        for center_id, center in centers_by_id.items()
    ]


# --- Dashboards, drill-down, reports and exports ------------------------------------------

PROGRAM_PERMS: dict[str, Perm] = {
    Program.HEALTH: Perm.HEALTH_VIEW,
    Program.SAVINGS: Perm.SAVINGS_VIEW,
    Program.COOPERATIVES: Perm.COOPERATIVES_VIEW,
    Program.QUALITY: Perm.QUALITY_VIEW,
}


def indicator_place_get(*, user: Any, place_id: Any) -> Place:
    """A place whose figures the user may see, or 404 (also for a malformed id)."""
    return get_in_scope(
        Place.objects.select_related("parent"), user, Perm.INDICATORS_VIEW, "path", pk=place_id
    )


def indicator_home_place(*, user: Any) -> Place | None:
    """Where the user's dashboards start: the highest place they may see (None: nowhere)."""
    paths = scope_paths(user, Perm.INDICATORS_VIEW)
    if not paths:
        return None
    if EVERYWHERE in paths:
        return Place.objects.filter(parent__isnull=True).order_by("name").first()
    return Place.objects.filter(path__in=paths).order_by("depth", "name").first()


def indicator_place_ancestors(*, user: Any, place: Place) -> list[tuple[Place, bool]]:
    """The places above `place`, root first, and whether the user may open each one."""
    ids = place.ancestor_ids()[:-1]
    above = Place.objects.filter(pk__in=ids).order_by("depth")
    return [(p, has_perm_at(user, Perm.INDICATORS_VIEW, p.path)) for p in above]


def indicator_health_center_get(*, user: Any, health_center_id: Any) -> HealthCenter:
    """A health center located in the user's places, or 404."""
    return get_in_scope(
        HealthCenter.objects.select_related("place"),
        user,
        Perm.INDICATORS_VIEW,
        "place__path",
        pk=health_center_id,
    )


def series_by_indicator(
    *, user: Any, indicators: Sequence[Indicator], place: Place, months: list[datetime.date]
) -> dict[str, list[Point]]:
    """For each indicator, one point per month at `place` (zero where nothing was recorded).
    One query whatever the number of indicators."""
    _require_view(user, place)
    stored: dict[tuple[str, datetime.date], tuple[int, int | None]] = {
        (code, month): (n, d)
        for code, month, n, d in IndicatorValue.objects.filter(
            indicator__in=[i.code for i in indicators],
            place=place,
            month__in=months,
            breakdown="",
        ).values_list("indicator", "month", "numerator", "denominator")
    }
    return {
        i.code: [_point(i, month, *stored.get((i.code, month), (0, None))) for month in months]
        for i in indicators
    }


def children_values(
    *, user: Any, indicators: Sequence[Indicator], place: Place, month: datetime.date
) -> tuple[list[Place], dict[str, dict[Any, Point]]]:
    """The places directly below `place` the user may see, and each indicator's value there.
    Two queries whatever the number of places and indicators."""
    _require_view(user, place)
    children = list(
        Place.objects.filter(parent=place, is_active=True)
        .filter(scope_q(user, Perm.INDICATORS_VIEW))
        .order_by("name")
    )
    stored: dict[tuple[str, Any], tuple[int, int | None]] = {
        (code, place_id): (n, d)
        for code, place_id, n, d in IndicatorValue.objects.filter(
            indicator__in=[i.code for i in indicators],
            place__in=children,
            month=month,
            breakdown="",
        ).values_list("indicator", "place_id", "numerator", "denominator")
    }
    return children, {
        i.code: {
            child.pk: _point(i, month, *stored.get((i.code, child.pk), (0, None)))
            for child in children
        }
        for i in indicators
    }


def _center_sums(
    user: Any, indicators: Sequence[Indicator], center_ids: list[Any], months: list[datetime.date]
) -> dict[tuple[str, Any, datetime.date], tuple[int, int | None]]:
    """Sums over the communities of each health area that lie in the user's places (for a
    partner: where its donor funds each indicator's program)."""
    rows = (
        IndicatorValue.objects.filter(
            _program_q(user, indicators),
            place__health_center_id__in=center_ids,
            month__in=months,
            breakdown="",
        )
        .values("indicator", "place__health_center_id", "month")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    return {
        (row["indicator"], row["place__health_center_id"], row["month"]): (row["n"], row["d"])
        for row in rows
    }


def health_center_values(
    *, user: Any, indicators: Sequence[Indicator], month: datetime.date, within: Place
) -> tuple[list[HealthCenter], dict[str, dict[Any, Point]]]:
    """Health centers located within `within` and each indicator's value there (the sum over
    the communities of its health area that the user may see). Two queries."""
    _require_view(user, within)
    centers = list(
        HealthCenter.objects.filter(
            scope_q(user, Perm.INDICATORS_VIEW, "place__path"), place__path__startswith=within.path
        )
        .select_related("place")
        .order_by("name")
    )
    sums = _center_sums(user, indicators, [c.pk for c in centers], [month])
    return centers, {
        i.code: {
            center.pk: _point(i, month, *sums.get((i.code, center.pk, month), (0, None)))
            for center in centers
        }
        for i in indicators
    }


def health_center_series(
    *,
    user: Any,
    indicators: Sequence[Indicator],
    center: HealthCenter,
    months: list[datetime.date],
) -> dict[str, list[Point]]:
    """One point per month for the health area of `center` (communities the user may see)."""
    sums = _center_sums(user, indicators, [center.pk], months)
    return {
        i.code: [
            _point(i, month, *sums.get((i.code, center.pk, month), (0, None))) for month in months
        ]
        for i in indicators
    }


def health_center_communities(*, user: Any, center: HealthCenter) -> QuerySet[Place]:
    """The communities of the health area that the user may see."""
    return Place.objects.filter(scope_q(user, Perm.INDICATORS_VIEW), health_center=center).order_by(
        "name"
    )


def health_area_values(
    *, user: Any, indicators: Sequence[Indicator], center: HealthCenter, month: datetime.date
) -> tuple[list[Place], dict[str, dict[Any, Point]]]:
    """The communities of the health area of `center` that the user may see, and each
    indicator's value there (the drill-down of a health center's figure). Two queries. A
    partner sees the communities where its donor funds the indicators' programs."""
    communities = [
        c
        for c in health_center_communities(user=user, center=center)
        if all(sees_program(user, i.program, c) for i in indicators)
    ]
    stored: dict[tuple[str, Any], tuple[int, int | None]] = {
        (code, place_id): (n, d)
        for code, place_id, n, d in IndicatorValue.objects.filter(
            indicator__in=[i.code for i in indicators],
            place__in=communities,
            month=month,
            breakdown="",
        ).values_list("indicator", "place_id", "numerator", "denominator")
    }
    return communities, {
        i.code: {
            c.pk: _point(i, month, *stored.get((i.code, c.pk), (0, None))) for c in communities
        }
        for i in indicators
    }


def health_area_breakdowns(
    *, user: Any, indicator: Indicator, center: HealthCenter, month: datetime.date
) -> list[tuple[str, Point]]:
    """The stored breakdowns of a health center's figure: sums over the communities of its
    health area that the user may see."""
    rows = (
        IndicatorValue.objects.filter(
            _program_q(user, [indicator]),
            place__health_center=center,
            month=month,
        )
        .exclude(breakdown="")
        .values("breakdown")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by("breakdown")
    )
    return [(row["breakdown"], _point(indicator, month, row["n"], row["d"])) for row in rows]


def health_area_records(
    *, user: Any, indicator: Indicator, center: HealthCenter, month: datetime.date
) -> QuerySet | None:
    """The records behind a health center's figure: those of every community of its health area
    that the user may see. None (aggregates only) unless the user may see the program's records
    in each of those communities, so that the records always add up to the figure shown."""
    communities = list(health_center_communities(user=user, center=center))
    if not communities or not all(
        can_see_records(user=user, indicator=indicator, place=c) for c in communities
    ):
        return None
    assert indicator.records is not None
    return reduce(or_, (indicator.records(user, c, month) for c in communities))


def breakdown_values(
    *, user: Any, indicator: Indicator, place: Place, month: datetime.date
) -> list[tuple[str, Point]]:
    """The stored breakdowns of a figure (sex, age band…), beside its total."""
    _require_view(user, place)
    rows = (
        IndicatorValue.objects.filter(indicator=indicator.code, place=place, month=month)
        .exclude(breakdown="")
        .order_by("breakdown")
        .values_list("breakdown", "numerator", "denominator")
    )
    return [(breakdown, _point(indicator, month, n, d)) for breakdown, n, d in rows]


def can_see_records(*, user: Any, indicator: Indicator, place: Place) -> bool:
    """Record-level drill-down: the indicator has a hook and the user may see the program's
    records at `place` (a partner never may: aggregates only)."""
    return indicator.records is not None and has_perm_at(
        user, PROGRAM_PERMS[indicator.program], place.path
    )


def drill_records(
    *, user: Any, indicator: Indicator, place: Place, month: datetime.date
) -> QuerySet | None:
    """The records behind one figure, or None when the user may see aggregates only (or the
    indicator gives no records): then the figure drills down to its places."""
    _require_view(user, place)
    if not can_see_records(user=user, indicator=indicator, place=place):
        return None
    assert indicator.records is not None
    return indicator.records(user, place, month)


def export_records(
    *, user: Any, indicator: Indicator, place: Place, month: datetime.date
) -> QuerySet:
    """Records for a record-level export: needs `EXPORT_RECORDS` and the program's view
    permission at `place` (403 otherwise), and an indicator with a records hook (400)."""
    _require_view(user, place)
    if not has_perm_at(user, Perm.EXPORT_RECORDS, place.path):
        raise PermissionDenied
    if indicator.records is None:
        raise ValidationError(
            {"indicator": _("This indicator has no records to export: export its table.")}
        )
    if not can_see_records(user=user, indicator=indicator, place=place):
        raise PermissionDenied
    return indicator.records(user, place, month)


def export_area_records(
    *, user: Any, indicator: Indicator, center: HealthCenter, month: datetime.date
) -> QuerySet:
    """Records for a record-level export of a health center's figure: needs `EXPORT_RECORDS`
    and the program's view permission in every community of its health area the user may
    see (403 otherwise), and an indicator with a records hook (400)."""
    if indicator.records is None:
        raise ValidationError(
            {"indicator": _("This indicator has no records to export: export its table.")}
        )
    if not can_export_area(user=user, center=center):
        raise PermissionDenied
    records = health_area_records(user=user, indicator=indicator, center=center, month=month)
    if records is None:
        raise PermissionDenied
    return records


def can_export_area(*, user: Any, center: HealthCenter) -> bool:
    communities = list(health_center_communities(user=user, center=center))
    return bool(communities) and all(
        has_perm_at(user, Perm.EXPORT_RECORDS, c.path) for c in communities
    )


@dataclass(frozen=True)
class TableRow:
    indicator: Indicator
    place: Place | HealthCenter  # a health center's row is the sum over its health area
    point: Point

    @property
    def place_kind(self) -> str:
        return self.place.kind if isinstance(self.place, Place) else "health_center"


def _monthly_totals(
    indicators: Sequence[Indicator], places: Sequence[Place], months: list[datetime.date]
) -> dict[tuple[str, Any, datetime.date], tuple[int, int | None]]:
    """Stored totals (no breakdown) by indicator, place and month: one query."""
    return {
        (code, place_id, month): (n, d)
        for code, place_id, month, n, d in IndicatorValue.objects.filter(
            indicator__in=[i.code for i in indicators],
            place__in=places,
            month__in=months,
            breakdown="",
        ).values_list("indicator", "place_id", "month", "numerator", "denominator")
    }


def indicator_table(
    *, user: Any, indicators: Sequence[Indicator], place: Place, months: list[datetime.date]
) -> list[TableRow]:
    """The tables of the dashboards as rows: each indicator, for `place` and every place
    directly below it the user may see, for each month (zero where nothing was recorded)."""
    _require_view(user, place)
    children = list(
        Place.objects.filter(parent=place, is_active=True)
        .filter(scope_q(user, Perm.INDICATORS_VIEW))
        .order_by("name")
    )
    places = [place, *children]
    stored = _monthly_totals(indicators, places, months)
    return [
        TableRow(i, p, _point(i, month, *stored.get((i.code, p.pk, month), (0, None))))
        for i in indicators
        for p in places
        for month in months
    ]


def health_center_table(
    *,
    user: Any,
    indicators: Sequence[Indicator],
    center: HealthCenter,
    months: list[datetime.date],
) -> list[TableRow]:
    """A health center's table: each indicator for the health area (the sum over the
    communities the user may see), then for each of those communities, for each month."""
    communities = list(health_center_communities(user=user, center=center))
    sums = _center_sums(user, indicators, [center.pk], months)
    stored = _monthly_totals(indicators, communities, months)
    return [
        row
        for i in indicators
        for row in [
            *(
                TableRow(
                    i, center, _point(i, month, *sums.get((i.code, center.pk, month), (0, None)))
                )
                for month in months
            ),
            *(
                TableRow(i, c, _point(i, month, *stored.get((i.code, c.pk, month), (0, None))))
                for c in communities
                if sees_program(user, i.program, c)
                for month in months
            ),
        ]
    ]


def indicator_values(
    *,
    user: Any,
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
        _require_view(user, place)
        require_program(user, indicator.program, place)
        values = values.filter(place__parent=place) if children else values.filter(place=place)
    if breakdown is not None:
        values = values.filter(breakdown=breakdown)
    return values.select_related("place").order_by("place__path", "month", "breakdown", "id")


# --- Donors ------------------------------------------------------------------------------


@dataclass
class FundedSection:
    funding: Funding
    place: Place
    months: list[datetime.date]
    indicators: list[Indicator]
    series: dict[str, list[Point]] = field(default_factory=dict)
    cards: list[dict[str, Any]] = field(default_factory=list)  # filled by the view


def donor_report(*, user: Any, donor: Donor, months: list[datetime.date]) -> list[FundedSection]:
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


def can_see_freshness(user: Any) -> bool:
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


def freshness(*, user: Any) -> Freshness:
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
                stale=sum(stale_by_source.get(source, 0) for source in i.sources),
            )
            for i in catalog.all_indicators()
        ],
    )
