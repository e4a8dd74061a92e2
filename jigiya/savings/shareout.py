"""The share-out that ends a cycle: one ledger entry pays every member her line (the plan is
`selectors.share_out_plan`), settles loans from the payouts, closes the cycle's income and
expense accounts and keeps the rounding remainder as the constitution says."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import create_audited
from jigiya.core.bounds import not_in_future
from jigiya.savings import ledger, selectors
from jigiya.savings.common import SOURCE_LEDGER, SOURCE_SHARE_OUT, changed_from
from jigiya.savings.ledger import EntryDraft, LineDraft
from jigiya.savings.models import (
    Account,
    Cycle,
    CycleStatus,
    Entry,
    EntryKind,
    RemainderRule,
    ShareOut,
    ShareOutLine,
)
from jigiya.savings.selectors import ShareOutPlan

# Income, expense and equity accounts the share-out brings back to zero (into the payouts).
CLOSED_AT_SHARE_OUT = (
    Account.INTEREST_INCOME,
    Account.FINE_INCOME,
    Account.OTHER_INCOME,
    Account.CARRIED_OVER,
    Account.EXPENSES,
    Account.LOAN_LOSSES,
    Account.CASH_DIFFERENCE,
)


@transaction.atomic
def share_out(
    *, actor: Actor, cycle: Cycle, held_on: datetime.date, id: uuid.UUID | None = None
) -> ShareOut:
    """End the cycle: pay each member her line, settle loans from the payouts, keep the rounding
    remainder as the constitution says, close the cycle's income and expenses. One ledger entry.
    The next cycle starts from here with the same members and the health fund. The same
    share-out sent again returns the first one."""
    group = cycle.group
    require_perm_at(actor, Perm.SAVINGS_RECORD, group.community)
    group = ledger.lock_group(group.pk)
    cycle = Cycle.objects.get(pk=cycle.pk)
    id = id or uuid.uuid5(cycle.pk, "share-out")
    if not cycle.is_open:
        existing = ShareOut.objects.filter(cycle=cycle).first()
        if existing is not None and existing.entry_id == id:
            return existing
        raise ValidationError({"__all__": [_("This cycle is already shared out.")]})
    not_in_future("held_on", held_on)
    last = cycle.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    if held_on < cycle.starts_on or (last and held_on < last):
        raise ValidationError({"held_on": [_("The share-out comes after the last meeting.")]})
    plan = selectors.share_out_plan(cycle, held_on)
    _check_payouts(plan)
    (entry,) = ledger.post(
        group=group,
        cycle=cycle,
        on=held_on,
        drafts=[EntryDraft(id=id, kind=EntryKind.SHARE_OUT, lines=_share_out_lines(cycle, plan))],
        actor=actor,
    )
    result = _record(cycle, held_on, plan, entry, actor)
    changed_from(group, held_on, source=SOURCE_SHARE_OUT)
    changed_from(group, held_on, source=SOURCE_LEDGER)
    return result


def _check_payouts(plan: ShareOutPlan) -> None:
    negative = [line for line in plan.lines if line.payout < 0]
    if negative:
        names = ", ".join(str(line.membership) for line in negative)
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "These members owe more than their shares are worth; they repay first "
                        "or the loan is written off: %(names)s."
                    )
                    % {"names": names}
                ]
            }
        )


def _share_out_lines(cycle: Cycle, plan: ShareOutPlan) -> list[LineDraft]:
    """Loans settled from the payouts, savings paid back with their profit, the cycle's
    income and expenses closed, the health fund shared (if it is) and the remainder kept."""
    parts, interest_owed = _loans_settled(plan)
    for line in plan.lines:
        member = line.membership.pk
        if line.savings:
            parts.append(
                LineDraft(Account.MEMBER_SAVINGS, debit=line.savings, membership_id=member)
            )
        if line.payout:
            parts.append(
                LineDraft(Account.LOAN_FUND_CASH, credit=line.payout, membership_id=member)
            )
    balance = ledger.balances(cycle.group_id)
    balance[Account.INTEREST_INCOME] += interest_owed
    for account in CLOSED_AT_SHARE_OUT:
        closing = _closing(account, balance[account])
        if closing:
            parts.append(closing)
    if plan.health_fund_shared:
        parts += [
            LineDraft(Account.HEALTH_FUND, debit=plan.health_fund_shared),
            LineDraft(Account.HEALTH_FUND_CASH, credit=plan.health_fund_shared),
            LineDraft(Account.LOAN_FUND_CASH, debit=plan.health_fund_shared),
        ]
    if plan.remainder:
        if cycle.remainder_rule == RemainderRule.HEALTH_FUND:
            parts += [
                LineDraft(Account.LOAN_FUND_CASH, credit=plan.remainder),
                LineDraft(Account.HEALTH_FUND_CASH, debit=plan.remainder),
                LineDraft(Account.HEALTH_FUND, credit=plan.remainder),
            ]
        else:
            parts.append(LineDraft(Account.CARRIED_OVER, credit=plan.remainder))
    return parts


def _loans_settled(plan: ShareOutPlan) -> tuple[list[LineDraft], int]:
    """What each open loan still owes, taken from the borrower's payout (principal, interest);
    and the interest so settled, income of the cycle."""
    parts: list[LineDraft] = []
    interest_owed = 0
    for loan, pos in plan.positions.items():
        for account, amount in (
            (Account.LOANS_RECEIVABLE, pos.principal_owed),
            (Account.INTEREST_INCOME, pos.interest_owed),
        ):
            if amount:
                parts.append(
                    LineDraft(
                        account, credit=amount, membership_id=loan.membership_id, loan_id=loan.pk
                    )
                )
        interest_owed += pos.interest_owed
    return parts, interest_owed


def _closing(account: str, balance: int) -> LineDraft | None:
    """The line that brings an income, expense or equity account back to zero."""
    if not balance:
        return None
    amount = abs(balance)
    debit_normal = account in ledger.DEBIT_NORMAL
    if (balance > 0) != debit_normal:  # credit-normal positive, or debit-normal negative
        return LineDraft(account, debit=amount)
    return LineDraft(account, credit=amount)


def _record(
    cycle: Cycle, held_on: datetime.date, plan: ShareOutPlan, entry: Entry, actor: Actor
) -> ShareOut:
    """The share-out sheet as posted, and the cycle closed."""
    result = ShareOut(
        cycle=cycle,
        held_on=held_on,
        loan_fund_cash=plan.loan_fund_cash,
        loans_owed=plan.loans_owed,
        health_fund_shared=plan.health_fund_shared,
        fund_value=plan.fund_value,
        total_shares=plan.total_shares,
        remainder=plan.remainder,
        remainder_rule=cycle.remainder_rule,
        entry=entry,
        created_by=acting_user(actor),
    )
    create_audited(result, actor=actor)
    ShareOutLine.objects.bulk_create(
        [
            ShareOutLine(
                share_out=result,
                membership=line.membership,
                shares=line.shares,
                savings=line.savings,
                value=line.value,
                loan_owed=line.loan_owed,
                payout=line.payout,
                health_box=line.health_box,
            )
            for line in plan.lines
        ]
    )
    cycle.status = CycleStatus.SHARED_OUT
    cycle.save(update_fields=["status", "updated_at"])
    return result
