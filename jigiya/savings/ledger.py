"""The savings ledger: append-only, double-entry, hash-chained, one chain per group.

Every movement of money is an `Entry` with two or more `EntryLine`s. The rules, checked when
posting (`post`) and again, over the whole history, by `verify` (`jigiya verify-ledgers`):

1. every entry balances: the sum of its debits equals the sum of its credits, every line is a
   whole positive number of FCFA on exactly one side;
2. cash never goes negative: after each entry, in chain order, the loan fund cash and the health
   fund cash are ≥ 0;
   every line and every account's balance stays within `limits.TECHNICAL_CEILING`, and no
   entry is dated in a closed period (a shared-out cycle, or before the last share-out);
3. the chain is intact: entries are numbered 1, 2, 3… per group, and each entry's `hash` is
   sha256(previous hash + canonical JSON of the entry and its lines); the first entry's previous
   hash is 64 zeros. Changing, removing or inserting anything breaks every later hash.

Concurrency: a posting first locks the group row (`lock_group`, `SELECT … FOR UPDATE`); the
group row is the only lock a posting takes, so the lock order is fixed and postings of one group
are serialised while groups post in parallel. Nothing here updates or deletes a row.
"""

import datetime
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user
from jigiya.core.hashchain import GENESIS, chain_hash
from jigiya.core.money import format_fcfa
from jigiya.savings import limits
from jigiya.savings.models import (
    CASH_ACCOUNTS,
    DEBIT_NORMAL,
    Account,
    Cycle,
    Entry,
    EntryKind,
    EntryLine,
    Group,
)


@dataclass
class LineDraft:
    account: str
    debit: int = 0
    credit: int = 0
    membership_id: uuid.UUID | None = None
    loan_id: uuid.UUID | None = None


@dataclass
class EntryDraft:
    """An entry to post: its client UUID, what it is, and its lines."""

    id: uuid.UUID
    kind: str
    lines: list[LineDraft]
    membership_id: uuid.UUID | None = None
    loan_id: uuid.UUID | None = None
    reverses_id: uuid.UUID | None = None
    purpose: str = ""
    memo: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def transfer(
    *,
    id: uuid.UUID,
    kind: str,
    debit: str,
    credit: str,
    amount: int,
    membership_id: uuid.UUID | None = None,
    purpose: str = "",
    memo: str = "",
) -> EntryDraft:
    """The common entry: `amount` debited to one account and credited to another, both lines
    naming the member (when there is one)."""
    return EntryDraft(
        id=id,
        kind=kind,
        membership_id=membership_id,
        purpose=purpose,
        memo=memo,
        lines=[
            LineDraft(debit, debit=amount, membership_id=membership_id),
            LineDraft(credit, credit=amount, membership_id=membership_id),
        ],
    )


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def canonical(
    *,
    id: Any,
    group_id: Any,
    cycle_id: Any,
    seq: int,
    kind: str,
    on: Any,
    meeting_id: Any,
    membership_id: Any,
    loan_id: Any,
    reverses_id: Any,
    purpose: str,
    memo: str,
    lines: Iterable[tuple[str, int, int, Any, Any]],
) -> str:
    """The JSON an entry's hash covers: sorted keys, no spaces, ids as text, lines in order."""
    payload = {
        "id": _id(id),
        "group": _id(group_id),
        "cycle": _id(cycle_id),
        "seq": seq,
        "kind": kind,
        "on": on.isoformat(),
        "meeting": _id(meeting_id),
        "membership": _id(membership_id),
        "loan": _id(loan_id),
        "reverses": _id(reverses_id),
        "purpose": purpose,
        "memo": memo,
        "lines": [
            [account, debit, credit, _id(member), _id(loan)]
            for account, debit, credit, member, loan in lines
        ],
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signed(account: str, debit: int, credit: int) -> int:
    return debit - credit if account in DEBIT_NORMAL else credit - debit


def lock_group(group_id: Any) -> Group:
    """Lock the group row for the rest of the transaction: the one lock every posting takes."""
    if not connection.in_atomic_block:
        raise RuntimeError("Post to the savings ledger inside a transaction.")
    return Group.objects.select_for_update().select_related("community").get(pk=group_id)


def balances(group_id: Any, *, until: Any = None, cycle_id: Any = None) -> dict[str, int]:
    """Each account's balance (in its normal direction), optionally up to a date."""
    lines = EntryLine.objects.filter(group_id=group_id)
    if until is not None:
        lines = lines.filter(on__lte=until)
    if cycle_id is not None:
        lines = lines.filter(entry__cycle_id=cycle_id)
    totals = dict.fromkeys(Account.values, 0)
    for row in lines.values("account").annotate(d=Sum("debit"), c=Sum("credit")).order_by():
        totals[row["account"]] = signed(row["account"], row["d"] or 0, row["c"] or 0)
    return totals


def member_savings(group_id: Any) -> dict[uuid.UUID, int]:
    """Each member's savings balance (shares bought, net of reversals and share-outs)."""
    rows = (
        EntryLine.objects.filter(group_id=group_id, account=Account.MEMBER_SAVINGS)
        .values("membership_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    return {row["membership_id"]: (row["c"] or 0) - (row["d"] or 0) for row in rows}


def loan_paid(loan_ids: Iterable[Any], *, until: Any = None) -> dict[uuid.UUID, dict[str, int]]:
    """For each loan: principal repaid or settled, principal written off, interest paid."""
    result: dict[uuid.UUID, dict[str, int]] = defaultdict(
        lambda: {"principal": 0, "written_off": 0, "interest": 0}
    )
    lines = EntryLine.objects.filter(loan_id__in=list(loan_ids)).filter(
        Q(account=Account.LOANS_RECEIVABLE) | Q(account=Account.INTEREST_INCOME)
    )
    if until is not None:
        lines = lines.filter(on__lte=until)
    for row in (
        lines.values("loan_id", "account", "entry__kind")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    ):
        paid = result[row["loan_id"]]
        net = (row["c"] or 0) - (row["d"] or 0)
        if row["account"] == Account.INTEREST_INCOME:
            paid["interest"] += net
        elif row["entry__kind"] == EntryKind.WRITE_OFF:
            paid["written_off"] += net
        elif row["entry__kind"] != EntryKind.LOAN:
            paid["principal"] += net
    return dict(result)


def _check_draft(draft: EntryDraft) -> None:
    if len(draft.lines) < 2:
        raise ValidationError({"__all__": [_("An entry needs at least two lines.")]})
    for line in draft.lines:
        for amount in (line.debit, line.credit):
            if type(amount) is not int or amount < 0:
                raise ValidationError(
                    {"amount": [_("Amounts are whole, positive numbers of FCFA.")]}
                )
            limits.within_technical(amount, "amount")
        if (line.debit > 0) == (line.credit > 0):
            raise ValidationError(
                {"amount": [_("Each line is either a debit or a credit, never zero.")]}
            )
        if line.account not in Account.values:
            raise ValidationError({"account": [_("Unknown account.")]})
    if sum(line.debit for line in draft.lines) != sum(line.credit for line in draft.lines):
        raise ValidationError({"__all__": [_("The entry does not balance.")]})


def cash_problem(running: dict[str, int]) -> str | None:
    for account in CASH_ACCOUNTS:
        if running[account] < 0:
            return str(
                _("%(account)s would be short by %(amount)s FCFA.")
                % {"account": Account(account).label, "amount": -running[account]}
            )
    for name, balance in running.items():
        if abs(balance) > limits.TECHNICAL_CEILING:
            return str(
                _("%(account)s would hold more than any group may (%(limit)s).")
                % {
                    "account": Account(name).label,
                    "limit": format_fcfa(limits.TECHNICAL_CEILING),
                }
            )
    return None


def post(
    *,
    group: Group,
    cycle: Cycle,
    on: datetime.date,
    drafts: list[EntryDraft],
    meeting_id: uuid.UUID | None = None,
    actor: Actor = None,
) -> list[Entry]:
    """Append `drafts` to the group's chain, in order. The caller holds the group lock
    (`lock_group`). Refuses (ValidationError, nothing written) an entry dated in a closed period,
    one that does not balance, one with a line above the technical ceiling, or one after which a
    cash account would be negative or an account would pass the technical ceiling."""
    if not connection.in_atomic_block:
        raise RuntimeError("Post to the savings ledger inside a transaction.")
    limits.check_open_period(group, cycle, on, "__all__")
    _check_drafts(drafts, balances(group.pk))
    last = Entry.objects.filter(group=group).order_by("-seq").values_list("seq", "hash").first()
    seq, prev = last if last else (0, GENESIS)
    entries: list[Entry] = []
    lines: list[EntryLine] = []
    for draft in drafts:
        seq += 1
        entry = Entry(
            id=draft.id,
            group_id=group.pk,
            cycle_id=cycle.pk,
            seq=seq,
            kind=draft.kind,
            on=on,
            meeting_id=meeting_id,
            membership_id=draft.membership_id,
            loan_id=draft.loan_id,
            reverses_id=draft.reverses_id,
            purpose=draft.purpose,
            memo=draft.memo,
            prev_hash=prev,
            created_by=acting_user(actor),
        )
        entry.hash = chain_hash(prev, _canonical_of(entry, draft.lines))
        entries.append(entry)
        lines += _line_rows(entry, draft.lines)
        prev = entry.hash
    Entry.objects.bulk_create(entries)
    EntryLine.objects.bulk_create(lines)
    return entries


def _check_drafts(drafts: list[EntryDraft], running: dict[str, int]) -> None:
    """Each draft balances, and no cash account goes negative after it (in order)."""
    for draft in drafts:
        _check_draft(draft)
        for line in draft.lines:
            running[line.account] += signed(line.account, line.debit, line.credit)
        problem = cash_problem(running)
        if problem:
            raise ValidationError({"amount": [problem]})


def _canonical_of(entry: Entry, lines: list[LineDraft]) -> str:
    return canonical(
        id=entry.pk,
        group_id=entry.group_id,
        cycle_id=entry.cycle_id,
        seq=entry.seq,
        kind=entry.kind,
        on=entry.on,
        meeting_id=entry.meeting_id,
        membership_id=entry.membership_id,
        loan_id=entry.loan_id,
        reverses_id=entry.reverses_id,
        purpose=entry.purpose,
        memo=entry.memo,
        lines=[
            (line.account, line.debit, line.credit, line.membership_id, line.loan_id)
            for line in lines
        ],
    )


def _line_rows(entry: Entry, lines: list[LineDraft]) -> list[EntryLine]:
    return [
        EntryLine(
            entry_id=entry.pk,
            group_id=entry.group_id,
            seq=entry.seq,
            position=position,
            on=entry.on,
            account=line.account,
            debit=line.debit,
            credit=line.credit,
            membership_id=line.membership_id,
            loan_id=line.loan_id,
        )
        for position, line in enumerate(lines, start=1)
    ]


def reversal_of(entry: Entry, *, id: uuid.UUID, memo: str) -> EntryDraft:
    """The entry that undoes `entry`: the same lines with debit and credit swapped."""
    return EntryDraft(
        id=id,
        kind=EntryKind.REVERSAL,
        membership_id=entry.membership_id,
        loan_id=entry.loan_id,
        reverses_id=entry.pk,
        purpose=entry.purpose,
        memo=memo,
        lines=[
            LineDraft(
                account=line.account,
                debit=line.credit,
                credit=line.debit,
                membership_id=line.membership_id,
                loan_id=line.loan_id,
            )
            for line in entry.lines.order_by("position")
        ],
    )


# --- verification ---------------------------------------------------------------------------

ENTRY_FIELDS = (
    "group_id", "seq", "id", "cycle_id", "kind", "on", "meeting_id", "membership_id", "loan_id",
    "reverses_id", "purpose", "memo", "prev_hash", "hash",
)  # fmt: skip
LINE_FIELDS = ("group_id", "seq", "account", "debit", "credit", "membership_id", "loan_id")
CHUNK = 5000


@dataclass
class Verification:
    groups: int = 0
    entries: int = 0
    lines: int = 0
    problems: list[str] = field(default_factory=list)


def _lines_by_entry(group_ids: list[Any] | None) -> Iterator[tuple[tuple[Any, int], list[tuple]]]:
    lines = EntryLine.objects.order_by("group_id", "seq", "position")
    if group_ids is not None:
        lines = lines.filter(group_id__in=group_ids)
    key: tuple[Any, int] | None = None
    batch: list[tuple] = []
    for row in lines.values_list(*LINE_FIELDS).iterator(chunk_size=CHUNK):
        row_key = (row[0], row[1])
        if row_key != key:
            if key is not None:
                yield key, batch
            key, batch = row_key, []
        batch.append(row[2:])
    if key is not None:
        yield key, batch


def verify(group_ids: list[Any] | None = None, *, limit: int = 100) -> Verification:
    """Check every rule over the whole history (or these groups): balance, cash never
    negative, chain intact. Reads entries and lines in index order, each once."""
    report = Verification()
    entries = Entry.objects.order_by("group_id", "seq")
    if group_ids is not None:
        entries = entries.filter(group_id__in=group_ids)
    lines_iter = _lines_by_entry(group_ids)
    pending = next(lines_iter, None)
    group: Any = None
    expected_seq = 0
    prev = GENESIS
    running: dict[str, int] = {}

    def problem(text: str) -> None:
        if len(report.problems) < limit:
            report.problems.append(text)

    for row in entries.values_list(*ENTRY_FIELDS).iterator(chunk_size=CHUNK):
        (group_id, seq, entry_id, cycle_id, kind, on, meeting_id, membership_id, loan_id,
         reverses_id, purpose, memo, prev_hash, digest) = row  # fmt: skip
        if group_id != group:
            group, expected_seq, prev = group_id, 0, GENESIS
            running = dict.fromkeys(Account.values, 0)
            report.groups += 1
        report.entries += 1
        expected_seq += 1
        where = f"group {group_id} entry #{seq}"
        if seq != expected_seq:
            problem(f"{where}: expected number {expected_seq} (an entry is missing)")
            expected_seq = seq
        # Lines of entries that no longer exist are reported, then skipped.
        while pending is not None and pending[0] < (group_id, seq):
            problem(f"group {pending[0][0]} #{pending[0][1]}: lines without an entry")
            pending = next(lines_iter, None)
        lines: list[tuple] = []
        if pending is not None and pending[0] == (group_id, seq):
            lines = pending[1]
            pending = next(lines_iter, None)
        report.lines += len(lines)
        if len(lines) < 2:
            problem(f"{where}: fewer than two lines")
        debits = sum(line[1] for line in lines)
        credits = sum(line[2] for line in lines)
        if debits != credits:
            problem(f"{where}: debits {debits} ≠ credits {credits}")
        for account, debit, credit, _member, _loan in lines:
            if (debit > 0) == (credit > 0):
                problem(f"{where}: a line is not one positive debit or credit")
            running[account] = running.get(account, 0) + signed(account, debit, credit)
        for account in CASH_ACCOUNTS:
            if running[account] < 0:
                problem(f"{where}: {account} is negative ({running[account]})")
        if prev_hash != prev:
            problem(f"{where}: previous hash does not match the entry before")
        text = canonical(
            id=entry_id, group_id=group_id, cycle_id=cycle_id, seq=seq, kind=kind, on=on,
            meeting_id=meeting_id, membership_id=membership_id, loan_id=loan_id,
            reverses_id=reverses_id, purpose=purpose, memo=memo, lines=lines,
        )  # fmt: skip
        if chain_hash(prev_hash, text) != digest:
            problem(f"{where}: hash does not match its content (changed after posting)")
        if (kind == EntryKind.REVERSAL) != (reverses_id is not None):
            problem(f"{where}: a reversal must name the entry it reverses, and only a reversal")
        prev = digest
    while pending is not None:
        problem(f"group {pending[0][0]} #{pending[0][1]}: lines without an entry")
        pending = next(lines_iter, None)
    return report
