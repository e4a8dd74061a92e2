from typing import Any

import pytest

from jigiya.accounts.roles import Role
from jigiya.registry import services


@pytest.fixture
def chw(cast: Any) -> Any:
    return cast.user(Role.CHW, "a")


@pytest.fixture
def household(cast: Any, chw: Any) -> Any:
    return services.household_create(
        actor=chw, community=cast.community_a, name="Famille Diarra", chw=chw
    )
