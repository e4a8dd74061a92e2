"""The indicator catalog: each program declares its indicators once, in its own `indicators.py`.

    register(Indicator(
        code="places.assemblies_held",
        name=_("ASACO general assemblies held"),
        definition=_("General assemblies the ASACO held in the month."),
        program=Program.QUALITY,
        unit=Unit.COUNT,
        sources=("places.assembly",),
        compute=assemblies_held,
    ))

`compute(cells)` returns the facts for the (community, month) cells it is asked about — a GROUP BY
over the program's records — as `Fact` rows: numerator and, for rates, denominator. Values are
stored per community and rolled up the place tree by summing numerators and denominators, so a
rate is never averaged. A service that writes a record marks the cells it changes stale with
`engine.mark_stale(source=…, cells=[(community_id, day), …])`, before and after a correction.

Drill-down: a program may give `records(user, place, month) -> QuerySet`, the records behind one
figure, already scoped to what `user` may see (use the program's own selectors), with
`record_columns` saying what to show and export. Without a hook, a figure drills down to its
breakdown by place. See README.md.
"""

import datetime
import enum
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jigiya.core import changes
from jigiya.core.programs import Program as Program  # the programs, named here as always


class Unit(models.TextChoices):
    COUNT = "count", _("number")
    PERCENT = "percent", _("percent")
    FCFA = "fcfa", _("FCFA")
    FCFA_AVERAGE = "fcfa_average", _("FCFA per unit")
    AVERAGE = "average", _("average")


RATE_UNITS = {Unit.PERCENT, Unit.FCFA_AVERAGE, Unit.AVERAGE}


class Disaggregation(models.TextChoices):
    COMMUNITY = "community", _("community")
    HEALTH_CENTER = "health_center", _("health center")
    CHW = "chw", _("CHW")
    GROUP = "group", _("group or cooperative")
    SEX = "sex", _("sex")
    AGE_BAND = "age_band", _("age band")
    # Stored breakdowns of particular indicators (the key before "=" in `Fact.breakdown`).
    MUAC = "muac", _("MUAC band")
    TOPIC = "topic", _("education topic")
    PURPOSE = "purpose", _("care paid for")
    PRODUCT = "product", _("product")


class Direction(enum.StrEnum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better


@dataclass(frozen=True)
class Target:
    value: float  # in the indicator's displayed unit (e.g. 90 for 90 %)
    direction: Direction = Direction.UP
    # Within this fraction of the target (on the wrong side) the indicator is "at risk".
    at_risk_margin: float = 0.1


@dataclass(frozen=True)
class Fact:
    """The numerator (and denominator) of one indicator for one community, month and breakdown.

    `breakdown` is "" for the total, else e.g. "sex=F", "age_band=0-11m", "chw=<uuid>"; every
    breakdown of one dimension adds up to the total."""

    place_id: uuid.UUID
    month: datetime.date  # the first day of the month
    numerator: int
    denominator: int | None = None
    breakdown: str = ""


@dataclass(frozen=True)
class Cells:
    """What to compute: these communities (None: all) over these months (first days)."""

    place_ids: frozenset[uuid.UUID] | None
    months: frozenset[datetime.date]

    @property
    def first(self) -> datetime.date:
        return min(self.months)

    @property
    def end(self) -> datetime.date:
        """The day after the last month."""
        last = max(self.months)
        return (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


Compute = Callable[[Cells], Iterable[Fact]]


@dataclass(frozen=True)
class RecordColumn:
    """One column of a drill-down table or record export.

    `path` is read on each record, following `__` or `.` (e.g. "asaco__health_center__name");
    `personal` marks a name or phone number, replaced by a stable pseudonym on request."""

    path: str
    label: Promise | str
    personal: bool = False


# records(user, place, month) → the records behind the figure of `place` for `month` (first
# day), limited to what `user` may see. The indicators app checks the program's view permission
# at `place` before calling it, and never calls it for a partner.
Records = Callable[[Any, Any, datetime.date], models.QuerySet]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise | str
    definition: Promise | str
    program: Program
    unit: Unit
    sources: tuple[str, ...]
    compute: Compute
    numerator_label: Promise | str = ""
    denominator_label: Promise | str = ""
    disaggregations: tuple[Disaggregation, ...] = (
        Disaggregation.COMMUNITY,
        Disaggregation.HEALTH_CENTER,
    )
    target: Target | None = None
    # Its value in a month depends on states that last (children enrolled, members, balances,
    # days overdue), not only on records dated in that month: the engine recomputes the current
    # and the previous month of every community each night (`engine.roll`), so a month without
    # records still shows what carries over.
    ongoing: bool = False
    # Optional: the records behind a figure, for drill-down (user, place, month) → queryset.
    records: Records | None = field(default=None, compare=False)
    record_columns: tuple[RecordColumn, ...] = field(default=(), compare=False)
    # Optional, for a rate: the denominator's records missing from the numerator (the children
    # enrolled not yet seen twice, the referrals not yet seen), shown with `record_columns`.
    missing: Records | None = field(default=None, compare=False)

    @property
    def is_rate(self) -> bool:
        return self.unit in RATE_UNITS

    def value(self, numerator: int, denominator: int | None) -> float | None:
        """The figure people read: the count or sum, or the rate (None when nothing to divide)."""
        if not self.is_rate:
            return float(numerator)
        if not denominator:
            return None
        scale = 100 if self.unit == Unit.PERCENT else 1
        return scale * numerator / denominator

    def status(self, value: float | None) -> str:
        """ "on_track", "at_risk", "off_track", or "" without a target or a value."""
        if self.target is None or value is None:
            return ""
        target = self.target
        if target.direction == Direction.UP:
            if value >= target.value:
                return "on_track"
            return "at_risk" if value >= target.value * (1 - target.at_risk_margin) else "off_track"
        if value <= target.value:
            return "on_track"
        return "at_risk" if value <= target.value * (1 + target.at_risk_margin) else "off_track"


_CATALOG: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in _CATALOG and _CATALOG[indicator.code] is not indicator:
        raise ValueError(f"indicator {indicator.code!r} is declared twice")
    undeclared = set(indicator.sources) - changes.declared_sources()
    if undeclared:
        raise ValueError(
            f"indicator {indicator.code!r} reads undeclared sources {sorted(undeclared)}: "
            "declare each with core.changes.declare_source where its service lives"
        )
    _CATALOG[indicator.code] = indicator
    return indicator


def all_indicators() -> list[Indicator]:
    """Every declared indicator, by program then code."""
    order = list(Program)
    return sorted(_CATALOG.values(), key=lambda i: (order.index(i.program), i.code))


def by_code() -> dict[str, Indicator]:
    return dict(_CATALOG)


def get(code: str) -> Indicator | None:
    return _CATALOG.get(code)


def by_source(source: str) -> list[Indicator]:
    return [indicator for indicator in all_indicators() if source in indicator.sources]
