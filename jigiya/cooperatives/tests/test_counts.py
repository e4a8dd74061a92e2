"""The physical count: recorded by one officer, its differences posted only when a second
officer approves; the maker never approves her own (also in the database)."""

import datetime
import re
import uuid

import pytest
from django.db import IntegrityError, transaction

from jigiya.accounts.roles import Role
from jigiya.cooperatives import services, stock
from jigiya.cooperatives.models import (
    CountLine,
    CountStatus,
    MovementKind,
    StockCount,
    StockEntry,
    StockLevel,
)
from jigiya.cooperatives.tests.conftest import stock_state
from jigiya.core.tests.refusals import refused_unchanged

D = datetime.date


def level(product):
    return StockLevel.objects.get(product=product).quantity


def count_state():
    return (
        *stock_state(),
        sorted(StockCount.objects.values_list("status", "decided_by_id")),
        CountLine.objects.count(),
    )


def counted(world, **kwargs):
    """12 masks made and 2 sold leave 10 in the books; the shelf has 8 masks and 1 003 cm of
    fabric (the books say 1 000 - 300 used = 700)."""
    return services.stock_count_record(
        actor=kwargs.pop("actor", world.manager), cooperative=world.coop,
        counted_on=kwargs.pop("counted_on", D(2024, 6, 25)),
        counts=kwargs.pop("counts", {world.mask.pk: 8, world.fabric.pk: 1003}), **kwargs,
    )  # fmt: skip


@pytest.fixture
def books(world):
    world.batch(12)
    world.sale(2)
    assert (level(world.mask), level(world.fabric)) == (10, 700)
    return world


def test_a_count_keeps_the_books_beside_what_was_found_and_posts_nothing(books):
    entries = StockEntry.objects.count()
    count = counted(books)
    lines = {line.product_id: (line.expected, line.counted, line.difference)
             for line in count.lines.all()}  # fmt: skip
    assert lines == {books.mask.pk: (10, 8, -2), books.fabric.pk: (700, 1003, 303)}
    assert count.status == CountStatus.PENDING
    assert StockEntry.objects.count() == entries
    assert (level(books.mask), level(books.fabric)) == (10, 700)


def test_a_second_officer_approves_and_the_differences_are_one_adjustment(books, cast):
    count = counted(books)
    officer = cast.user(Role.PROGRAM_MANAGER, "a")
    count = services.stock_count_approve(actor=officer, count=count)
    assert (count.status, count.decided_by) == (CountStatus.APPROVED, officer)
    entry = count.entry
    assert (entry.kind, entry.on, entry.reason) == (
        MovementKind.ADJUSTMENT, D(2024, 6, 25), "Physical count of 2024-06-25",
    )  # fmt: skip
    assert sorted(entry.lines.values_list("quantity", flat=True)) == [-2, 303]
    assert (level(books.mask), level(books.fabric)) == (8, 1003)
    assert stock.verify().problems == []


def test_a_count_that_matches_the_books_is_approved_without_a_posting(books, cast):
    count = counted(books, counts={books.mask.pk: 10})
    entries = StockEntry.objects.count()
    count = services.stock_count_approve(actor=cast.user(Role.ADMIN, "a"), count=count)
    assert (count.status, count.entry) == (CountStatus.APPROVED, None)
    assert StockEntry.objects.count() == entries


def test_the_officer_who_counted_cannot_approve_and_nothing_is_posted(books):
    count = counted(books)
    errors = refused_unchanged(
        count_state, services.stock_count_approve, actor=books.manager, count=count
    )
    assert errors == {"__all__": ["A second officer approves: not the one who counted."]}


def test_the_database_refuses_a_count_decided_by_its_maker(books):
    count = counted(books)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockCount.objects.filter(pk=count.pk).update(
            status=CountStatus.APPROVED, decided_by=books.manager
        )
    assert StockCount.objects.get(pk=count.pk).status == CountStatus.PENDING


def test_an_officer_without_the_approval_right_is_refused(books, cast):
    from django.core.exceptions import PermissionDenied

    count = counted(books)
    before = count_state()
    with pytest.raises(PermissionDenied):
        services.stock_count_approve(actor=cast.user(Role.ME_OFFICER, "a"), count=count)
    with pytest.raises(PermissionDenied):
        services.stock_count_approve(actor=cast.user(Role.PROGRAM_MANAGER, "b"), count=count)
    assert count_state() == before


def test_an_adjustment_that_would_go_below_zero_now_is_refused(books, cast):
    count = counted(books, counts={books.mask.pk: 1})  # 9 masks missing
    books.sale(5, sold_on=D(2024, 6, 26))  # sold after the count: 5 left in the books
    errors = refused_unchanged(
        count_state, services.stock_count_approve, actor=cast.user(Role.ADMIN, "a"), count=count
    )
    assert errors == {"__all__": ["Only 5 piece of Adult mask in stock; 9 asked."]}


def test_a_rejected_count_posts_nothing_and_cannot_be_approved_after(books, cast):
    count = counted(books)
    officer = cast.user(Role.PROGRAM_MANAGER, "a")
    errors = refused_unchanged(
        count_state, services.stock_count_reject, actor=officer, count=count, reason="  "
    )
    assert errors == {"reason": ["Say why the count is rejected."]}
    count = services.stock_count_reject(actor=officer, count=count, reason="Recount the fabric")
    assert (count.status, count.note, count.entry) == (
        CountStatus.REJECTED, "Recount the fabric", None,
    )  # fmt: skip
    errors = refused_unchanged(
        count_state, services.stock_count_approve, actor=cast.user(Role.ADMIN, "a"), count=count
    )
    assert errors == {"__all__": ["This count was already rejected."]}
    assert (level(books.mask), level(books.fabric)) == (10, 700)


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ({}, "counts", "Count at least one product."),
        ("minus", "qty", "A count is a whole number, ≥ 0 (got -1)."),
        ("half", "qty", "A count is a whole number, ≥ 0 (got 2.5)."),
    ],
)
def test_a_count_not_whole_or_empty_is_refused(books, counts, field, message):
    if counts == "minus":
        counts = {books.mask.pk: -1}
    elif counts == "half":
        counts = {books.mask.pk: 2.5}
    field = f"qty_{books.mask.pk}" if field == "qty" else field
    errors = refused_unchanged(
        count_state, services.stock_count_record, actor=books.manager, cooperative=books.coop,
        counted_on=D(2024, 6, 25), counts=counts,
    )  # fmt: skip
    assert errors == {field: [message]}


def test_a_second_count_waits_for_the_first_and_the_database_backs_it(books):
    counted(books)
    errors = refused_unchanged(
        count_state, services.stock_count_record, actor=books.manager, cooperative=books.coop,
        counted_on=D(2024, 6, 26), counts={books.mask.pk: 10},
    )  # fmt: skip
    assert errors == {"counted_on": ["Another count waits for a second officer: decide it first."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        StockCount.objects.create(cooperative=books.coop, counted_on=D(2024, 6, 26))


def test_a_count_in_a_closed_period_is_refused(books):
    services.period_close(
        actor=books.manager, cooperative=books.coop, ends_on=D(2024, 6, 25), rule="equal"
    )
    errors = refused_unchanged(
        count_state, services.stock_count_record, actor=books.manager, cooperative=books.coop,
        counted_on=D(2024, 6, 25), counts={books.mask.pk: 10},
    )  # fmt: skip
    assert errors == {
        "counted_on": ["The period up to 2024-06-25 is closed: 2024-06-25 cannot be recorded."]
    }


def test_the_same_count_sent_again_is_one_count(books):
    key = uuid.uuid4()
    first = counted(books, id=key)
    again = counted(books, id=key)
    assert again.pk == first.pk
    assert StockCount.objects.count() == 1


def test_the_count_pages_record_and_a_second_officer_approves(books, cast, client):
    client.force_login(books.manager)
    url = f"/cooperatives/{books.coop.pk}/counts/new/"
    form = client.get(url).content.decode()
    assert "Adult mask (piece)" in form and "Fabric (centimetre)" in form
    field = re.search(rf'<input[^>]*name="qty_{books.mask.pk}"[^>]*>', form)
    assert field is not None and "value=" not in field.group(0)  # blind: the books' 10 unshown
    response = client.post(
        url, {"id": str(uuid.uuid4()), "counted_on": "2024-06-25", f"qty_{books.mask.pk}": "8"}
    )
    count = StockCount.objects.get()
    assert response["Location"] == count.get_absolute_url()
    page = client.get(count.get_absolute_url()).content.decode()
    assert "difference -2" in page
    assert "Waiting for a second officer: the one who counted cannot approve." in page
    client.post(f"/cooperatives/counts/{count.pk}/approve/")  # the maker: refused
    assert StockCount.objects.get().status == CountStatus.PENDING
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    page = client.get(count.get_absolute_url()).content.decode()
    assert "Approve and post the differences" in page
    response = client.post(f"/cooperatives/counts/{count.pk}/approve/")
    assert response["Location"] == count.get_absolute_url()
    assert StockCount.objects.get().status == CountStatus.APPROVED
    assert level(books.mask) == 8
