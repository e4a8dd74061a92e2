"""Z-scores against the WHO Child Growth Standards (2006), 0 to 60 months.

The LMS parameters ship in `data/who2006_lms.csv` (WHO's own tables, from WHO's anthro package:
see `data/README.md`; weight-for-age and length/height-for-age by age in days 0-1856,
weight-for-length 45-110 cm and weight-for-height 65-120 cm by 0.1 cm, boys "M" and girls "F").
The method is WHO's (anthro, igrowup):

- z = ((x / M) ** L - 1) / (L · S), with L, S, M at the child's age in days (or length, to the
  nearest 0.1 cm);
- for weight-based indicators beyond ±3 SD, the "restricted" adjustment: distances past 3 SD
  are measured in units of the 2-to-3 SD gap of the same side;
- a length measured standing before 731 days gets 0.7 cm added, a height measured lying from
  731 days gets 0.7 cm taken off; weight-for-length is used before 731 days, weight-for-height
  after;
- weight-based z-scores are not computed when the child has bilateral oedema (the weight is
  water, not growth).
"""

import csv
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Protocol

TABLE = Path(__file__).resolve().parent / "data" / "who2006_lms.csv"
LAST_DAY = 1856  # 60 months
LYING_UNTIL_DAYS = 731  # WHO: length (lying) before 2 years, height (standing) after

# WHO's flags for biologically implausible values: (low, high) per indicator.
PLAUSIBLE = {"waz": (-6.0, 5.0), "haz": (-6.0, 6.0), "whz": (-5.0, 5.0)}

Lms = tuple[float, float, float]


@cache
def _tables() -> dict[tuple[str, str], dict[str, Lms]]:
    tables: dict[tuple[str, str], dict[str, Lms]] = {}
    with TABLE.open(newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["indicator"], row["sex"])
            x = row["x"] if row["indicator"] in ("wfa", "lhfa") else f"{float(row['x']):.1f}"
            tables.setdefault(key, {})[x] = (float(row["L"]), float(row["M"]), float(row["S"]))
    return tables


def lms(indicator: str, sex: str, x: float | int) -> Lms | None:
    """The (L, M, S) of `indicator` ("wfa", "lhfa", "wfl", "wfh") for a sex ("M"/"F") at `x`
    (age in days, or length/height in cm); None outside the standards' range."""
    table = _tables()[(indicator, sex)]
    key = str(int(x)) if indicator in ("wfa", "lhfa") else f"{round(float(x) * 10) / 10:.1f}"
    return table.get(key)


def value_at(params: Lms, z: float) -> float:
    """The measurement at `z` SD (the inverse of the LMS formula)."""
    el, m, s = params
    if el == 0:
        return m * math.exp(s * z)
    return m * (1 + el * s * z) ** (1 / el)


def _z(params: Lms, x: float, *, restricted: bool) -> float:
    el, m, s = params
    z = math.log(x / m) / s if el == 0 else ((x / m) ** el - 1) / (el * s)
    if restricted and z > 3:
        sd3, sd2 = value_at(params, 3), value_at(params, 2)
        z = 3 + (x - sd3) / (sd3 - sd2)
    elif restricted and z < -3:
        sd3, sd2 = value_at(params, -3), value_at(params, -2)
        z = -3 + (x - sd3) / (sd2 - sd3)
    return z


@dataclass(frozen=True)
class ZScores:
    waz: float | None
    haz: float | None
    whz: float | None

    def implausible(self) -> list[tuple[str, float]]:
        """(indicator, value) pairs outside WHO's plausibility limits."""
        found = []
        for name, (low, high) in PLAUSIBLE.items():
            value = getattr(self, name)
            if value is not None and not low <= value <= high:
                found.append((name, value))
        return found


def z_scores(
    *,
    sex: str,
    age_days: int | None,
    weight_kg: float | None,
    height_cm: float | None,
    measured_lying: bool = True,
    oedema: bool = False,
) -> ZScores:
    """Weight-for-age, length/height-for-age and weight-for-length/height z-scores, rounded to
    two decimals; each None when it cannot be computed (no age, outside 0-60 months, oedema…)."""
    in_range = age_days is not None and 0 <= age_days <= LAST_DAY
    height = height_cm
    if height is not None and age_days is not None:
        if age_days < LYING_UNTIL_DAYS and not measured_lying:
            height += 0.7
        elif age_days >= LYING_UNTIL_DAYS and measured_lying:
            height -= 0.7
    waz = haz = whz = None
    if in_range and weight_kg and not oedema:
        params = lms("wfa", sex, age_days)  # type: ignore[arg-type]
        waz = _z(params, weight_kg, restricted=True) if params else None
    if in_range and height:
        params = lms("lhfa", sex, age_days)  # type: ignore[arg-type]
        haz = _z(params, height, restricted=False) if params else None
    if weight_kg and height and not oedema:
        lying = age_days < LYING_UNTIL_DAYS if age_days is not None else measured_lying
        params = lms("wfl" if lying else "wfh", sex, height)
        whz = _z(params, weight_kg, restricted=True) if params else None
    return ZScores(*(None if z is None else round(z, 2) for z in (waz, haz, whz)))


class Measured(Protocol):
    """A child's measurements as a visit sends them (`ChildCheckIn`) or stores them
    (`ChildAssessment`)."""

    weight_kg: Decimal | None
    height_cm: Decimal | None
    measured_lying: bool
    oedema: bool


def z_scores_of(measured: Measured, *, sex: str, age_days: int | None) -> ZScores:
    """`z_scores` of a visit's measurements, for a child of this sex and age."""
    return z_scores(
        sex=sex,
        age_days=age_days,
        weight_kg=float(measured.weight_kg) if measured.weight_kg is not None else None,
        height_cm=float(measured.height_cm) if measured.height_cm is not None else None,
        measured_lying=measured.measured_lying,
        oedema=measured.oedema,
    )


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.2f}")


def muac_band(muac_mm: int | None) -> str:
    """red < 115 mm, yellow 115-124 mm, green ≥ 125 mm ("" when not measured)."""
    if muac_mm is None:
        return ""
    if muac_mm < 115:
        return "red"
    if muac_mm < 125:
        return "yellow"
    return "green"
