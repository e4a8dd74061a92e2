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
