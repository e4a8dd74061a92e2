"""Reads of indicator values for dashboards, reports, exports and DHIS2, scoped to the user."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum

from jigiya.accounts.access import has_perm_at, scope_q
from jigiya.accounts.roles import Perm
from jigiya.indicators.models import IndicatorValue
from jigiya.indicators.registry import Indicator
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
