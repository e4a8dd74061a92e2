"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b".

Each place gets the test world's mask cooperative (made through the services), a sale, an NGO
order with one delivery, a close, a count, a preparing group, a union and a training (its
first day recorded, the second not)."""

import datetime
import uuid
from typing import Any

from jigiya.cooperatives import services
from jigiya.cooperatives.models import (
    Cooperative,
    Customer,
    Delivery,
    Order,
    PreparingGroup,
    Sale,
    StockCount,
    Union,
)
from jigiya.cooperatives.services import DeliveryData, LineData, OrderData

D = datetime.date


def _world(cast: Any, where: str) -> Cooperative:
    name = f"Coopérative {where.upper()}"
    coop = Cooperative.objects.filter(name=name).first()
    if coop is not None:
        return coop
    from jigiya.cooperatives.tests.conftest import make_world

    world = make_world(cast, where, name=name)
    world.batch(20, made_on=D(2024, 6, 10))
    world.sale(2, sold_on=D(2024, 6, 11))
    ngo = services.customer_create(
        actor=world.manager, cooperative=world.coop, name=f"ONG {where}", kind="ngo"
    )
    order = services.order_create(
        actor=world.manager,
        cooperative=world.coop,
        data=OrderData(
            id=uuid.uuid4(), customer_id=ngo.pk, ordered_on=D(2024, 6, 5), channel="ngo",
            lines=[LineData(world.mask.pk, 10)],
        ),
    )  # fmt: skip
    services.delivery_record(
        actor=world.manager,
        order=order,
        data=DeliveryData(
            id=uuid.uuid4(), delivered_on=D(2024, 6, 12), received_by="Major",
            lines=[LineData(world.mask.pk, 4)],
        ),
    )  # fmt: skip
    services.equipment_add(
        actor=world.manager, cooperative=world.coop, item="Machine à coudre", quantity=2,
        acquired_on=D(2024, 1, 5), cost=170000,
    )  # fmt: skip
    services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 13), rule="pieces"
    )
    services.stock_count_record(
        actor=world.manager, cooperative=world.coop, counted_on=D(2024, 6, 20),
        counts={world.mask.pk: 13, world.fabric.pk: 500},
    )  # fmt: skip
    services.preparing_group_create(
        actor=world.manager, community=world.coop.community, name=f"Groupe {where.upper()}",
        activity="soap", women=12, stage="informed", since=D(2024, 5, 2),
    )  # fmt: skip
    union = services.union_create(
        actor=world.manager, place=world.coop.community, name=f"Union {where.upper()}",
        formed_on=D(2024, 2, 1),
    )  # fmt: skip
    services.union_join(
        actor=world.manager, union=union, cooperative=world.coop, joined_on=D(2024, 2, 1),
        yearly_dues=10000, board_role="présidente",
    )  # fmt: skip
    services.training_record(
        actor=world.manager, cooperative=world.coop, title=f"Formation {where.upper()}",
        topic="leadership", starts_on=D(2024, 6, 3), ends_on=D(2024, 6, 4),
        attended=[m.pk for m in world.members], days={D(2024, 6, 3): [world.members[0].pk]},
    )  # fmt: skip
    return world.coop


OBJECTS = {
    "cooperative_id": lambda cast, where: _world(cast, where).pk,
    "sale_id": lambda cast, where: Sale.objects.get(cooperative=_world(cast, where)).pk,
    "order_id": lambda cast, where: Order.objects.get(cooperative=_world(cast, where)).pk,
    "close_id": lambda cast, where: _world(cast, where).closes.get().pk,
    "equipment_id": lambda cast, where: _world(cast, where).equipment.get().pk,
    "delivery_id": lambda cast, where: (
        Delivery.objects.get(order__cooperative=_world(cast, where)).pk
    ),
    "count_id": lambda cast, where: StockCount.objects.get(cooperative=_world(cast, where)).pk,
    "customer_id": lambda cast, where: (
        Customer.objects.get(cooperative=_world(cast, where), kind="ngo").pk
    ),
    "preparing_group_id": lambda cast, where: (
        PreparingGroup.objects.get(community=_world(cast, where).community).pk
    ),
    "union_id": lambda cast, where: Union.objects.get(members__cooperative=_world(cast, where)).pk,
    "training_id": lambda cast, where: _world(cast, where).trainings.get().pk,
}
# Text that must never appear on a page shown to a user of the other place.
OUTSIDE_TEXT = {"b": ["Coopérative B", "ONG b", "Groupe B", "Union B", "Formation B"]}
