"""The bounds every service applies: dates within the program and after a birth, texts of a
limited length, each refusal naming the field, the value and the bound."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from jigiya.core import bounds

D = datetime.date


@pytest.fixture(autouse=True)
def frozen():
    with (
        time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0), tick=False),
        translation.override("en"),
    ):
        yield


def _message(check, *args, **kwargs):
    with pytest.raises(ValidationError) as refused:
        check(*args, **kwargs)
    return refused.value.message_dict


def test_the_program_starts_on_the_setting(settings):
    assert bounds.program_start() == D(2000, 1, 1)
    settings.PROGRAM_START_DATE = D(2014, 3, 1)
    assert bounds.program_start() == D(2014, 3, 1)


def test_a_date_before_the_program_is_refused_on_its_field():
    assert _message(bounds.within_program, "date", D(1, 1, 1), "The visit date") == {
        "date": ["The visit date 0001-01-01 is before the start of the program (2000-01-01)."]
    }
    bounds.within_program("date", D(2000, 1, 1))
    bounds.within_program("date", None)


def test_within_the_program_is_not_in_the_future_unless_planned():
    assert _message(bounds.within_program, "date", D(2026, 11, 21), "The visit date") == {
        "date": ["The visit date 2026-11-21 is in the future."]
    }
    bounds.within_program("edd", D(2027, 5, 1), future=True)
    bounds.within_program("date", D(2026, 11, 20))


def test_not_before_a_floor_names_both_dates():
    assert _message(
        bounds.not_before,
        "held_on",
        D(2019, 1, 1),
        D(2019, 9, 16),
        "The meeting",
        "the group's formation",
    ) == {"held_on": ["The meeting 2019-01-01 is before the group's formation (2019-09-16)."]}
    bounds.not_before("held_on", D(2019, 9, 16), D(2019, 9, 16))
    bounds.not_before("held_on", D(2019, 1, 1), None)  # no floor known


class Someone:
    birth_date = D(2024, 1, 1)

    def __str__(self):
        return "Awa Traoré"


def test_not_before_a_birth():
    assert _message(bounds.not_before_birth, "date", D(2023, 12, 31), Someone(), "The visit") == {
        "date": ["The visit 2023-12-31 is before the birth of Awa Traoré (2024-01-01)."]
    }
    bounds.not_before_birth("date", D(2024, 1, 1), Someone())


def test_a_text_over_its_limit_is_refused_with_its_length():
    assert _message(bounds.text_within, "notes", "x" * 2001, bounds.NOTES_LENGTH, "The notes") == {
        "notes": ["The notes has 2001 characters; at most 2000 are allowed."]
    }
    bounds.text_within("notes", "x" * 2000, bounds.NOTES_LENGTH)
    bounds.text_within("notes", None, bounds.NOTES_LENGTH)
