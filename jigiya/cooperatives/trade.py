"""Customers, walk-in sales, institutional orders and their deliveries, payments, and
distributions to health centers and families in need.

Money owed: a walk-in sale owes its total; an order owes what was delivered (its deliveries and
the distributions given out of it) at the order's prices; payments reduce what is owed and never
go above it. Prices are the channel's price valid on the day of the sale or the order.
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, has_perm_at, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import cash, stock
from jigiya.cooperatives.common import SOURCE_ORDERS, changed
from jigiya.cooperatives.models import (
    CashKind,
    Channel,
    Cooperative,
    Customer,
    CustomerKind,
    Delivery,
    DeliveryLine,
    Distribution,
    MovementKind,
    Order,
    OrderStatus,
    PaidBy,
    Payment,
    PaymentMethod,
    Price,
    Product,
    ProductKind,
    Sale,
    SaleLine,
)
from jigiya.cooperatives.production import check_day, product_of
from jigiya.cooperatives.stock import Move, Posting
from jigiya.core.audit import create_audited
from jigiya.core.money import format_fcfa
from jigiya.core.retries import fingerprint, replay
from jigiya.donors.models import Funding
from jigiya.places.models import HealthCenter
from jigiya.registry.models import Household


def price_on(product: Product, channel: str, day: datetime.date, field_name: str) -> int:
    """The unit price of `product` on `channel` on `day`, or an error on `field_name` saying
    there is none (a sale without a valid price that day is refused)."""
    price = (
        Price.objects.filter(product=product, channel=channel, valid_from__lte=day)
        .exclude(valid_until__lt=day)
        .values_list("amount", flat=True)
        .first()
    )
    if price is None:
        raise ValidationError(
            {
                field_name: [
                    _("%(product)s has no %(channel)s price on %(day)s.")
                    % {"product": product.name, "channel": Channel(channel).label, "day": day}
                ]
            }
        )
    return price


@transaction.atomic
def customer_create(
    *, actor: Actor, cooperative: Cooperative, name: str, kind: str, phone: str = ""
) -> Customer:
    """A customer of the cooperative (names are unique in it)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    if kind not in CustomerKind.values:
        raise ValidationError({"kind": [_("Choose a kind of customer.")]})
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the customer's name.")]})
    if cooperative.customers.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": [_("This cooperative already has a customer of this name.")]}
        )
    customer = Customer(
        cooperative=cooperative, name=name, kind=kind, phone=phone.strip(),
        created_by=acting_user(actor),
    )  # fmt: skip
    return create_audited(customer, actor=actor)


@dataclass
class LineData:
    product_id: uuid.UUID
    quantity: int


def _lines_print(lines: list[LineData]) -> list[list[Any]]:
    return [[str(line.product_id), line.quantity] for line in lines]


def _priced(
    coop: Cooperative, lines: list[LineData], channel: str, day: datetime.date
) -> list[SaleLine]:
    if not lines:
        raise ValidationError({"lines": [_("Add at least one product.")]})
    priced = []
    for index, line in enumerate(lines):
        where = f"lines.{index}"
        product = product_of(coop, line.product_id, where, ProductKind.PRODUCT)
        stock.whole(line.quantity, where, _("The quantity of %(product)s") % {"product": product})
        unit = price_on(product, channel, day, where)
        priced.append(
            SaleLine(
                product=product, quantity=line.quantity, unit_price=unit,
                amount=unit * line.quantity,
            )
        )  # fmt: skip
    return priced


def _customer(coop: Cooperative, customer_id: Any, required: bool) -> Customer | None:
    if customer_id is None and not required:
        return None
    customer = Customer.objects.filter(cooperative=coop, pk=customer_id).first()
    if customer is None:
        raise ValidationError({"customer_id": [_("Choose a customer of this cooperative.")]})
    return customer


@dataclass
class SaleData:
    """A walk-in sale; `paid` (FCFA, at most the total) is received at once by `method`."""

    id: uuid.UUID
    sold_on: datetime.date
    lines: list[LineData]
    customer_id: uuid.UUID | None = None
    paid: int = 0
    method: str = PaymentMethod.CASH
    reference: str = ""

    def fingerprint(self) -> str:
        return fingerprint(
            sold_on=self.sold_on, lines=_lines_print(self.lines), customer=self.customer_id,
            paid=self.paid, method=self.method, reference=self.reference,
        )  # fmt: skip


@transaction.atomic
def sale_record(*, actor: Actor, cooperative: Cooperative, data: SaleData) -> Sale:
    """A walk-in sale at the walk-in prices of its day: stock out in one entry, the amount
    paid at once recorded. Refused, nothing written: more than the stock (names the product,
    the stock, the quantity asked), no walk-in price that day, a quantity not whole, a payment
    above the total."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    print_ = data.fingerprint()
    again = replay(Sale, data.id, {"fingerprint": print_})
    if again is not None:
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    check_day(coop, data.sold_on, "sold_on")
    customer = _customer(coop, data.customer_id, required=False)
    lines = _priced(coop, data.lines, Channel.WALK_IN, data.sold_on)
    total = sum(line.amount for line in lines)
    _check_payment(data.paid, total, data.method, data.reference, "paid")
    entry = stock.post(
        cooperative=coop,
        posting=Posting(
            id=uuid.uuid4(), kind=MovementKind.SALE, on=data.sold_on,
            moves=[
                Move(line.product, -line.quantity, f"lines.{i}") for i, line in enumerate(lines)
            ],
        ),
        actor=actor,
    )  # fmt: skip
    sale = Sale(
        cooperative=coop, customer=customer, sold_on=data.sold_on, total=total, entry=entry,
        fingerprint=print_, created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(sale, actor=actor, id=data.id)
    for line in lines:
        line.sale = sale
    SaleLine.objects.bulk_create(lines)
    if data.paid:
        _pay(actor, coop, data.paid, data.method, data.reference, data.sold_on, sale=sale)
    return sale


def _check_payment(amount: Any, owed: int, method: str, reference: str, field_name: str) -> None:
    if type(amount) is not int or amount < 0:
        raise ValidationError(
            {field_name: [_("An amount is whole FCFA, ≥ 0 (got %(v)s).") % {"v": amount}]}
        )
    if amount > owed:
        raise ValidationError(
            {
                field_name: [
                    _("%(amount)s is above the balance owed (%(owed)s).")
                    % {"amount": format_fcfa(amount), "owed": format_fcfa(owed)}
                ]
            }
        )
    if method not in PaymentMethod.values:
        raise ValidationError({"method": [_("Choose cash, Orange Money or Moov Money.")]})
    if amount and method != PaymentMethod.CASH and not reference.strip():
        raise ValidationError(
            {
                "reference": [
                    _("Give the %(method)s transaction reference.")
                    % {"method": PaymentMethod(method).label}
                ]
            }
        )


def _pay(
    actor: Actor, coop: Cooperative, amount: int, method: str, reference: str,
    day: datetime.date, *, sale: Sale | None = None, order: Order | None = None,
    id: uuid.UUID | None = None,
) -> Payment:  # fmt: skip
    cash.post(cooperative=coop, kind=CashKind.RECEIPT, on=day, amount=amount,
              memo=f"{method} {reference}".strip())  # fmt: skip
    payment = Payment(
        cooperative=coop, sale=sale, order=order, amount=amount, method=method,
        reference=reference.strip(), paid_on=day, created_by=acting_user(actor),
    )  # fmt: skip
    return create_audited(payment, actor=actor, id=id)


@dataclass
class OrderData:
    id: uuid.UUID
    customer_id: uuid.UUID
    ordered_on: datetime.date
    lines: list[LineData]
    channel: str = Channel.INSTITUTIONAL
    reference: str = ""

    def fingerprint(self) -> str:
        return fingerprint(
            customer=self.customer_id, ordered_on=self.ordered_on, lines=_lines_print(self.lines),
            channel=self.channel, reference=self.reference,
        )  # fmt: skip


@transaction.atomic
def order_create(*, actor: Actor, cooperative: Cooperative, data: OrderData) -> Order:
    """An institutional or NGO order at the channel's prices of its day (no stock moves yet).
    Refused: a walk-in channel, a product without that channel's price that day."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    print_ = data.fingerprint()
    again = replay(Order, data.id, {"fingerprint": print_})
    if again is not None:
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    if data.channel not in (Channel.INSTITUTIONAL, Channel.NGO):
        raise ValidationError({"channel": [_("An order comes from an institution or the NGO.")]})
    check_day(coop, data.ordered_on, "ordered_on")
    customer = _customer(coop, data.customer_id, required=True)
    lines = _priced(coop, data.lines, data.channel, data.ordered_on)
    order = Order(
        cooperative=coop, customer=customer, channel=data.channel, ordered_on=data.ordered_on,
        reference=data.reference.strip(), total=sum(line.amount for line in lines),
        fingerprint=print_, created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(order, actor=actor, id=data.id)
    for line in lines:
        line.order = order
    SaleLine.objects.bulk_create(lines)
    changed(coop.community_id, data.ordered_on, source=SOURCE_ORDERS, lasting=True)
    return order


def order_remaining(order: Order) -> dict[uuid.UUID, int]:
    """What is still to deliver of each product of the order."""
    remaining: dict[uuid.UUID, int] = defaultdict(int)
    for product, quantity in order.lines.values_list("product_id", "quantity"):
        remaining[product] += quantity
    done = DeliveryLine.objects.filter(delivery__order=order).values_list("product_id", "quantity")
    given = order.distributions.values_list("product_id", "quantity")
    for product, quantity in [*done, *given]:
        remaining[product] -= quantity
    return dict(remaining)


def order_invoiced(order: Order) -> int:
    """What the order owes in all: its deliveries and distributions, at the order's prices."""
    delivered = order.deliveries.aggregate(total=Sum("value"))["total"] or 0
    given = order.distributions.aggregate(total=Sum("value"))["total"] or 0
    return int(delivered + given)


def owed(*, sale: Sale | None = None, order: Order | None = None) -> int:
    """The balance still owed on a sale or an order."""
    if sale is not None:
        paid = sale.payments.aggregate(total=Sum("amount"))["total"] or 0
        return int(sale.total - paid)
    assert order is not None
    paid = order.payments.aggregate(total=Sum("amount"))["total"] or 0
    return order_invoiced(order) - int(paid)


def _unit_prices(order: Order) -> dict[uuid.UUID, int]:
    return dict(order.lines.values_list("product_id", "unit_price"))


def _take_from_order(order: Order, lines: list[LineData]) -> int:
    """Check `lines` against what is left to deliver; the value at the order's prices."""
    remaining = order_remaining(order)
    prices = _unit_prices(order)
    value = 0
    for index, line in enumerate(lines):
        where = f"lines.{index}"
        if line.product_id not in remaining:
            raise ValidationError({where: [_("This product is not in the order.")]})
        stock.whole(line.quantity, where, _("The quantity delivered"))
        if line.quantity > remaining[line.product_id]:
            raise ValidationError(
                {
                    where: [
                        _("Only %(left)s are left to deliver on this order; %(asked)s given.")
                        % {"left": remaining[line.product_id], "asked": line.quantity}
                    ]
                }
            )
        remaining[line.product_id] -= line.quantity
        value += line.quantity * prices[line.product_id]
    return value


def _close_if_done(order: Order, day: datetime.date) -> None:
    changed(order.cooperative.community_id, day, source=SOURCE_ORDERS, lasting=True)
    if all(left <= 0 for left in order_remaining(order).values()):
        order.status = OrderStatus.DELIVERED
        order.save(update_fields=["status", "updated_at"])


@dataclass
class DeliveryData:
    id: uuid.UUID
    delivered_on: datetime.date
    received_by: str
    lines: list[LineData]
    health_center_id: uuid.UUID | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        return fingerprint(
            delivered_on=self.delivered_on, received_by=self.received_by.strip(),
            lines=_lines_print(self.lines), health_center=self.health_center_id,
        )  # fmt: skip


@transaction.atomic
def delivery_record(*, actor: Actor, order: Order, data: DeliveryData) -> Delivery:
    """Deliver (part of) an order: stock out, to a health center, received by a named person;
    the order is delivered when nothing is left. Refused: more than ordered or in stock."""
    coop = order.cooperative
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, coop.community)
    print_ = data.fingerprint()
    again = replay(Delivery, data.id, {"fingerprint": print_})
    if again is not None:
        return again
    coop = stock.lock_cooperative(coop.pk)
    order = Order.objects.get(pk=order.pk)
    check_day(coop, data.delivered_on, "delivered_on")
    if data.delivered_on < order.ordered_on:
        raise ValidationError({"delivered_on": [_("A delivery comes on or after its order.")]})
    if not data.received_by.strip():
        raise ValidationError({"received_by": [_("Say who received the products.")]})
    center = None
    if data.health_center_id is not None:
        center = HealthCenter.objects.filter(pk=data.health_center_id).first()
        if center is None:
            raise ValidationError({"health_center_id": [_("Choose a health center.")]})
    if not data.lines:
        raise ValidationError({"lines": [_("Add at least one product.")]})
    value = _take_from_order(order, data.lines)
    products = {p.pk: p for p in Product.objects.filter(cooperative=coop)}
    entry = stock.post(
        cooperative=coop,
        posting=Posting(
            id=uuid.uuid4(), kind=MovementKind.SALE, on=data.delivered_on,
            moves=[Move(products[line.product_id], -line.quantity, f"lines.{i}")
                   for i, line in enumerate(data.lines)],
        ),
        actor=actor,
    )  # fmt: skip
    delivery = Delivery(
        order=order, delivered_on=data.delivered_on, health_center=center,
        received_by=data.received_by.strip(), value=value, entry=entry, fingerprint=print_,
        created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(delivery, actor=actor, id=data.id)
    DeliveryLine.objects.bulk_create(
        DeliveryLine(delivery=delivery, product_id=line.product_id, quantity=line.quantity)
        for line in data.lines
    )
    _close_if_done(order, data.delivered_on)
    return delivery


@transaction.atomic
def payment_record(
    *,
    actor: Actor,
    cooperative: Cooperative,
    amount: int,
    method: str,
    paid_on: datetime.date,
    reference: str = "",
    sale: Sale | None = None,
    order: Order | None = None,
    id: uuid.UUID | None = None,
) -> Payment:
    """Money received for a sale or an order, never above what it still owes."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(
        Payment, id,
        {"sale_id": getattr(sale, "pk", None), "order_id": getattr(order, "pk", None),
         "amount": amount, "method": method, "paid_on": paid_on},
    )  # fmt: skip
    if again is not None:
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    if (sale is None) == (order is None) or (sale or order).cooperative_id != coop.pk:  # type: ignore[union-attr]
        raise ValidationError({"__all__": [_("A payment is for one sale or one order.")]})
    check_day(coop, paid_on, "paid_on")
    if type(amount) is not int or amount <= 0:
        raise ValidationError(
            {"amount": [_("An amount is whole FCFA above zero (got %(v)s).") % {"v": amount}]}
        )
    _check_payment(amount, owed(sale=sale, order=order), method, reference, "amount")
    return _pay(actor, coop, amount, method, reference, paid_on, sale=sale, order=order, id=id)


@dataclass
class DistributionData:
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: int
    given_on: datetime.date
    received_by: str
    paid_by: str
    health_center_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    funding_id: uuid.UUID | None = None

    def expected(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id, "quantity": self.quantity, "given_on": self.given_on,
            "health_center_id": self.health_center_id, "household_id": self.household_id,
            "paid_by": self.paid_by,
        }  # fmt: skip


def _recipient(
    actor: Actor, data: DistributionData
) -> tuple[HealthCenter | None, Household | None]:
    if (data.health_center_id is None) == (data.household_id is None):
        raise ValidationError(
            {"household_id": [_("Give either a health center or a household, not both.")]}
        )
    if data.health_center_id is not None:
        center = HealthCenter.objects.filter(pk=data.health_center_id).first()
        if center is None:
            raise ValidationError({"health_center_id": [_("Choose a health center.")]})
        return center, None
    household = (
        Household.objects.select_related("community").filter(pk__in=[data.household_id]).first()
    )
    if household is None or not has_perm_at(
        actor, Perm.COOPERATIVES_RECORD, household.community.path
    ):
        raise ValidationError({"household_id": [_("Choose a household in your places.")]})
    return None, household


def _payer(coop: Cooperative, data: DistributionData, product: Product) -> tuple[Any, Any, int]:
    """(order, funding, value invoiced) for who paid."""
    if data.paid_by not in PaidBy.values:
        raise ValidationError({"paid_by": [_("Say who paid for what is given.")]})
    if data.paid_by == PaidBy.NGO_PURCHASE:
        order = Order.objects.filter(
            cooperative=coop, pk__in=[data.order_id], channel=Channel.NGO
        ).first()
        if order is None:
            raise ValidationError({"order_id": [_("Choose the NGO's order this comes from.")]})
        value = _take_from_order(order, [LineData(product.pk, data.quantity)])
        return order, None, value
    funding = None
    if data.paid_by == PaidBy.GRANT:
        funding = Funding.objects.filter(pk__in=[data.funding_id], program="cooperatives").first()
        if funding is None:
            raise ValidationError({"funding_id": [_("Choose the grant that paid.")]})
    return None, funding, 0


@transaction.atomic
def distribution_record(
    *, actor: Actor, cooperative: Cooperative, data: DistributionData
) -> Distribution:
    """Products given to a health center or a family in need: stock out, who received them, who
    paid (an NGO order it is invoiced on, a grant, or the cooperative's donation)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(Distribution, data.id, data.expected())
    if again is not None:
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    product = product_of(coop, data.product_id, "product_id", ProductKind.PRODUCT)
    stock.whole(data.quantity, "quantity", _("The quantity given"))
    check_day(coop, data.given_on, "given_on")
    center, household = _recipient(actor, data)
    if not data.received_by.strip():
        raise ValidationError({"received_by": [_("Say who received the products.")]})
    order, funding, value = _payer(coop, data, product)
    entry = stock.post(
        cooperative=coop,
        posting=Posting(
            id=uuid.uuid4(), kind=MovementKind.DISTRIBUTION, on=data.given_on,
            moves=[Move(product, -data.quantity)],
        ),
        actor=actor,
    )  # fmt: skip
    distribution = Distribution(
        cooperative=coop, product=product, quantity=data.quantity, given_on=data.given_on,
        health_center=center, household=household, received_by=data.received_by.strip(),
        paid_by=data.paid_by, funding=funding, order=order, value=value, entry=entry,
        created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(distribution, actor=actor, id=data.id)
    if order is not None:
        _close_if_done(order, data.given_on)
    return distribution
