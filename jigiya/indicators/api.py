"""The indicator catalog and values, read-only, scoped to the caller's places."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from jigiya.core.api import Pagination
from jigiya.indicators import catalog, selectors
from jigiya.indicators.catalog import Indicator
from jigiya.indicators.models import IndicatorValue
from jigiya.indicators.params import parse_indicator, parse_range
from jigiya.indicators.schemas import (
    CenterValueFilters,
    CenterValueOut,
    IndicatorOut,
    ValueFilters,
    ValueOut,
)

router = Router(tags=["indicators"])


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    target = indicator.target
    return {
        "code": indicator.code,
        "name": str(indicator.name),
        "definition": str(indicator.definition),
        "program": str(indicator.program),
        "unit": str(indicator.unit),
        "numerator_label": str(indicator.numerator_label),
        "denominator_label": str(indicator.denominator_label),
        "disaggregations": [str(d) for d in indicator.disaggregations],
        "target": (
            {
                "value": target.value,
                "direction": str(target.direction),
                "at_risk_margin": target.at_risk_margin,
            }
            if target
            else None
        ),
        "has_records": indicator.records is not None,
    }


@router.get("/indicators", response=list[IndicatorOut])
def indicator_catalog(request: HttpRequest) -> list[dict[str, Any]]:
    """Every indicator of the catalog, by program then code."""
    return [_indicator_out(indicator) for indicator in catalog.all_indicators()]


class _Values:
    """Turns stored rows into API rows lazily, so pagination slices the queryset first."""

    def __init__(self, indicator: Indicator, rows: Any) -> None:
        self.indicator, self.rows = indicator, rows

    def __len__(self) -> int:
        return self.rows.count()

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: Any) -> Any:
        rows = self.rows[index]
        if isinstance(index, slice):
            return [self._out(row) for row in rows]
        return self._out(rows)

    def _out(self, row: IndicatorValue) -> dict[str, Any]:
        value = self.indicator.value(row.numerator, row.denominator)
        return {
            "indicator": row.indicator,
            "place_id": row.place_id,
            "place_code": row.place.code,
            "place_name": row.place.name,
            "month": f"{row.month:%Y-%m}",
            "breakdown": row.breakdown,
            "numerator": row.numerator,
            "denominator": row.denominator,
            "value": value,
            "status": self.indicator.status(value),
            "updated_at": row.updated_at,
        }


@router.get("/indicators/values", response=list[ValueOut])
@paginate(Pagination)
def indicator_values(request: HttpRequest, filters: Query[ValueFilters]) -> Any:
    """Stored numerators and denominators of one indicator over a range of months, of one
    place (or the places below it) or of every place the caller may see. Months without a
    stored row had nothing recorded (zero)."""
    indicator = parse_indicator(filters.indicator)
    months = parse_range(filters.start, filters.end)
    place = (
        selectors.area_get(user=request.user, place_id=filters.place_id).place
        if filters.place_id
        else None
    )
    rows = selectors.indicator_values(
        user=request.user,
        indicator=indicator,
        months=months,
        place=place,
        children=filters.children,
        breakdown=None if filters.breakdown == "*" else filters.breakdown,
    )
    return _Values(indicator, rows)


@router.get("/indicators/health-center-values", response=list[CenterValueOut])
def health_center_values(request: HttpRequest, filters: Query[CenterValueFilters]) -> Any:
    """One indicator of one health center, month by month: the sum over the communities of its
    health area that the caller may see (one row a month, zero where nothing was recorded).
    403 for a program the caller does not see there (a partner: where its donor does not fund
    it)."""
    indicator = parse_indicator(filters.indicator)
    months = parse_range(filters.start, filters.end)
    area = selectors.area_get(user=request.user, health_center_id=filters.health_center_id)
    series = selectors.area_series(
        user=request.user, indicators=[indicator], area=area, months=months
    )
    return [
        {
            "indicator": indicator.code,
            "health_center_id": area.pk,
            "health_center_code": area.code,
            "health_center_name": area.name,
            "month": f"{point.month:%Y-%m}",
            "numerator": point.numerator,
            "denominator": point.denominator,
            "value": point.value,
            "status": indicator.status(point.value),
        }
        for point in series[indicator.code]
    ]
