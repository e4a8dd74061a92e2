"""Members: joining, changing office, leaving (with her settlement) and cancelling a leaving."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, has_perm_at, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, not_before_birth, not_in_future, within_program
from jigiya.core.money import format_fcfa
from jigiya.registry.models import Person
from jigiya.savings import ledger, selectors
from jigiya.savings.common import SOURCE_LEDGER, SOURCE_MEMBERS, changed_from, note
from jigiya.savings.ledger import EntryDraft, LineDraft
from jigiya.savings.models import (
    Account,
    CycleStatus,
    Entry,
    EntryKind,
    Group,
    MemberRole,
    Membership,
)
from jigiya.savings.selectors import LeavePlan


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    group: Group,
    person: Person,
    joined_on: datetime.date,
    role: str = MemberRole.MEMBER,
    id: uuid.UUID | None = None,
) -> Membership:
    """An active person of the group's community joins the group (once at a time)."""
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    if not has_perm_at(actor, Perm.SAVINGS_RECORD, person.household.community.path):
        raise ValidationError({"person": [_("This person lives outside your places.")]})
    if person.household.community_id != group.community_id:
        raise ValidationError({"person": [_("This person lives in another community.")]})
    if not person.is_active:
        raise ValidationError(
            {"person": [_("%(person)s is no longer active.") % {"person": person}]}
        )
    within_program("joined_on", joined_on)
    not_before("joined_on", joined_on, group.formed_on, floor_label=_("the group's formation"))
    not_before_birth("joined_on", joined_on, person)
    if group.memberships.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": [_("This person is already a member.")]})
    number = (group.memberships.order_by("-number").values_list("number", flat=True).first()) or 0
    membership = Membership(
        group=group,
        person=person,
        joined_on=joined_on,
        role=role,
        number=number + 1,
        created_by=acting_user(actor),
    )
    create_audited(membership, actor=actor, id=id)
    changed_from(group, joined_on, source=SOURCE_MEMBERS)
    return membership


@transaction.atomic
def membership_update(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Change a member's office (president, treasurer, key holder…) while she is a member."""
    require_perm_at(actor, Perm.SAVINGS_RECORD, membership.group.community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError({"role": [_("This member has left the group.")]})
    before = audit_snapshot(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    audit_record(actor=actor, obj=membership, before=before)
    return membership


@transaction.atomic
def membership_leave(*, actor: Actor, membership: Membership, left_on: datetime.date) -> Membership:
    """A member leaves. In the middle of a cycle (the common VSLA rule, unless the cycle's
    constitution forbids it) she gets her savings back at face value — no share of the cycle's
    profit, which stays with the members who remain — minus what her loans still owe; the
    settlement is one ledger entry from the loan fund. Refused, nothing written: when the
    constitution forbids leaving mid-cycle, when she owes more than her savings (she repays
    first or the loan is written off), or when the loan fund cannot pay her. The same leaving
    sent again changes nothing."""
    group = membership.group
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    group = ledger.lock_group(group.pk)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    not_in_future("left_on", left_on)
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": [_("She left before joining?")]})
    if membership.left_on == left_on:
        return membership  # the same request again
    if membership.left_on is not None:
        raise ValidationError({"left_on": [_("This member has already left.")]})
    plan = selectors.leave_plan(membership, left_on)
    if plan.savings or plan.owed:
        _check_settlement(plan, left_on)
        _post_settlement(group, membership, plan, left_on, actor)
    before = audit_snapshot(membership)
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on", "updated_at"])
    audit_record(actor=actor, obj=membership, before=before)
    changed_from(group, left_on, source=SOURCE_MEMBERS)
    return membership


def _check_settlement(plan: LeavePlan, left_on: datetime.date) -> None:
    """She may leave with money now: a cycle is open, its constitution allows it, she leaves
    on or after its last meeting, and her savings cover what she owes."""
    cycle = plan.cycle
    if cycle is None:
        raise ValidationError({"left_on": [_("She still holds savings or owes a loan.")]})
    if not cycle.leaving_mid_cycle:
        raise ValidationError(
            {
                "left_on": [
                    _(
                        "The constitution of this cycle does not let a member leave before "
                        "the share-out: she leaves at the share-out."
                    )
                ]
            }
        )
    last = cycle.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    if left_on < cycle.starts_on or (last and left_on < last):
        raise ValidationError(
            {"left_on": [_("She leaves on or after the last meeting of the cycle.")]}
        )
    if plan.payout < 0:
        raise ValidationError(
            {
                "left_on": [
                    _(
                        "She owes %(owed)s, more than her savings (%(savings)s): she repays "
                        "first or the loan is written off."
                    )
                    % {"owed": format_fcfa(plan.owed), "savings": format_fcfa(plan.savings)}
                ]
            }
        )


def _settlement_lines(membership: Membership, plan: LeavePlan) -> list[LineDraft]:
    """Her savings paid back, each loan settled (principal, then interest), the rest in cash."""
    member = membership.pk
    lines: list[LineDraft] = []
    if plan.savings:
        lines.append(LineDraft(Account.MEMBER_SAVINGS, debit=plan.savings, membership_id=member))
    for loan, pos in plan.positions.items():
        for account, amount in (
            (Account.LOANS_RECEIVABLE, pos.principal_owed),
            (Account.INTEREST_INCOME, pos.interest_owed),
        ):
            if amount:
                lines.append(
                    LineDraft(account, credit=amount, membership_id=member, loan_id=loan.pk)
                )
    if plan.payout:
        lines.append(LineDraft(Account.LOAN_FUND_CASH, credit=plan.payout, membership_id=member))
    return lines


def _post_settlement(
    group: Group, membership: Membership, plan: LeavePlan, left_on: datetime.date, actor: Actor
) -> None:
    assert plan.cycle is not None  # _check_settlement refused a leaving with money and no cycle
    entries = ledger.post(
        group=group,
        cycle=plan.cycle,
        on=left_on,
        drafts=[
            EntryDraft(
                id=_settlement_id(membership),
                kind=EntryKind.SETTLEMENT,
                membership_id=membership.pk,
                lines=_settlement_lines(membership, plan),
            )
        ],
        actor=actor,
    )
    audit_record(actor=actor, obj=entries[0])
    changed_from(group, left_on, source=SOURCE_LEDGER)


def _settlement_id(membership: Membership) -> uuid.UUID:
    """The id of her next settlement: one per leaving (a leaving cancelled, then recorded
    again, is a second settlement)."""
    earlier = Entry.objects.filter(membership=membership, kind=EntryKind.SETTLEMENT).count()
    return uuid.uuid5(membership.pk, "leave" if not earlier else f"leave {earlier + 1}")


@transaction.atomic
def membership_leave_cancel(*, actor: Actor, membership: Membership, reason: str) -> Membership:
    """Undo a leaving recorded by mistake: her settlement is reversed (a reversal entry that
    points at it: the box gets the payout back, her savings and loans are as they were) and she
    is a member again. Refused, nothing written: when she has not left, without a reason, or
    when the cycle of her settlement has been shared out since (she joins again instead)."""
    group = membership.group
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    group = ledger.lock_group(group.pk)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    left_on = membership.left_on
    if left_on is None:
        raise ValidationError({"__all__": [_("This member has not left the group.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why her leaving is cancelled.")]})
    settlement = (
        Entry.objects.filter(
            membership=membership, kind=EntryKind.SETTLEMENT, reversed_by__isnull=True
        )
        .select_related("cycle")
        .order_by("-seq")
        .first()
    )
    if settlement is not None:
        _reverse_settlement(group, settlement, reason, actor)
    before = audit_snapshot(membership)
    membership.left_on = None
    membership.save(update_fields=["left_on", "updated_at"])
    audit_record(actor=actor, obj=membership, before=before)
    changed_from(group, left_on, source=SOURCE_MEMBERS)
    return membership


def _reverse_settlement(group: Group, settlement: Entry, reason: str, actor: Actor) -> None:
    if settlement.cycle.status != CycleStatus.OPEN:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Her settlement belongs to a cycle that has been shared out: she "
                        "joins the group again as a new member."
                    )
                ]
            }
        )
    entries = ledger.post(
        group=group,
        cycle=settlement.cycle,
        on=settlement.on,
        drafts=[
            ledger.reversal_of(
                settlement, id=uuid.uuid5(settlement.pk, "cancel"), memo=note(reason)
            )
        ],
        actor=actor,
    )
    audit_record(actor=actor, obj=entries[0])
    changed_from(group, settlement.on, source=SOURCE_LEDGER)
