"""Cooperatives: the cooperative page's server time beside `/healthz`, the time to post a
walk-in sale through the service beside a baseline, and how many stock entries
`verify_stock` checks per second beside reading them.

- Page: `/cooperatives/<Jèkafo Muso>/` (stock, cash, open orders, this month's production),
  alternating with `/healthz` through the same middleware (`server_time.alternate`).
- Sale: `services.sale_record` of two lines with payment. Baseline: one transaction that locks
  the same cooperative and stock rows and inserts two rows (audit entries), rolled back.
- Verification: `stock.verify()` over every entry; baseline: the same rows read unchecked.
"""

import datetime
import random
import statistics
import time
import uuid

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section, ms
from benchmarks.server_time import alternate, stats
from jigiya.accounts.models import User
from jigiya.cooperatives import generate, services, stock
from jigiya.cooperatives.models import (
    CashEntry,
    Cooperative,
    Customer,
    Delivery,
    Equipment,
    Order,
    PeriodClose,
    PreparingGroup,
    Product,
    Sale,
    StockCount,
    StockEntry,
    StockLevel,
    StockLine,
    Union,
)
from jigiya.core.generate import Progress
from jigiya.core.models import AuditEntry
from jigiya.places.models import Place

NAME = "Jèkafo Muso"
PATH_PARAMS.setdefault("cooperative_id", lambda: Cooperative.objects.get(name=NAME))
PATH_PARAMS.setdefault(
    "sale_id", lambda: Sale.objects.filter(cooperative__name=NAME).order_by("-sold_on").first()
)
PATH_PARAMS.setdefault("order_id", lambda: Order.objects.filter(cooperative__name=NAME).first())
PATH_PARAMS.setdefault(
    "delivery_id", lambda: Delivery.objects.filter(order__cooperative__name=NAME).first()
)
# The pages added since the first cooperative pages: every route needs a real object.
PATH_PARAMS.setdefault(
    "close_id", lambda: PeriodClose.objects.filter(cooperative__name=NAME).first()
)
PATH_PARAMS.setdefault(
    "equipment_id", lambda: Equipment.objects.filter(cooperative__name=NAME).first()
)
PATH_PARAMS.setdefault(
    "count_id", lambda: StockCount.objects.filter(cooperative__name=NAME).first()
)
PATH_PARAMS.setdefault(
    "customer_id", lambda: Customer.objects.filter(cooperative__name=NAME, kind="ngo").first()
)
PATH_PARAMS.setdefault("preparing_group_id", lambda: PreparingGroup.objects.first())
PATH_PARAMS.setdefault("union_id", lambda: Union.objects.first())
SALES = 40


def _sale_times(ctx: Context, coop: Cooperative) -> tuple[list[float], list[float]]:
    products = list(Product.objects.filter(cooperative=coop, kind="product").order_by("name"))
    today = timezone.localdate()
    services.batch_record(
        actor=ctx.admin, cooperative=coop,
        data=services.BatchData(
            id=uuid.uuid4(), product_id=products[0].pk, quantity=SALES * 2, made_on=today,
            workers=[services.WorkerLine(coop.members.first().pk)],  # type: ignore[union-attr]
            inputs={},
        ),
    )  # fmt: skip
    posting, baseline = [], []
    for _ in range(SALES):
        data = services.SaleData(
            id=uuid.uuid4(), sold_on=today, lines=[services.LineData(products[0].pk, 2)],
            paid=2000,
        )  # fmt: skip
        started = time.perf_counter()
        services.sale_record(actor=ctx.admin, cooperative=coop, data=data)
        posting.append(time.perf_counter() - started)
        started = time.perf_counter()
        with transaction.atomic():
            stock.lock_cooperative(coop.pk)
            list(StockLevel.objects.select_for_update().filter(product=products[0]))
            AuditEntry.objects.bulk_create(
                [AuditEntry(action="create", model="bench", object_id=str(i)) for i in range(2)]
            )
            transaction.set_rollback(True)
        baseline.append(time.perf_counter() - started)
    return posting, baseline


CLOSE_SALES = 5000


def _close_time() -> tuple[float, float]:
    """A period close of a cooperative with 5 000 sales (made as `generate` makes them), and
    the baseline: summing its cash entries by kind. Rolled back: nothing stays."""
    with transaction.atomic():
        rng = random.Random("bench")
        community = Place.objects.get(code="BKO-C1-KOR")
        formed = generate.FIRST_DAY - datetime.timedelta(days=30)
        coop = Cooperative.objects.create(
            name="Banc d'essai", activity="soap", community=community, formed_on=formed,
            status="active", status_since=formed, registration_number="BENCH",
            registered_on=formed,
        )  # fmt: skip
        generate._one(coop, rng, CLOSE_SALES, Progress())
        admin = User.objects.filter(is_superuser=True).first()
        started = time.perf_counter()
        services.period_close(
            actor=admin, cooperative=coop, ends_on=datetime.date(2025, 12, 31), rule="equal"
        )
        close_s = time.perf_counter() - started
        started = time.perf_counter()
        list(
            CashEntry.objects.filter(cooperative=coop)
            .values_list("kind")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        baseline_s = time.perf_counter() - started
        transaction.set_rollback(True)
    return close_s, baseline_s


def cooperative_figures(ctx: Context) -> Section:
    section = Section(
        key="cooperatives",
        title=f"Cooperatives: page, sale posting and stock verification at {ctx.scale} scale",
        columns=[
            Column("what", "what", right=False),
            Column("median_s", "median ms", ms),
            Column("baseline_s", "baseline ms", ms),
            Column("rate", "per second", lambda rate: f"{rate:,.0f}"),
        ],
    )
    coop = Cooperative.objects.get(name=NAME)
    page, base = alternate(ctx.client(ctx.admin), coop.get_absolute_url(), requests=100)
    page_stats, base_stats = stats(page), stats(base)
    section.rows.append(
        {
            "what": "cooperative page (server time, budget 100 ms)",
            "median_s": page_stats["median_s"],
            "baseline_s": base_stats["median_s"],
            "rate": 1 / page_stats["median_s"],
        }
    )
    posting, baseline = _sale_times(ctx, coop)
    section.rows.append(
        {
            "what": "post a walk-in sale (service)",
            "median_s": statistics.median(posting),
            "baseline_s": statistics.median(baseline),
            "rate": 1 / statistics.median(posting),
        }
    )
    close_s, close_base = _close_time()
    section.rows.append(
        {
            "what": f"period close, {CLOSE_SALES} sales (budget 2 s)",
            "median_s": close_s,
            "baseline_s": close_base,
            "rate": 1 / close_s,
        }
    )
    started = time.perf_counter()
    report = stock.verify()
    verify_s = time.perf_counter() - started
    if report.problems:
        raise RuntimeError(f"verify_stock found problems: {report.problems[:3]}")
    started = time.perf_counter()
    list(StockEntry.objects.values_list("id", "hash").iterator(chunk_size=5000))
    list(StockLine.objects.values_list("entry_id", "quantity").iterator(chunk_size=5000))
    read_s = time.perf_counter() - started
    section.rows.append(
        {
            "what": f"verify_stock ({report.entries} entries, {report.lines} lines)",
            "median_s": verify_s,
            "baseline_s": read_s,
            "rate": report.entries / verify_s if verify_s else 0,
        }
    )
    section.notes += [
        "Page: median of 100 GETs alternating with /healthz (baseline).",
        f"Sale: median of {SALES} sales of two masks; baseline: the same locks and two "
        "inserts in one transaction, rolled back.",
        f"Close: one period close (equal shares) of a cooperative with {CLOSE_SALES} sales, "
        "made and rolled back; baseline: summing its cash entries by kind.",
    ]
    return section
