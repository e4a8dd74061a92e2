import datetime

import pytest
import time_machine
from django.core.management import call_command

from jigiya.cooperatives import cash, stock
from jigiya.cooperatives.models import (
    Cooperative,
    Delivery,
    Distribution,
    Equipment,
    Order,
    PeriodClose,
    PreparingGroup,
    Price,
    StockCount,
    Training,
    Union,
)


@pytest.fixture(autouse=True)
def fixed_today():
    """The demo is told up to 3 December 2026 (its 18 months of history end then)."""
    with time_machine.travel(datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_demo_tells_the_story_and_loads_twice_without_change(db):
    from jigiya.accounts import demo as accounts_demo
    from jigiya.cooperatives import demo
    from jigiya.donors import demo as donors_demo
    from jigiya.places import demo as places_demo

    admin = accounts_demo.load_admin()
    places_demo.load(admin=admin)
    accounts_demo.load(admin=admin)
    donors_demo.load(admin=admin)
    demo.load(admin=admin)
    masks = Cooperative.objects.get(name="Jèkafo Muso")
    assert masks.members.count() == 30
    machines = Equipment.objects.get(cooperative=masks)
    assert (machines.quantity, machines.funding.donor.code) == (5, "FONDATION-SANTE")
    prices = Price.objects.filter(product__cooperative=masks, channel="walk_in", valid_until=None)
    assert sorted(prices.values_list("product__name", "amount")) == [
        ("Masque adulte", 1000), ("Masque enfant", 600),
    ]  # fmt: skip
    order = Order.objects.get(cooperative=masks, channel="ngo")
    assert order.status == "delivered"
    centers = set(
        Delivery.objects.filter(order=order).values_list("health_center__code", flat=True)
    )
    assert centers == {"CSCOM-SOT", "CSCOM-BAN", "CSCOM-YIR", "CSCOM-WAY"}
    assert Distribution.objects.filter(household__isnull=False, paid_by="ngo_purchase").count() == 8
    assert PeriodClose.objects.filter(cooperative=masks).count() == 17
    union = Union.objects.get()
    assert (union.status, union.members.count()) == ("forming", 2)
    seats = union.elections.get().seats.values_list("role", "member__cooperative__name")
    assert sorted(seats) == [("president", "Jèkafo Muso"), ("treasurer", "Sabunyuman")]
    assert Training.objects.filter(partner__startswith="DRDSES").count() == 2
    assert cash.verify() == []
    assert sorted(PreparingGroup.objects.values_list("name", "stage", "women")) == [
        ("Danaya", "interest", 9), ("Muso Jɛ", "trained", 16), ("Sigida Muso", "statutes", 11),
    ]  # fmt: skip
    count = StockCount.objects.get(cooperative=masks)
    assert count.status == "pending"
    assert sorted((line.product.name, line.difference) for line in count.lines.all()) == [
        ("Masque adulte", -2), ("Tissu wax", 0),
    ]  # fmt: skip
    counts = (Cooperative.objects.count(), Delivery.objects.count(), StockCount.objects.count())
    demo.load(admin=admin)
    assert (
        Cooperative.objects.count(),
        Delivery.objects.count(),
        StockCount.objects.count(),
    ) == counts
    assert stock.verify().problems == []
    call_command("verify_stock")
