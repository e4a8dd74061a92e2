"""Changes no child makes between two visits, after WHO's growth-velocity and data-quality
advice: a weight loss beyond a share of the body weight for the days between the two
measurements, or a length/height that shrinks beyond measurement error. Such a change is
usually a misread scale or board: the CHW measures again and confirms, and the check is
flagged for the supervisor.

Rules (one place, read this file to know them):
- weight: a loss above 5 % (scale and clothing error) + 0.5 % a day since the last weight,
  capped at 20 %, is implausible (11.15 → 8.2 kg in 11 days is a loss of 26 %);
- length/height: any decrease beyond 1.5 cm (measurement error) is implausible, after
  WHO's 0.7 cm between a length measured lying down and a height measured standing
  (87.4 → 74 cm in 11 days).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

WEIGHT_LOSS_BASE = 0.05
WEIGHT_LOSS_PER_DAY = 0.005
WEIGHT_LOSS_MAX = 0.20
HEIGHT_ERROR_CM = 1.5
LYING_MINUS_STANDING_CM = 0.7


@dataclass(frozen=True)
class Measure:
    """A value measured at a visit (the last one before a new visit)."""

    value: Decimal | int
    date: datetime.date
    lying: bool = True


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def weight_change(last: Measure | None, weight: Decimal | None, day: datetime.date) -> str:
    """The message stating both weights and dates when the loss is implausible, else ""."""
    if last is None or weight is None or not last.value:
        return ""
    days = max(0, (day - last.date).days)
    loss = (float(last.value) - float(weight)) / float(last.value)
    allowed = min(WEIGHT_LOSS_BASE + WEIGHT_LOSS_PER_DAY * days, WEIGHT_LOSS_MAX)
    if loss <= allowed:
        return ""
    return _(
        "The weight was %(before)s kg on %(then)s and would be %(now)s kg on %(day)s: a loss "
        "of %(loss)s %% in %(days)s days is not plausible."
    ) % {
        "before": last.value,
        "then": _day(last.date),
        "now": weight,
        "day": _day(day),
        "loss": round(100 * loss),
        "days": days,
    }


def height_change(
    last: Measure | None, height: Decimal | None, lying: bool, day: datetime.date
) -> str:
    """The message stating both lengths/heights and dates when the child shrank, else ""."""
    if last is None or height is None:
        return ""
    adjusted = float(height)
    if last.lying and not lying:
        adjusted += LYING_MINUS_STANDING_CM
    elif lying and not last.lying:
        adjusted -= LYING_MINUS_STANDING_CM
    if float(last.value) - adjusted <= HEIGHT_ERROR_CM:
        return ""
    return _(
        "The length or height was %(before)s cm on %(then)s and would be %(now)s cm on "
        "%(day)s: a child does not shrink."
    ) % {"before": last.value, "then": _day(last.date), "now": height, "day": _day(day)}
