"""The physical count that reconciles the stock ledger, with a second officer (maker-checker).

1. An officer records a count (`stock_count_record`): for each product counted, what she found.
   Beside it the count keeps what the ledger said at that moment (`expected`); nothing is posted.
2. A second officer — holding `cooperatives.approve` in the cooperative's community and not the
   one who counted (also a database constraint) — approves it (`stock_count_approve`): the
   differences (found - in the books) are posted as ONE `adjustment` entry of the stock ledger,
   through the same checks as every posting. Movements recorded between the count and the
   approval are real and stay: the difference is added to them. If an adjustment would take a
   product below zero now, the approval is refused and nothing is posted.
3. Or rejects it, with a reason: nothing is posted, the cooperative may count again.

One count waits at a time per cooperative (a unique constraint), so two counts never adjust
the same difference twice.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import stock
from jigiya.cooperatives.models import (
    Cooperative,
    CountLine,
    CountStatus,
    MovementKind,
    StockCount,
)
from jigiya.cooperatives.production import check_day, product_of
from jigiya.cooperatives.stock import Move, Posting
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_in_future
from jigiya.core.retries import mark_replayed, replay


def _counted(value: object, field_name: str) -> int:
    if type(value) is not int or value < 0 or value > stock.MAX_QUANTITY:
        raise ValidationError(
            {field_name: [_("A count is a whole number, ≥ 0 (got %(v)s).") % {"v": value}]}
        )
    return value


@transaction.atomic
def stock_count_record(
    *,
    actor: Actor,
    cooperative: Cooperative,
    counted_on: datetime.date,
    counts: dict[uuid.UUID, int],
    id: uuid.UUID | None = None,
) -> StockCount:
    """Record what was found of each product counted, beside what the ledger says now. Posts
    nothing. Refused: no product counted, a count not whole or below zero, a product of another
    cooperative, a day in the future or a closed period, another count still waiting."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(StockCount, id, {"cooperative": cooperative, "counted_on": counted_on})
    if again is not None:
        return again
    coop = stock.lock_cooperative(cooperative.pk)
    if not counts:
        raise ValidationError({"counts": [_("Count at least one product.")]})
    products = [product_of(coop, pid, "counts") for pid in counts]
    found = {p.pk: _counted(counts[p.pk], f"qty_{p.pk}") for p in products}
    not_in_future("counted_on", counted_on)
    check_day(coop, counted_on, "counted_on")
    if coop.counts.filter(status=CountStatus.PENDING).exists():
        raise ValidationError(
            {"counted_on": [_("Another count waits for a second officer: decide it first.")]}
        )
    books = stock.levels(found)
    count = StockCount(cooperative=coop, counted_on=counted_on, created_by=acting_user(actor))
    create_audited(count, actor=actor, id=id)
    CountLine.objects.bulk_create(
        CountLine(count=count, product=p, expected=books[p.pk], counted=found[p.pk])
        for p in products
    )
    return count


def _decidable(actor: Actor, count: StockCount) -> StockCount:
    """The count, its cooperative locked, still waiting, and `actor` not the one who counted."""
    checker = require_perm_at(actor, Perm.COOPERATIVES_APPROVE, count.cooperative.community)
    stock.lock_cooperative(count.cooperative_id)
    count = StockCount.objects.select_related("cooperative__community").get(pk=count.pk)
    if count.status != CountStatus.PENDING:
        raise ValidationError(
            {"__all__": [_("This count was already %(status)s.") % {"status": _status(count)}]}
        )
    if count.created_by_id == checker.pk:
        raise ValidationError(
            {"__all__": [_("A second officer approves: not the one who counted.")]}
        )
    return count


def _decided_again(actor: Actor, count: StockCount, status: str) -> StockCount | None:
    """The same decision sent again by the officer who made it (a retry): the count as it
    stands, nothing written."""
    count = StockCount.objects.get(pk=count.pk)
    user = acting_user(actor)
    if count.status == status and user is not None and count.decided_by_id == user.pk:
        mark_replayed(count)
        return count
    return None


def _status(count: StockCount) -> str:
    return str(CountStatus(count.status).label).lower()


@transaction.atomic
def stock_count_approve(*, actor: Actor, count: StockCount) -> StockCount:
    """A second officer approves a count: its differences are posted as one adjustment entry
    (none when the count matched the books). Refused, nothing posted: by the officer who
    counted, without `cooperatives.approve` in the community, once decided, in a closed period,
    or when an adjustment would take a product below zero now."""
    again = _decided_again(actor, count, CountStatus.APPROVED)
    if again is not None:
        return again
    count = _decidable(actor, count)
    coop = count.cooperative
    lines = list(count.lines.select_related("product"))
    moves = [Move(line.product, line.difference, "__all__") for line in lines if line.difference]
    check_day(coop, count.counted_on, "__all__")
    before = audit_snapshot(count)
    if moves:
        count.entry = stock.post(
            cooperative=coop,
            posting=Posting(
                id=uuid.uuid4(), kind=MovementKind.ADJUSTMENT, on=count.counted_on, moves=moves,
                reason=_("Physical count of %(day)s") % {"day": count.counted_on.isoformat()},
            ),
            actor=actor,
        )  # fmt: skip
    count.status = CountStatus.APPROVED
    count.decided_by = acting_user(actor)
    count.decided_at = timezone.now()
    count.save(update_fields=["status", "decided_by", "decided_at", "entry", "updated_at"])
    audit_record(actor=actor, obj=count, before=before)
    return count


@transaction.atomic
def stock_count_reject(*, actor: Actor, count: StockCount, reason: str) -> StockCount:
    """A second officer rejects a count (a reason is required): nothing is posted."""
    again = _decided_again(actor, count, CountStatus.REJECTED)
    if again is not None:
        return again
    count = _decidable(actor, count)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the count is rejected.")]})
    before = audit_snapshot(count)
    count.status = CountStatus.REJECTED
    count.decided_by = acting_user(actor)
    count.decided_at = timezone.now()
    count.note = reason.strip()[:200]
    count.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    audit_record(actor=actor, obj=count, before=before)
    return count
