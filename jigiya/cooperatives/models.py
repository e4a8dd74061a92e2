"""Women's cooperatives: the cooperative and its status history, members, products with their
bill of materials and prices, the stock ledger, production, purchases, customers, sales,
institutional orders, deliveries, payments and distributions.

Stock lives only in the ledger (`StockEntry` and its `StockLine`s, append-only and hash-chained
per cooperative, written only by `cooperatives.stock`). `StockLevel` repeats each product's
balance on one row, so a posting can lock that row (`SELECT … FOR UPDATE`) and the database can
refuse a negative balance; `verify` checks it against the lines. Quantities are whole units.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jigiya.core.appendonly import AppendOnlyModel
from jigiya.core.models import BaseModel


class Activity(models.TextChoices):
    SOAP = "soap", _("Soap making")
    MASKS = "masks", _("Mask sewing")
    PEANUT_BUTTER = "peanut_butter", _("Peanut butter")
    OTHER = "other", _("Other")


class CoopStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    INCORPORATED = "incorporated", _("Incorporated")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")


class Cooperative(BaseModel):
    """A women's cooperative of one community. Its status history is in `CoopStatusChange`;
    `status` and `status_since` repeat the latest change. Once incorporated it keeps its
    registration number, date and authority (the DRDSES, usually)."""

    name = models.CharField(_("name"), max_length=120)
    activity = models.CharField(_("activity"), max_length=16, choices=Activity.choices)
    community = models.ForeignKey(
        "places.Place",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="cooperatives",
        limit_choices_to={"kind": "community"},
    )
    formed_on = models.DateField(_("formed on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CoopStatus.choices, default=CoopStatus.FORMING
    )
    status_since = models.DateField(_("status since"))
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    registration_authority = models.CharField(
        _("registration authority"), max_length=120, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="coop_unique_name_in_community"
            ),
            models.CheckConstraint(
                condition=Q(status="forming")
                | (~Q(registration_number="") & Q(registered_on__isnull=False)),
                name="coop_incorporated_has_registration",
            ),
            models.CheckConstraint(
                condition=Q(status_since__gte=models.F("formed_on")),
                name="coop_status_after_formation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:detail", args=[self.pk])


class CoopStatusChange(BaseModel):
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=16, choices=CoopStatus.choices)
    on = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    number = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cooperative", "number"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.cooperative} {self.get_status_display()} {self.on:%Y-%m-%d}"


class MemberRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    TREASURER = "treasurer", _("Treasurer")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class Member(BaseModel):
    """A woman of the registry in a cooperative, from `joined_on` (until `left_on`)."""

    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="members"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="cooperative_memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    share_capital = models.PositiveBigIntegerField(_("share capital (FCFA)"), default=0)

    class Meta:
        ordering = ["cooperative", "joined_on", "created_at"]
        verbose_name = _("cooperative member")
        verbose_name_plural = _("cooperative members")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "person"],
                condition=Q(left_on__isnull=True),
                name="coop_member_once",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="coop_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    BAR = "bar", _("bar")
    JAR = "jar", _("jar")
    SPOOL = "spool", _("spool")
    GRAM = "gram", _("gram")
    MILLILITRE = "millilitre", _("millilitre")
    CENTIMETRE = "centimetre", _("centimetre")


class ProductKind(models.TextChoices):
    PRODUCT = "product", _("Product for sale")
    INPUT = "input", _("Input (raw material)")


class Product(BaseModel):
    """What a cooperative makes and sells, or an input it buys (fabric, elastic, oil, lye…).
    Quantities are whole numbers of `unit`."""

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=ProductKind.choices)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["cooperative", "kind", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="coop_product_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MaterialLine(BaseModel):
    """Bill of materials: `quantity` of `component` for every `per` units of `product`
    (1 spool of thread per 50 masks). A batch consumes ⌈made x quantity / per⌉."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="materials")
    component = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="used_in")
    quantity = models.PositiveIntegerField(_("quantity"))
    per = models.PositiveIntegerField(_("for every"), default=1)

    class Meta:
        ordering = ["product", "component__name"]
        verbose_name = _("bill of materials line")
        verbose_name_plural = _("bill of materials")
        constraints = [
            models.UniqueConstraint(fields=["product", "component"], name="coop_bom_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(per__gt=0), name="coop_bom_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.quantity} {self.component} / {self.per}"


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    INSTITUTIONAL = "institutional", _("Institutional")
    NGO = "ngo", _("NGO")


class Price(BaseModel):
    """A product's unit price in FCFA on one sales channel, from `valid_from` to `valid_until`
    (open-ended when empty). Prices of one product and channel never overlap."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="prices"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    amount = models.PositiveBigIntegerField(_("unit price (FCFA)"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["product", "channel", "valid_from"]
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="coop_price_positive"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="coop_price_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.get_channel_display()} {self.amount}"


# --- the stock ledger ------------------------------------------------------------------------


class MovementKind(models.TextChoices):
    PRODUCTION = "production", _("Production")
    PURCHASE = "purchase", _("Purchase")
    SALE = "sale", _("Sale")
    DISTRIBUTION = "distribution", _("Distribution")
    LOSS = "loss", _("Loss")
    ADJUSTMENT = "adjustment", _("Count adjustment")


class StockEntry(AppendOnlyModel):
    """One posting to a cooperative's stock: one or more lines, each a product and a signed
    whole quantity. Numbered 1, 2, 3… per cooperative; `hash` chains it to the one before."""

    id = models.UUIDField(primary_key=True, editable=False)
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="stock_entries"
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKind.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["cooperative", "seq"]
        verbose_name = _("stock entry")
        verbose_name_plural = _("stock entries")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "seq"], name="coop_stock_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} #{self.seq} {self.kind}"


class StockLine(AppendOnlyModel):
    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(StockEntry, on_delete=models.PROTECT, related_name="lines")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField()
    on = models.DateField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_lines")
    quantity = models.BigIntegerField()

    class Meta:
        ordering = ["cooperative", "seq", "position"]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="coop_stock_line_not_zero")
        ]
        indexes = [models.Index(fields=["product", "on"])]

    def __str__(self) -> str:
        return f"{self.product_id} {self.quantity:+d}"


class StockLevel(models.Model):
    """A product's stock now: the sum of its ledger lines, kept on one row that a posting locks.
    The database refuses a negative quantity."""

    product = models.OneToOneField(
        Product, primary_key=True, on_delete=models.PROTECT, related_name="level"
    )
    quantity = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="coop_stock_never_negative")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"


# --- production and purchases ----------------------------------------------------------------


class Batch(BaseModel):
    """A production batch: `quantity` of `product` made on `made_on`, its inputs consumed and
    its output added in one stock entry, with the members who worked and what each made."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="batches")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="batches")
    quantity = models.PositiveIntegerField(_("quantity made"))
    made_on = models.DateField(_("made on"))
    entry = models.OneToOneField(StockEntry, on_delete=models.PROTECT, related_name="batch")
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-made_on", "-created_at"]
        verbose_name = _("production batch")
        verbose_name_plural = _("production batches")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="coop_batch_pos")]

    def __str__(self) -> str:
        return f"{self.quantity} {self.product} {self.made_on}"


class BatchWorker(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="workers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="batches")
    pieces = models.PositiveIntegerField(_("pieces made"), default=0)
    hours = models.PositiveIntegerField(_("hours worked"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "member"], name="coop_batch_worker_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.pieces}"


class Purchase(BaseModel):
    """Inputs bought: `quantity` of an input for `cost` FCFA, maybe paid by a donor's funding."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="purchases")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="purchases")
    quantity = models.PositiveIntegerField(_("quantity"))
    cost = models.PositiveBigIntegerField(_("cost (FCFA)"))
    supplier = models.CharField(_("supplier"), max_length=120, blank=True)
    bought_on = models.DateField(_("bought on"))
    funding = models.ForeignKey(
        "donors.Funding",
        verbose_name=_("paid by the grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.OneToOneField(StockEntry, on_delete=models.PROTECT, related_name="purchase")

    class Meta:
        ordering = ["-bought_on", "-created_at"]
        verbose_name = _("input purchase")
        verbose_name_plural = _("input purchases")

    def __str__(self) -> str:
        return f"{self.quantity} {self.product} {self.bought_on}"


# --- customers, sales, orders, payments, distributions ---------------------------------------


class CustomerKind(models.TextChoices):
    PERSON = "person", _("Person")
    NGO = "ngo", _("NGO")
    HEALTH_CENTER = "health_center", _("Health center")
    OTHER = "other", _("Other institution")


class Customer(BaseModel):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="customers")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=CustomerKind.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["cooperative", "name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="coop_customer_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Sale(BaseModel):
    """A walk-in sale: products leave the stock on `sold_on` at the walk-in price of that day.
    What is not paid at once is owed (`Payment`s)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="sales")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="sales"
    )
    sold_on = models.DateField(_("sold on"))
    total = models.PositiveBigIntegerField(_("total (FCFA)"))
    entry = models.OneToOneField(StockEntry, on_delete=models.PROTECT, related_name="sale")
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sold_on", "-created_at"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")

    def __str__(self) -> str:
        return f"{self.sold_on} {self.total}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:sale", args=[self.pk])


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DELIVERED = "delivered", _("Delivered")


class Order(BaseModel):
    """An institutional order (the NGO, a health center): lines at the channel's price on the
    order's day; delivered in one or more deliveries; invoiced as delivered."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="orders")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    ordered_on = models.DateField(_("ordered on"))
    reference = models.CharField(_("customer's reference"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    total = models.PositiveBigIntegerField(_("total (FCFA)"))
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-ordered_on", "-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return f"{self.customer} {self.ordered_on}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:order", args=[self.pk])


class SaleLine(models.Model):
    """A line of a sale or an order: product, whole quantity, unit price, amount."""

    sale = models.ForeignKey(
        Sale, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.PositiveBigIntegerField(_("unit price"))
    amount = models.PositiveBigIntegerField(_("amount"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sale__isnull=True) & Q(order__isnull=False))
                | (Q(sale__isnull=False) & Q(order__isnull=True)),
                name="coop_line_of_sale_or_order",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0)
                & Q(amount=models.F("quantity") * models.F("unit_price")),
                name="coop_line_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


class Delivery(BaseModel):
    """What left the stock for an order: to which health center, received by whom."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.CharField(_("received by"), max_length=120)
    value = models.PositiveBigIntegerField(_("value (FCFA)"))
    entry = models.OneToOneField(StockEntry, on_delete=models.PROTECT, related_name="delivery")
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-delivered_on", "-created_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.order} {self.delivered_on}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:delivery", args=[self.pk])


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="coop_delivery_line_pos")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    ORANGE_MONEY = "orange_money", _("Orange Money")
    MOOV_MONEY = "moov_money", _("Moov Money")


class Payment(BaseModel):
    """Money received for a sale or an order; mobile money carries its transaction reference."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="payments")
    sale = models.ForeignKey(
        Sale, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(_("transaction reference"), max_length=60, blank=True)
    paid_on = models.DateField(_("paid on"))

    class Meta:
        ordering = ["-paid_on", "-created_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="coop_payment_positive"),
            models.CheckConstraint(
                condition=(Q(sale__isnull=True) & Q(order__isnull=False))
                | (Q(sale__isnull=False) & Q(order__isnull=True)),
                name="coop_payment_for_sale_or_order",
            ),
            models.CheckConstraint(
                condition=Q(method="cash") | ~Q(reference=""),
                name="coop_mobile_money_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount} {self.method}"


class PaidBy(models.TextChoices):
    NGO_PURCHASE = "ngo_purchase", _("Bought by the NGO")
    GRANT = "grant", _("A grant")
    DONATION = "donation", _("A donation of the cooperative")


class Distribution(BaseModel):
    """Products given to a health center or to a family in need, and who paid for them."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="distributions"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    given_on = models.DateField(_("given on"))
    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperative_distributions",
    )
    received_by = models.CharField(_("received by"), max_length=120)
    paid_by = models.CharField(_("paid by"), max_length=16, choices=PaidBy.choices)
    funding = models.ForeignKey(
        "donors.Funding",
        verbose_name=_("grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Given out of an NGO's order (paid_by "ngo_purchase"): invoiced on it at its price.
    order = models.ForeignKey(
        "Order", null=True, blank=True, on_delete=models.PROTECT, related_name="distributions"
    )
    value = models.PositiveBigIntegerField(_("value invoiced (FCFA)"), default=0)
    entry = models.OneToOneField(StockEntry, on_delete=models.PROTECT, related_name="distribution")

    class Meta:
        ordering = ["-given_on", "-created_at"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(health_center__isnull=True) & Q(household__isnull=False))
                | (Q(health_center__isnull=False) & Q(household__isnull=True)),
                name="coop_distribution_one_recipient",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="coop_distribution_pos"),
            models.CheckConstraint(
                condition=(Q(paid_by="ngo_purchase") & Q(order__isnull=False))
                | (~Q(paid_by="ngo_purchase") & Q(order__isnull=True) & Q(value=0)),
                name="coop_distribution_ngo_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.product} {self.given_on}"


class Condition(models.TextChoices):
    GOOD = "good", _("In use, good")
    NEEDS_REPAIR = "needs_repair", _("In use, needs repair")
    BROKEN = "broken", _("Broken, not in use")


class Equipment(BaseModel):
    """An item of the equipment register: what it is, how many (or its serial number), when
    and for how much it was acquired, the grant that paid, who holds it, its condition."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="equipment")
    item = models.CharField(_("item"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    serial = models.CharField(_("serial number"), max_length=60, blank=True)
    acquired_on = models.DateField(_("acquired on"))
    cost = models.PositiveBigIntegerField(_("cost (FCFA)"))
    funding = models.ForeignKey(
        "donors.Funding",
        verbose_name=_("paid by the grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder = models.CharField(_("held by"), max_length=120, blank=True)
    condition = models.CharField(
        _("condition"), max_length=16, choices=Condition.choices, default=Condition.GOOD
    )
    disposed_on = models.DateField(_("disposed of on"), null=True, blank=True)
    disposal_reason = models.CharField(_("why disposed of"), max_length=200, blank=True)

    class Meta:
        ordering = ["cooperative", "acquired_on", "item"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="coop_equipment_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.item}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:equipment", args=[self.pk])


class Maintenance(BaseModel):
    """One entry of an item's maintenance log: when, what was done, what it cost."""

    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="maintenance")
    on = models.DateField(_("date"))
    description = models.CharField(_("what was done"), max_length=200)
    cost = models.PositiveBigIntegerField(_("cost (FCFA)"), default=0)
    condition = models.CharField(_("condition after"), max_length=16, choices=Condition.choices)

    class Meta:
        ordering = ["equipment", "-on"]
        verbose_name = _("maintenance")
        verbose_name_plural = _("maintenance log")

    def __str__(self) -> str:
        return f"{self.equipment} {self.on}"


# --- money: the cash ledger, period closes and payouts ---------------------------------------


class CashKind(models.TextChoices):
    CAPITAL = "capital", _("Share capital paid in")
    RECEIPT = "receipt", _("Payment received")
    PURCHASE = "purchase", _("Input purchase")
    EXPENSE = "expense", _("Expense")
    PAYOUT = "payout", _("Payout to a member")
    DUES = "dues", _("Union dues")


class CashEntry(AppendOnlyModel):
    """One movement of the cooperative's cash: a signed whole amount of FCFA (+ in, - out).
    Append-only and hash-chained per cooperative, like the stock ledger; the cash never goes
    below zero."""

    id = models.UUIDField(primary_key=True, editable=False)
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="cash_entries"
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=CashKind.choices)
    on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (FCFA)"))
    memo = models.CharField(_("note"), max_length=200, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="cash_entries"
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "seq"]
        verbose_name = _("cash entry")
        verbose_name_plural = _("cash entries")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "seq"], name="coop_cash_seq_unique"),
            models.CheckConstraint(condition=~Q(amount=0), name="coop_cash_not_zero"),
        ]
        indexes = [models.Index(fields=["cooperative", "on"])]

    def __str__(self) -> str:
        return f"{self.cooperative_id} #{self.seq} {self.kind} {self.amount:+d}"


class ShareRule(models.TextChoices):
    PIECES = "pieces", _("By pieces produced")
    EQUAL = "equal", _("Equal shares")
    HOURS = "hours", _("By hours worked")


class PeriodClose(BaseModel):
    """A closed period: its surplus (money in less money out, share capital aside) shared
    among the members by the cooperative's rule, to the franc; what cannot be shared evenly
    (the remainder) stays in the cash. Nothing can be recorded on or before `ends_on` after."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="closes")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    rule = models.CharField(_("sharing rule"), max_length=16, choices=ShareRule.choices)
    received = models.BigIntegerField(_("received (FCFA)"))
    spent = models.BigIntegerField(_("spent (FCFA)"))
    surplus = models.BigIntegerField(_("surplus (FCFA)"))
    shared = models.PositiveBigIntegerField(_("shared (FCFA)"))
    remainder = models.PositiveBigIntegerField(_("remainder kept in the cash (FCFA)"))

    class Meta:
        ordering = ["cooperative", "-ends_on"]
        verbose_name = _("period close")
        verbose_name_plural = _("period closes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="coop_close_dates"
            ),
            models.UniqueConstraint(fields=["cooperative", "ends_on"], name="coop_close_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.starts_on} - {self.ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:close", args=[self.pk])


class Payout(models.Model):
    """A member's share of a period's surplus: her basis (pieces, or 1 for equal shares)."""

    close = models.ForeignKey(PeriodClose, on_delete=models.PROTECT, related_name="payouts")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="payouts")
    basis = models.PositiveIntegerField(_("basis"))
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))

    class Meta:
        ordering = ["close", "member"]
        constraints = [models.UniqueConstraint(fields=["close", "member"], name="coop_payout_once")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.amount}"


# --- the physical count ---------------------------------------------------------------------


class CountStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second officer")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class StockCount(BaseModel):
    """A physical count of the stock: what was found of each product beside what the ledger
    said. Its differences are posted (one `adjustment` entry) only when a second officer
    approves; the officer who counted never approves her own count (a database constraint)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="counts")
    counted_on = models.DateField(_("counted on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CountStatus.choices, default=CountStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entry = models.OneToOneField(
        StockEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="count"
    )

    class Meta:
        ordering = ["cooperative", "-counted_on", "-created_at"]
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("created_by")),
                name="coop_count_second_officer",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False)),
                name="coop_count_decided_by_someone",
            ),
            models.UniqueConstraint(
                fields=["cooperative"],
                condition=Q(status="pending"),
                name="coop_count_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.counted_on}"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:count", args=[self.pk])


class CountLine(models.Model):
    """One product of a count: what the ledger said when it was recorded, and what was found."""

    count = models.ForeignKey(StockCount, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    expected = models.BigIntegerField(_("in the books"))
    counted = models.PositiveBigIntegerField(_("counted"))

    class Meta:
        ordering = ["count", "product__kind", "product__name"]
        constraints = [
            models.UniqueConstraint(fields=["count", "product"], name="coop_count_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.counted} ({self.expected})"

    @property
    def difference(self) -> int:
        return self.counted - self.expected


# --- women's groups preparing a cooperative ---------------------------------------------------


class PipelineStage(models.TextChoices):
    INTEREST = "interest", _("Interest shown")
    INFORMED = "informed", _("Informed on cooperatives")
    TRAINED = "trained", _("Trained in cooperative management")
    STATUTES = "statutes", _("Statutes drafted")
    ASSEMBLY = "assembly", _("Constitutive assembly held")
    FILED = "filed", _("Registration filed")
    FORMED = "formed", _("Cooperative formed")
    DROPPED = "dropped", _("Dropped out")


class PreparingGroup(BaseModel):
    """A women's group preparing a new cooperative, at one stage of the way (its history in
    `PreparingStage`). `origin` says where it came from, in words (a savings group, say: the
    cooperatives app stands beside savings, not above it, and does not link its records)."""

    name = models.CharField(_("group name"), max_length=120)
    community = models.ForeignKey(
        "places.Place",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "community"},
    )
    activity = models.CharField(_("planned activity"), max_length=16, choices=Activity.choices)
    women = models.PositiveIntegerField(_("women in the group"))
    origin = models.CharField(_("grew out of"), max_length=160, blank=True)
    contact = models.CharField(_("contact person"), max_length=120, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=PipelineStage.choices)
    stage_since = models.DateField(_("at this stage since"))
    cooperative = models.OneToOneField(
        Cooperative,
        verbose_name=_("the cooperative it became"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="preparing_group",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("group preparing a cooperative")
        verbose_name_plural = _("groups preparing a cooperative")
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="coop_pipeline_unique_name"),
            models.CheckConstraint(
                condition=Q(stage="formed", cooperative__isnull=False)
                | (~Q(stage="formed") & Q(cooperative__isnull=True)),
                name="coop_pipeline_formed_has_cooperative",
            ),
            models.CheckConstraint(condition=Q(women__gt=0), name="coop_pipeline_women"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:pipeline_group", args=[self.pk])


class PreparingStage(BaseModel):
    group = models.ForeignKey(PreparingGroup, on_delete=models.PROTECT, related_name="stages")
    stage = models.CharField(_("stage"), max_length=16, choices=PipelineStage.choices)
    on = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "on", "created_at"]
        verbose_name = _("stage reached")
        verbose_name_plural = _("stages reached")

    def __str__(self) -> str:
        return f"{self.group} {self.stage} {self.on}"


# --- the union and trainings ------------------------------------------------------------------


class UnionStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")


class Union(BaseModel):
    """A union of cooperatives of one area (a cercle, a commune): its member cooperatives pay
    yearly dues."""

    name = models.CharField(_("name"), max_length=160)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    formed_on = models.DateField(_("formed on"))
    status = models.CharField(
        _("status"), max_length=16, choices=UnionStatus.choices, default=UnionStatus.FORMING
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("union of cooperatives")
        verbose_name_plural = _("unions of cooperatives")
        constraints = [models.UniqueConstraint(fields=["name"], name="coop_union_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:union", args=[self.pk])


class UnionMember(BaseModel):
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="members")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="unions")
    joined_on = models.DateField(_("joined on"))
    yearly_dues = models.PositiveBigIntegerField(_("yearly dues (FCFA)"), default=0)
    board_role = models.CharField(_("role on the board"), max_length=60, blank=True)

    class Meta:
        ordering = ["union", "joined_on"]
        constraints = [
            models.UniqueConstraint(fields=["union", "cooperative"], name="coop_union_once")
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} in {self.union}"


class TrainingTopic(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership")
    MANAGEMENT = "management", _("Cooperative management")
    BUSINESS = "business", _("Business skills")
    TRADE = "trade", _("The trade")


class Training(BaseModel):
    """A training given to members of a cooperative, with its partner organisation (the
    DRDSES, say), dates, who attended and who was certified."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="trainings")
    title = models.CharField(_("title"), max_length=160)
    topic = models.CharField(_("topic"), max_length=16, choices=TrainingTopic.choices)
    partner = models.CharField(_("partner organisation"), max_length=160, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    min_days = models.PositiveSmallIntegerField(
        _("days needed for the certificate"),
        null=True,
        blank=True,
        help_text=_("Empty: every day of the training."),
    )

    class Meta:
        ordering = ["-ends_on"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="coop_training_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:training", args=[self.pk])

    @property
    def days(self) -> list[datetime.date]:
        """Every day of the training, first to last."""
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=i) for i in range(count)]

    @property
    def days_needed(self) -> int:
        """Days a participant must attend for the certificate: `min_days`, or every day."""
        return self.min_days if self.min_days is not None else len(self.days)


class Participant(models.Model):
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="participants")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="trainings")
    certified = models.BooleanField(_("certified"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training", "member"], name="coop_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.training_id}"


class Attendance(models.Model):
    """A participant present on one day of a multi-day training."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="attendance"
    )
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="coop_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.day}"


class TrainingDay(models.Model):
    """One day's attendance sent after the training was recorded (`network.training_day`),
    under the device's id: who was present is its `Attendance` rows of that day."""

    id = models.UUIDField(primary_key=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="recorded_days")
    day = models.DateField(_("day"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["training", "day"]
        verbose_name = _("training day")
        verbose_name_plural = _("training days")
        constraints = [
            models.UniqueConstraint(fields=["training", "day"], name="coop_training_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.training_id} {self.day}"

    def present(self) -> list[Any]:
        """The member ids present that day, sorted."""
        return sorted(
            Attendance.objects.filter(
                participant__training_id=self.training_id, day=self.day
            ).values_list("participant__member_id", flat=True)
        )


class DuesPayment(AppendOnlyModel):
    """A member cooperative's payment of its union dues for a year: the union's receipt,
    written once with the cooperative's cash entry that paid it (append-only, like the cash)."""

    id = models.UUIDField(primary_key=True, editable=False)
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="dues_payments")
    member = models.ForeignKey(UnionMember, on_delete=models.PROTECT, related_name="payments")
    year = models.PositiveSmallIntegerField(_("year"))
    paid_on = models.DateField(_("paid on"))
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))
    cash_entry = models.OneToOneField(
        CashEntry, on_delete=models.PROTECT, related_name="dues_payment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "created_at"]
        verbose_name = _("union dues payment")
        verbose_name_plural = _("union dues payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="coop_dues_paid")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}: {self.amount}"


class BoardRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")


class BoardElection(BaseModel):
    """The union's board elected on a day: it replaces the board of the election before, which
    stays in the history."""

    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="elections")
    held_on = models.DateField(_("held on"))

    class Meta:
        ordering = ["union", "-held_on"]
        verbose_name = _("board election")
        verbose_name_plural = _("board elections")
        constraints = [
            models.UniqueConstraint(fields=["union", "held_on"], name="coop_election_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.held_on}"


class BoardSeat(models.Model):
    """A member of a member cooperative elected to a role of the union's board."""

    election = models.ForeignKey(BoardElection, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(_("role"), max_length=16, choices=BoardRole.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="union_seats")

    class Meta:
        ordering = ["election", "role"]
        constraints = [
            models.UniqueConstraint(fields=["election", "role"], name="coop_seat_role_once"),
            models.UniqueConstraint(fields=["election", "member"], name="coop_seat_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.member_id}"
