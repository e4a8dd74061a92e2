"""Paying an approved claim, and correcting a payment by a reversing entry (`ledger.py`).

A claim is paid once: `claim_pay` locks the health center's chain and the claim, then requires
the claim approved (not paid) and the amount equal to what was approved. Two officers paying the
same claim at once: the second waits for the first, then finds it paid and is refused."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.care import ledger
from jigiya.care.common import SOURCE_LINES
from jigiya.care.models import Claim, ClaimStatus, EntryKind, Method, PaymentEntry
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.bounds import not_before, text_within, within_program
from jigiya.core.changes import records_changed
from jigiya.core.money import format_fcfa
from jigiya.core.retries import replay

NEEDS_REFERENCE = {Method.ORANGE_MONEY, Method.MOOV_MONEY, Method.BANK}


def _payment_checks(
    claim: Claim, *, paid_on: datetime.date, amount: int, method: str, reference: str
) -> None:
    if claim.status in (ClaimStatus.PAID, ClaimStatus.CLOSED):
        raise ValidationError({"__all__": _("This claim is already paid.")})
    if claim.status != ClaimStatus.APPROVED:
        raise ValidationError(
            {"__all__": _("This claim is %(status)s: only an approved claim is paid.")
            % {"status": claim.get_status_display()}}
        )  # fmt: skip
    if amount != claim.approved_amount:
        raise ValidationError(
            {"amount": _("Pay %(approved)s, the amount approved (not %(amount)s).")
            % {"approved": format_fcfa(claim.approved_amount), "amount": format_fcfa(amount)}}
        )  # fmt: skip
    if method not in Method.values:
        raise ValidationError({"method": _("Choose how the claim is paid.")})
    if method in NEEDS_REFERENCE and not reference:
        raise ValidationError(
            {"reference": _("Give the reference of the %(method)s transfer.")
            % {"method": Method(method).label}}
        )  # fmt: skip
    text_within("reference", reference, 64, _("The reference"))
    within_program("paid_on", paid_on, _("The payment date"))
    not_before("paid_on", paid_on, claim.approved_on, _("The payment date"), _("the approval"))


@transaction.atomic
def claim_pay(
    *,
    actor: Actor,
    claim: Claim,
    paid_on: datetime.date,
    amount: int,
    method: str,
    reference: str = "",
    id: uuid.UUID | None = None,
) -> PaymentEntry:
    """Pay an approved claim: one ledger entry; the claim is then paid."""
    require_perm_at(actor, Perm.CARE_PAY, claim.health_center.place)
    reference = reference.strip()
    existing = replay(
        PaymentEntry, id, {"claim": claim, "amount": amount, "method": method, "on": paid_on}
    )
    if existing is not None:
        return existing
    ledger.lock_chain(claim.health_center_id)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _payment_checks(claim, paid_on=paid_on, amount=amount, method=method, reference=reference)
    entry = ledger.post(
        actor=actor, claim=claim, kind=EntryKind.PAYMENT, on=paid_on, amount=amount,
        method=method, reference=reference, id=id,
    )  # fmt: skip
    before = audit_snapshot(claim)
    claim.status = ClaimStatus.PAID
    claim.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=claim, before=before)
    audit_record(actor=actor, obj=entry)
    records_changed(source=SOURCE_LINES, cells=_claim_cells(claim, paid_on))
    return entry


def _claim_cells(claim: Claim, day: datetime.date) -> list[tuple[uuid.UUID, datetime.date]]:
    """Where a payment counts: the paid health center's place (payments against budget)."""
    return [(claim.health_center.place_id, day)]


@transaction.atomic
def payment_reverse(
    *, actor: Actor, entry: PaymentEntry, on: datetime.date, reason: str
) -> PaymentEntry:
    """Correct a payment made by mistake: a reversing entry pointing at it; the claim is
    approved again (to be paid anew) — never an edit of the entry."""
    require_perm_at(actor, Perm.CARE_PAY, entry.claim.health_center.place)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    text_within("reason", reason, 200, _("The reason"))
    within_program("on", on, _("The correction date"))
    ledger.lock_chain(entry.health_center_id)
    claim = Claim.objects.select_for_update().get(pk=entry.claim_id)
    if entry.kind != EntryKind.PAYMENT or PaymentEntry.objects.filter(reverses=entry).exists():
        raise ValidationError({"__all__": _("This entry is already reversed.")})
    not_before("on", on, entry.on, _("The correction date"), _("the payment"))
    reversal = ledger.post(
        actor=actor, claim=claim, kind=EntryKind.REVERSAL, on=on, amount=-entry.amount,
        method=entry.method, reference=entry.reference, reverses=entry, memo=reason,
    )  # fmt: skip
    before = audit_snapshot(claim)
    claim.status = ClaimStatus.APPROVED
    claim.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=claim, before=before)
    audit_record(actor=actor, obj=reversal)
    records_changed(source=SOURCE_LINES, cells=_claim_cells(claim, entry.on))
    return reversal
