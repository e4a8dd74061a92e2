"""Groups, their status and their cycles: creating a group, changing its status (the history
keeps every change) and opening a cycle with its constitution."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_in_future, within_program
from jigiya.places.models import Place, PlaceKind
from jigiya.savings import ledger, limits
from jigiya.savings.common import whole
from jigiya.savings.models import (
    Cycle,
    CycleStatus,
    EntryKind,
    Group,
    GroupStatus,
    GroupStatusChange,
    LoanLimitBasis,
    RemainderRule,
)


@transaction.atomic
def group_create(
    *,
    actor: Actor,
    community: Place,
    name: str,
    formed_on: datetime.date,
    facilitator: Actor = None,
    id: uuid.UUID | None = None,
) -> Group:
    """A new group, forming, in an active community the actor may record savings in."""
    require_perm_at(actor, Perm.SAVINGS_RECORD, community)
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": [_("A group belongs to a community.")]})
    if not community.is_active:
        raise ValidationError({"community": [_("This place is no longer active.")]})
    within_program("formed_on", formed_on)
    name = name.strip()
    if Group.objects.filter(community=community, name__iexact=name).exists():
        raise ValidationError({"name": [_("This community already has a group of this name.")]})
    group = Group(
        name=name,
        community=community,
        facilitator=acting_user(facilitator),
        formed_on=formed_on,
        status=GroupStatus.FORMING,
        status_since=formed_on,
        created_by=acting_user(actor),
    )
    create_audited(group, actor=actor, id=id)
    GroupStatusChange.objects.create(
        group=group, status=GroupStatus.FORMING, on=formed_on, created_by=acting_user(actor)
    )
    return group


# Which status may follow which.
TRANSITIONS = {
    GroupStatus.FORMING: {GroupStatus.ACTIVE, GroupStatus.CLOSED},
    GroupStatus.ACTIVE: {GroupStatus.SUSPENDED, GroupStatus.CLOSED},
    GroupStatus.SUSPENDED: {GroupStatus.ACTIVE, GroupStatus.CLOSED},
    GroupStatus.CLOSED: set(),
}


@transaction.atomic
def group_status_change(
    *, actor: Actor, group: Group, status: str, on: datetime.date, reason: str = ""
) -> Group:
    """Activate, suspend (a reason is required), resume or close a group from a date. The
    history keeps every change; meetings are refused on days the group was not active."""
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    group = ledger.lock_group(group.pk)
    if status not in TRANSITIONS[GroupStatus(group.status)]:
        raise ValidationError(
            {
                "status": [
                    _("A group that is %(now)s cannot become %(next)s.")
                    % {
                        "now": GroupStatus(group.status).label,
                        "next": GroupStatus(status).label if status in GroupStatus.values else "?",
                    }
                ]
            }
        )
    not_in_future("on", on)
    if on < group.status_since:
        raise ValidationError(
            {"on": [_("The date must be on or after the last change of status.")]}
        )
    reason = reason.strip()
    if status == GroupStatus.SUSPENDED and not reason:
        raise ValidationError({"reason": [_("Say why the group is suspended.")]})
    last_meeting = group.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    if status != GroupStatus.ACTIVE and last_meeting and last_meeting > on:
        raise ValidationError({"on": [_("The group met after this date.")]})
    before = audit_snapshot(group)
    group.status, group.status_since, group.status_reason = status, on, reason
    group.full_clean()
    group.save(update_fields=["status", "status_since", "status_reason", "updated_at"])
    GroupStatusChange.objects.create(
        group=group,
        status=status,
        on=on,
        reason=reason,
        number=group.status_changes.count() + 1,
        created_by=acting_user(actor),
    )
    audit_record(actor=actor, obj=group, before=before)
    return group


CONSTITUTION_FIELDS = (
    "frequency", "share_price", "max_shares", "health_contribution", "interest_rate",
    "max_loan_multiple", "max_term_months", "fines", "savings_split", "health_box_percent",
    "share_out_health_fund", "remainder_rule", "leaving_mid_cycle", "loan_limit_basis",
    "max_movement", "approval_threshold",
)  # fmt: skip


@transaction.atomic
def cycle_start(
    *,
    actor: Actor,
    group: Group,
    starts_on: datetime.date,
    planned_end: datetime.date,
    share_price: int,
    frequency: str = "weekly",
    max_shares: int = 5,
    health_contribution: int = 0,
    interest_rate: Decimal | int | str = Decimal("10"),
    max_loan_multiple: int = 3,
    max_term_months: int = 3,
    fines: list[dict[str, Any]] | None = None,
    savings_split: bool = False,
    health_box_percent: int = 0,
    share_out_health_fund: bool = False,
    remainder_rule: str = RemainderRule.HEALTH_FUND,
    leaving_mid_cycle: bool = True,
    loan_limit_basis: str = LoanLimitBasis.ALL_OWED,
    max_movement: int | None = None,
    approval_threshold: int | None = None,
) -> Cycle:
    """Open the group's next cycle with its constitution. The members and the health fund carry
    over from the cycle before (they belong to the group); the last cycle must be shared out.
    The ceiling of one movement and the approval threshold are the program's unless given (at
    most the technical ceiling); the share price, health contribution and fines are within the
    ceiling."""
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    group = ledger.lock_group(group.pk)
    if group.status == GroupStatus.CLOSED:
        raise ValidationError({"__all__": [_("The group is closed.")]})
    last = group.cycles.order_by("-number").first()
    if last is not None and last.status == CycleStatus.OPEN:
        raise ValidationError({"__all__": [_("Share out the current cycle first.")]})
    if last is not None and hasattr(last, "share_out") and starts_on < last.share_out.held_on:
        raise ValidationError({"starts_on": [_("The cycle starts before the last share-out.")]})
    if starts_on < group.formed_on:
        raise ValidationError({"starts_on": [_("The cycle starts before the group was formed.")]})
    share_price = whole(share_price, "share_price", positive=True)
    health_contribution = whole(health_contribution, "health_contribution")
    for name, value in (("max_movement", max_movement), ("approval_threshold", approval_threshold)):
        if value is not None:
            whole(value, name, positive=True)
            limits.within_technical(value, name)
    cycle = Cycle(
        group=group,
        number=(last.number + 1) if last else 1,
        starts_on=starts_on,
        planned_end=planned_end,
        frequency=frequency,
        share_price=share_price,
        max_shares=max_shares,
        health_contribution=health_contribution,
        interest_rate=Decimal(str(interest_rate)),
        max_loan_multiple=max_loan_multiple,
        max_term_months=max_term_months,
        fines=fines or [],
        savings_split=savings_split,
        health_box_percent=health_box_percent if savings_split else 0,
        share_out_health_fund=share_out_health_fund,
        remainder_rule=remainder_rule,
        leaving_mid_cycle=leaving_mid_cycle,
        loan_limit_basis=loan_limit_basis,
        max_movement=max_movement,
        approval_threshold=approval_threshold,
        created_by=acting_user(actor),
    )
    cycle.full_clean()
    _constitution_within_ceiling(cycle)
    cycle.save()
    audit_record(actor=actor, obj=cycle)
    return cycle


def _constitution_within_ceiling(cycle: Cycle) -> None:
    """What the constitution makes members pay each meeting is within the ceiling of one
    movement (the largest purchase of shares, the health contribution, each fine)."""
    limits.check_within(
        cycle.share_price * cycle.max_shares, "share_price", str(EntryKind.SHARES.label), cycle
    )
    limits.check_within(
        cycle.health_contribution,
        "health_contribution",
        str(EntryKind.HEALTH_CONTRIBUTION.label),
        cycle,
    )
    for fine in cycle.fines:
        limits.check_within(fine["amount"], "fines", str(EntryKind.FINE.label), cycle)
