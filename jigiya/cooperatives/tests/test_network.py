import datetime
import uuid

from django.utils import translation

from jigiya.cooperatives import indicators, services
from jigiya.cooperatives.models import Participant, Training, UnionMember
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.indicators.catalog import Cells

D = datetime.date


def test_a_training_counts_the_women_who_attended(world, cast):
    m = world.members
    training = services.training_record(
        actor=world.manager, cooperative=world.coop, title="Leadership", topic="leadership",
        partner="DRDSES", starts_on=D(2024, 6, 3), ends_on=D(2024, 6, 5),
        attended=[m[0].pk, m[1].pk], certified=[m[0].pk], id=uuid.uuid4(),
    )  # fmt: skip
    assert sorted(
        Participant.objects.filter(training=training).values_list("certified", flat=True)
    ) == [False, True]
    cells = Cells(place_ids=frozenset({cast.community_a.pk}), months=frozenset({D(2024, 6, 1)}))
    assert [(f.numerator) for f in indicators.women_trained(cells)] == [2]


def test_a_certificate_for_someone_absent_is_refused(world):
    m = world.members
    with translation.override("en"):
        errors = refused_unchanged(
            Training.objects.count, services.training_record, actor=world.manager,
            cooperative=world.coop, title="Gestion", topic="management", starts_on=D(2024, 6, 3),
            ends_on=D(2024, 6, 5), attended=[m[0].pk], certified=[m[1].pk],
        )  # fmt: skip
    assert errors == {"certified": ["Only a member who attended is certified."]}


def test_a_cooperative_joins_a_union_once(world, cast):
    union = services.union_create(
        actor=world.manager, place=cast.community_a, name="Union de Community A",
        formed_on=D(2024, 1, 1),
    )  # fmt: skip
    services.union_join(
        actor=world.manager, union=union, cooperative=world.coop, joined_on=D(2024, 2, 1),
        yearly_dues=25000,
    )  # fmt: skip
    with translation.override("en"):
        errors = refused_unchanged(
            UnionMember.objects.count, services.union_join, actor=world.manager, union=union,
            cooperative=world.coop, joined_on=D(2024, 3, 1),
        )  # fmt: skip
    assert errors == {"cooperative": ["Jèkafo masques is already in the union."]}


def test_equipment_is_maintained_from_the_cash_and_disposed_of(world, cast, client):
    from jigiya.cooperatives import cash
    from jigiya.cooperatives.models import Equipment, Maintenance

    machines = services.equipment_add(
        actor=world.manager, cooperative=world.coop, item="Machine à coudre", quantity=5,
        acquired_on=D(2024, 1, 5), cost=425000, holder="Atelier",
    )  # fmt: skip
    world.batch(10)
    world.sale(10, paid=10000)
    services.equipment_maintain(
        actor=world.manager, equipment=machines, on=D(2024, 6, 25),
        description="Courroie changée", condition="good", cost=2500,
    )  # fmt: skip
    assert cash.balance(world.coop.pk) == 10000 - 2500
    with translation.override("en"):
        errors = refused_unchanged(
            lambda: (Maintenance.objects.count(), cash.balance(world.coop.pk)),
            services.equipment_maintain, actor=world.manager, equipment=machines,
            on=D(2024, 6, 26), description="Moteur", condition="needs_repair", cost=9000,
        )  # fmt: skip
    assert errors == {"cost": ["The cash holds 7\xa0500\xa0FCFA; 9\xa0000\xa0FCFA cannot go out."]}
    cells = Cells(place_ids=frozenset({cast.community_a.pk}), months=frozenset({D(2024, 6, 1)}))
    assert [f.numerator for f in indicators.equipment_in_use(cells)] == [5]
    client.force_login(world.manager)
    response = client.post(
        f"/api/v1/cooperatives/equipment/{machines.pk}/disposal",
        {"on": "2024-06-28", "reason": "Volées"}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    assert Equipment.objects.get().disposed_on == D(2024, 6, 28)
    assert list(indicators.equipment_in_use(cells)) == []
