"""Corrections after a meeting is sealed: an entry reversed (and posted again as it should have
been), a loan written off. Nothing is edited: each is a new entry that points at the old."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.bounds import not_in_future, text_within
from jigiya.core.errors import Conflict
from jigiya.core.money import format_fcfa
from jigiya.savings import ledger, limits
from jigiya.savings.common import NOTE_LENGTH, SOURCE_LEDGER, changed_from, note, whole
from jigiya.savings.ledger import EntryDraft, LineDraft
from jigiya.savings.loans import position
from jigiya.savings.models import (
    OFFICER_ROLES,
    Account,
    Attendance,
    Entry,
    EntryKind,
    Loan,
    LoanStatus,
    Membership,
)

CORRECTABLE = {
    EntryKind.SHARES,
    EntryKind.HEALTH_CONTRIBUTION,
    EntryKind.FINE,
    EntryKind.INCOME,
    EntryKind.EXPENSE,
    EntryKind.GRANT,
    EntryKind.REPAYMENT,
    EntryKind.LOAN,
}


@transaction.atomic
def entry_correct(
    *,
    actor: Actor,
    entry: Entry,
    reason: str,
    id: uuid.UUID,
    amount: int | None = None,
) -> list[Entry]:
    """Correct a posted entry of a sealed meeting: a reversal that points at it and, when a new
    amount is given, the entry as it should have been (at most the cycle's ceiling of one
    movement and its approval threshold: a larger amount is recorded at a meeting, where a
    second officer approves it). Nothing is edited. Idempotent on `id`. Refused once the
    entry's cycle is shared out (its books are closed)."""
    group = entry.group
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    group = ledger.lock_group(group.pk)
    done = Entry.objects.filter(pk=id).first()
    if done is not None:
        if done.reverses_id == entry.pk:
            return list(Entry.objects.filter(pk__in=[id, uuid.uuid5(id, "replacement")]))
        raise Conflict(_("A different correction was already recorded under this id."))
    if entry.kind not in CORRECTABLE:
        raise ValidationError({"__all__": [_("This entry cannot be corrected.")]})
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError({"__all__": [_("This entry was already reversed.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why it is corrected.")]})
    text_within("reason", reason.strip(), NOTE_LENGTH, _("The reason"))
    limits.check_open_period(group, entry.cycle, entry.on, "__all__")
    drafts = [ledger.reversal_of(entry, id=id, memo=note(reason))]
    if amount is not None:
        drafts.append(_replacement(entry, id=id, amount=whole(amount, "amount", positive=True)))
    cycle = entry.cycle
    entries = ledger.post(
        group=group,
        cycle=cycle,
        on=entry.on,
        drafts=drafts,
        meeting_id=entry.meeting_id,
        actor=actor,
    )
    for posted in entries:
        audit_record(actor=actor, obj=posted)
    if entry.kind == EntryKind.SHARES:
        _shares_bought(entry, amount // cycle.share_price if amount is not None else 0)
    changed_from(group, entry.on, source=SOURCE_LEDGER)
    return entries


def _shares_bought(entry: Entry, shares: int) -> None:
    """The meeting line of a corrected shares entry says what she bought after all."""
    Attendance.objects.filter(meeting=entry.meeting_id, membership=entry.membership_id).update(
        shares=shares
    )


def _replacement(entry: Entry, *, id: uuid.UUID, amount: int) -> EntryDraft:
    """The entry as it should have been: the same lines, with the new amount (for shares, a
    whole number of shares, at most the maximum)."""
    cycle = entry.cycle
    limits.check_within(amount, "amount", str(EntryKind(entry.kind).label), cycle)
    threshold = limits.approval_threshold(cycle)
    if amount > threshold:  # else a small entry corrected upwards would pass the maker-checker
        raise ValidationError(
            {
                "amount": [
                    _(
                        "%(amount)s is above the approval threshold (%(limit)s): reverse the "
                        "entry and record the amount at a meeting, which a second officer "
                        "approves."
                    )
                    % {"amount": format_fcfa(amount), "limit": format_fcfa(threshold)}
                ]
            }
        )
    if entry.kind in (EntryKind.REPAYMENT, EntryKind.LOAN):
        raise ValidationError(
            {"amount": [_("Reverse a loan or repayment, then record it at a meeting.")]}
        )
    memo = entry.memo
    if entry.kind == EntryKind.SHARES:
        shares, remainder = divmod(amount, cycle.share_price)
        if remainder or shares > cycle.max_shares:
            raise ValidationError({"amount": [_("A whole number of shares, at most the maximum.")]})
        memo = str(shares)
    return EntryDraft(
        id=uuid.uuid5(id, "replacement"),
        kind=entry.kind,
        membership_id=entry.membership_id,
        loan_id=entry.loan_id,
        purpose=entry.purpose,
        memo=memo,
        lines=[
            LineDraft(
                account=line.account,
                debit=amount if line.debit else 0,
                credit=amount if line.credit else 0,
                membership_id=line.membership_id,
                loan_id=line.loan_id,
            )
            for line in entry.lines.order_by("position")
        ],
    )


@transaction.atomic
def loan_write_off(
    *,
    actor: Actor,
    loan: Loan,
    on: datetime.date,
    reason: str,
    approved_by: Membership,
) -> Loan:
    """Write off what a loan still owes in principal (the interest not yet paid is forgiven),
    approved by an officer of the group other than the borrower."""
    group = loan.group
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    group = ledger.lock_group(group.pk)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.status == LoanStatus.WRITTEN_OFF:
        raise ValidationError({"__all__": [_("This loan is already written off.")]})
    not_in_future("on", on)
    if on < loan.disbursed_on:
        raise ValidationError({"on": [_("Before the loan was disbursed.")]})
    if (
        approved_by.group_id != group.pk
        or approved_by.role not in OFFICER_ROLES
        or approved_by.pk == loan.membership_id
        or not approved_by.is_member_on(on)
    ):
        raise ValidationError(
            {"approved_by": [_("An officer of the group, not the borrower, approves it.")]}
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the loan is written off.")]})
    pos = position(loan, ledger.loan_paid([loan.pk]).get(loan.pk), on)
    if not pos.principal_owed:
        raise ValidationError({"__all__": [_("Nothing is owed on this loan.")]})
    cycle = loan.cycle
    if not cycle.is_open:
        raise ValidationError({"__all__": [_("The loan's cycle is shared out.")]})
    before = audit_snapshot(loan)
    ledger.post(
        group=group,
        cycle=cycle,
        on=on,
        drafts=[
            EntryDraft(
                id=uuid.uuid5(loan.pk, "write-off"),
                kind=EntryKind.WRITE_OFF,
                membership_id=loan.membership_id,
                loan_id=loan.pk,
                memo=note(reason),
                lines=[
                    LineDraft(Account.LOAN_LOSSES, debit=pos.principal_owed, loan_id=loan.pk),
                    LineDraft(
                        Account.LOANS_RECEIVABLE,
                        credit=pos.principal_owed,
                        membership_id=loan.membership_id,
                        loan_id=loan.pk,
                    ),
                ],
            )
        ],
        actor=actor,
    )
    loan.status = LoanStatus.WRITTEN_OFF
    loan.written_off_on = on
    loan.write_off_reason = note(reason)
    loan.write_off_approved_by = approved_by
    loan.full_clean()
    loan.save(
        update_fields=[
            "status",
            "written_off_on",
            "write_off_reason",
            "write_off_approved_by",
            "updated_at",
        ]
    )
    audit_record(actor=actor, obj=loan, before=before)
    changed_from(group, on, source=SOURCE_LEDGER)
    return loan
