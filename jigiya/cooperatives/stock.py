"""The stock ledger: append-only, hash-chained, one chain per cooperative.

Every movement of stock is a `StockEntry` with one or more `StockLine`s (a product and a signed
whole quantity: + in, - out). A production batch is ONE entry: its inputs out and its output in.
The rules, checked when posting (`post`) and again over the whole history by `verify`
(`manage.py verify_stock`):

1. every quantity is a whole number, never zero;
2. stock never goes below zero: after each entry every product's balance is ≥ 0;
3. the chain is intact: entries are numbered 1, 2, 3… per cooperative, and each entry's `hash`
   is sha256(previous hash + canonical JSON of the entry and its lines); the first entry's
   previous hash is 64 zeros;
4. each product's `StockLevel` row equals the sum of its lines.

Concurrency: a posting locks the cooperative row (the chain's order), then the `StockLevel` rows
of the products it moves, in primary-key order (`SELECT … FOR UPDATE`), reads their quantities
under the lock, and refuses before writing anything if one would go negative. Two devices
selling the last units at once: the second waits, then sees the first's sale and is refused.
"""

import datetime
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user
from jigiya.cooperatives.common import SOURCE_STOCK, changed
from jigiya.cooperatives.models import (
    Cooperative,
    Product,
    StockEntry,
    StockLevel,
    StockLine,
)
from jigiya.core.hashchain import GENESIS, chain_hash

# No movement of one product is above a billion units: sums stay far inside 64 bits.
MAX_QUANTITY = 10**9


def canonical(
    *,
    id: Any,
    cooperative_id: Any,
    seq: int,
    kind: str,
    on: datetime.date,
    reason: str,
    lines: Iterable[tuple[Any, int]],
) -> str:
    """The JSON an entry's hash covers: sorted keys, no spaces, ids as text, lines in order."""
    payload = {
        "id": str(id),
        "cooperative": str(cooperative_id),
        "seq": seq,
        "kind": kind,
        "on": on.isoformat(),
        "reason": reason,
        "lines": [[str(product), quantity] for product, quantity in lines],
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def lock_cooperative(cooperative_id: Any) -> Cooperative:
    """Lock the cooperative row for the rest of the transaction: its chain is posted in order."""
    if not connection.in_atomic_block:
        raise RuntimeError("Post to the stock ledger inside a transaction.")
    return (
        Cooperative.objects.select_for_update().select_related("community").get(pk=cooperative_id)
    )


def whole(value: Any, field_name: str, label: str) -> int:
    """A whole positive quantity, or an error naming the field and the value."""
    if type(value) is not int or value <= 0 or value > MAX_QUANTITY:
        raise ValidationError(
            {
                field_name: [
                    _("%(label)s must be a whole number of units above zero (got %(value)s).")
                    % {"label": label, "value": value}
                ]
            }
        )
    return value


def levels(product_ids: Iterable[Any]) -> dict[uuid.UUID, int]:
    """Each product's stock now (0 for a product that never moved)."""
    ids = list(product_ids)
    found = dict(
        StockLevel.objects.filter(product_id__in=ids).values_list("product_id", "quantity")
    )
    return {pid: found.get(pid, 0) for pid in ids}


@dataclass
class Move:
    product: Product
    quantity: int  # signed: + in, - out
    field: str = "quantity"  # the form or API field an error names


@dataclass
class Posting:
    id: uuid.UUID
    kind: str
    on: datetime.date
    moves: list[Move]
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _lock_levels(product_ids: list[Any]) -> dict[Any, StockLevel]:
    """Lock the stock rows of these products in primary-key order (made first when missing)."""
    for pid in product_ids:
        StockLevel.objects.get_or_create(product_id=pid)
    rows = StockLevel.objects.select_for_update().filter(product_id__in=product_ids)
    return {row.product_id: row for row in rows.order_by("product_id")}


def post(*, cooperative: Cooperative, posting: Posting, actor: Actor = None) -> StockEntry:
    """Append one entry. The caller holds the cooperative lock (`lock_cooperative`). Refuses
    (ValidationError on the move's field, nothing written) a quantity that is not whole or zero,
    a product of another cooperative, or a move after which a product's stock would be below
    zero — the message names the product, what is in stock and what was asked."""
    if not connection.in_atomic_block:
        raise RuntimeError("Post to the stock ledger inside a transaction.")
    net: dict[Any, int] = defaultdict(int)
    for move in posting.moves:
        if move.product.cooperative_id != cooperative.pk:
            raise ValidationError({move.field: [_("This product is not this cooperative's.")]})
        if (
            type(move.quantity) is not int
            or move.quantity == 0
            or abs(move.quantity) > MAX_QUANTITY
        ):
            raise ValidationError({move.field: [_("Quantities are whole numbers, never zero.")]})
        net[move.product.pk] += move.quantity
    locked = _lock_levels(sorted(net))
    for move in posting.moves:
        row = locked[move.product.pk]
        if row.quantity + net[move.product.pk] < 0:
            raise ValidationError(
                {
                    move.field: [
                        _("Only %(stock)s %(unit)s of %(product)s in stock; %(asked)s asked.")
                        % {
                            "stock": row.quantity,
                            "unit": move.product.get_unit_display(),
                            "product": move.product.name,
                            "asked": -net[move.product.pk],
                        }
                    ]
                }
            )
    entry = _append(cooperative, posting, locked, net, actor)
    changed(cooperative.community_id, posting.on, source=SOURCE_STOCK, lasting=False)
    return entry


def _append(
    cooperative: Cooperative,
    posting: Posting,
    locked: dict[Any, StockLevel],
    net: dict[Any, int],
    actor: Actor,
) -> StockEntry:
    last = (
        StockEntry.objects.filter(cooperative=cooperative)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev = last if last else (0, GENESIS)
    seq += 1
    lines = [(move.product.pk, move.quantity) for move in posting.moves]
    entry = StockEntry(
        id=posting.id,
        cooperative=cooperative,
        seq=seq,
        kind=posting.kind,
        on=posting.on,
        reason=posting.reason,
        prev_hash=prev,
        created_by=acting_user(actor),
    )
    entry.hash = chain_hash(
        prev,
        canonical(
            id=entry.pk, cooperative_id=cooperative.pk, seq=seq, kind=entry.kind, on=entry.on,
            reason=entry.reason, lines=lines,
        ),
    )  # fmt: skip
    entry.save(force_insert=True)
    StockLine.objects.bulk_create(
        StockLine(
            entry=entry,
            cooperative=cooperative,
            seq=seq,
            position=position,
            on=entry.on,
            product_id=product,
            quantity=quantity,
        )
        for position, (product, quantity) in enumerate(lines, start=1)
    )
    for pid, change in net.items():
        row = locked[pid]
        row.quantity += change
        row.save(update_fields=["quantity"])
    return entry


# --- verification ---------------------------------------------------------------------------


@dataclass
class Verification:
    cooperatives: int = 0
    entries: int = 0
    lines: int = 0
    problems: list[str] = field(default_factory=list)


def verify(cooperative_ids: list[Any] | None = None) -> Verification:
    """Check every rule over the whole history (or these cooperatives): whole non-zero
    quantities, stock never negative, the chain intact, stock rows equal to the lines."""
    report = Verification()
    entries = StockEntry.objects.order_by("cooperative_id", "seq")
    lines = StockLine.objects.order_by("cooperative_id", "seq", "position")
    if cooperative_ids is not None:
        entries = entries.filter(cooperative_id__in=cooperative_ids)
        lines = lines.filter(cooperative_id__in=cooperative_ids)
    by_entry: dict[Any, list[tuple[Any, int]]] = defaultdict(list)
    for entry_id, product, quantity in lines.values_list("entry_id", "product_id", "quantity"):
        by_entry[entry_id].append((product, quantity))
    coop: Any = None
    expected, prev = 0, GENESIS
    running: dict[Any, int] = defaultdict(int)
    for row in entries.values_list(
        "cooperative_id", "seq", "id", "kind", "on", "reason", "prev_hash", "hash"
    ).iterator(chunk_size=5000):
        coop_id, seq, entry_id, kind, on, reason, prev_hash, digest = row
        if coop_id != coop:
            coop, expected, prev = coop_id, 0, GENESIS
            report.cooperatives += 1
        expected += 1
        report.entries += 1
        where = f"cooperative {coop_id} entry #{seq}"
        if seq != expected:
            report.problems.append(f"{where}: expected number {expected} (an entry is missing)")
            expected = seq
        moved = by_entry.pop(entry_id, [])
        report.lines += len(moved)
        if not moved:
            report.problems.append(f"{where}: no line")
        for product, quantity in moved:
            running[product] += quantity
            if quantity == 0:
                report.problems.append(f"{where}: a line of zero")
            if running[product] < 0:
                report.problems.append(f"{where}: product {product} below zero")
        if prev_hash != prev:
            report.problems.append(f"{where}: previous hash does not match the entry before")
        text = canonical(
            id=entry_id, cooperative_id=coop_id, seq=seq, kind=kind, on=on, reason=reason,
            lines=moved,
        )  # fmt: skip
        if chain_hash(prev_hash, text) != digest:
            report.problems.append(f"{where}: hash does not match its content")
        prev = digest
    for entry_id in by_entry:
        report.problems.append(f"lines of a missing entry {entry_id}")
    report.problems += _levels_problems(running, cooperative_ids)
    return report


def _levels_problems(running: dict[Any, int], cooperative_ids: list[Any] | None) -> list[str]:
    rows = StockLevel.objects.all()
    if cooperative_ids is not None:
        rows = rows.filter(product__cooperative_id__in=cooperative_ids)
    problems = []
    for product, quantity in rows.values_list("product_id", "quantity"):
        if running.get(product, 0) != quantity:
            problems.append(
                f"product {product}: stock row says {quantity}, "
                f"the ledger {running.get(product, 0)}"
            )
    return problems
