import datetime
import uuid

import pytest
from django.utils import translation

from jigiya.cooperatives import services
from jigiya.cooperatives.models import (
    Customer,
    Distribution,
    Order,
    OrderStatus,
    Payment,
    Sale,
    StockLevel,
)
from jigiya.cooperatives.services import DeliveryData, DistributionData, LineData, OrderData
from jigiya.cooperatives.tests.conftest import stock_state
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.registry.models import Household

D = datetime.date


def level(product) -> int:
    return StockLevel.objects.get(product=product).quantity


def trade_state():
    return (*stock_state(), Sale.objects.count(), Payment.objects.count())


def test_a_walk_in_sale_takes_the_price_of_the_day_and_the_stock_out(world):
    world.batch(10)
    sale = world.sale(3, paid=2000)
    assert sale.total == 3000
    assert level(world.mask) == 7
    assert services.owed(sale=sale) == 1000
    line = sale.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (3, 1000, 3000)


def test_selling_more_than_the_stock_is_refused_and_nothing_is_posted(world):
    world.batch(10)
    with translation.override("en"):
        errors = refused_unchanged(trade_state, world.sale, quantity=11)
    assert errors == {"lines.0": ["Only 10 piece of Adult mask in stock; 11 asked."]}


def test_a_sale_without_a_valid_price_that_day_is_refused(world):
    world.batch(10)
    with translation.override("en"):
        errors = refused_unchanged(trade_state, world.sale, quantity=1, sold_on=D(2023, 12, 31))
    assert errors == {"lines.0": ["Adult mask has no Walk-in price on 2023-12-31."]}


def test_a_payment_above_the_balance_is_refused(world):
    world.batch(10)
    sale = world.sale(2)
    with translation.override("en"):
        errors = refused_unchanged(
            trade_state, services.payment_record, actor=world.manager, cooperative=world.coop,
            sale=sale, amount=2500, method="cash", paid_on=D(2024, 6, 21),
        )  # fmt: skip
        assert errors == {
            "amount": ["2\xa0500\xa0FCFA is above the balance owed (2\xa0000\xa0FCFA)."]
        }
        errors = refused_unchanged(
            trade_state, services.payment_record, actor=world.manager, cooperative=world.coop,
            sale=sale, amount=2000, method="orange_money", paid_on=D(2024, 6, 21),
        )  # fmt: skip
        assert errors == {"reference": ["Give the Orange Money transaction reference."]}
    services.payment_record(
        actor=world.manager, cooperative=world.coop, sale=sale, amount=2000,
        method="orange_money", reference="OM240621.1532.A12345", paid_on=D(2024, 6, 21),
    )  # fmt: skip
    assert services.owed(sale=sale) == 0


def test_a_fractional_quantity_in_a_sale_is_refused(world):
    world.batch(10)
    with translation.override("en"):
        errors = refused_unchanged(trade_state, world.sale, quantity=1.5)
    assert errors == {
        "lines.0": [
            "The quantity of Adult mask must be a whole number of units above zero (got 1.5)."
        ]
    }


def ngo_order(world, quantity=30):
    ngo = services.customer_create(
        actor=world.manager, cooperative=world.coop, name="ONG Jigiya", kind="ngo"
    )
    return services.order_create(
        actor=world.manager,
        cooperative=world.coop,
        data=OrderData(
            id=uuid.uuid4(), customer_id=ngo.pk, ordered_on=D(2024, 6, 5), channel="ngo",
            lines=[LineData(world.mask.pk, quantity)], reference="BC-2024-031",
        ),
    )  # fmt: skip


def test_an_order_is_delivered_invoiced_and_paid(world, cast):
    world.batch(40)
    order = ngo_order(world)
    assert order.total == 27000
    first = services.delivery_record(
        actor=world.manager, order=order,
        data=DeliveryData(
            id=uuid.uuid4(), delivered_on=D(2024, 6, 12), received_by="Dr Diarra, CSCom A",
            health_center_id=cast.center_a.pk, lines=[LineData(world.mask.pk, 20)],
        ),
    )  # fmt: skip
    assert first.value == 18000
    assert Order.objects.get(pk=order.pk).status == OrderStatus.OPEN
    assert services.owed(order=order) == 18000
    with translation.override("en"):
        errors = refused_unchanged(
            trade_state, services.delivery_record, actor=world.manager, order=order,
            data=DeliveryData(
                id=uuid.uuid4(), delivered_on=D(2024, 6, 13), received_by="X",
                lines=[LineData(world.mask.pk, 11)],
            ),
        )  # fmt: skip
    assert errors == {"lines.0": ["Only 10 are left to deliver on this order; 11 given."]}
    services.delivery_record(
        actor=world.manager, order=order,
        data=DeliveryData(
            id=uuid.uuid4(), delivered_on=D(2024, 6, 14), received_by="Mme Sanogo",
            health_center_id=cast.center_b.pk, lines=[LineData(world.mask.pk, 10)],
        ),
    )  # fmt: skip
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
    assert level(world.mask) == 10
    services.payment_record(
        actor=world.manager, cooperative=world.coop, order=order, amount=27000,
        method="moov_money", reference="MM-778812", paid_on=D(2024, 6, 20),
    )  # fmt: skip
    assert services.owed(order=order) == 0


def test_a_distribution_to_a_family_out_of_the_ngo_order(world, cast):
    world.batch(40)
    order = ngo_order(world, quantity=10)
    family = Household.objects.create(community=cast.community_a, name="Famille Dembélé")
    given = services.distribution_record(
        actor=world.manager, cooperative=world.coop,
        data=DistributionData(
            id=uuid.uuid4(), product_id=world.mask.pk, quantity=4, given_on=D(2024, 6, 15),
            received_by="Oumou Dembélé", paid_by="ngo_purchase", household_id=family.pk,
            order_id=order.pk,
        ),
    )  # fmt: skip
    assert (given.value, level(world.mask)) == (3600, 36)
    assert services.owed(order=order) == 3600
    assert services.order_remaining(order) == {world.mask.pk: 6}


def test_distributing_more_than_the_stock_is_refused(world, cast):
    world.batch(5)

    def state():
        return (*stock_state(), Distribution.objects.count())

    with translation.override("en"):
        errors = refused_unchanged(
            state, services.distribution_record, actor=world.manager, cooperative=world.coop,
            data=DistributionData(
                id=uuid.uuid4(), product_id=world.mask.pk, quantity=6, given_on=D(2024, 6, 15),
                received_by="Major", paid_by="donation", health_center_id=cast.center_a.pk,
            ),
        )  # fmt: skip
    assert errors == {"quantity": ["Only 5 piece of Adult mask in stock; 6 asked."]}


def test_the_same_sale_twice_is_one_sale_and_other_content_is_a_conflict(world):
    from jigiya.core.errors import Conflict

    world.batch(10)
    sale_id = uuid.uuid4()
    world.sale(2, id=sale_id)
    world.sale(2, id=sale_id)
    assert (Sale.objects.count(), level(world.mask)) == (1, 8)
    with pytest.raises(Conflict):
        world.sale(3, id=sale_id)
    assert Customer.objects.count() == 0
