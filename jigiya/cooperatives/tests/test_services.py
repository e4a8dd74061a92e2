import datetime

from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.cooperatives import services
from jigiya.cooperatives.models import (
    Cooperative,
    CoopStatus,
    CoopStatusChange,
    Member,
    Price,
)
from jigiya.cooperatives.tests.conftest import person
from jigiya.core.models import AuditEntry
from jigiya.core.tests.refusals import refused_unchanged

D = datetime.date


def test_a_cooperative_is_incorporated_with_its_registration_and_keeps_its_history(world):
    coop = services.cooperative_status_change(
        actor=world.manager, cooperative=world.coop, status=CoopStatus.ACTIVE, on=D(2023, 4, 1)
    )
    assert coop.registration_number == "SCOOPS-BKO-2023-017"
    assert coop.registration_authority == "DRDSES Bamako"
    assert list(CoopStatusChange.objects.filter(cooperative=coop).values_list("status", "on")) == [
        ("forming", D(2023, 1, 10)),
        ("incorporated", D(2023, 3, 1)),
        ("active", D(2023, 4, 1)),
    ]
    assert AuditEntry.objects.filter(model="cooperatives.cooperative").count() == 3


def test_incorporation_without_registration_is_refused(cast):
    manager = cast.user(Role.COOPERATIVE_MANAGER, "a")
    coop = services.cooperative_create(
        actor=manager, community=cast.community_a, name="Sabunyuman", activity="soap",
        formed_on=D(2024, 1, 5),
    )  # fmt: skip

    def state():
        return list(Cooperative.objects.values_list("status", "registration_number"))

    with translation.override("en"):
        errors = refused_unchanged(
            state, services.cooperative_status_change, actor=manager, cooperative=coop,
            status="incorporated", on=D(2024, 2, 1),
        )  # fmt: skip
    assert errors == {
        "registration_number": ["Give the registration number."],
        "registered_on": ["Give the date of registration."],
        "registration_authority": ["Give the authority that registered it."],
    }
    assert CoopStatusChange.objects.filter(cooperative=coop).count() == 1


def test_a_member_added_twice_is_refused(world):
    awa = world.members[0].person
    with translation.override("en"):
        errors = refused_unchanged(
            Member.objects.count, services.member_add, actor=world.manager,
            cooperative=world.coop, person=awa, joined_on=D(2024, 1, 1),
        )  # fmt: skip
    assert errors == {"person": ["Awa Coulibaly is already a member."]}


def test_a_member_from_outside_the_managers_places_is_refused(world, cast):
    stranger = person(cast.community_b, "Kadia")
    with translation.override("en"):
        errors = refused_unchanged(
            Member.objects.count, services.member_add, actor=world.manager,
            cooperative=world.coop, person=stranger, joined_on=D(2024, 1, 1),
        )  # fmt: skip
    assert errors == {"person": ["This person lives outside your places."]}


def test_a_new_price_closes_the_running_one_the_day_before(world):
    services.price_set(
        actor=world.manager, product=world.mask, channel="walk_in", amount=1250,
        valid_from=D(2024, 7, 1),
    )  # fmt: skip
    prices = Price.objects.filter(product=world.mask, channel="walk_in")
    assert list(prices.values_list("amount", "valid_from", "valid_until")) == [
        (1000, D(2024, 1, 1), D(2024, 6, 30)),
        (1250, D(2024, 7, 1), None),
    ]
    assert services.price_on(world.mask, "walk_in", D(2024, 6, 30), "x") == 1000
    assert services.price_on(world.mask, "walk_in", D(2024, 7, 1), "x") == 1250


def test_a_price_overlapping_another_is_refused(world):
    with translation.override("en"):
        errors = refused_unchanged(
            Price.objects.count, services.price_set, actor=world.manager, product=world.mask,
            channel="walk_in", amount=800, valid_from=D(2023, 12, 1), valid_until=D(2024, 2, 1),
        )  # fmt: skip
    assert errors == {"valid_from": ["A Walk-in price of Adult mask already runs from 2024-01-01."]}
