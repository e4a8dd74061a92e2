import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from jigiya.core.money import format_fcfa, group_digits, parse_fcfa

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, f"0{NBSP}FCFA"),
        (600, f"600{NBSP}FCFA"),
        (1000, f"1{NBSP}000{NBSP}FCFA"),
        (1234567, f"1{NBSP}234{NBSP}567{NBSP}FCFA"),
        (-25000, f"-25{NBSP}000{NBSP}FCFA"),
    ],
)
def test_format_fcfa_groups_thousands_the_french_way(amount, text):
    assert format_fcfa(amount) == text


def test_format_fcfa_shows_usd_only_when_a_rate_is_set(settings):
    settings.JIGIYA_FCFA_PER_USD = 0
    assert format_fcfa(1000, with_usd=True) == f"1{NBSP}000{NBSP}FCFA"
    settings.JIGIYA_FCFA_PER_USD = 600
    assert format_fcfa(1200, with_usd=True) == f"1{NBSP}200{NBSP}FCFA (≈ 2.00 USD)"


def test_format_fcfa_of_nothing_is_a_dash():
    assert format_fcfa(None) == "—"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 000", 1000),
        ("1000 FCFA", 1000),
        ("1.000", 1000),
        (f"25{NBSP}000", 25000),
        ("-500", -500),
    ],
)
def test_parse_fcfa_reads_what_people_type(text, amount):
    assert parse_fcfa(text) == amount


@pytest.mark.parametrize("text", ["12,5", "mille", "", "1e3", "10 USD"])
def test_parse_fcfa_refuses_fractions_and_words_naming_the_field(text):
    with pytest.raises(ValidationError) as info:
        parse_fcfa(text, field="price")
    assert list(info.value.message_dict) == ["price"]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_reads_back_what_format_prints(amount):
    assert parse_fcfa(format_fcfa(amount)) == amount
    assert group_digits(amount).replace(NBSP, "") == str(amount)
