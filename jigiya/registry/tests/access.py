"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b"."""

import datetime
from typing import Any

from jigiya.registry.models import Enrollment, Household, Person, Pregnancy, name_key


def household(cast: Any, where: str) -> Household:
    return Household.objects.get_or_create(
        name=f"Household {where}", defaults={"community": cast.place(where)}
    )[0]


def person(cast: Any, where: str) -> Person:
    given, family = f"Woman{where}", "Access"
    return Person.objects.get_or_create(
        household=household(cast, where),
        given_name=given,
        defaults={
            "family_name": family,
            "sex": "F",
            "relationship": "head",
            "birth_date": datetime.date(1995, 1, 1),
            "name_key": name_key(given, family),
        },
    )[0]


def pregnancy(cast: Any, where: str) -> Pregnancy:
    return Pregnancy.objects.get_or_create(
        woman=person(cast, where),
        defaults={"lmp": datetime.date(2025, 1, 1), "edd": datetime.date(2025, 10, 8)},
    )[0]


def enrollment(cast: Any, where: str) -> Enrollment:
    return Enrollment.objects.get_or_create(
        person=person(cast, where),
        program="pregnancy",
        defaults={"start": datetime.date(2025, 1, 1)},
    )[0]


OBJECTS = {
    "household_id": lambda cast, where: household(cast, where).pk,
    "person_id": lambda cast, where: person(cast, where).pk,
    "pregnancy_id": lambda cast, where: pregnancy(cast, where).pk,
    "enrollment_id": lambda cast, where: enrollment(cast, where).pk,
}
# Text that must never appear on a page shown to a user of the other place.
OUTSIDE_TEXT = {"b": ["Household b", "Womanb"]}
