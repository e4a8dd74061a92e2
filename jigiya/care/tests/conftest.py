"""One care world for every test: Community A's CSCom A paid by a free-care scheme funded by a
donor; the Diarra household (assessed *free*) with Fanta, a child under five, and her mother
Awa, pregnant; both covered from 1 January 2026. Users: the CSCom's staff (`staff`), a CHW
supervisor (`decider`), the program manager (`manager`) and the M&E officer (`verifier`)."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from jigiya.accounts.models import User
from jigiya.accounts.roles import Role
from jigiya.care import services
from jigiya.care.models import Coverage, Scheme
from jigiya.donors.models import Donor, Funding
from jigiya.places.models import HealthCenter
from jigiya.registry import services as registry_services
from jigiya.registry.models import Household, Person, Pregnancy

D = datetime.date


@dataclass
class World:
    cast: Any
    center: HealthCenter
    scheme: Scheme
    household: Household
    child: Person
    mother: Person
    child_cover: Coverage
    mother_cover: Coverage
    staff: User
    decider: User
    manager: User
    verifier: User
    funding: Funding

    def line(self, person: Person | None = None, **kw: Any) -> Any:
        fields = {"day": D(2026, 11, 3), "service": "consultation", "amount": 2500, **kw}
        return services.care_line_record(
            actor=self.staff, health_center=self.center, person=person or self.child, **fields
        )


def covered_person(cast: Any, household: Household, **fields: Any) -> Person:
    return Person.objects.create(household=household, family_name="Diarra", **fields)


@pytest.fixture(autouse=True)
def english(client: Any) -> Any:
    """Messages compared in English, the source language, whatever the catalogue says: the
    services' (translation.override) and the pages' (they follow the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def today() -> Any:
    """Every care test runs on 3 December 2026, 10:00 in Bamako."""
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def world(cast: Any) -> World:
    donor = Donor.objects.create(name="Fondation Santé", code="FS")
    funding = Funding.objects.create(
        donor=donor, program="health", place=cast.region, start=D(2025, 1, 1)
    )
    manager = cast.user(Role.PROGRAM_MANAGER, "above")
    scheme = services.scheme_create(
        actor=manager, name="Soins gratuits", place=cast.region, level="free",
        services=["consultation", "medicines", "delivery"], health_centers=[cast.center_a],
        valid_from=D(2025, 1, 1), funding=funding, ceiling=10_000,
    )  # fmt: skip
    household = Household.objects.create(community=cast.community_a, name="Diarra")
    registry_services.least_access_assess(
        actor=cast.user(Role.CHW), household=household, assessed_on=D(2025, 12, 1),
        criteria=["no_regular_income", "could_not_pay_care", "food_insecure"],
    )  # fmt: skip
    child = covered_person(
        cast, household, given_name="Fanta", sex="F", relationship="child",
        birth_date=D(2023, 3, 1),
    )  # fmt: skip
    mother = covered_person(
        cast, household, given_name="Awa", sex="F", relationship="spouse",
        birth_date=D(1998, 5, 5),
    )  # fmt: skip
    Pregnancy.objects.create(woman=mother, lmp=D(2026, 6, 1), edd=D(2027, 3, 8))
    decider = cast.user(Role.CHW_SUPERVISOR)
    covers = [
        services.coverage_decide(
            actor=decider, person=p, scheme=scheme, start=start, reason="Least access: free"
        )
        for p, start in ((child, D(2026, 1, 1)), (mother, D(2026, 6, 1)))
    ]
    return World(
        cast=cast, center=cast.center_a, scheme=scheme, household=household, child=child,
        mother=mother, child_cover=covers[0], mother_cover=covers[1],
        staff=cast.user(Role.HEALTH_CENTER_STAFF), decider=decider, manager=manager,
        verifier=cast.user(Role.ME_OFFICER, "above"), funding=funding,
    )  # fmt: skip
