import datetime
from typing import Any

import factory

from jigiya.registry import services
from jigiya.registry.models import (
    Enrollment,
    FollowupProgram,
    Household,
    Person,
    Pregnancy,
    Relationship,
    name_key,
)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Famille {n}")
    community = None


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = None
    given_name = factory.Sequence(lambda n: f"Awa{n}")
    family_name = "Traoré"
    sex = "F"
    relationship = Relationship.CHILD
    birth_date = datetime.date(2024, 1, 15)
    name_key = factory.LazyAttribute(lambda person: name_key(person.given_name, person.family_name))


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    person = None
    program = FollowupProgram.CHILD
    start = datetime.date(2025, 1, 1)


class PregnancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pregnancy

    woman = None
    lmp = datetime.date(2025, 1, 1)
    edd = datetime.date(2025, 10, 8)


def register_person(actor: Any, household: Household, **kwargs: Any) -> Person:
    """Fatoumata Diarra, a child of the household born on 1 March 2024, registered through
    the service (with `kwargs` changing any detail)."""
    data = {
        "given_name": "Fatoumata",
        "family_name": "Diarra",
        "sex": "F",
        "relationship": "child",
        "birth_date": datetime.date(2024, 3, 1),
    }
    return services.person_register(actor=actor, household=household, **{**data, **kwargs})


def details_of(person: Person, **changes: Any) -> dict[str, Any]:
    """The person's details as `person_update` takes them, with `changes`."""
    return {**{field: getattr(person, field) for field in services.PERSON_DETAILS}, **changes}
