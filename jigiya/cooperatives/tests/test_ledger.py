import datetime
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from jigiya.cooperatives import stock
from jigiya.cooperatives.models import Batch, BatchWorker, MovementKind, StockEntry, StockLevel
from jigiya.cooperatives.services import WorkerLine
from jigiya.cooperatives.tests.conftest import stock_state
from jigiya.core import appendonly
from jigiya.core.tests.refusals import refused_unchanged

D = datetime.date


def level(product) -> int:
    return StockLevel.objects.get(product=product).quantity


def test_a_batch_takes_inputs_and_adds_output_in_one_entry(world):
    batch = world.batch(
        20,
        workers=[
            WorkerLine(member_id=world.members[0].pk, pieces=12),
            WorkerLine(member_id=world.members[1].pk, pieces=8),
        ],
    )
    assert batch.entry.kind == MovementKind.PRODUCTION
    lines = sorted(
        (line.product.name, line.quantity) for line in batch.entry.lines.select_related("product")
    )
    assert lines == [("Adult mask", 20), ("Elastic", -800), ("Fabric", -500)]
    assert (level(world.mask), level(world.fabric), level(world.elastic)) == (20, 500, 1200)
    assert sorted(BatchWorker.objects.values_list("pieces", flat=True)) == [8, 12]


def test_a_batch_whose_inputs_are_not_in_stock_is_refused_and_nothing_is_posted(world):
    with translation.override("en"):
        errors = refused_unchanged(stock_state, world.batch, quantity=41)
    assert errors == {"inputs": ["Only 1000 centimetre of Fabric in stock; 1025 asked."]}
    assert Batch.objects.count() == 0


def test_a_fractional_or_negative_quantity_is_refused(world):
    with translation.override("en"):
        for bad in (2.5, -3, 0):
            errors = refused_unchanged(stock_state, world.batch, quantity=bad)
            assert errors == {
                "quantity": [
                    f"The quantity made must be a whole number of units above zero (got {bad})."
                ]
            }


def test_pieces_of_the_workers_must_add_up_to_the_batch(world):
    with translation.override("en"):
        errors = refused_unchanged(
            stock_state, world.batch, quantity=10,
            workers=[WorkerLine(member_id=world.members[0].pk, pieces=7)],
        )  # fmt: skip
    assert errors == {"workers": ["The members made 7 pieces in all, the batch says 10."]}


def test_the_same_batch_sent_twice_is_recorded_once(world):
    batch_id = uuid.uuid4()
    first = world.batch(10, id=batch_id)
    again = world.batch(10, id=batch_id)
    assert again.pk == first.pk
    assert Batch.objects.count() == 1
    assert level(world.mask) == 10


def test_the_chain_verifies_and_a_forged_line_is_found(world):
    world.batch(10)
    world.sale(4)
    report = stock.verify()
    assert report.problems == []
    assert (report.cooperatives, report.entries) == (1, 4)
    call_command("verify_stock")
    entry = StockEntry.objects.get(kind=MovementKind.SALE)
    with appendonly.suspended("cooperatives_stockline"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cooperatives_stockline SET quantity = -1 WHERE entry_id = %s",
            [entry.pk.hex if connection.vendor == "sqlite" else entry.pk],
        )
    problems = stock.verify().problems
    assert any("hash does not match" in p for p in problems)
    assert any("stock row says 6, the ledger 9" in p for p in problems)


def test_the_database_refuses_an_update_of_a_posted_line(world):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cooperatives_stockline SET quantity = 5")


def test_a_loss_needs_a_reason_and_takes_stock_out(world):
    from jigiya.cooperatives.services import loss_record

    world.batch(10)
    with translation.override("en"):
        errors = refused_unchanged(
            stock_state, loss_record, actor=world.manager, cooperative=world.coop,
            product_id=world.mask.pk, quantity=2, on=D(2024, 6, 11), reason=" ",
        )  # fmt: skip
    assert errors == {"reason": ["Say why the units were lost."]}
    loss_record(
        actor=world.manager, cooperative=world.coop, product_id=world.mask.pk, quantity=2,
        on=D(2024, 6, 11), reason="Tachés à l'eau",
    )  # fmt: skip
    assert level(world.mask) == 8
