"""The fixed cast every permission test uses.

    Mali (country)
      Bamako (region) → Bamako (cercle)
          Commune A ── Community A (CSCom A with its ASACO)      ← "inside"
          Commune B ── Community B (CSCom B with its ASACO)      ← "outside"

For every role there is a user of Community A (`cast.user(role)`), a user of Community B
(`cast.user(role, "b")`) and a user of the region above both (`cast.user(role, "above")`).
"""

from dataclasses import dataclass, field
from typing import Any

import pytest

from jigiya.accounts.models import User
from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import AssignmentFactory, UserFactory
from jigiya.places.models import Asaco, HealthCenter, Place, PlaceKind
from jigiya.places.tests.factories import AsacoFactory, HealthCenterFactory, PlaceFactory


@dataclass
class Cast:
    country: Place
    region: Place
    cercle: Place
    commune_a: Place
    commune_b: Place
    community_a: Place
    community_b: Place
    center_a: HealthCenter
    center_b: HealthCenter
    asaco_a: Asaco
    asaco_b: Asaco
    _users: dict[tuple[str, str], User] = field(default_factory=dict)

    def place(self, where: str) -> Place:
        return {"a": self.community_a, "b": self.community_b, "above": self.region}[where]

    def user(self, role: Role | str, where: str = "a") -> User:
        """A user holding `role` at Community A ("a"), Community B ("b") or the region ("above")."""
        key = (str(role), where)
        if key not in self._users:
            user = UserFactory(username=f"{role}-{where}")
            AssignmentFactory(user=user, role=role, place=self.place(where))
            self._users[key] = user
        return self._users[key]


@pytest.fixture
def cast(db: Any) -> Cast:
    country = PlaceFactory(kind=PlaceKind.COUNTRY, name="Mali", code="ML")
    region = PlaceFactory(kind=PlaceKind.REGION, name="Bamako", code="R", parent=country)
    cercle = PlaceFactory(kind=PlaceKind.CERCLE, name="Bamako", code="C", parent=region)
    commune_a = PlaceFactory(kind=PlaceKind.COMMUNE, name="Commune A", code="CA", parent=cercle)
    commune_b = PlaceFactory(kind=PlaceKind.COMMUNE, name="Commune B", code="CB", parent=cercle)
    community_a = PlaceFactory(name="Community A", code="A", parent=commune_a)
    community_b = PlaceFactory(name="Community B", code="B", parent=commune_b)
    center_a = HealthCenterFactory(name="CSCom A", code="HCA", place=community_a)
    center_b = HealthCenterFactory(name="CSCom B", code="HCB", place=community_b)
    community_a.health_center = center_a
    community_a.save(update_fields=["health_center"])
    community_b.health_center = center_b
    community_b.save(update_fields=["health_center"])
    return Cast(
        country=country,
        region=region,
        cercle=cercle,
        commune_a=commune_a,
        commune_b=commune_b,
        community_a=community_a,
        community_b=community_b,
        center_a=center_a,
        center_b=center_b,
        asaco_a=AsacoFactory(name="ASACO A", health_center=center_a),
        asaco_b=AsacoFactory(name="ASACO B", health_center=center_b),
    )


@pytest.fixture
def admin_user(cast: Cast) -> User:
    """An administrator of the whole country (not a Django superuser)."""
    user = UserFactory(username="national-admin")
    AssignmentFactory(user=user, role=Role.ADMIN, place=cast.country)
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Real hashing costs ~0.3 s a user by design; tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_rate_limits(settings: Any) -> None:
    # Tests (and the API fuzzer) make many calls from one address; a test of a rate limit
    # sets the rate it checks (accounts/tests/test_security.py).
    settings.API_RATE_LIMIT = ""
    settings.LOGIN_RATE_LIMIT = ""


@pytest.fixture(autouse=True)
def french_by_default() -> Any:
    """Each test starts in French, the default language, whatever an earlier request activated."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()
