"""What a dashboard, export or API call asks for, read from the query string and checked.

Every refusal is a `ValidationError` naming the field, so pages show it beside the period
selector (status 400) and the API answers 400 with the field in `fields`."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jigiya.core.periods import Month
from jigiya.indicators import catalog
from jigiya.indicators.catalog import Indicator, Program

SPANS = (6, 12, 18)
DEFAULT_SPAN = 12
# A run chart needs points: from a year to the whole history since 2018.
RUN_CHART_SPANS = (12, 18, 24, 36, 60, 120)


@dataclass(frozen=True)
class Period:
    """`span` months ending with `month` (included)."""

    month: Month
    span: int = DEFAULT_SPAN

    @property
    def months(self) -> list[datetime.date]:
        """First days of the months, oldest first."""
        return [self.month.shift(-back).first_day for back in range(self.span - 1, -1, -1)]

    @property
    def first(self) -> Month:
        return self.month.shift(1 - self.span)

    @property
    def open_index(self) -> int | None:
        """The index in `months` of the month still in progress (always the last), or None:
        its figures are not final and are drawn as such."""
        return self.span - 1 if self.month == Month.current() else None

    def query(self) -> str:
        return f"month={self.month}&range={self.span}"


def parse_month(text: str | None, *, field: str = "month") -> Month:
    """A month in the past or now (default: the current month); never one in the future."""
    if not text:
        return Month.current()
    month = Month.parse(text, field=field)
    if month.is_future():
        raise ValidationError(
            {field: _("%(month)s is in the future: no figures yet.") % {"month": month}}
        )
    return month


def last_complete_month() -> Month:
    """Where dashboards, run charts and drill-downs open: the month before this one, whose
    figures are complete (this month's are still being recorded)."""
    return Month.current().previous()


def parse_period(month: str | None, span: str | None, *, spans: tuple[int, ...] = SPANS) -> Period:
    """The period selector: a month (default: the last complete month) and a range of 6, 12 or
    18 months (or of `spans`)."""
    chosen = parse_month(month) if month else last_complete_month()
    if not span:
        return Period(chosen)
    try:
        months = int(span)
    except ValueError:
        months = 0
    if months not in spans:
        raise ValidationError(
            {
                "range": _("Choose a range of %(spans)s months, not “%(value)s”.")
                % {"spans": ", ".join(str(choice) for choice in spans), "value": span}
            }
        )
    return Period(chosen, months)


def parse_range(start: str | None, end: str | None) -> list[datetime.date]:
    """Months from `start` to `end` (both included, default: the 12 months to now), for the API."""
    last = parse_month(end, field="end")
    first = parse_month(start, field="start") if start else last.shift(-11)
    if first > last:
        raise ValidationError({"start": _("The start comes after the end.")})
    if (last.year - first.year) * 12 + last.month - first.month >= 240:
        raise ValidationError({"start": _("Ask for at most 240 months at a time.")})
    return Period(last, (last.year - first.year) * 12 + last.month - first.month + 1).months


def parse_indicator(code: str | None, *, field: str = "indicator") -> Indicator:
    indicator = catalog.get((code or "").strip())
    if indicator is None:
        raise ValidationError(
            {field: _("There is no indicator “%(code)s” in the catalog.") % {"code": code or ""}}
        )
    return indicator


def parse_program(text: str | None) -> Program | None:
    if not text:
        return None
    try:
        return Program(text)
    except ValueError:
        raise ValidationError(
            {"program": _("There is no program “%(value)s”.") % {"value": text}}
        ) from None
