"""Stock movements of making and buying: production batches (inputs out and output in, in ONE
stock entry, with the members who worked), input purchases, and losses with their reason."""

import datetime
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import cash, stock
from jigiya.cooperatives.models import (
    Batch,
    BatchWorker,
    CashKind,
    Cooperative,
    CoopStatus,
    Member,
    MovementKind,
    Product,
    ProductKind,
    Purchase,
    StockEntry,
)
from jigiya.cooperatives.stock import Move, Posting
from jigiya.core.audit import create_audited
from jigiya.core.bounds import not_before, within_program
from jigiya.core.retries import fingerprint, replay
from jigiya.donors.models import Funding


def product_of(
    cooperative: Cooperative, product_id: Any, field_name: str, kind: str = ""
) -> Product:
    """An active product of this cooperative (of `kind` when given), or an error on the field."""
    product = (
        Product.objects.filter(cooperative=cooperative, pk=product_id, is_active=True).first()
        if _is_uuid(product_id)
        else None
    )
    if product is None:
        raise ValidationError({field_name: [_("Choose a product of this cooperative.")]})
    if kind and product.kind != kind:
        raise ValidationError(
            {
                field_name: [
                    _("%(product)s is not a %(kind)s.")
                    % {"product": product.name, "kind": ProductKind(kind).label}
                ]
            }
        )
    return product


def _is_uuid(value: Any) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def check_day(cooperative: Cooperative, day: datetime.date, field_name: str) -> None:
    """A movement is dated within the program, not in the future, not before the formation,
    and the cooperative is not dormant."""
    within_program(field_name, day)
    not_before(field_name, day, cooperative.formed_on, floor_label=_("its formation"))
    if cooperative.status == CoopStatus.DORMANT:
        raise ValidationError({field_name: [_("A dormant cooperative records no movement.")]})
    cash.check_open(cooperative.pk, day, field_name)


@dataclass
class WorkerLine:
    member_id: uuid.UUID
    pieces: int = 0
    hours: int = 0


@dataclass
class BatchData:
    """A batch as a device sends it: `inputs` (product id → quantity) default to the bill of
    materials (⌈made x quantity / per⌉ of each component)."""

    id: uuid.UUID
    product_id: uuid.UUID
    quantity: int
    made_on: datetime.date
    workers: list[WorkerLine]
    inputs: dict[uuid.UUID, int] | None = None

    def fingerprint(self) -> str:
        return fingerprint(
            product=self.product_id,
            quantity=self.quantity,
            made_on=self.made_on,
            # hours only when given, so a batch sent before hours were kept replays the same
            workers=sorted(
                [str(w.member_id), w.pieces] + ([w.hours] if w.hours else []) for w in self.workers
            ),
            inputs=sorted([str(k), v] for k, v in (self.inputs or {}).items()),
        )


def _bom_inputs(product: Product, made: int) -> dict[uuid.UUID, int]:
    return {
        line.component_id: math.ceil(made * line.quantity / line.per)
        for line in product.materials.all()
    }


def _worker_numbers(worker: WorkerLine) -> None:
    for value, message in (
        (worker.pieces, _("Pieces made are whole numbers, ≥ 0 (got %(v)s).")),
        (worker.hours, _("Hours worked are whole numbers from 0 to 24 a day (got %(v)s).")),
    ):
        if type(value) is not int or value < 0:
            raise ValidationError({"workers": [message % {"v": value}]})
    if worker.hours > 24:
        raise ValidationError(
            {
                "workers": [
                    _("Hours worked are whole numbers from 0 to 24 a day (got %(v)s).")
                    % {"v": worker.hours}
                ]
            }
        )


def _workers(cooperative: Cooperative, data: BatchData) -> list[tuple[Member, WorkerLine]]:
    if not data.workers:
        raise ValidationError({"workers": [_("Say which members worked on the batch.")]})
    ids = [w.member_id for w in data.workers]
    members = {
        m.pk: m
        for m in Member.objects.filter(cooperative=cooperative, pk__in=ids, left_on__isnull=True)
    }
    rows = []
    for worker in data.workers:
        member = members.get(worker.member_id)
        if member is None or member.joined_on > data.made_on:
            raise ValidationError({"workers": [_("A worker is not a member on that day.")]})
        _worker_numbers(worker)
        rows.append((member, worker))
    if len(members) != len(ids):
        raise ValidationError({"workers": [_("A member is named twice.")]})
    pieces = sum(w.pieces for _m, w in rows)
    if pieces and pieces != data.quantity:
        raise ValidationError(
            {
                "workers": [
                    _("The members made %(pieces)s pieces in all, the batch says %(made)s.")
                    % {"pieces": pieces, "made": data.quantity}
                ]
            }
        )
    return rows


@transaction.atomic
def batch_record(*, actor: Actor, cooperative: Cooperative, data: BatchData) -> Batch:
    """Record a production batch: ONE stock entry taking the inputs out and putting the output
    in. Refused, nothing posted: a quantity not whole or ≤ 0, an input not in stock (the message
    names it, the stock and the need), a worker who is not a member that day."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    print_ = data.fingerprint()
    again = replay(Batch, data.id, {"fingerprint": print_})
    if again is not None:
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    product = product_of(coop, data.product_id, "product", ProductKind.PRODUCT)
    stock.whole(data.quantity, "quantity", _("The quantity made"))
    check_day(coop, data.made_on, "made_on")
    workers = _workers(coop, data)
    inputs = data.inputs if data.inputs is not None else _bom_inputs(product, data.quantity)
    moves = []
    for input_id, used in inputs.items():
        component = product_of(coop, input_id, "inputs", ProductKind.INPUT)
        stock.whole(used, "inputs", _("The quantity of %(input)s used") % {"input": component})
        moves.append(Move(component, -used, "inputs"))
    moves.append(Move(product, data.quantity, "quantity"))
    entry = stock.post(
        cooperative=coop,
        posting=Posting(
            id=uuid.uuid4(), kind=MovementKind.PRODUCTION, on=data.made_on, moves=moves
        ),
        actor=actor,
    )
    batch = Batch(
        cooperative=coop,
        product=product,
        quantity=data.quantity,
        made_on=data.made_on,
        entry=entry,
        fingerprint=print_,
        created_by=acting_user(actor),
    )
    create_audited(batch, actor=actor, id=data.id)
    BatchWorker.objects.bulk_create(
        BatchWorker(batch=batch, member=member, pieces=line.pieces, hours=line.hours)
        for member, line in workers
    )
    return batch


@dataclass
class PurchaseData:
    id: uuid.UUID
    product_id: uuid.UUID
    quantity: int
    cost: int
    bought_on: datetime.date
    supplier: str = ""
    funding_id: uuid.UUID | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def purchase_record(*, actor: Actor, cooperative: Cooperative, data: PurchaseData) -> Purchase:
    """Inputs bought (maybe on a donor's funding of the cooperatives program): stock in."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(
        Purchase,
        data.id,
        {"product_id": data.product_id, "quantity": data.quantity, "cost": data.cost,
         "bought_on": data.bought_on},
    )  # fmt: skip
    if again is not None:
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    product = product_of(coop, data.product_id, "product", ProductKind.INPUT)
    stock.whole(data.quantity, "quantity", _("The quantity bought"))
    if type(data.cost) is not int or data.cost < 0:
        raise ValidationError(
            {"cost": [_("The cost is whole FCFA, ≥ 0 (got %(v)s).") % {"v": data.cost}]}
        )
    check_day(coop, data.bought_on, "bought_on")
    funding = None
    if data.funding_id is not None:
        funding = Funding.objects.filter(pk=data.funding_id, program="cooperatives").first()
        if funding is None:
            raise ValidationError({"funding_id": [_("Choose a funding of the cooperatives.")]})
    entry = stock.post(
        cooperative=coop,
        posting=Posting(
            id=uuid.uuid4(), kind=MovementKind.PURCHASE, on=data.bought_on,
            moves=[Move(product, data.quantity)],
        ),
        actor=actor,
    )  # fmt: skip
    if funding is None and data.cost:
        cash.post(cooperative=coop, kind=CashKind.PURCHASE, on=data.bought_on, amount=data.cost,
                  memo=f"{data.quantity} {product.name}", field_name="cost")  # fmt: skip
    purchase = Purchase(
        cooperative=coop, product=product, quantity=data.quantity, cost=data.cost,
        supplier=data.supplier.strip(), bought_on=data.bought_on, funding=funding, entry=entry,
        created_by=acting_user(actor),
    )  # fmt: skip
    return create_audited(purchase, actor=actor, id=data.id)


@transaction.atomic
def loss_record(
    *,
    actor: Actor,
    cooperative: Cooperative,
    product_id: uuid.UUID,
    quantity: int,
    on: datetime.date,
    reason: str,
    id: uuid.UUID | None = None,
) -> StockEntry:
    """Units lost (spoiled, stolen, damaged): stock out, with the reason."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    if id is not None and StockEntry.objects.filter(pk=id).exists():
        again = replay(
            StockEntry, id, {"kind": MovementKind.LOSS, "on": on, "reason": reason.strip()}
        )
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    product = product_of(coop, product_id, "product")
    stock.whole(quantity, "quantity", _("The quantity lost"))
    check_day(coop, on, "on")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the units were lost.")]})
    return stock.post(
        cooperative=coop,
        posting=Posting(
            id=id or uuid.uuid4(), kind=MovementKind.LOSS, on=on, reason=reason.strip()[:200],
            moves=[Move(product, -quantity)],
        ),
        actor=actor,
    )  # fmt: skip
