"""Generated users, each with one assignment on the generated places. Usernames start `gen.`.

Who works where: a CHW in every community, a CHW supervisor in every commune, a staff member at
every health center, a QI coach, a savings facilitator and a cooperative manager in every
cercle, a program manager and an M&E officer in every region. Every generated user signs in
with the demo password (hashed once: hashing a thousand times would take minutes).
"""

import random

from django.contrib.auth.hashers import make_password

from jigiya.accounts.demo import DEMO_PASSWORD
from jigiya.accounts.models import Assignment, User
from jigiya.accounts.roles import Role
from jigiya.core.generate import (
    CODE_PREFIX,
    USERNAME_PREFIX,
    Counts,
    GenerateError,
    Progress,
    Scale,
    Step,
    bulk_insert,
    delete,
    new_id,
    person_name,
    phone_number,
    register_step,
)
from jigiya.places.models import HealthCenter, Place, PlaceKind

# Who is assigned at each kind of place, and how many of them are women (most CHWs are).
STAFFING: list[tuple[PlaceKind, Role, float]] = [
    (PlaceKind.REGION, Role.PROGRAM_MANAGER, 0.5),
    (PlaceKind.REGION, Role.ME_OFFICER, 0.5),
    (PlaceKind.CERCLE, Role.QI_COACH, 0.5),
    (PlaceKind.CERCLE, Role.SAVINGS_FACILITATOR, 0.9),
    (PlaceKind.CERCLE, Role.COOPERATIVE_MANAGER, 0.9),
    (PlaceKind.COMMUNE, Role.CHW_SUPERVISOR, 0.6),
    (PlaceKind.COMMUNITY, Role.CHW, 0.8),
]


def _expected_users(scale: Scale) -> int:
    per_kind = {
        PlaceKind.REGION: scale.regions,
        PlaceKind.CERCLE: scale.cercles,
        PlaceKind.COMMUNE: scale.communes,
        PlaceKind.COMMUNITY: scale.communities,
    }
    return sum(per_kind[kind] for kind, _role, _women in STAFFING) + scale.health_centers


def size(scale: Scale) -> int:
    return 2 * _expected_users(scale)  # a user and an assignment each


def generate(scale: Scale, rng: random.Random, progress: Progress) -> Counts:
    """The users of `scale` with their assignments; nothing when they are already there."""
    expected = _expected_users(scale)
    existing = User.objects.filter(username__startswith=USERNAME_PREFIX).count()
    if existing == expected:
        return {}
    if existing:
        raise GenerateError(
            f"{existing} generated users of another scale are in the database "
            f"(the {scale.name} scale has {expected}): run with --reset."
        )
    progress.set_description("users")
    places = list(Place.objects.filter(code__startswith=CODE_PREFIX).order_by("code"))
    centers = list(
        HealthCenter.objects.filter(code__startswith=CODE_PREFIX)
        .select_related("place")
        .order_by("code")
    )
    postings: list[tuple[Role, Place, float]] = [
        (role, place, women)
        for kind, role, women in STAFFING
        for place in places
        if place.kind == kind
    ]
    postings += [(Role.HEALTH_CENTER_STAFF, center.place, 0.6) for center in centers]
    if len(postings) != expected:
        raise GenerateError(
            f"The generated places do not match the {scale.name} scale: run with --reset."
        )

    password = make_password(DEMO_PASSWORD)
    users = []
    assignments = []
    numbers: dict[Role, int] = {}
    for role, place, women in postings:
        numbers[role] = numbers.get(role, 0) + 1
        first, last, _sex = person_name(rng, women_share=women)
        user = User(
            id=new_id(rng),
            username=f"{USERNAME_PREFIX}{role.value.replace('_', '-')}.{numbers[role]:04d}",
            first_name=first,
            last_name=last,
            phone=phone_number(rng),
            # Field workers often prefer Bambara.
            language="bm" if role == Role.CHW and rng.random() < 0.4 else "fr",
            password=password,
        )
        users.append(user)
        assignments.append(Assignment(id=new_id(rng), user=user, role=role, place=place))
    bulk_insert(User, users, progress)
    bulk_insert(Assignment, assignments, progress)
    return {"users": len(users), "assignments": len(assignments)}


def reset() -> Counts:
    """Delete every generated user (their assignments go with them)."""
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    assignments = delete(Assignment.objects.filter(user__in=users))
    return {"users": delete(users), "assignments": assignments}


def count() -> Counts:
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    return {
        "users": users.count(),
        "assignments": Assignment.objects.filter(user__in=users).count(),
    }


STEP = register_step(Step(name="accounts", generate=generate, size=size, reset=reset, count=count))
