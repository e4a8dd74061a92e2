"""`jigiya generate`: exact counts, a consistent place tree, idempotence and reproducibility.

The hidden `tiny` scale is 1 region, 2 cercles, 3 communes, 8 communities (spread 2 + 1
communes, 3 + 3 + 2 communities), so uneven splits are exercised.
"""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from jigiya.accounts.models import Assignment, User
from jigiya.accounts.roles import Role
from jigiya.core.generate import SCALES, STEPS, discover_steps, split
from jigiya.core.tests.worlds import rolled_back
from jigiya.places.models import (
    Asaco,
    BoardMember,
    GeneralAssembly,
    HealthCenter,
    Place,
    PlaceKind,
)

GENERATED = {"code__startswith": "GEN-"}
DEMO_PLACES = 15
DEMO_USERS = 17  # one login per role, a CHW per other community, a facilitator in Sikasso


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo world, loaded once for the module (a minute each time): `generate` loads it
    first and, finding it there, only checks it, as on a server where it was loaded before."""
    with rolled_back(django_db_blocker):
        call_command("demo", stdout=io.StringIO())
        yield


@pytest.fixture
def db(demo_world: None, db: Any) -> Any:
    """Each test's transaction, inside the module's demo world."""
    return db


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    # The demo loader hashes ten passwords; PBKDF2 would make every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate", *args, "--no-progress", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Everything generated, as comparable rows (ids included: they come from the seed)."""
    return {
        "places": list(
            Place.objects.filter(**GENERATED)
            .order_by("code")
            .values_list("id", "code", "name", "kind", "path", "depth", "health_center__code")
        ),
        "centers": list(
            HealthCenter.objects.filter(**GENERATED)
            .order_by("code")
            .values_list("id", "code", "name", "place__code", "latitude", "partner_since")
        ),
        "board": list(
            BoardMember.objects.filter(asaco__health_center__code__startswith="GEN-")
            .order_by("id")
            .values_list("id", "full_name", "role", "term_start")
        ),
        "users": list(
            User.objects.filter(username__startswith="gen.")
            .order_by("username")
            .values_list("id", "username", "first_name", "last_name", "phone")
        ),
    }


def test_split_spreads_the_remainder_over_the_first_parents() -> None:
    assert split(10, 3) == [4, 3, 3]
    assert split(8, 3) == [3, 3, 2]
    assert split(3, 3) == [1, 1, 1]
    with pytest.raises(ValueError):
        split(1, 0)


def test_steps_run_in_installed_apps_order_whatever_the_import_order() -> None:
    from jigiya.accounts import generate as accounts_generate
    from jigiya.places import generate as places_generate

    # Given the accounts step registered before the places step it depends on
    saved = list(STEPS)
    STEPS[:] = [accounts_generate.STEP, places_generate.STEP]
    try:
        names = [step.name for step in discover_steps()]
    finally:
        STEPS[:] = saved

    # then places still run first.
    assert names.index("places") < names.index("accounts")


def test_tiny_scale_creates_exact_counts(db: Any) -> None:
    # Given an empty database, when the tiny scale is generated
    output = generate("--scale", "tiny")

    # then the demo world is there and every generated table has exactly the tiny numbers.
    assert User.objects.filter(username__in=["admin", "relais.sotuba"]).count() == 2
    kinds = dict(Place.objects.filter(**GENERATED).values_list("kind").annotate(n=Count("id")))
    assert kinds == {"region": 1, "cercle": 2, "commune": 3, "community": 8}
    assert Place.objects.count() == DEMO_PLACES + 14
    assert HealthCenter.objects.filter(**GENERATED).count() == 3
    assert Asaco.objects.filter(health_center__code__startswith="GEN-").count() == 3
    assert BoardMember.objects.filter(asaco__health_center__code__startswith="GEN-").count() == 15
    assert (
        GeneralAssembly.objects.filter(asaco__health_center__code__startswith="GEN-").count() == 6
    )
    # 8 CHWs, 3 supervisors, 3 health-center staff, 3 in each of 2 cercles, 2 in the region.
    assert User.objects.filter(username__startswith="gen.").count() == 22
    assert User.objects.count() == DEMO_USERS + 22
    roles = dict(
        Assignment.objects.filter(user__username__startswith="gen.")
        .values_list("role")
        .annotate(n=Count("id"))
    )
    assert roles == {
        Role.CHW: 8,
        Role.CHW_SUPERVISOR: 3,
        Role.HEALTH_CENTER_STAFF: 3,
        Role.QI_COACH: 2,
        Role.SAVINGS_FACILITATOR: 2,
        Role.COOPERATIVE_MANAGER: 2,
        Role.PROGRAM_MANAGER: 1,
        Role.ME_OFFICER: 1,
    }
    assert "places: created 1 regions, 2 cercles, 3 communes, 8 communities" in output
    assert "accounts: created 22 users, 22 assignments" in output


def test_children_are_spread_evenly(db: Any) -> None:
    generate("--scale", "tiny")

    def children_per_parent(kind: str) -> list[int]:
        return sorted(
            Place.objects.filter(kind=kind, **GENERATED)
            .values("parent")
            .annotate(n=Count("id"))
            .values_list("n", flat=True)
        )

    assert children_per_parent(PlaceKind.CERCLE) == [2]
    assert children_per_parent(PlaceKind.COMMUNE) == [1, 2]
    assert children_per_parent(PlaceKind.COMMUNITY) == [2, 3, 3]


def test_generated_places_form_a_consistent_tree_under_mali(db: Any) -> None:
    generate("--scale", "tiny")

    country = Place.objects.get(code="ML")
    expected_depth = {"region": 1, "cercle": 2, "commune": 3, "community": 4}
    expected_parent_kind = {
        "region": "country",
        "cercle": "region",
        "commune": "cercle",
        "community": "commune",
    }
    places = Place.objects.filter(**GENERATED).select_related("parent")
    assert places.count() == 14
    for place in places:
        assert place.parent is not None
        assert place.path == f"{place.parent.path}{place.pk.hex}/"
        assert place.depth == place.parent.depth + 1 == expected_depth[place.kind]
        assert place.parent.kind == expected_parent_kind[place.kind]
        assert place.path.startswith(country.path)
    regions = places.filter(kind=PlaceKind.REGION)
    assert [region.parent_id for region in regions] == [country.pk]


def test_every_community_has_a_health_center_in_its_commune(db: Any) -> None:
    generate("--scale", "tiny")

    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY, **GENERATED).select_related(
        "health_center__place"
    )
    assert communities.count() == 8
    for community in communities:
        center = community.health_center
        assert center is not None
        assert center.code.startswith("GEN-")
        # The CSCom stands in a community of the same commune.
        assert center.place.parent_id == community.parent_id
    # One partner CSCom per commune, each with its ASACO.
    communes = Place.objects.filter(kind=PlaceKind.COMMUNE, **GENERATED)
    for commune in communes:
        centers = HealthCenter.objects.filter(place__parent=commune)
        assert centers.count() == 1
        assert Asaco.objects.filter(health_center=centers.get()).count() == 1
    # Only communities are linked to a health area.
    assert not Place.objects.filter(health_center__isnull=False).exclude(kind="community")


def test_codes_and_usernames_are_unique_and_marked(db: Any) -> None:
    generate("--scale", "tiny")

    codes = list(Place.objects.filter(**GENERATED).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 14
    center_codes = list(HealthCenter.objects.filter(**GENERATED).values_list("code", flat=True))
    assert sorted(center_codes) == ["GEN-CSCOM-001", "GEN-CSCOM-002", "GEN-CSCOM-003"]
    # Every generated user has exactly one assignment, on a generated place.
    for user in User.objects.filter(username__startswith="gen.").prefetch_related(
        "assignments__place"
    ):
        assert [a.place.code[:4] for a in user.assignments.all()] == ["GEN-"]


def test_generated_users_sign_in_with_the_demo_password(db: Any) -> None:
    generate("--scale", "tiny")

    user = User.objects.get(username="gen.chw.0001")
    assert user.check_password("Jigiya-demo-2026")
    assert not user.check_password("wrong")
    # One hash for everybody (same salt): hashed once, not once per user.
    assert User.objects.filter(username__startswith="gen.", password=user.password).count() == 22


def test_running_twice_creates_nothing_twice(db: Any) -> None:
    generate("--scale", "tiny")
    before = snapshot()
    place_count, user_count = Place.objects.count(), User.objects.count()

    output = generate("--scale", "tiny")

    assert snapshot() == before
    assert Place.objects.count() == place_count
    assert User.objects.count() == user_count
    assert "places: already generated at the tiny scale, nothing to do." in output
    assert "accounts: already generated at the tiny scale, nothing to do." in output


def test_the_demo_beside_generated_data_recomputes_only_its_own_communities(db: Any) -> None:
    """`generate` computes the generated communities' indicators once, after loading them; it
    runs `demo` first each time, and recomputing the indicators of 10 M generated visits there
    took five minutes. Beside generated data, `demo` recomputes only the demo world's."""
    from jigiya.indicators.models import IndicatorValue

    output = generate("--scale", "tiny")
    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    generated = communities.filter(**GENERATED)
    demo = communities.exclude(**GENERATED)
    visits = IndicatorValue.objects.filter(indicator="health.visits", breakdown="")
    # `generate` computed the generated communities' indicators once, after the load.
    assert set(visits.filter(place__in=generated).values_list("place", flat=True)) == set(
        generated.values_list("pk", flat=True)
    )
    assert "values of the generated places" in output
    # Sentinels where the demo run would write: a generated community and a demo one.
    on_generated = visits.filter(place__in=generated).first()
    assert on_generated is not None
    on_demo = visits.filter(place__in=demo, numerator__gt=0).first()
    assert on_demo is not None
    expected_demo = on_demo.numerator
    visits.filter(pk__in=[on_generated.pk, on_demo.pk]).update(numerator=-7)

    call_command("demo", stdout=io.StringIO())

    assert visits.get(pk=on_generated.pk).numerator == -7  # not recomputed
    assert visits.get(place=on_demo.place, month=on_demo.month).numerator == expected_demo


def test_another_scale_over_generated_data_is_refused_and_changes_nothing(db: Any) -> None:
    generate("--scale", "tiny")
    before = snapshot()

    with pytest.raises(CommandError, match="run with --reset"):
        generate("--scale", "district")

    assert snapshot() == before


def test_reset_replaces_generated_data_and_keeps_the_demo_world(db: Any) -> None:
    generate("--scale", "tiny")
    demo_place_ids = set(Place.objects.exclude(**GENERATED).values_list("id", flat=True))

    generate("--scale", "district", "--reset")

    district = SCALES["district"]
    assert Place.objects.filter(kind=PlaceKind.COMMUNITY, **GENERATED).count() == 60
    assert Place.objects.filter(kind=PlaceKind.COMMUNE, **GENERATED).count() == 10
    assert Place.objects.filter(kind=PlaceKind.CERCLE, **GENERATED).count() == 3
    assert HealthCenter.objects.filter(**GENERATED).count() == district.health_centers == 10
    assert User.objects.filter(username__startswith="gen.").count() == 60 + 10 + 10 + 9 + 2
    assert set(Place.objects.exclude(**GENERATED).values_list("id", flat=True)) == demo_place_ids
    assert User.objects.exclude(username__startswith="gen.").count() == DEMO_USERS


def test_reset_with_the_demo_scale_leaves_only_the_demo_world(db: Any) -> None:
    generate("--scale", "tiny")

    generate("--scale", "demo", "--reset")

    assert not Place.objects.filter(**GENERATED).exists()
    assert not HealthCenter.objects.filter(**GENERATED).exists()
    assert not User.objects.filter(username__startswith="gen.").exists()
    assert Place.objects.count() == DEMO_PLACES
    assert User.objects.count() == DEMO_USERS


def test_same_seed_same_data_other_seed_other_data(db: Any) -> None:
    generate("--scale", "tiny", "--seed", "7")
    first = snapshot()

    generate("--scale", "tiny", "--seed", "7", "--reset")
    assert snapshot() == first

    generate("--scale", "tiny", "--seed", "8", "--reset")
    other = snapshot()
    assert [row[2] for row in other["places"]] != [row[2] for row in first["places"]]
    assert [row[0] for row in other["users"]] != [row[0] for row in first["users"]]


def test_unknown_scale_is_refused(db: Any) -> None:
    with pytest.raises(CommandError, match="Unknown scale “huge”"):
        generate("--scale", "huge")
    assert Place.objects.count() == DEMO_PLACES
    assert not Place.objects.filter(**GENERATED).exists()
