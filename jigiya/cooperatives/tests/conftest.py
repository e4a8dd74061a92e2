import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.cooperatives import services
from jigiya.cooperatives.models import (
    Channel,
    Cooperative,
    CoopStatus,
    Member,
    MemberRole,
    Product,
    StockEntry,
    StockLevel,
    StockLine,
)
from jigiya.registry.models import Household, Person

D = datetime.date


@pytest.fixture(autouse=True)
def english(client: Any) -> Any:
    """Messages compared in English, the source language, whatever the catalogue says: the
    services' (translation.override) and the pages' (they follow the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fixed_today():
    """Every cooperatives test runs on 2024-06-30."""
    with time_machine.travel(datetime.datetime(2024, 6, 30, 12, tzinfo=datetime.UTC), tick=False):
        yield


def person(community: Any, name: str) -> Person:
    household = Household.objects.create(community=community, name=f"Famille {name}")
    return Person.objects.create(
        household=household, given_name=name, family_name="Coulibaly", sex="F",
        relationship="spouse", birth_date=D(1985, 3, 4),
    )  # fmt: skip


@dataclass
class World:
    """The mask cooperative of Community A: 3 members, adult masks (walk-in 1 000, NGO 900
    from 1 Jan 2024), fabric (cm) and elastic (cm) as inputs: an adult mask uses 25 cm of
    fabric and 40 cm of elastic. In stock: 1 000 cm of fabric, 2 000 cm of elastic."""

    coop: Cooperative
    members: list[Member]
    mask: Product
    child_mask: Product
    fabric: Product
    elastic: Product
    manager: Any

    def batch(self, quantity: int, **kwargs: Any) -> Any:
        return services.batch_record(
            actor=self.manager,
            cooperative=self.coop,
            data=services.BatchData(
                id=kwargs.pop("id", uuid.uuid4()),
                product_id=kwargs.pop("product_id", self.mask.pk),
                quantity=quantity,
                made_on=kwargs.pop("made_on", D(2024, 6, 10)),
                workers=kwargs.pop("workers", [services.WorkerLine(member_id=self.members[0].pk)]),
                **kwargs,
            ),
        )

    def sale(self, quantity: int, **kwargs: Any) -> Any:
        return services.sale_record(
            actor=self.manager,
            cooperative=self.coop,
            data=services.SaleData(
                id=kwargs.pop("id", uuid.uuid4()),
                sold_on=kwargs.pop("sold_on", D(2024, 6, 20)),
                lines=kwargs.pop("lines", [services.LineData(self.mask.pk, quantity)]),
                **kwargs,
            ),
        )


def stock_state() -> tuple:
    """Everything a refused posting must leave as it was."""
    return (
        StockEntry.objects.count(),
        StockLine.objects.count(),
        sorted(StockLevel.objects.values_list("product_id", "quantity")),
    )


def make_world(cast: Any, where: str = "a", name: str = "Jèkafo masques") -> World:
    manager = cast.user(Role.COOPERATIVE_MANAGER, where)
    coop = services.cooperative_create(
        actor=manager, community=cast.place(where), name=name,
        activity="masks", formed_on=D(2023, 1, 10),
    )  # fmt: skip
    coop = services.cooperative_status_change(
        actor=manager, cooperative=coop, status=CoopStatus.INCORPORATED, on=D(2023, 3, 1),
        registration_number="SCOOPS-BKO-2023-017", registered_on=D(2023, 3, 1),
        registration_authority="DRDSES Bamako",
    )  # fmt: skip
    members = [
        services.member_add(
            actor=manager,
            cooperative=coop,
            person=person(cast.place(where), first),
            joined_on=D(2023, 1, 10),
            role=role,
            skills="couture",
            share_capital=5000,
        )
        for first, role in (
            ("Awa", MemberRole.PRESIDENT),
            ("Fanta", MemberRole.TREASURER),
            ("Mariam", MemberRole.MEMBER),
        )
    ]
    mask = services.product_create(
        actor=manager, cooperative=coop, name="Adult mask", kind="product", unit="piece"
    )
    child = services.product_create(
        actor=manager, cooperative=coop, name="Child mask", kind="product", unit="piece"
    )
    fabric = services.product_create(
        actor=manager, cooperative=coop, name="Fabric", kind="input", unit="centimetre"
    )
    elastic = services.product_create(
        actor=manager, cooperative=coop, name="Elastic", kind="input", unit="centimetre"
    )
    services.material_set(actor=manager, product=mask, component=fabric, quantity=25)
    services.material_set(actor=manager, product=mask, component=elastic, quantity=40)
    for product, channel, amount in (
        (mask, Channel.WALK_IN, 1000), (mask, Channel.NGO, 900), (child, Channel.WALK_IN, 600),
    ):  # fmt: skip
        services.price_set(
            actor=manager, product=product, channel=channel, amount=amount,
            valid_from=D(2024, 1, 1),
        )  # fmt: skip
    for product, quantity in ((fabric, 1000), (elastic, 2000)):
        services.purchase_record(
            actor=manager, cooperative=coop,
            data=services.PurchaseData(
                id=uuid.uuid4(), product_id=product.pk, quantity=quantity, cost=quantity * 5,
                bought_on=D(2024, 6, 1), supplier="Marché Rose",
            ),
        )  # fmt: skip
    return World(coop, members, mask, child, fabric, elastic, manager)


@pytest.fixture
def world(cast: Any) -> World:
    return make_world(cast)
