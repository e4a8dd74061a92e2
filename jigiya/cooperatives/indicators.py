"""Indicators of the women's cooperatives, per community and month (see the README for each
definition). Stocks (cooperatives, members, open orders) are read on the month's last day, or
today for the current month; flows (units, revenue) are what happened in the month."""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jigiya.cooperatives.common import SOURCE_MEMBERS, SOURCE_ORDERS, SOURCE_STOCK
from jigiya.cooperatives.models import (
    Batch,
    Condition,
    CoopStatusChange,
    Delivery,
    DeliveryLine,
    Distribution,
    Equipment,
    Member,
    Order,
    Participant,
    Payout,
    Sale,
    SaleLine,
)
from jigiya.core.periods import Month
from jigiya.indicators.catalog import (
    Cells,
    Disaggregation,
    Fact,
    Indicator,
    Program,
    Unit,
    register,
)

Key = tuple[uuid.UUID, datetime.date]
DIMENSIONS = (Disaggregation.COMMUNITY, Disaggregation.HEALTH_CENTER)
BY_PRODUCT = (*DIMENSIONS, Disaggregation.PRODUCT)


def _month_ends(cells: Cells) -> list[tuple[datetime.date, datetime.date]]:
    today = timezone.localdate()
    return [
        (month, min(Month.of(month).last_day, today))
        for month in sorted(cells.months)
        if month <= today
    ]


def _in_cells(rows: QuerySet[Any], cells: Cells, field: str) -> QuerySet[Any]:
    return rows if cells.place_ids is None else rows.filter(**{f"{field}__in": cells.place_ids})


def _monthly(rows: QuerySet[Any], cells: Cells, community: str, day: str, amount: str) -> dict:
    """(community, month) → the sum of `amount` over the rows dated in the cells' months."""
    rows = _in_cells(rows, cells, community).filter(
        **{f"{day}__gte": cells.first, f"{day}__lt": cells.end}
    )
    totals: dict[Key, int] = defaultdict(int)
    for place, month, total in (
        rows.annotate(month=TruncMonth(day))
        .values_list(community, "month")
        .annotate(total=Sum(amount))
        .order_by()
    ):
        if month in cells.months:
            totals[(place, month)] += int(total or 0)
    return totals


def _facts(totals: dict[Key, int]) -> Iterable[Fact]:
    for (place, month), value in totals.items():
        yield Fact(place, month, value)


# --- cooperatives and members -----------------------------------------------------------


def cooperatives(cells: Cells) -> Iterable[Fact]:
    """Cooperatives formed and not dormant on the day stocks are read."""
    ends = _month_ends(cells)
    if not ends:
        return
    changes = _in_cells(
        CoopStatusChange.objects.filter(on__lte=ends[-1][1]),
        cells,
        "cooperative__community_id",
    ).values_list("cooperative_id", "cooperative__community_id", "on", "number", "status")
    history: dict[uuid.UUID, list[tuple]] = defaultdict(list)
    for coop, community, on, number, status in changes:
        history[coop].append((on, number, status, community))
    counts: dict[Key, int] = defaultdict(int)
    for steps in history.values():
        steps.sort()
        for month, day in ends:
            current = [s for s in steps if s[0] <= day]
            if current and current[-1][2] != "dormant":
                counts[(current[-1][3], month)] += 1
    yield from _facts(counts)


def _members_at(cells: Cells) -> dict[Key, int]:
    ends = _month_ends(cells)
    if not ends:
        return {}
    rows = _in_cells(
        Member.objects.filter(joined_on__lte=ends[-1][1]).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=ends[0][1])
        ),
        cells,
        "cooperative__community_id",
    ).values_list("cooperative__community_id", "joined_on", "left_on")
    counts: dict[Key, int] = defaultdict(int)
    for community, joined, left in rows:
        for month, day in ends:
            if joined <= day and (left is None or left > day):
                counts[(community, month)] += 1
    return counts


def members(cells: Cells) -> Iterable[Fact]:
    yield from _facts(_members_at(cells))


# --- units and money --------------------------------------------------------------------


ProductKey = tuple[uuid.UUID, datetime.date, str]


def _by_product(
    rows: QuerySet[Any], cells: Cells, community: str, day: str, product: str
) -> dict[ProductKey, int]:
    """(community, month, product name) → units of the rows dated in the cells' months."""
    rows = _in_cells(rows, cells, community).filter(
        **{f"{day}__gte": cells.first, f"{day}__lt": cells.end}
    )
    totals: dict[ProductKey, int] = defaultdict(int)
    for place, month, name, total in (
        rows.annotate(month=TruncMonth(day))
        .values_list(community, "month", f"{product}__name")
        .annotate(total=Sum("quantity"))
        .order_by()
    ):
        if month in cells.months:
            totals[(place, month, name)] += int(total or 0)
    return totals


def _product_facts(*parts: dict[ProductKey, int]) -> Iterable[Fact]:
    """The total of each community and month, and its breakdown `product=<name>` (products of
    one name in the community's cooperatives added together; the breakdowns add up to it)."""
    merged: dict[ProductKey, int] = defaultdict(int)
    for part in parts:
        for key, value in part.items():
            merged[key] += value
    totals: dict[Key, int] = defaultdict(int)
    for (place, month, name), value in sorted(merged.items()):
        totals[(place, month)] += value
        yield Fact(place, month, value, breakdown=f"product={name}"[:80])
    yield from _facts(totals)


def units_produced(cells: Cells) -> Iterable[Fact]:
    yield from _product_facts(
        _by_product(Batch.objects.all(), cells, "cooperative__community_id", "made_on", "product")
    )


def units_sold(cells: Cells) -> Iterable[Fact]:
    """Units sold walk-in plus units delivered on orders."""
    walk_in = _by_product(
        SaleLine.objects.filter(sale__isnull=False), cells, "sale__cooperative__community_id",
        "sale__sold_on", "product",
    )  # fmt: skip
    delivered = _by_product(
        DeliveryLine.objects.all(), cells, "delivery__order__cooperative__community_id",
        "delivery__delivered_on", "product",
    )  # fmt: skip
    yield from _product_facts(walk_in, delivered)


def units_distributed(cells: Cells) -> Iterable[Fact]:
    yield from _product_facts(
        _by_product(
            Distribution.objects.all(), cells, "cooperative__community_id", "given_on", "product"
        )
    )


def _revenue(cells: Cells) -> dict[Key, int]:
    totals = _monthly(Sale.objects.all(), cells, "cooperative__community_id", "sold_on", "total")
    for rows, community, day in (
        (Delivery.objects.all(), "order__cooperative__community_id", "delivered_on"),
        (Distribution.objects.all(), "cooperative__community_id", "given_on"),
    ):
        for key, value in _monthly(rows, cells, community, day, "value").items():
            totals[key] = totals.get(key, 0) + value
    return totals


def revenue(cells: Cells) -> Iterable[Fact]:
    yield from _facts(_revenue(cells))


def revenue_per_member(cells: Cells) -> Iterable[Fact]:
    """The month's revenue over the members on its last day."""
    money = _revenue(cells)
    for key, count in _members_at(cells).items():
        if count:
            yield Fact(key[0], key[1], money.get(key, 0), count)


def income_per_member(cells: Cells) -> Iterable[Fact]:
    """Payouts of closes ending in the month over the members on its last day."""
    paid = _monthly(
        Payout.objects.all(), cells, "close__cooperative__community_id", "close__ends_on", "amount"
    )
    for key, count in _members_at(cells).items():
        if count:
            yield Fact(key[0], key[1], paid.get(key, 0), count)


def women_trained(cells: Cells) -> Iterable[Fact]:
    """Women who attended a training ending in the month (each counted once a month)."""
    rows = _in_cells(
        Participant.objects.filter(
            training__ends_on__gte=cells.first, training__ends_on__lt=cells.end
        ),
        cells,
        "training__cooperative__community_id",
    ).values_list("training__cooperative__community_id", "training__ends_on", "member__person_id")
    people: dict[Key, set[Any]] = defaultdict(set)
    for community, ends_on, person in rows:
        month = ends_on.replace(day=1)
        if month in cells.months:
            people[(community, month)].add(person)
    for (community, month), who in people.items():
        yield Fact(community, month, len(who))


def open_orders_value(cells: Cells) -> Iterable[Fact]:
    """What orders placed by the day stocks are read are worth, less what was delivered of
    them by that day (at the orders' prices)."""
    ends = _month_ends(cells)
    if not ends:
        return
    orders = _in_cells(
        Order.objects.filter(ordered_on__lte=ends[-1][1]), cells, "cooperative__community_id"
    ).values_list("pk", "cooperative__community_id", "ordered_on", "total")
    done: dict[uuid.UUID, list[tuple[datetime.date, int]]] = defaultdict(list)
    for model, field in ((Delivery, "delivered_on"), (Distribution, "given_on")):
        for order, done_on, value in model.objects.filter(
            order__isnull=False, **{f"{field}__lte": ends[-1][1]}
        ).values_list("order_id", field, "value"):
            done[order].append((done_on, value))
    totals: dict[Key, int] = defaultdict(int)
    for order, community, ordered_on, total in orders:
        for month, day in ends:
            if ordered_on <= day:
                left = total - sum(v for on, v in done.get(order, []) if on <= day)
                if left > 0:
                    totals[(community, month)] += left
    yield from _facts(totals)


def equipment_in_use(cells: Cells) -> Iterable[Fact]:
    """Items of equipment acquired by the day stocks are read and in use now (good or needing
    repair): the register keeps today's condition, not its history."""
    ends = _month_ends(cells)
    if not ends:
        return
    rows = _in_cells(
        Equipment.objects.exclude(condition=Condition.BROKEN),
        cells,
        "cooperative__community_id",
    ).values_list("cooperative__community_id", "acquired_on", "disposed_on", "quantity")
    totals: dict[Key, int] = defaultdict(int)
    for community, acquired_on, disposed_on, quantity in rows:
        for month, day in ends:
            if acquired_on <= day and (disposed_on is None or disposed_on > day):
                totals[(community, month)] += quantity
    yield from _facts(totals)


def _register(code: str, name: Any, definition: Any, unit: Unit, sources: tuple, compute: Any,
              **extra: Any) -> None:  # fmt: skip
    register(
        Indicator(
            code=f"cooperatives.{code}",
            name=name,
            definition=definition,
            program=Program.COOPERATIVES,
            unit=unit,
            sources=sources,
            compute=compute,
            disaggregations=extra.pop("disaggregations", DIMENSIONS),
            **extra,
        )
    )


_register(
    "cooperatives", _("Cooperatives"),
    _("Cooperatives formed and not dormant on the month's last day (today for this month)."),
    Unit.COUNT, (SOURCE_MEMBERS,), cooperatives, ongoing=True,
)  # fmt: skip
_register(
    "members", _("Cooperative members"),
    _("Women who are members of a cooperative on the month's last day: joined on or before it "
      "and not left by it."),
    Unit.COUNT, (SOURCE_MEMBERS,), members, ongoing=True,
)  # fmt: skip
_register(
    "units_produced", _("Units produced"),
    _("Units made in production batches dated in the month, all products, by "
      "product."),
    Unit.COUNT, (SOURCE_STOCK,), units_produced,
    disaggregations=BY_PRODUCT,
)  # fmt: skip
_register(
    "units_sold", _("Units sold"),
    _("Units sold walk-in plus units delivered on orders, dated in the month, by "
      "product."),
    Unit.COUNT, (SOURCE_STOCK,), units_sold,
    disaggregations=BY_PRODUCT,
)  # fmt: skip
_register(
    "units_distributed", _("Units given to health centers and families"),
    _("Units given out (distributions) in the month, whoever paid for them, by "
      "product."),
    Unit.COUNT, (SOURCE_STOCK,), units_distributed,
    disaggregations=BY_PRODUCT,
)  # fmt: skip
_register(
    "revenue", _("Cooperative revenue"),
    _("FCFA invoiced in the month: walk-in sales, deliveries on orders and distributions "
      "paid by the NGO's purchase, at the prices of the sale or the order."),
    Unit.FCFA, (SOURCE_STOCK,), revenue,
)  # fmt: skip
_register(
    "revenue_per_member", _("Average monthly revenue per member"),
    _("The month's revenue (numerator) over the members on the month's last day "
      "(denominator). Until payouts are recorded, this is what the women's work brought in, "
      "not what each took home."),
    Unit.FCFA_AVERAGE, (SOURCE_STOCK, SOURCE_MEMBERS), revenue_per_member, ongoing=True,
    numerator_label=_("Revenue (FCFA)"), denominator_label=_("Members"),
)  # fmt: skip
_register(
    "open_orders_value", _("Open orders value"),
    _("What orders placed by the month's last day are worth at their prices, less what was "
      "delivered of them by that day."),
    Unit.FCFA, (SOURCE_ORDERS,), open_orders_value, ongoing=True,
)  # fmt: skip
_register(
    "equipment_in_use", _("Equipment in use"),
    _("Items of the cooperatives' equipment register acquired by the month's last day and in "
      "use (good or needing repair), not disposed of by then; broken items are left out."),
    Unit.COUNT, (SOURCE_MEMBERS,), equipment_in_use, ongoing=True,
)  # fmt: skip
_register(
    "income_per_member", _("Average monthly income per member"),
    _("What the cooperatives paid their members out of the surplus of periods closed in the "
      "month (numerator) over the members on the month's last day (denominator)."),
    Unit.FCFA_AVERAGE, (SOURCE_STOCK, SOURCE_MEMBERS), income_per_member, ongoing=True,
    numerator_label=_("Payouts (FCFA)"), denominator_label=_("Members"),
)  # fmt: skip
_register(
    "women_trained", _("Women trained"),
    _("Members who attended a training (leadership, management, business, the trade) that "
      "ended in the month, each counted once."),
    Unit.COUNT, (SOURCE_MEMBERS,), women_trained,
)  # fmt: skip
