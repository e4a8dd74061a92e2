"""Every read of the cooperatives app, scoped to the user's places (`accounts.access`): a
cooperative, its sales, orders and deliveries outside them do not exist for the user (404)."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jigiya.accounts.access import Actor, get_in_scope, has_perm_at, scope_paths, scope_q
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
    Participant,
    Payment,
    PeriodClose,
    PreparingGroup,
    Price,
    Product,
    ProductKind,
    Sale,
    StockCount,
    StockLine,
    Training,
    Union,
    UnionMember,
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
    members = cooperative.members.filter(left_on__isnull=True).select_related("person")
    return {
        "coop": cooperative,
        "stock": stock_rows(cooperative),
        "cash": cash(cooperative),
        "orders": open_orders(cooperative),
        "production": month_production(cooperative),
        "members": members,
        "sales": cooperative.sales.select_related("customer")[:10],
        "distributions": cooperative.distributions.select_related("product", "health_center")[:10],
        "history": cooperative.status_changes.all(),
        "equipment": cooperative.equipment.select_related("funding__donor"),
        "closes": cooperative.closes.all()[:6],
        "trainings": cooperative.trainings.annotate(people=Count("participants"))[:10],
        "unions": cooperative.unions.select_related("union"),
        "by_product": by_product(cooperative),
        "counts": cooperative.counts.all()[:3],
        "customers": customers(cooperative),
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
    """The active households of the cooperative's community, by id (so by code: the form shows
    names only to a role that sees the registry)."""
    return Household.objects.filter(community=cooperative.community, is_active=True).order_by("id")


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
        "distributions": order.distributions.select_related("product"),
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


def customer_get(*, user: Actor, customer_id: Any) -> Customer:
    return _get(
        Customer.objects.select_related("cooperative__community"),
        user,
        f"cooperative__{PATH}",
        pk=customer_id,
    )


@dataclass
class StatementLine:
    on: datetime.date
    what: str
    link: str
    charged: int  # FCFA invoiced on that line (0 for a payment)
    paid: int  # FCFA received on that line (0 for a charge)
    balance: int = 0  # owed after the line


def customer_statement(customer: Customer) -> list[StatementLine]:
    """Everything a customer was invoiced (walk-in sales in her name, deliveries and NGO-paid
    distributions of her orders, at the order's prices) and paid, by date — charges before
    payments on one day — with the balance owed after each line. The last balance is what
    `trade.owed` says of all her sales and orders together. Five queries."""
    from django.utils.translation import gettext as _

    lines = [
        StatementLine(s.sold_on, _("Sale"), s.get_absolute_url(), s.total, 0)
        for s in customer.sales.all()
    ]
    lines += [
        StatementLine(d.delivered_on, _("Products delivered"), d.get_absolute_url(), d.value, 0)
        for d in Delivery.objects.filter(order__customer=customer).select_related("order")
    ]
    lines += [
        StatementLine(
            g.given_on,
            _("Given out of the order"),
            g.order.get_absolute_url(),  # type: ignore[union-attr]  # filtered on its order
            g.value,
            0,
        )
        for g in Distribution.objects.filter(order__customer=customer).select_related("order")
    ]
    payments = Payment.objects.filter(
        Q(sale__customer=customer) | Q(order__customer=customer)
    ).select_related("sale", "order")
    lines += [
        StatementLine(
            p.paid_on,
            f"{_('Payment')} · {p.get_method_display()}{' ' + p.reference if p.reference else ''}",
            (p.sale or p.order).get_absolute_url(),  # type: ignore[union-attr]
            0,
            p.amount,
        )
        for p in payments
    ]
    lines.sort(key=lambda line: (line.on, line.paid > 0))
    running = 0
    for line in lines:
        running += line.charged - line.paid
        line.balance = running
    return lines


def training_get(*, user: Actor, training_id: Any) -> Training:
    return _get(
        Training.objects.select_related("cooperative__community"),
        user,
        f"cooperative__{PATH}",
        pk=training_id,
    )


def training_members(training: Training) -> QuerySet[Member]:
    """The training's participants as members, by name."""
    return (
        Member.objects.filter(trainings__training=training)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def uncertified(training: Training) -> QuerySet[Participant]:
    """Participants not yet certified, by name, each with `present`: the days she attended."""
    return (
        training.participants.filter(certified=False)
        .select_related("member__person")
        .annotate(present=Count("attendance"))
        .order_by("member__person__family_name", "member__person__given_name")
    )


def certified_ids(training: Training) -> list[Any]:
    """The members certified in the training, by id."""
    rows = training.participants.filter(certified=True).order_by("member_id")
    return list(rows.values_list("member_id", flat=True))


def training_days(training: Training) -> list[tuple[datetime.date, list[Member]]]:
    """Each day of the training with the members present (none: not recorded yet)."""
    by_day: dict[datetime.date, list[Member]] = {day: [] for day in training.days}
    rows = training.participants.select_related("member__person").prefetch_related("attendance")
    for participant in sorted(rows, key=lambda p: str(p.member.person)):
        for attendance in participant.attendance.all():
            by_day.setdefault(attendance.day, []).append(participant.member)
    return sorted(by_day.items())


def union_memberships(cooperative: Cooperative) -> QuerySet[UnionMember]:
    """The unions the cooperative belongs to (for paying its dues)."""
    return cooperative.unions.select_related("union").order_by("joined_on")


def board_candidates(union: Union) -> QuerySet[Member]:
    """Members now of the union's member cooperatives, by cooperative and name."""
    return (
        Member.objects.filter(cooperative__unions__union=union, left_on__isnull=True)
        .select_related("person", "cooperative")
        .order_by("cooperative__name", "person__family_name", "person__given_name")
    )


def count_get(*, user: Actor, count_id: Any) -> StockCount:
    return _get(
        StockCount.objects.select_related("cooperative__community", "created_by", "decided_by"),
        user,
        f"cooperative__{PATH}",
        pk=count_id,
    )


def _sees_union(user: Actor, area: str, perm: Perm = Perm.COOPERATIVES_VIEW) -> bool:
    """A union concerns a user whose places hold its area or lie within it."""
    return any(path.startswith(area) or area.startswith(path) for path in scope_paths(user, perm))


def union_get(*, user: Actor, union_id: Any) -> Union:
    """A union the user may see: its area holds, or lies within, one of the user's places.
    Outside them it does not exist (404); inside them, a role without the cooperatives view is
    refused (403)."""
    union = Union.objects.select_related("place").filter(pk=union_id).first()
    if union is None:
        raise Http404
    if not _sees_union(user, union.place.path):
        if _sees_union(user, union.place.path, Perm.PLACES_VIEW):
            raise PermissionDenied
        raise Http404
    return union


def unions(*, user: Actor) -> list[Union]:
    """The unions whose area holds, or lies within, one of the user's places."""
    rows = Union.objects.select_related("place").order_by("name")
    return [union for union in rows if _sees_union(user, union.place.path)]


def union_page(*, user: Actor, union: Union) -> dict[str, Any]:
    """The union, its members with their dues and board roles (cooperatives outside the user's
    places are counted, not named)."""
    members = union.members.select_related("cooperative__community").order_by("joined_on")
    visible = set(
        Cooperative.objects.filter(
            scope_q(user, Perm.COOPERATIVES_VIEW, PATH), unions__union=union
        ).values_list("pk", flat=True)
    )
    from jigiya.cooperatives import union as union_money

    year = timezone.localdate().year
    return {
        "union": union,
        "dues_years": [
            row
            for row in union_money.dues(union, until_year=year)
            if row.member.cooperative_id in visible
        ],
        "received": union_money.union_balance(union),
        "board": union_money.board(union),
        "visible": visible,
        "elections": union.elections.order_by("-held_on")[1:],
        "members": [m for m in members if m.cooperative_id in visible],
        "others": sum(1 for m in members if m.cooperative_id not in visible),
        "dues": sum(m.yearly_dues for m in members),
        "can_elect": has_perm_at(user, Perm.COOPERATIVES_RECORD, union.place.path),
        "can_pay": set(
            Cooperative.objects.filter(
                scope_q(user, Perm.COOPERATIVES_RECORD, PATH), unions__union=union
            ).values_list("pk", flat=True)
        ),
        "joinable": Cooperative.objects.filter(
            scope_q(user, Perm.COOPERATIVES_RECORD, PATH),
            community__path__startswith=union.place.path,
        ).exclude(unions__union=union),
    }


def pipeline(*, user: Actor) -> list[tuple[str, list[PreparingGroup]]]:
    """The women's groups preparing a cooperative in the user's places, by stage in the order
    of the way (every stage shown, even empty): one query."""
    from jigiya.cooperatives.models import PipelineStage

    rows = PreparingGroup.objects.filter(
        scope_q(user, Perm.COOPERATIVES_VIEW, PATH)
    ).select_related("community", "cooperative")
    by_stage: dict[str, list[PreparingGroup]] = {s: [] for s in PipelineStage.values}
    for group in rows.order_by("stage_since", "name"):
        by_stage[group.stage].append(group)
    return [(str(PipelineStage(s).label), groups) for s, groups in by_stage.items()]


def preparing_group_get(*, user: Actor, group_id: Any) -> PreparingGroup:
    return _get(
        PreparingGroup.objects.select_related("community", "cooperative"),
        user,
        PATH,
        pk=group_id,
    )


def by_product(cooperative: Cooperative, today: datetime.date | None = None) -> list[dict]:
    """This month's units made, sold (walk-in and delivered) and given, of each product for
    sale: four queries."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    month = {"on__gte": start, "on__lte": today}
    rows: dict[Any, dict[str, Any]] = {
        p.pk: {"product": p, "made": 0, "sold": 0, "given": 0} for p in products(cooperative)
    }
    lines = StockLine.objects.filter(cooperative=cooperative, product__in=list(rows), **month)
    kinds = {
        "made": ["production"],
        "sold": ["sale"],
        "given": ["distribution"],
    }
    totals = lines.values_list("product_id", "entry__kind").annotate(t=Sum("quantity")).order_by()
    for product_id, kind, total in totals:
        for key, names in kinds.items():
            if kind in names:
                rows[product_id][key] += abs(int(total))
    return [row for row in rows.values() if row["made"] or row["sold"] or row["given"]]


def union_areas(*, user: Actor) -> QuerySet[Place]:
    """The places a union may be formed for: the active places where the user records
    cooperatives (a cercle, a commune, a community)."""
    return Place.objects.filter(scope_q(user, Perm.COOPERATIVES_RECORD), is_active=True).order_by(
        "name"
    )


def dues_rows(memberships: Iterable[Any], until_year: int) -> list[Any]:
    """The dues years of these union memberships up to `until_year` (each with what is left),
    read once per union."""
    from jigiya.cooperatives import union as union_money

    members = list(memberships)
    unions = {member.union_id: member.union for member in members}
    wanted = {member.pk for member in members}
    return [
        row
        for union in unions.values()
        for row in union_money.dues(union, until_year=until_year)
        if row.member.pk in wanted
    ]
