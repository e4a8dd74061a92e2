"""The cooperative's cash ledger and its period close.

Cash (`CashEntry`): append-only, hash-chained per cooperative like the stock ledger, written only
here. In: share capital a member pays in, payments received for sales and orders. Out: input
purchases not paid by a grant, expenses, union dues, payouts. The cash never goes below zero. A
posting takes the cooperative lock (`stock.lock_cooperative`), the one lock of every posting.

Period close (`period_close`): from the day after the last close (or the formation) to `ends_on`,
surplus = money received (payments) - money spent (purchases, expenses, union dues), share
capital aside.
A positive surplus is shared among the members by the cooperative's rule:

- "pieces": in proportion to the pieces each made in the period's batches;
- "equal": one share each for the members on `ends_on`;
- "hours": in proportion to the hours each worked in the period's batches;

each gets ⌊surplus x her basis / total basis⌋ FCFA, to the franc; the remainder (less than
one franc per member) stays in the cash, as stated on the close. Each payout is a cash entry.
After a close nothing can be recorded on or before its `ends_on` (`check_open`).
"""

import datetime
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives.common import SOURCE_STOCK, changed
from jigiya.cooperatives.models import (
    BatchWorker,
    CashEntry,
    CashKind,
    Cooperative,
    Member,
    Payout,
    PeriodClose,
    ShareRule,
)
from jigiya.core.audit import create_audited
from jigiya.core.bounds import not_in_future
from jigiya.core.errors import Conflict
from jigiya.core.hashchain import GENESIS, chain_hash
from jigiya.core.money import format_fcfa
from jigiya.core.retries import mark_replayed, replay

# Money spent in a period (payouts are the surplus shared, not spent).
SPENT = [CashKind.PURCHASE, CashKind.EXPENSE, CashKind.DUES]
OUT = {CashKind.PURCHASE, CashKind.EXPENSE, CashKind.PAYOUT, CashKind.DUES}


def closed_until(cooperative_id: Any) -> datetime.date | None:
    """The last day of the last closed period, or None."""
    return (
        PeriodClose.objects.filter(cooperative_id=cooperative_id)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )


def check_open(cooperative_id: Any, day: datetime.date, field_name: str) -> None:
    """Refuse a record dated in a closed period."""
    closed = closed_until(cooperative_id)
    if closed is not None and day <= closed:
        raise ValidationError(
            {
                field_name: [
                    _("The period up to %(closed)s is closed: %(day)s cannot be recorded.")
                    % {"closed": closed, "day": day}
                ]
            }
        )


def balance(cooperative_id: Any) -> int:
    total = CashEntry.objects.filter(cooperative_id=cooperative_id).aggregate(t=Sum("amount"))
    return int(total["t"] or 0)


def canonical(*, id: Any, cooperative_id: Any, seq: int, kind: str, on: datetime.date,
              amount: int, memo: str, member_id: Any) -> str:  # fmt: skip
    payload = {
        "id": str(id), "cooperative": str(cooperative_id), "seq": seq, "kind": kind,
        "on": on.isoformat(), "amount": amount, "memo": memo,
        "member": None if member_id is None else str(member_id),
    }  # fmt: skip
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def post(
    *,
    cooperative: Cooperative,
    kind: str,
    on: datetime.date,
    amount: int,
    memo: str = "",
    member: Member | None = None,
    field_name: str = "amount",
    id: uuid.UUID | None = None,
) -> CashEntry:
    """Append one movement (`amount` > 0; its sign comes from `kind`). The caller holds the
    cooperative lock. Refused: an amount that is not whole and positive, cash below zero."""
    if not connection.in_atomic_block:
        raise RuntimeError("Post to the cash ledger inside a transaction.")
    if type(amount) is not int or amount <= 0:
        raise ValidationError({field_name: [_("Amounts are whole FCFA above zero.")]})
    signed_amount = -amount if kind in OUT else amount
    now = balance(cooperative.pk)
    if now + signed_amount < 0:
        raise ValidationError(
            {
                field_name: [
                    _("The cash holds %(cash)s; %(amount)s cannot go out.")
                    % {"cash": format_fcfa(now), "amount": format_fcfa(amount)}
                ]
            }
        )
    last = (
        CashEntry.objects.filter(cooperative=cooperative)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev = last if last else (0, GENESIS)
    entry = CashEntry(
        id=id or uuid.uuid4(), cooperative=cooperative, seq=seq + 1, kind=kind, on=on,
        amount=signed_amount, memo=memo[:200], member=member, prev_hash=prev,
    )  # fmt: skip
    text = canonical(
        id=entry.pk, cooperative_id=cooperative.pk, seq=entry.seq, kind=kind, on=on,
        amount=signed_amount, memo=entry.memo, member_id=getattr(member, "pk", None),
    )  # fmt: skip
    entry.hash = chain_hash(prev, text)
    entry.save(force_insert=True)
    return entry


def verify(cooperative_ids: list[Any] | None = None) -> list[str]:
    """Every cash chain intact and never below zero: the problems found."""
    rows = CashEntry.objects.order_by("cooperative_id", "seq")
    if cooperative_ids is not None:
        rows = rows.filter(cooperative_id__in=cooperative_ids)
    problems: list[str] = []
    coop: Any = None
    prev, expected, running = GENESIS, 0, 0
    for row in rows.values_list(
        "cooperative_id", "seq", "id", "kind", "on", "amount", "memo", "member_id", "prev_hash",
        "hash",
    ).iterator(chunk_size=5000):  # fmt: skip
        coop_id, seq, entry_id, kind, on, amount, memo, member_id, prev_hash, digest = row
        if coop_id != coop:
            coop, prev, expected, running = coop_id, GENESIS, 0, 0
        expected += 1
        running += amount
        where = f"cooperative {coop_id} cash #{seq}"
        if seq != expected:
            problems.append(f"{where}: expected number {expected}")
            expected = seq
        if running < 0:
            problems.append(f"{where}: cash below zero ({running})")
        text = canonical(
            id=entry_id, cooperative_id=coop_id, seq=seq, kind=kind, on=on, amount=amount,
            memo=memo, member_id=member_id,
        )  # fmt: skip
        if prev_hash != prev or chain_hash(prev_hash, text) != digest:
            problems.append(f"{where}: hash does not match (changed after posting)")
        prev = digest
    return problems


# --- the period close -----------------------------------------------------------------------


@dataclass
class Plan:
    """What a close would do: the money of the period and each member's payout."""

    starts_on: datetime.date
    ends_on: datetime.date
    received: int
    spent: int
    surplus: int
    bases: dict[Member, int] = field(default_factory=dict)
    payouts: dict[Member, int] = field(default_factory=dict)
    remainder: int = 0


def _bases(coop: Cooperative, rule: str, start: datetime.date, end: datetime.date) -> dict:
    members = {
        m.pk: m
        for m in coop.members.filter(joined_on__lte=end).exclude(left_on__lt=start)
        .select_related("person")
    }  # fmt: skip
    if rule == ShareRule.EQUAL:
        return {m: 1 for m in members.values() if m.left_on is None or m.left_on >= end}
    pieces: dict[Member, int] = defaultdict(int)
    rows = BatchWorker.objects.filter(
        batch__cooperative=coop, batch__made_on__gte=start, batch__made_on__lte=end
    ).values_list("member_id", "hours" if rule == ShareRule.HOURS else "pieces")
    for member_id, count in rows:
        if member_id in members and count:
            pieces[members[member_id]] += count
    return dict(pieces)


def plan(cooperative: Cooperative, *, ends_on: datetime.date, rule: str) -> Plan:
    """The close of the period ending `ends_on`, computed without writing anything."""
    closed = closed_until(cooperative.pk)
    start = closed + datetime.timedelta(days=1) if closed else cooperative.formed_on
    moves = CashEntry.objects.filter(cooperative=cooperative, on__gte=start, on__lte=ends_on)
    received = int(moves.filter(kind=CashKind.RECEIPT).aggregate(t=Sum("amount"))["t"] or 0)
    spent = -int(moves.filter(kind__in=SPENT).aggregate(t=Sum("amount"))["t"] or 0)
    result = Plan(start, ends_on, received, spent, received - spent)
    if result.surplus <= 0:
        return result
    result.bases = _bases(cooperative, rule, start, ends_on)
    total = sum(result.bases.values())
    if total:
        result.payouts = {m: result.surplus * b // total for m, b in result.bases.items()}
    result.remainder = result.surplus - sum(result.payouts.values())
    return result


@transaction.atomic
def period_close(
    *, actor: Actor, cooperative: Cooperative, ends_on: datetime.date, rule: str
) -> PeriodClose:
    """Close the period ending `ends_on`: share its surplus by `rule` (to the franc, the
    remainder kept in the cash) and pay each member out of the cash. Refused: a day in the
    future or in a closed period, an unknown rule, a surplus with nobody to share it."""
    from jigiya.cooperatives.stock import lock_cooperative

    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    coop = lock_cooperative(cooperative.pk)
    again = PeriodClose.objects.filter(cooperative=coop, ends_on=ends_on).first()
    if again is not None:  # the same close sent again (a retry): the close as it stands
        if again.rule != rule:
            raise Conflict(_("This period was already closed with another rule."))
        mark_replayed(again)
        return again
    if rule not in ShareRule.values:
        raise ValidationError({"rule": [_("Choose how the surplus is shared.")]})
    not_in_future("ends_on", ends_on)
    check_open(coop.pk, ends_on, "ends_on")
    if ends_on < coop.formed_on:
        raise ValidationError(
            {"ends_on": [_("The period ends before the cooperative was formed.")]}
        )
    result = plan(coop, ends_on=ends_on, rule=rule)
    if result.surplus > 0 and not result.payouts:
        raise ValidationError(
            {"rule": [_("Nobody to share the surplus with by this rule in this period.")]}
        )
    close = PeriodClose(
        cooperative=coop, starts_on=result.starts_on, ends_on=ends_on, rule=rule,
        received=result.received, spent=result.spent, surplus=result.surplus,
        shared=sum(result.payouts.values()), remainder=result.remainder,
        created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(close, actor=actor)
    for member, amount in result.payouts.items():
        Payout.objects.create(close=close, member=member, basis=result.bases[member], amount=amount)
        if amount:
            post(cooperative=coop, kind=CashKind.PAYOUT, on=ends_on, amount=amount,
                 memo=str(close), member=member)  # fmt: skip
    changed(coop.community_id, ends_on, source=SOURCE_STOCK, lasting=False)
    return close


@transaction.atomic
def expense_record(
    *,
    actor: Actor,
    cooperative: Cooperative,
    amount: int,
    on: datetime.date,
    memo: str,
    id: uuid.UUID | None = None,
) -> CashEntry:
    """An expense paid from the cash (rent, transport, a repair), with what it was for."""
    from jigiya.cooperatives.production import check_day
    from jigiya.cooperatives.stock import lock_cooperative

    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(CashEntry, id, {"kind": CashKind.EXPENSE, "on": on, "amount": -amount})
    if again is not None:
        return again
    coop = lock_cooperative(cooperative.pk)
    check_day(coop, on, "on")
    if not memo.strip():
        raise ValidationError({"memo": [_("Say what the expense was for.")]})
    return post(
        cooperative=coop, kind=CashKind.EXPENSE, on=on, amount=amount, memo=memo.strip(), id=id
    )


def balance_all() -> int:
    """Every cooperative's cash together (tests: nothing moved)."""
    return int(CashEntry.objects.aggregate(t=Sum("amount"))["t"] or 0)
