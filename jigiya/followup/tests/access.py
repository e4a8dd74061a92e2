"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b"."""

import datetime
from typing import Any

from jigiya.accounts.roles import Role
from jigiya.followup.models import Referral, Visit
from jigiya.registry.tests.access import household, person


def _visit(cast: Any, where: str) -> Visit:
    return Visit.objects.get_or_create(
        household=household(cast, where),
        date=datetime.date(2025, 3, 1),
        defaults={"chw": cast.user(Role.CHW, where)},
    )[0]


def _referral(cast: Any, where: str) -> Referral:
    return Referral.objects.get_or_create(
        person=person(cast, where),
        referred_on=datetime.date(2025, 3, 1),
        defaults={
            "health_center": cast.center_a if where == "a" else cast.center_b,
            "reasons": ["other"],
            "urgency": "urgent",
        },
    )[0]


OBJECTS = {
    "visit_id": lambda cast, where: _visit(cast, where).pk,
    "referral_id": lambda cast, where: _referral(cast, where).pk,
}
OUTSIDE_TEXT: dict[str, list[str]] = {"b": []}
