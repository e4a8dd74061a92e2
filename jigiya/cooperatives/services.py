"""Every write of the cooperatives app. Each function takes keyword-only arguments, checks the
actor's right to record in the cooperative's community, validates, writes in one transaction,
records the audit trail and returns what it wrote. Refusals are `ValidationError`s naming the
field and the numbers; nothing is written then.

Cooperatives, members, products and prices are here; the stock movements (batches, purchases,
losses) in `production`; customers, sales, orders, deliveries, payments and distributions in
`trade`. All are re-exported here, so callers import one module.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, has_perm_at, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import cash, stock
from jigiya.cooperatives.common import SOURCE_MEMBERS, changed
from jigiya.cooperatives.models import (
    Activity,
    CashKind,
    Channel,
    Cooperative,
    CoopStatus,
    CoopStatusChange,
    Equipment,
    MaterialLine,
    Member,
    MemberRole,
    Price,
    Product,
    ProductKind,
    StockLevel,
    Unit,
)
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, not_before_birth, not_in_future, within_program
from jigiya.core.retries import replay
from jigiya.donors.models import Funding
from jigiya.places.models import Place, PlaceKind
from jigiya.registry.models import Person


def _choice(field: str, value: str, choices: type[models.TextChoices], label: str) -> None:
    if value not in choices.values:
        raise ValidationError(
            {field: [_("“%(value)s” is not a known %(label)s.") % {"value": value, "label": label}]}
        )


@transaction.atomic
def cooperative_create(
    *,
    actor: Actor,
    community: Place,
    name: str,
    activity: str,
    formed_on: datetime.date,
    id: uuid.UUID | None = None,
) -> Cooperative:
    """A new cooperative, forming, in an active community where the actor records cooperatives.
    Sent again with the same id and content: the same cooperative, nothing written."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, community)
    name = name.strip()
    again = replay(
        Cooperative,
        id,
        {"community": community, "name": name, "activity": activity, "formed_on": formed_on},
    )
    if again is not None:
        return again
    if community.kind != PlaceKind.COMMUNITY or not community.is_active:
        raise ValidationError({"community": [_("A cooperative belongs to an active community.")]})
    _choice("activity", activity, Activity, _("activity"))
    within_program("formed_on", formed_on)
    if Cooperative.objects.filter(community=community, name__iexact=name).exists():
        raise ValidationError(
            {"name": [_("This community already has a cooperative of this name.")]}
        )
    coop = Cooperative(
        name=name,
        activity=activity,
        community=community,
        formed_on=formed_on,
        status=CoopStatus.FORMING,
        status_since=formed_on,
        created_by=acting_user(actor),
    )
    create_audited(coop, actor=actor, id=id)
    CoopStatusChange.objects.create(
        cooperative=coop, status=CoopStatus.FORMING, on=formed_on, created_by=acting_user(actor)
    )
    changed(community.pk, formed_on, source=SOURCE_MEMBERS, lasting=True)
    return coop


TRANSITIONS = {
    CoopStatus.FORMING: {CoopStatus.INCORPORATED},
    CoopStatus.INCORPORATED: {CoopStatus.ACTIVE, CoopStatus.DORMANT},
    CoopStatus.ACTIVE: {CoopStatus.DORMANT},
    CoopStatus.DORMANT: {CoopStatus.ACTIVE},
}


@transaction.atomic
def cooperative_status_change(
    *,
    actor: Actor,
    cooperative: Cooperative,
    status: str,
    on: datetime.date,
    reason: str = "",
    registration_number: str = "",
    registered_on: datetime.date | None = None,
    registration_authority: str = "",
) -> Cooperative:
    """Incorporate (registration number, date and authority required), activate, put to sleep
    or wake a cooperative from a date; the history keeps every change."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    coop = stock.lock_cooperative(cooperative.pk)
    _choice("status", status, CoopStatus, _("status"))
    if status not in TRANSITIONS[CoopStatus(coop.status)]:
        raise ValidationError(
            {
                "status": [
                    _("A cooperative that is %(now)s cannot become %(next)s.")
                    % {"now": CoopStatus(coop.status).label, "next": CoopStatus(status).label}
                ]
            }
        )
    not_in_future("on", on)
    not_before("on", on, coop.status_since, floor_label=_("the last change of status"))
    before = audit_snapshot(coop)
    if status == CoopStatus.INCORPORATED:
        _incorporation(coop, registration_number, registered_on, registration_authority, on)
    coop.status, coop.status_since = status, on
    coop.full_clean()
    coop.save()
    CoopStatusChange.objects.create(
        cooperative=coop,
        status=status,
        on=on,
        reason=reason.strip(),
        number=coop.status_changes.count() + 1,
        created_by=acting_user(actor),
    )
    audit_record(actor=actor, obj=coop, before=before)
    changed(coop.community_id, on, source=SOURCE_MEMBERS, lasting=True)
    return coop


def _incorporation(
    coop: Cooperative,
    number: str,
    registered_on: datetime.date | None,
    authority: str,
    on: datetime.date,
) -> None:
    errors = {}
    if not number.strip():
        errors["registration_number"] = [_("Give the registration number.")]
    if registered_on is None:
        errors["registered_on"] = [_("Give the date of registration.")]
    if not authority.strip():
        errors["registration_authority"] = [_("Give the authority that registered it.")]
    if errors:
        raise ValidationError(errors)
    not_in_future("registered_on", registered_on)
    not_before("registered_on", registered_on, coop.formed_on, floor_label=_("its formation"))
    coop.registration_number = number.strip()
    coop.registered_on = registered_on
    coop.registration_authority = authority.strip()


@transaction.atomic
def member_add(
    *,
    actor: Actor,
    cooperative: Cooperative,
    person: Person,
    joined_on: datetime.date,
    role: str = MemberRole.MEMBER,
    skills: str = "",
    share_capital: int = 0,
    id: uuid.UUID | None = None,
) -> Member:
    """A woman of the registry joins (once at a time: a member added twice is refused)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(
        Member, id, {"cooperative": cooperative, "person": person, "joined_on": joined_on}
    )
    if again is not None:
        return again
    stock.lock_cooperative(cooperative.pk)
    if not has_perm_at(actor, Perm.COOPERATIVES_RECORD, person.household.community.path):
        raise ValidationError({"person": [_("This person lives outside your places.")]})
    if not person.is_active:
        raise ValidationError(
            {"person": [_("%(person)s is no longer active.") % {"person": person}]}
        )
    _choice("role", role, MemberRole, _("role"))
    within_program("joined_on", joined_on)
    not_before("joined_on", joined_on, cooperative.formed_on, floor_label=_("its formation"))
    not_before_birth("joined_on", joined_on, person)
    if type(share_capital) is not int or share_capital < 0:
        raise ValidationError({"share_capital": [_("The share capital is whole FCFA, ≥ 0.")]})
    if cooperative.members.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError(
            {"person": [_("%(person)s is already a member.") % {"person": person}]}
        )
    member = Member(
        cooperative=cooperative,
        person=person,
        joined_on=joined_on,
        role=role,
        skills=skills.strip(),
        share_capital=share_capital,
        created_by=acting_user(actor),
    )
    changed(cooperative.community_id, joined_on, source=SOURCE_MEMBERS, lasting=True)
    create_audited(member, actor=actor, id=id)
    if share_capital:
        cash.post(cooperative=cooperative, kind=CashKind.CAPITAL, on=joined_on,
                  amount=share_capital, member=member, field_name="share_capital")  # fmt: skip
    return member


@transaction.atomic
def product_create(
    *,
    actor: Actor,
    cooperative: Cooperative,
    name: str,
    kind: str,
    unit: str,
    id: uuid.UUID | None = None,
) -> Product:
    """A product for sale or an input, with its (empty) stock row."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    _choice("kind", kind, ProductKind, _("kind"))
    _choice("unit", unit, Unit, _("unit"))
    name = name.strip()
    if cooperative.products.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("This cooperative already has a product of this name.")]})
    product = Product(
        cooperative=cooperative, name=name, kind=kind, unit=unit, created_by=acting_user(actor)
    )
    create_audited(product, actor=actor, id=id)
    StockLevel.objects.create(product=product, quantity=0)
    return product


@transaction.atomic
def material_set(
    *, actor: Actor, product: Product, component: Product, quantity: int, per: int = 1
) -> MaterialLine:
    """Set what one batch of `per` units of `product` uses of `component` (an input of the
    same cooperative)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, product.cooperative.community)
    if component.cooperative_id != product.cooperative_id or component.kind != ProductKind.INPUT:
        raise ValidationError({"component": [_("Choose an input of this cooperative.")]})
    stock.whole(quantity, "quantity", _("The quantity"))
    stock.whole(per, "per", _("The number of units"))
    line = MaterialLine.objects.filter(product=product, component=component).first()
    if line is None:
        line = MaterialLine(product=product, component=component, created_by=acting_user(actor))
        line.quantity, line.per = quantity, per
        return create_audited(line, actor=actor)
    before = audit_snapshot(line)
    line.quantity, line.per = quantity, per
    line.full_clean()
    line.save()
    audit_record(actor=actor, obj=line, before=before)
    return line


@transaction.atomic
def price_set(
    *,
    actor: Actor,
    product: Product,
    channel: str,
    amount: int,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> Price:
    """A price of `product` on `channel` from `valid_from` (to `valid_until`). An open-ended
    price still running is closed the day before; any other overlap is refused."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, product.cooperative.community)
    stock.lock_cooperative(product.cooperative_id)
    _choice("channel", channel, Channel, _("sales channel"))
    if product.kind != ProductKind.PRODUCT:
        raise ValidationError({"product": [_("Inputs are bought, not sold: no price.")]})
    if type(amount) is not int or amount <= 0:
        raise ValidationError(
            {
                "amount": [
                    _("A price is a whole number of FCFA above zero (got %(v)s).") % {"v": amount}
                ]
            }
        )
    within_program("valid_from", valid_from, future=True)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": [_("The end comes before the start.")]})
    _close_running(actor, product, channel, valid_from)
    price = Price(
        product=product,
        channel=channel,
        amount=amount,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=acting_user(actor),
    )
    return create_audited(price, actor=actor)


def _close_running(actor: Actor, product: Product, channel: str, start: datetime.date) -> None:
    prices = Price.objects.filter(product=product, channel=channel)
    for price in prices:
        end = price.valid_until or datetime.date.max
        if price.valid_until is None and price.valid_from < start:
            before = audit_snapshot(price)
            price.valid_until = start - datetime.timedelta(days=1)
            price.save(update_fields=["valid_until", "updated_at"])
            audit_record(actor=actor, obj=price, before=before)
        elif price.valid_from >= start or end >= start:
            raise ValidationError(
                {
                    "valid_from": [
                        _("A %(channel)s price of %(product)s already runs from %(day)s.")
                        % {
                            "channel": price.get_channel_display(),
                            "product": product.name,
                            "day": price.valid_from,
                        }
                    ]
                }
            )


@transaction.atomic
def equipment_add(
    *,
    actor: Actor,
    cooperative: Cooperative,
    item: str,
    quantity: int,
    acquired_on: datetime.date,
    cost: int,
    funding: Funding | None = None,
    serial: str = "",
    holder: str = "",
    id: uuid.UUID | None = None,
) -> Equipment:
    """An item of the equipment register, maybe bought on a donor's funding of the
    cooperatives program (grants reuse the donors' fundings)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(Equipment, id, {"cooperative": cooperative, "item": item.strip()})
    if again is not None:
        return again
    stock.whole(quantity, "quantity", _("The quantity"))
    if type(cost) is not int or cost < 0:
        raise ValidationError(
            {"cost": [_("The cost is whole FCFA, ≥ 0 (got %(v)s).") % {"v": cost}]}
        )
    within_program("acquired_on", acquired_on)
    if funding is not None and funding.program != "cooperatives":
        raise ValidationError({"funding": [_("Choose a funding of the cooperatives.")]})
    equipment = Equipment(
        cooperative=cooperative, item=item.strip(), quantity=quantity, serial=serial.strip(),
        acquired_on=acquired_on, cost=cost, funding=funding, holder=holder.strip(),
        created_by=acting_user(actor),
    )  # fmt: skip
    changed(cooperative.community_id, acquired_on, source=SOURCE_MEMBERS, lasting=True)
    return create_audited(equipment, actor=actor, id=id)


from jigiya.cooperatives.cash import expense_record, period_close  # noqa: E402
from jigiya.cooperatives.counts import (  # noqa: E402
    stock_count_approve,
    stock_count_record,
    stock_count_reject,
)
from jigiya.cooperatives.network import (  # noqa: E402
    equipment_dispose,
    equipment_maintain,
    training_certify,
    training_day,
    training_record,
    union_create,
    union_join,
)
from jigiya.cooperatives.pipeline import (  # noqa: E402
    preparing_group_advance,
    preparing_group_create,
)
from jigiya.cooperatives.production import (  # noqa: E402
    BatchData,
    PurchaseData,
    WorkerLine,
    batch_record,
    loss_record,
    purchase_record,
)
from jigiya.cooperatives.trade import (  # noqa: E402
    DeliveryData,
    DistributionData,
    LineData,
    OrderData,
    SaleData,
    customer_create,
    delivery_record,
    distribution_record,
    order_create,
    order_invoiced,
    order_remaining,
    owed,
    payment_record,
    price_on,
    sale_record,
)
from jigiya.cooperatives.union import board_elect, dues_pay  # noqa: E402

__all__ = [
    "BatchData",
    "DeliveryData",
    "DistributionData",
    "LineData",
    "OrderData",
    "PurchaseData",
    "SaleData",
    "WorkerLine",
    "batch_record",
    "board_elect",
    "cooperative_create",
    "cooperative_status_change",
    "customer_create",
    "delivery_record",
    "distribution_record",
    "dues_pay",
    "equipment_add",
    "equipment_dispose",
    "equipment_maintain",
    "expense_record",
    "loss_record",
    "material_set",
    "member_add",
    "order_create",
    "order_invoiced",
    "order_remaining",
    "owed",
    "payment_record",
    "period_close",
    "preparing_group_advance",
    "preparing_group_create",
    "price_on",
    "price_set",
    "product_create",
    "purchase_record",
    "sale_record",
    "stock_count_approve",
    "stock_count_record",
    "stock_count_reject",
    "training_certify",
    "training_day",
    "training_record",
    "union_create",
    "union_join",
]  # fmt: skip
