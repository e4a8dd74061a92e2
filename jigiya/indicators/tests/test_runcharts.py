import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jigiya.indicators.runcharts import analyse, crossings_limit, run_limit


@pytest.mark.parametrize(
    ("n", "longest", "crossings"),
    # Anhøj's published table of critical values.
    [(10, 6, 2), (11, 6, 2), (12, 7, 3), (14, 7, 4), (16, 7, 4), (20, 7, 6), (24, 8, 8),
     (30, 8, 10), (40, 8, 14)],
)  # fmt: skip
def test_limits_match_the_published_table(n, longest, crossings):
    assert run_limit(n) == longest
    assert crossings_limit(n) == crossings


def test_no_limits_without_points():
    assert run_limit(0) is None
    assert crossings_limit(1) is None
    assert crossings_limit(2) == 0  # Binomial(1, 0.5): P(X ≤ 0) = 0.5
    chart = analyse([])
    assert (chart.median, chart.useful, chart.signal) == (None, 0, False)


def test_a_steady_rise_crosses_once_too_few_times():
    chart = analyse([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert chart.median == 5.5
    assert (chart.useful, chart.longest_run, chart.crossings) == (10, 5, 1)
    assert (chart.run_limit, chart.crossings_limit) == (6, 2)
    assert chart.shift is False
    assert chart.few_crossings is True


def test_eight_low_months_then_eight_high_ones_are_a_shift():
    chart = analyse([1] * 8 + [3, 4, 5, 6, 7, 8, 9, 10])
    assert chart.median == 2
    assert (chart.longest_run, chart.run_limit) == (8, 7)
    assert chart.shift is True
    assert chart.shift_points() == set(range(16))


def test_points_on_the_median_neither_break_nor_make_a_run():
    chart = analyse([1, 1, 1, 5, 1, 1, 1, 1, 9, 9], median=5)
    assert chart.useful == 9  # the point on the median is not counted
    assert [(run.start, run.end, run.side, run.length) for run in chart.runs] == [
        (0, 7, -1, 7),
        (8, 9, 1, 2),
    ]
    assert (chart.longest_run, chart.run_limit, chart.shift) == (7, 6, True)
    assert chart.crossings == 1


def test_zigzag_has_no_signal():
    chart = analyse([1, 9, 2, 8, 3, 7, 4, 6, 1, 9, 2, 8])
    assert chart.crossings == 11
    assert chart.longest_run == 1
    assert chart.signal is False


def test_median_points_alone_make_no_run():
    chart = analyse([5, 5, 5, 5])
    assert (chart.useful, chart.runs, chart.shift, chart.few_crossings) == (0, [], False, False)


@given(st.integers(min_value=2, max_value=120))
def test_crossings_limit_is_the_exact_fifth_percentile(n):
    k = crossings_limit(n)
    trials = n - 1

    def cdf(upto):
        return Fraction(sum(math.comb(trials, i) for i in range(upto + 1)), 2**trials)

    assert cdf(k) >= Fraction(1, 20)
    assert k == 0 or cdf(k - 1) < Fraction(1, 20)


values = st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=40)


@given(values)
def test_runs_cover_every_useful_point_and_crossings_join_them(series):
    chart = analyse(series)
    assert chart.useful == sum(1 for value in series if value != chart.median)
    assert sum(run.length for run in chart.runs) == chart.useful
    assert chart.crossings == max(len(chart.runs) - 1, 0)
    assert all(a.side != b.side for a, b in zip(chart.runs, chart.runs[1:], strict=False))


@given(values, st.lists(st.integers(min_value=0, max_value=40), max_size=10))
def test_adding_points_on_the_median_changes_no_signal(series, positions):
    median = analyse(series).median
    padded = list(series)
    for position in positions:
        padded.insert(position % (len(padded) + 1), median)
    before, after = analyse(series, median=median), analyse(padded, median=median)
    assert (after.useful, after.longest_run, after.crossings) == (
        before.useful,
        before.longest_run,
        before.crossings,
    )
    assert (after.shift, after.few_crossings) == (before.shift, before.few_crossings)


@given(values)
def test_a_mirrored_series_gives_the_same_signals(series):
    chart, mirrored = analyse(series), analyse([-value for value in series])
    assert mirrored.median == -chart.median
    assert [run.length for run in mirrored.runs] == [run.length for run in chart.runs]
    assert (mirrored.shift, mirrored.few_crossings) == (chart.shift, chart.few_crossings)
