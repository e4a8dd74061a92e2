"""Maker-checker for large postings (as Fineract does it, per command): a meeting with a movement
above the approval threshold is checked and held (`meetings.meeting_record` returns the
`Approval`); a second officer holding `savings.approve` in the group's place approves it — it is
then posted through the same steps, every check again — or rejects it, and nothing is posted.
The maker never checks her own posting (also a database constraint)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.savings import ledger
from jigiya.savings.common import note
from jigiya.savings.meetings import meeting_post_held
from jigiya.savings.models import Approval, ApprovalStatus


def _decidable(actor: Actor, approval: Approval) -> Approval:
    """The approval, locked with its group, still waiting, and `actor` not its maker."""
    checker = require_perm_at(actor, Perm.SAVINGS_APPROVE, approval.group.community)
    ledger.lock_group(approval.group_id)
    approval = Approval.objects.select_related("group__community", "created_by").get(pk=approval.pk)
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(
            {"__all__": [_("This posting was already %(status)s.") % {"status": _status(approval)}]}
        )
    if approval.created_by_id == checker.pk:
        raise ValidationError(
            {"__all__": [_("A second officer approves: not the one who recorded it.")]}
        )
    return approval


def _status(approval: Approval) -> str:
    return str(ApprovalStatus(approval.status).label).lower()


@transaction.atomic
def approval_approve(*, actor: Actor, approval: Approval) -> Approval:
    """A second officer approves a held posting: it is posted now, through the same service
    steps as when it was recorded (the maker stays its author), every check done again on the
    books as they stand. Refused, nothing written, by its maker, without `savings.approve` in
    the group's place, once decided, or when the posting no longer passes its checks."""
    approval = _decidable(actor, approval)
    before = audit_snapshot(approval)
    meeting = meeting_post_held(approval=approval)
    approval.status = ApprovalStatus.APPROVED
    approval.decided_by = acting_user(actor)
    approval.decided_at = timezone.now()
    approval.meeting = meeting
    approval.full_clean()
    approval.save(update_fields=["status", "decided_by", "decided_at", "meeting", "updated_at"])
    audit_record(actor=actor, obj=approval, before=before)
    return approval


@transaction.atomic
def approval_reject(*, actor: Actor, approval: Approval, reason: str) -> Approval:
    """A second officer rejects a held posting (a reason is required): nothing is posted, the
    group may record the meeting again, corrected, under a new id."""
    approval = _decidable(actor, approval)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why it is rejected.")]})
    before = audit_snapshot(approval)
    approval.status = ApprovalStatus.REJECTED
    approval.decided_by = acting_user(actor)
    approval.decided_at = timezone.now()
    approval.note = note(reason)
    approval.full_clean()
    approval.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    audit_record(actor=actor, obj=approval, before=before)
    return approval
