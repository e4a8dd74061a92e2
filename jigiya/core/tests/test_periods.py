import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from jigiya.core.periods import Month, month_range


def test_month_has_iso_and_dhis2_forms():
    month = Month(2026, 3)
    assert str(month) == "2026-03"
    assert month.dhis2 == "202603"
    assert month.first_day == datetime.date(2026, 3, 1)
    assert month.last_day == datetime.date(2026, 3, 31)


def test_february_of_a_leap_year_ends_on_the_29th():
    assert Month(2028, 2).last_day == datetime.date(2028, 2, 29)


@pytest.mark.parametrize("text", ["2026-11", "202611", " 2026-11 "])
def test_parse_accepts_both_forms(text):
    assert Month.parse(text) == Month(2026, 11)


@pytest.mark.parametrize("text", ["2026-13", "202600", "nov 2026", "2026/11", ""])
def test_parse_refuses_what_is_not_a_month_naming_the_field(text):
    with pytest.raises(ValidationError) as info:
        Month.parse(text, field="month")
    assert list(info.value.message_dict) == ["month"]


def test_next_and_previous_cross_the_year():
    assert Month(2025, 12).next() == Month(2026, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 1).shift(-13) == Month(2024, 12)


def test_month_range_includes_both_ends():
    assert month_range(Month(2025, 11), Month(2026, 2)) == [
        Month(2025, 11),
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]


@time_machine.travel(datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC))
def test_current_month_is_bamakos():
    # Bamako is UTC+0 all year: 23:30 UTC on 30 November is still November there.
    assert Month.current() == Month(2026, 11)
    assert not Month(2026, 11).is_future()
    assert Month(2026, 12).is_future()


@given(st.integers(min_value=1900, max_value=9000), st.integers(min_value=1, max_value=12))
def test_shift_and_back_is_identity(year, month):
    start = Month(year, month)
    assert start.shift(17).shift(-17) == start
    assert Month.parse(start.dhis2) == start
