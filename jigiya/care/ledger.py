"""The care payments ledger: append-only, hash-chained, one chain per health center.

An entry is a claim paid (a positive amount) or a payment reversed (the negative amount, pointing
at it): nothing is ever updated or deleted (the models refuse, and the database's triggers,
installed by migration, refuse too). Each entry's `hash = sha256(prev_hash + canonical JSON)`;
the first `prev_hash` is 64 zeros, so changing, removing or inserting an entry breaks every
later hash. `verify` (`manage.py verify_care_ledger`) checks the whole history: numbering, the
chain, reversals, and that every claim's net payment is 0 or its approved amount.

Concurrency: posting locks the health center row first (`SELECT … FOR UPDATE`), then the claim:
payments of one health center are serialised, and a claim paid twice at once is paid once.
"""

import datetime
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from jigiya.accounts.access import Actor, acting_user
from jigiya.care.models import Claim, ClaimStatus, EntryKind, PaymentEntry
from jigiya.core.hashchain import GENESIS, chain_hash
from jigiya.places.models import HealthCenter


def canonical(entry: PaymentEntry) -> str:
    """The JSON an entry's hash covers: sorted keys, no spaces, ids as text."""
    payload = {
        "id": str(entry.id),
        "health_center": str(entry.health_center_id),
        "seq": entry.seq,
        "kind": entry.kind,
        "claim": str(entry.claim_id),
        "on": entry.on.isoformat(),
        "amount": entry.amount,
        "method": entry.method,
        "reference": entry.reference,
        "reverses": None if entry.reverses_id is None else str(entry.reverses_id),
        "memo": entry.memo,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def lock_chain(center_id: Any) -> HealthCenter:
    """Lock the health center row: the first lock of every posting to its chain."""
    if not connection.in_atomic_block:
        raise RuntimeError("Post to the care ledger inside a transaction.")
    return HealthCenter.objects.select_for_update().get(pk=center_id)


def post(
    *,
    actor: Actor,
    claim: Claim,
    kind: str,
    on: datetime.date,
    amount: int,
    method: str,
    reference: str = "",
    reverses: PaymentEntry | None = None,
    memo: str = "",
    id: uuid.UUID | None = None,
) -> PaymentEntry:
    """Append one entry to the claim's health center chain (the caller holds `lock_chain`)."""
    last = (
        PaymentEntry.objects.filter(health_center_id=claim.health_center_id)
        .order_by("-seq")
        .first()
    )
    entry = PaymentEntry(
        id=id or uuid.uuid4(), health_center_id=claim.health_center_id,
        seq=(last.seq + 1) if last else 1, kind=kind, claim=claim, on=on, amount=amount,
        method=method, reference=reference, reverses=reverses, memo=memo,
        prev_hash=last.hash if last else GENESIS, created_by=acting_user(actor),
    )  # fmt: skip
    entry.hash = chain_hash(entry.prev_hash, canonical(entry))
    entry.full_clean()
    entry.save(force_insert=True)
    return entry


@dataclass
class Report:
    centers: int = 0
    entries: int = 0
    problems: list[str] = field(default_factory=list)


def verify(center_ids: list[str] | None = None) -> Report:
    """Check every chain (or these health centers'): numbering, hashes, reversals, and that
    each claim's net payment is 0 or its approved amount, as its status says."""
    report = Report()
    entries = PaymentEntry.objects.order_by("health_center_id", "seq")
    if center_ids:
        entries = entries.filter(health_center_id__in=center_ids)
    previous: dict[Any, PaymentEntry] = {}
    by_id: dict[Any, PaymentEntry] = {}
    net: dict[Any, int] = defaultdict(int)
    for entry in entries.iterator(chunk_size=2000):
        report.entries += 1
        last = previous.get(entry.health_center_id)
        if last is None:
            report.centers += 1
        _check_link(report, entry, last)
        if entry.kind == EntryKind.REVERSAL:
            target = by_id.get(entry.reverses_id)
            if (
                target is None
                or target.amount != -entry.amount
                or target.claim_id != entry.claim_id
            ):
                report.problems.append(f"entry {entry.pk}: does not reverse an earlier payment")
        previous[entry.health_center_id] = by_id[entry.pk] = entry
        net[entry.claim_id] += entry.amount
    _check_claims(report, net, center_ids)
    return report


def _check_link(report: Report, entry: PaymentEntry, last: PaymentEntry | None) -> None:
    expected_seq = last.seq + 1 if last else 1
    expected_prev = last.hash if last else GENESIS
    if entry.seq != expected_seq:
        report.problems.append(
            f"health center {entry.health_center_id}: entry #{entry.seq} where "
            f"#{expected_seq} was expected (an entry is missing or inserted)"
        )
    if entry.prev_hash != expected_prev:
        report.problems.append(f"entry #{entry.seq} ({entry.pk}): previous hash does not match")
    if entry.hash != chain_hash(entry.prev_hash, canonical(entry)):
        report.problems.append(f"entry #{entry.seq} ({entry.pk}): hash does not match its content")


def _check_claims(report: Report, net: dict[Any, int], center_ids: list[str] | None) -> None:
    claims = Claim.objects.all()
    if center_ids:
        claims = claims.filter(health_center_id__in=center_ids)
    paid = (ClaimStatus.PAID, ClaimStatus.CLOSED)
    for claim_id, status, approved in claims.values_list("pk", "status", "approved_amount"):
        amount = net.get(claim_id, 0)
        expected = approved if status in paid else 0
        if amount != expected:
            report.problems.append(
                f"claim {claim_id} ({status}): paid {amount} FCFA net, expected {expected}"
            )
