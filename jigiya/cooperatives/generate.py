"""Synthetic cooperatives for benchmarks (`jigiya generate`): 300 cooperatives and 200 000 sales
lines at national scale (1 000 communities), in proportion at smaller scales.

Each cooperative (name starting `GEN-`) is a soap cooperative of 20 women with one product
(soap bars, walk-in 250 FCFA) and one input (palm oil, 150 ml a bar); every month a batch
consumes the oil and adds the bars, and walk-in sales of one line each, paid in cash, take bars
out. The stock and cash ledgers are built as `stock.post` and `cash.post` build them (hash
chains, never below zero) and written with plain INSERTs; `verify_stock` passes over them.
"""

import datetime
import random
from typing import Any

from django.db import connection, models, router
from django.utils import timezone

from jigiya.cooperatives import cash, stock
from jigiya.cooperatives.models import (
    Batch,
    BatchWorker,
    CashEntry,
    Cooperative,
    CoopStatus,
    CoopStatusChange,
    Member,
    Payment,
    Price,
    Product,
    Sale,
    SaleLine,
    StockEntry,
    StockLevel,
    StockLine,
)
from jigiya.core import appendonly
from jigiya.core.generate import (
    CODE_PREFIX,
    GenerateError,
    Progress,
    Scale,
    Step,
    new_id,
    person_name,
    register_step,
)
from jigiya.places.models import Place, PlaceKind
from jigiya.registry.models import Household, Person

COOPERATIVES_PER_1000_COMMUNITIES = 300
SALES_LINES_PER_COOPERATIVE = 667  # 300 cooperatives: 200 100 lines
MEMBERS = 20
MONTHS = 12
PRICE = 250
OIL_PER_BAR = 150
FIRST_DAY = datetime.date(2025, 1, 1)


def _cooperatives(scale: Scale) -> int:
    return max(1, scale.communities * COOPERATIVES_PER_1000_COMMUNITIES // 1000)


def _sales(scale: Scale) -> int:
    return 20 if scale.name == "tiny" else SALES_LINES_PER_COOPERATIVE


def size(scale: Scale) -> int:
    per = MEMBERS * 3 + MONTHS * 6 + _sales(scale) * 6 + 10
    return _cooperatives(scale) * per


def _insert(
    model: type[models.Model], columns: list[str], rows: list[tuple], progress: Progress
) -> None:
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
            progress.update(len(rows[start : start + 5000]))


def _db(value: Any) -> Any:
    if value is None:
        return None
    return value.hex if connection.vendor == "sqlite" else value


class _Books:
    """One cooperative's stock and cash chains, built as the services build them."""

    def __init__(self, coop: Cooperative, rng: random.Random) -> None:
        self.coop, self.rng, self.now = coop, rng, timezone.now()
        self.stock_prev, self.stock_seq = stock.GENESIS, 0
        self.cash_prev, self.cash_seq = cash.GENESIS, 0
        self.entries: list[tuple] = []
        self.lines: list[tuple] = []
        self.cash: list[tuple] = []
        self.levels: dict[Any, int] = {}
        self.money = 0

    def move(self, kind: str, on: datetime.date, moves: list[tuple[Any, int]]) -> Any:
        self.stock_seq += 1
        entry_id = new_id(self.rng)
        text = stock.canonical(
            id=entry_id, cooperative_id=self.coop.pk, seq=self.stock_seq, kind=kind, on=on,
            reason="", lines=moves,
        )  # fmt: skip
        digest = stock.chain_hash(self.stock_prev, text)
        self.entries.append(
            (_db(entry_id), _db(self.coop.pk), self.stock_seq, kind, on, "", self.stock_prev,
             digest, self.now)
        )  # fmt: skip
        for position, (product, quantity) in enumerate(moves, 1):
            self.lines.append(
                (_db(entry_id), _db(self.coop.pk), self.stock_seq, position, on, _db(product),
                 quantity)
            )  # fmt: skip
            self.levels[product] = self.levels.get(product, 0) + quantity
            if self.levels[product] < 0:
                raise GenerateError(f"{self.coop}: stock below zero at entry {self.stock_seq}")
        self.stock_prev = digest
        return entry_id

    def pay(self, kind: str, on: datetime.date, amount: int, memo: str) -> None:
        self.cash_seq += 1
        entry_id = new_id(self.rng)
        text = cash.canonical(
            id=entry_id, cooperative_id=self.coop.pk, seq=self.cash_seq, kind=kind, on=on,
            amount=amount, memo=memo, member_id=None,
        )  # fmt: skip
        digest = cash.chain_hash(self.cash_prev, text)
        self.cash.append(
            (_db(entry_id), _db(self.coop.pk), self.cash_seq, kind, on, amount, memo, None,
             self.cash_prev, digest, self.now)
        )  # fmt: skip
        self.money += amount
        if self.money < 0:
            raise GenerateError(f"{self.coop}: cash below zero at entry {self.cash_seq}")
        self.cash_prev = digest

    def write(self, progress: Progress) -> None:
        _insert(
            StockEntry,
            ["id", "cooperative_id", "seq", "kind", "on", "reason", "prev_hash", "hash",
             "created_at"],
            self.entries, progress,
        )  # fmt: skip
        _insert(
            StockLine,
            ["entry_id", "cooperative_id", "seq", "position", "on", "product_id", "quantity"],
            self.lines, progress,
        )  # fmt: skip
        _insert(
            CashEntry,
            ["id", "cooperative_id", "seq", "kind", "on", "amount", "memo", "member_id",
             "prev_hash", "hash", "created_at"],
            self.cash, progress,
        )  # fmt: skip
        StockLevel.objects.bulk_create(
            StockLevel(product_id=pid, quantity=quantity) for pid, quantity in self.levels.items()
        )


def _people(coop: Cooperative, rng: random.Random) -> list[Member]:
    households, people, members = [], [], []
    for _index in range(MEMBERS):
        first, family, _sex = person_name(rng, women_share=1.0)
        household = Household(id=new_id(rng), community=coop.community, name=f"Famille {family}")
        person = Person(
            id=new_id(rng), household=household, given_name=first, family_name=family,
            sex="F", relationship="spouse",
        )  # fmt: skip
        households.append(household)
        people.append(person)
        members.append(
            Member(id=new_id(rng), cooperative=coop, person=person, joined_on=coop.formed_on)
        )
    Household.objects.bulk_create(households)
    Person.objects.bulk_create(people)
    return Member.objects.bulk_create(members)


def _one(coop: Cooperative, rng: random.Random, sales: int, progress: Progress) -> None:
    members = _people(coop, rng)
    soap = Product(id=new_id(rng), cooperative=coop, name="Savon", kind="product", unit="bar")
    oil = Product(id=new_id(rng), cooperative=coop, name="Huile", kind="input", unit="millilitre")
    Product.objects.bulk_create([soap, oil])
    Price.objects.create(product=soap, channel="walk_in", amount=PRICE, valid_from=FIRST_DAY)
    books = _Books(coop, rng)
    per_month = sales // MONTHS + 1
    # The members' share capital pays for the first month's oil.
    books.pay("capital", coop.formed_on, per_month * 3 * 90, "capital")
    batches, workers, sale_rows, lines, payments = [], [], [], [], []
    made = 0
    for month in range(MONTHS):
        if made >= sales:
            break
        day = datetime.date(FIRST_DAY.year + month // 12, month % 12 + 1, 2)
        bars = per_month * 3
        books.pay("purchase", day, -bars * 90, "Huile")
        books.move("purchase", day, [(oil.pk, bars * OIL_PER_BAR)])
        entry = books.move("production", day, [(oil.pk, -bars * OIL_PER_BAR), (soap.pk, bars)])
        batch = Batch(id=new_id(rng), cooperative=coop, product=soap, quantity=bars,
                      made_on=day, entry_id=entry, fingerprint="generated")  # fmt: skip
        batches.append(batch)
        workers += [BatchWorker(batch=batch, member=m, pieces=0) for m in members[:5]]
        for index in range(min(per_month, sales - made)):
            on = day + datetime.timedelta(days=1 + index * 26 // per_month)
            quantity = rng.randint(2, 3)
            entry = books.move("sale", on, [(soap.pk, -quantity)])
            sale = Sale(id=new_id(rng), cooperative=coop, sold_on=on, total=quantity * PRICE,
                        entry_id=entry, fingerprint="generated")  # fmt: skip
            sale_rows.append(sale)
            lines.append(SaleLine(sale=sale, product=soap, quantity=quantity, unit_price=PRICE,
                                  amount=quantity * PRICE))  # fmt: skip
            payments.append(Payment(cooperative=coop, sale=sale, amount=quantity * PRICE,
                                    method="cash", paid_on=on))  # fmt: skip
            books.pay("receipt", on, quantity * PRICE, "cash")
            made += 1
    books.write(progress)
    Batch.objects.bulk_create(batches)
    BatchWorker.objects.bulk_create(workers)
    Sale.objects.bulk_create(sale_rows, batch_size=2000)
    SaleLine.objects.bulk_create(lines, batch_size=2000)
    Payment.objects.bulk_create(payments, batch_size=2000)
    progress.update(len(sale_rows) + len(lines) + len(payments))


def generate(scale: Scale, rng: random.Random, progress: Progress) -> dict[str, int]:
    """The cooperatives of `scale` with their members, batches and sales; nothing when there."""
    expected = _cooperatives(scale)
    existing = Cooperative.objects.filter(name__startswith=CODE_PREFIX).count()
    if existing == expected:
        return {}
    if existing:
        raise GenerateError(
            f"{existing} generated cooperatives of another scale are in the database "
            f"(the {scale.name} scale has {expected}): run with --reset."
        )
    communities = list(
        Place.objects.filter(code__startswith=CODE_PREFIX, kind=PlaceKind.COMMUNITY).order_by(
            "code"
        )
    )
    if len(communities) != scale.communities:
        raise GenerateError("The generated places do not match this scale: run with --reset.")
    progress.set_description("cooperatives")
    step = max(1, len(communities) // expected)
    for number in range(expected):
        formed = FIRST_DAY - datetime.timedelta(days=rng.randint(30, 400))
        coop = Cooperative.objects.create(
            id=new_id(rng), name=f"{CODE_PREFIX}{number + 1:04d} Sabunyuman", activity="soap",
            community=communities[(number * step) % len(communities)], formed_on=formed,
            status=CoopStatus.ACTIVE, status_since=formed, registration_number=f"GEN-{number}",
            registered_on=formed,
        )  # fmt: skip
        CoopStatusChange.objects.create(cooperative=coop, status=CoopStatus.ACTIVE, on=formed)
        _one(coop, rng, _sales(scale), progress)
    return {
        "cooperatives": expected,
        "sales lines": SaleLine.objects.filter(sale__cooperative__name__startswith=CODE_PREFIX)
        .count(),
    }  # fmt: skip


def reset() -> dict[str, int]:
    """Delete the generated cooperatives and all recorded for them (the ledgers' guards are
    bypassed on purpose: this is synthetic data)."""
    coops = Cooperative.objects.filter(name__startswith=CODE_PREFIX)
    using = router.db_for_write(StockLine)
    person_ids = list(
        Member.objects.filter(cooperative__in=coops).values_list("person_id", flat=True)
    )
    household_ids = list(
        Person.objects.filter(pk__in=person_ids).values_list("household_id", flat=True)
    )
    Payment.objects.filter(cooperative__in=coops).delete()
    lines = SaleLine.objects.filter(sale__cooperative__in=coops).delete()[0]
    Sale.objects.filter(cooperative__in=coops).delete()
    BatchWorker.objects.filter(batch__cooperative__in=coops).delete()
    Batch.objects.filter(cooperative__in=coops).delete()
    StockLevel.objects.filter(product__cooperative__in=coops).delete()
    Price.objects.filter(product__cooperative__in=coops).delete()
    tables = ("cooperatives_stockline", "cooperatives_stockentry", "cooperatives_cashentry")
    with appendonly.suspended(*tables, using=using):
        StockLine.objects.filter(cooperative__in=coops)._raw_delete(using)
        StockEntry.objects.filter(cooperative__in=coops)._raw_delete(using)
        CashEntry.objects.filter(cooperative__in=coops)._raw_delete(using)
    Product.objects.filter(cooperative__in=coops).delete()
    Member.objects.filter(cooperative__in=coops).delete()
    CoopStatusChange.objects.filter(cooperative__in=coops).delete()
    deleted = {"sales lines": lines, "cooperatives": coops.delete()[0]}
    Person.objects.filter(pk__in=person_ids).delete()
    Household.objects.filter(pk__in=household_ids).delete()
    return deleted


def count() -> dict[str, int]:
    coops = Cooperative.objects.filter(name__startswith=CODE_PREFIX)
    return {
        "cooperatives": coops.count(),
        "sales lines": SaleLine.objects.filter(sale__cooperative__in=coops).count(),
    }


STEP = register_step(
    Step(name="cooperatives", generate=generate, size=size, reset=reset, count=count)
)
