import datetime
from typing import Any

import pytest
import time_machine
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.followup import services as followup
from jigiya.registry import services


@pytest.fixture(autouse=True)
def frozen() -> Any:
    """Every registry test runs on 10 June 2025, 9:00 in Bamako."""
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def english() -> Any:
    """Messages compared in English, the source language, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def chw(cast: Any) -> Any:
    return cast.user(Role.CHW, "a")


@pytest.fixture
def household(cast: Any, chw: Any) -> Any:
    return services.household_create(
        actor=chw, community=cast.community_a, name="Famille Diarra", chw=chw
    )


@pytest.fixture
def mother(chw: Any, household: Any) -> Any:
    """Mariam Traoré, 27, the head's spouse."""
    return services.person_register(
        actor=chw, household=household, given_name="Mariam", family_name="Traoré", sex="F",
        relationship="spouse", birth_date=datetime.date(1998, 1, 1),
    )  # fmt: skip


@pytest.fixture
def pregnancy(chw: Any, mother: Any) -> Any:
    """Her pregnancy from 1 September 2024 (due 8 June 2025)."""
    return followup.pregnancy_register(actor=chw, woman=mother, lmp=datetime.date(2024, 9, 1))
