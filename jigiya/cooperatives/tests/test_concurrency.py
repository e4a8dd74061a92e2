"""Two devices selling the last units at once (PostgreSQL row locks): one sale is posted, the
other refused with the stock it found, and the stock never goes below zero.

Run with `DATABASE_URL=postgres://postgres@127.0.0.1:5432/jigiya_coop`."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from jigiya.cooperatives import stock
from jigiya.cooperatives.models import Sale, StockLevel
from jigiya.cooperatives.tests.conftest import make_world


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_two_devices_selling_the_last_units_at_once_sell_them_once(cast):
    world = make_world(cast)
    world.batch(5)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def sell() -> None:
        try:
            barrier.wait()
            with translation.override("en"):
                world.sale(4, id=uuid.uuid4())
            results.append("sold")
        except ValidationError as exc:
            results.append(exc.message_dict["lines.0"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sell) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["Only 1 piece of Adult mask in stock; 4 asked.", "sold"]
    assert Sale.objects.count() == 1
    assert StockLevel.objects.get(product=world.mask).quantity == 1
    assert stock.verify().problems == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_the_database_refuses_a_negative_stock_row_even_behind_the_service(cast):
    from django.db import IntegrityError

    world = make_world(cast)
    with pytest.raises(IntegrityError):
        StockLevel.objects.filter(product=world.mask).update(quantity=-1)


def _dues_world(cast):
    import datetime

    from jigiya.accounts.roles import Role
    from jigiya.cooperatives import services

    world = make_world(cast)
    world.batch(30)
    world.sale(30, paid=30000)
    union = services.union_create(
        actor=cast.user(Role.ADMIN, "above"), place=cast.cercle, name="Union de Bamako",
        formed_on=datetime.date(2023, 6, 1),
    )  # fmt: skip
    services.union_join(
        actor=world.manager, union=union, cooperative=world.coop,
        joined_on=datetime.date(2023, 7, 1), yearly_dues=12000,
    )  # fmt: skip
    return world, union.members.get()


def _pay_at_once(world, member, amounts: list[int]) -> list[str]:
    """Two devices send a dues payment under one id at the same moment."""
    import datetime

    from jigiya.cooperatives import services
    from jigiya.core.errors import Conflict

    payment_id = uuid.uuid4()
    barrier = threading.Barrier(len(amounts))
    results: list[str] = []

    def pay(amount: int) -> None:
        try:
            barrier.wait()
            payment = services.dues_pay(
                actor=world.manager, member=member, year=2024, amount=amount,
                paid_on=datetime.date(2024, 6, 21), id=payment_id,
            )  # fmt: skip
            results.append(f"paid {payment.amount}")
        except Conflict:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(amount,)) for amount in amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_one_dues_payment_sent_by_two_devices_at_once_is_paid_once(cast):
    from jigiya.cooperatives import cash
    from jigiya.cooperatives.models import CashEntry, DuesPayment

    world, member = _dues_world(cast)
    assert _pay_at_once(world, member, [5000, 5000]) == ["paid 5000", "paid 5000"]
    assert list(DuesPayment.objects.values_list("amount", flat=True)) == [5000]
    assert list(CashEntry.objects.filter(kind="dues").values_list("amount", flat=True)) == [-5000]
    assert cash.verify([world.coop.pk]) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_one_id_with_two_contents_at_once_pays_one_and_conflicts_the_other(cast):
    from jigiya.cooperatives.models import CashEntry, DuesPayment

    world, member = _dues_world(cast)
    results = _pay_at_once(world, member, [5000, 4000])
    assert results in (["conflict", "paid 5000"], ["conflict", "paid 4000"])
    paid = list(DuesPayment.objects.values_list("amount", flat=True))
    assert results == ["conflict", f"paid {paid[0]}"] and len(paid) == 1
    assert list(CashEntry.objects.filter(kind="dues").values_list("amount", flat=True)) == [
        -paid[0]
    ]
