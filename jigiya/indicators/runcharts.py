"""Run charts: an indicator over time, its median, and the two signals of non-random variation.

Pure functions, no database. With `n` the number of useful points (those not on the median):

- a **shift**: a run — consecutive useful points on the same side of the median — longer than
  `round(log2(n) + 3)` points;
- **too few crossings**: the line crosses the median fewer times than the 5th percentile of
  Binomial(n - 1, 0.5), computed exactly (integers, `math.comb`), not read from a table.

Points on the median neither break a run nor make one, and are not counted in `n`
(Anhøj's rules, as the QI coaches use them).
"""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    start: int  # index of the first point of the run (in the series, median points included)
    end: int  # index of its last point
    side: int  # +1 above the median, -1 below
    length: int  # useful points in the run


@dataclass(frozen=True)
class RunChart:
    median: float | None
    useful: int  # points not on the median: the n of both rules
    runs: list[Run] = field(default_factory=list)
    longest_run: int = 0
    run_limit: int | None = None  # a run longer than this is a shift
    crossings: int = 0
    crossings_limit: int | None = None  # fewer crossings than this is a signal

    @property
    def shift(self) -> bool:
        return self.run_limit is not None and self.longest_run > self.run_limit

    @property
    def few_crossings(self) -> bool:
        return self.crossings_limit is not None and self.crossings < self.crossings_limit

    @property
    def signal(self) -> bool:
        return self.shift or self.few_crossings

    def shift_points(self) -> set[int]:
        """Indices of the points in runs longer than the limit (to mark them on the chart)."""
        if self.run_limit is None:
            return set()
        return {
            index
            for run in self.runs
            if run.length > self.run_limit
            for index in range(run.start, run.end + 1)
        }


def run_limit(n: int) -> int | None:
    """The longest run expected by chance among `n` useful points (None below 1 point)."""
    if n < 1:
        return None
    return round(math.log2(n) + 3)


def crossings_limit(n: int) -> int | None:
    """The 5th percentile of Binomial(n - 1, 0.5): the smallest k with P(X ≤ k) ≥ 0.05.

    Exact: P(X ≤ k) ≥ 1/20  ⇔  20 · Σ C(n-1, i) ≥ 2^(n-1), in integers."""
    if n < 2:
        return None
    trials = n - 1
    total = 2**trials
    cumulative = 0
    for k in range(trials + 1):
        cumulative += math.comb(trials, k)
        if 20 * cumulative >= total:
            return k
    return trials  # not reached: the sum ends at 2^(n-1)


def sides(values: Sequence[float], median: float) -> list[int]:
    """+1 above, -1 below, 0 on the median, for each point."""
    return [(value > median) - (value < median) for value in values]


def analyse(values: Sequence[float], median: float | None = None) -> RunChart:
    """The median (unless given) and both signals of `values`, in time order."""
    if not values:
        return RunChart(median=None, useful=0)
    centre = statistics.median(values) if median is None else median
    runs: list[Run] = []
    crossings = 0
    for index, side in enumerate(sides(values, centre)):
        if side == 0:
            continue  # on the median: neither breaks nor makes a run
        if runs and runs[-1].side == side:
            last = runs[-1]
            runs[-1] = Run(last.start, index, side, last.length + 1)
        else:
            if runs:
                crossings += 1
            runs.append(Run(index, index, side, 1))
    useful = sum(run.length for run in runs)
    return RunChart(
        median=centre,
        useful=useful,
        runs=runs,
        longest_run=max((run.length for run in runs), default=0),
        run_limit=run_limit(useful),
        crossings=crossings,
        crossings_limit=crossings_limit(useful),
    )
