"""Every read of the cooperatives app, scoped to the user's places (`accounts.access`): a
cooperative, its sales, orders and deliveries outside them do not exist for the user (404)."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jigiya.accounts.access import Actor, get_in_scope, scope_q
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import trade
from jigiya.cooperatives.models import (
    Batch,
    CashEntry,
    CashKind,
    Cooperative,
    Customer,
    Delivery,
    Distribution,
    Equipment,
    Member,
    Order,
    OrderStatus,
    PeriodClose,
    Price,
    Product,
    ProductKind,
    Sale,
)
from jigiya.donors.models import Funding
from jigiya.places.models import HealthCenter, Place, PlaceKind
from jigiya.registry.models import Household, Person

PATH = "community__path"


def cooperative_list(*, user: Actor, search: str = "") -> QuerySet[Cooperative]:
    """The cooperatives in the user's places, by name."""
    rows = Cooperative.objects.filter(scope_q(user, Perm.COOPERATIVES_VIEW, PATH))
    if search:
        rows = rows.filter(name__icontains=search)
    return rows.select_related("community").order_by("name")


M = TypeVar("M", bound=Model)


def _get(queryset: QuerySet[M], user: Actor, path_field: str, **lookup: Any) -> M:
    """One row the user may see with the cooperatives view permission. Outside the user's
    places it does not exist (404); inside them, a role without the permission is refused
    (403)."""
    try:
        return get_in_scope(queryset, user, Perm.COOPERATIVES_VIEW, path_field, **lookup)
    except Http404:
        if queryset.filter(scope_q(user, Perm.PLACES_VIEW, path_field)).filter(**lookup).exists():
            raise PermissionDenied from None
        raise


def cooperative_get(*, user: Actor, cooperative_id: Any) -> Cooperative:
    """One cooperative the user may see, or 404."""
    return _get(Cooperative.objects.select_related("community"), user, PATH, pk=cooperative_id)


def communities_to_record(*, user: Actor) -> QuerySet[Place]:
    return Place.objects.filter(
        scope_q(user, Perm.COOPERATIVES_RECORD), kind=PlaceKind.COMMUNITY, is_active=True
    ).order_by("name")


def sale_get(*, user: Actor, sale_id: Any) -> Sale:
    return _get(
        Sale.objects.select_related("cooperative__community", "customer"),
        user,
        f"cooperative__{PATH}",
        pk=sale_id,
    )


def order_get(*, user: Actor, order_id: Any) -> Order:
    return _get(
        Order.objects.select_related("cooperative__community", "customer"),
        user,
        f"cooperative__{PATH}",
        pk=order_id,
    )


def close_get(*, user: Actor, close_id: Any) -> PeriodClose:
    return _get(
        PeriodClose.objects.select_related("cooperative__community"),
        user,
        f"cooperative__{PATH}",
        pk=close_id,
    )


def equipment_get(*, user: Actor, equipment_id: Any) -> Equipment:
    return _get(
        Equipment.objects.select_related("cooperative__community"),
        user,
        f"cooperative__{PATH}",
        pk=equipment_id,
    )


def delivery_get(*, user: Actor, delivery_id: Any) -> Delivery:
    return _get(
        Delivery.objects.select_related(
            "order__cooperative__community", "order__customer", "health_center"
        ),
        user,
        f"order__cooperative__{PATH}",
        pk=delivery_id,
    )


@dataclass
class StockRow:
    product: Product
    quantity: int


def stock_rows(cooperative: Cooperative) -> list[StockRow]:
    """Each active product and input with its stock now: one query."""
    products = cooperative.products.filter(is_active=True).select_related("level")
    return [
        StockRow(p, p.level.quantity if hasattr(p, "level") else 0)
        for p in products.order_by("kind", "name")
    ]


def cash(cooperative: Cooperative) -> dict[str, int]:
    """The cash now (the ledger's balance), what payments brought in and what inputs cost."""
    rows = dict(
        CashEntry.objects.filter(cooperative=cooperative)
        .values_list("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {
        "received": int(rows.get(CashKind.RECEIPT, 0)),
        "spent": -int(rows.get(CashKind.PURCHASE, 0)),
        "balance": int(sum(rows.values())),
    }


@dataclass
class OrderRow:
    order: Order
    invoiced: int
    owed: int


def open_orders(cooperative: Cooperative) -> list[OrderRow]:
    """Orders not fully delivered, or delivered and not fully paid."""
    rows = []
    orders = cooperative.orders.select_related("customer").order_by("ordered_on")
    for order in orders:
        invoiced = trade.order_invoiced(order)
        owed = trade.owed(order=order)
        if order.status == OrderStatus.OPEN or owed > 0:
            rows.append(OrderRow(order, invoiced, owed))
    return rows


def open_orders_value(cooperative: Cooperative) -> int:
    """What open orders are worth at their prices, less what was already delivered."""
    return sum(row.order.total - row.invoiced for row in open_orders(cooperative))


def month_production(cooperative: Cooperative, today: datetime.date | None = None) -> list[dict]:
    """This month's production: units made of each product."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    rows = (
        Batch.objects.filter(cooperative=cooperative, made_on__gte=start, made_on__lte=today)
        .values("product__name", "product__unit")
        .annotate(made=Sum("quantity"))
        .order_by("product__name")
    )
    return list(rows)


def cooperative_page(*, user: Actor, cooperative: Cooperative) -> dict[str, Any]:
    """Everything the cooperative's page shows, in a fixed number of queries."""
    from jigiya.accounts.access import has_perm_at

    members = cooperative.members.filter(left_on__isnull=True).select_related("person")
    return {
        "coop": cooperative,
        "stock": stock_rows(cooperative),
        "cash": cash(cooperative),
        "orders": open_orders(cooperative),
        "production": month_production(cooperative),
        "members": members,
        "sales": cooperative.sales.select_related("customer")[:10],
        "distributions": cooperative.distributions.select_related(
            "product", "health_center", "household"
        )[:10],
        "history": cooperative.status_changes.all(),
        "equipment": cooperative.equipment.select_related("funding__donor"),
        "closes": cooperative.closes.all()[:6],
        "trainings": cooperative.trainings.annotate(people=Count("participants"))[:10],
        "unions": cooperative.unions.select_related("union"),
        "can_record": has_perm_at(user, Perm.COOPERATIVES_RECORD, cooperative.community.path),
    }


def people_to_add(cooperative: Cooperative) -> QuerySet[Person]:
    """Active women of the cooperative's community who are not members now."""
    current = cooperative.members.filter(left_on__isnull=True).values("person_id")
    return (
        Person.objects.filter(household__community=cooperative.community, is_active=True)
        .exclude(pk__in=current)
        .order_by("family_name", "given_name")
    )


def products(cooperative: Cooperative, kind: str = ProductKind.PRODUCT) -> QuerySet[Product]:
    return cooperative.products.filter(kind=kind, is_active=True).order_by("name")


def active_members(cooperative: Cooperative) -> QuerySet[Member]:
    return cooperative.members.filter(left_on__isnull=True).select_related("person")


def customers(cooperative: Cooperative) -> QuerySet[Customer]:
    return cooperative.customers.order_by("name")


def health_centers() -> QuerySet[HealthCenter]:
    return HealthCenter.objects.order_by("name")


def households(cooperative: Cooperative) -> QuerySet[Household]:
    return Household.objects.filter(community=cooperative.community, is_active=True).order_by(
        "name"
    )


def fundings() -> QuerySet[Funding]:
    return Funding.objects.filter(program="cooperatives").select_related("donor")


def ngo_orders(cooperative: Cooperative) -> QuerySet[Order]:
    return cooperative.orders.filter(channel="ngo", status=OrderStatus.OPEN).select_related(
        "customer"
    )


def memberships_of(*, user: Actor, person_ids: Iterable[Any]) -> dict[uuid.UUID, list[Member]]:
    """The current cooperative memberships of these people that the user may see."""
    rows = Member.objects.filter(
        scope_q(user, Perm.COOPERATIVES_VIEW, f"cooperative__{PATH}"),
        person_id__in=person_ids,
        left_on__isnull=True,
    ).select_related("cooperative")
    result: dict[uuid.UUID, list[Member]] = {}
    for member in rows:
        result.setdefault(member.person_id, []).append(member)
    return result


def distributions_to(*, user: Actor, household: Household) -> QuerySet[Distribution]:
    """What cooperatives gave this household, that the user may see."""
    return (
        Distribution.objects.filter(
            scope_q(user, Perm.COOPERATIVES_VIEW, f"cooperative__{PATH}"), household=household
        )
        .select_related("product", "cooperative")
        .order_by("-given_on")
    )


def order_detail(order: Order) -> dict[str, Any]:
    """An order with its lines, deliveries, payments, what is invoiced and owed."""
    return {
        "order": order,
        "lines": order.lines.select_related("product"),
        "deliveries": order.deliveries.select_related("health_center").prefetch_related(
            Prefetch("lines")
        ),
        "distributions": order.distributions.select_related("product", "household"),
        "payments": order.payments.all(),
        "invoiced": trade.order_invoiced(order),
        "owed": trade.owed(order=order),
        "remaining": trade.order_remaining(order),
    }


def prices_on(products: Iterable[Product], channel: str, day: datetime.date) -> dict[Any, int]:
    """The unit price of each product on `channel` on `day` (products without one are left
    out): one query."""
    rows = (
        Price.objects.filter(product__in=list(products), channel=channel, valid_from__lte=day)
        .exclude(valid_until__lt=day)
        .values_list("product_id", "amount")
    )
    return dict(rows)
