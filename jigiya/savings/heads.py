"""Chain heads: a group's ledger summed up in two figures a person can copy and compare.

A group's **chain head** is the number of its latest entry (entries are numbered 1, 2, 3…, so it
is also the count) and that entry's hash, whose first 16 hex digits are printed. Since every
hash covers the one before it, the head vouches for the whole chain up to it: whoever rewrites
the chain (even consistently, recomputing every hash) cannot keep entry #n's hash.

- The meeting receipt prints the head after that meeting, the share-out sheet the head at the
  share-out (`meeting_head`, `share_out_head`): the group keeps them on paper.
- `chain_heads_record` (a daily task) writes each group's head into the audit trail when it moved
  (`AuditAction.CHECKPOINT`, model `savings.group`), where the database refuses any change.
- `chain_heads_compare` checks every recorded head against today's chain, `paper_head_check` a
  head read off a receipt; `jigiya verify-ledgers` runs the first, `--head` the second.
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from jigiya.core.models import AuditAction, AuditEntry
from jigiya.savings.models import Entry, Group, Meeting, ShareOut

SHORT = 16  # hex digits printed: 64 bits, far beyond what anyone could forge a match for
MODEL = "savings.group"


@dataclass(frozen=True)
class Head:
    """Entry number `seq` (the count of entries up to it) and its hash."""

    seq: int
    hash: str

    @property
    def short(self) -> str:
        return self.hash[:SHORT]

    @property
    def printed(self) -> str:
        """The short hash in groups of four, easier to copy by hand: `3f9a 1c0b 2d4e 5f60`."""
        return " ".join(self.short[i : i + 4] for i in range(0, SHORT, 4))


def meeting_head(meeting: Meeting) -> Head | None:
    """The group's head right after `meeting` was recorded: its last entry, or (a meeting that
    moved no money) the last entry recorded before it was sealed. None for an empty ledger."""
    entry = Entry.objects.filter(meeting=meeting).order_by("-seq").values("seq", "hash").first()
    if entry is None:
        entry = (
            Entry.objects.filter(group_id=meeting.group_id, created_at__lte=meeting.sealed_at)
            .order_by("-seq")
            .values("seq", "hash")
            .first()
        )
    return None if entry is None else Head(entry["seq"], entry["hash"])


def share_out_head(share_out: ShareOut) -> Head:
    """The group's head at the share-out: the entry that closed the cycle."""
    entry = Entry.objects.values("seq", "hash").get(pk=share_out.entry_id)
    return Head(entry["seq"], entry["hash"])


def current_heads() -> dict[uuid.UUID, Head]:
    """Every group's head now (groups with an empty ledger are left out). One query: each
    group's last entry is an index lookup on (group, seq)."""
    last = Entry.objects.filter(group=OuterRef("pk")).order_by("-seq")
    rows = (
        Group.objects.annotate(
            head_seq=Subquery(last.values("seq")[:1]), head_hash=Subquery(last.values("hash")[:1])
        )
        .filter(head_seq__isnull=False)
        .values_list("pk", "head_seq", "head_hash")
    )
    return {pk: Head(seq, digest) for pk, seq, digest in rows}


def _checkpoints() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(model=MODEL, action=AuditAction.CHECKPOINT)


def recorded_heads() -> dict[str, Head]:
    """The last head recorded for each group (by group id as text)."""
    last_ids = _checkpoints().values("object_id").annotate(last=Max("id")).values("last")
    return {
        object_id: Head(changes["entries"][1], changes["head"][1])
        for object_id, changes in AuditEntry.objects.filter(id__in=last_ids).values_list(
            "object_id", "changes"
        )
    }


@transaction.atomic
def chain_heads_record() -> int:
    """Write into the audit trail the head of every group whose head moved since it was last
    recorded (all of them the first time); returns how many were written. Run daily."""
    before = recorded_heads()
    names = dict(Group.objects.values_list("pk", "name"))
    rows = []
    for group_id, head in current_heads().items():
        last = before.get(str(group_id))
        if last == head:
            continue
        rows.append(
            AuditEntry(
                action=AuditAction.CHECKPOINT,
                model=MODEL,
                object_id=str(group_id),
                object_repr=f"{names[group_id]}: #{head.seq} {head.short}"[:200],
                changes={
                    "entries": [last.seq if last else None, head.seq],
                    "head": [last.hash if last else None, head.hash],
                },
            )
        )
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@dataclass(frozen=True)
class Recorded:
    group_id: str
    seq: int
    hash: str
    at: datetime.datetime


def chain_heads_compare(group_ids: list[Any] | None = None) -> list[str]:
    """Check every head recorded in the audit trail against the chain as it stands: entry #n
    must still carry the hash recorded for it. A problem names the group, the entry and the
    day the head was recorded (empty: every recorded head is still in its chain)."""
    checkpoints = _checkpoints().order_by("id")
    if group_ids is not None:
        checkpoints = checkpoints.filter(object_id__in=[str(pk) for pk in group_ids])
    by_group: dict[str, list[Recorded]] = defaultdict(list)
    for object_id, changes, at in checkpoints.values_list("object_id", "changes", "at"):
        seq, digest = changes["entries"][1], changes["head"][1]
        by_group[object_id].append(Recorded(object_id, seq, digest, at))
    problems = []
    for object_id, recorded in by_group.items():
        stored = dict(
            Entry.objects.filter(
                group_id=uuid.UUID(object_id), seq__in={head.seq for head in recorded}
            ).values_list("seq", "hash")
        )
        problems += [_mismatch(head, stored.get(head.seq)) for head in recorded]
    return [problem for problem in problems if problem]


def _mismatch(head: Recorded, digest: str | None) -> str:
    day = timezone.localtime(head.at).date().isoformat()
    where = f"group {head.group_id} entry #{head.seq}"
    if digest is None:
        return f"{where}: missing, though the head recorded on {day} names it (chain cut)"
    if digest != head.hash:
        return (
            f"{where}: hash {digest[:SHORT]} differs from the head recorded on {day} "
            f"({head.hash[:SHORT]}): the chain was rewritten"
        )
    return ""


def paper_head_check(*, group_id: Any, seq: int, printed: str) -> str:
    """Compare a head read off paper (entry number and the printed start of its hash, at least
    8 hex digits) with the chain; returns the problem, or "" when they agree."""
    printed = "".join(printed.split()).lower()  # copied by hand, in groups of four or not
    if len(printed) < 8 or any(char not in "0123456789abcdef" for char in printed):
        return f"{printed!r}: give at least 8 hex digits of the printed hash"
    digest = Entry.objects.filter(group_id=group_id, seq=seq).values_list("hash", flat=True).first()
    where = f"group {group_id} entry #{seq}"
    if digest is None:
        return f"{where}: missing, though the paper names it (chain cut)"
    if not digest.startswith(printed):
        return f"{where}: hash {digest[:SHORT]} differs from the paper's {printed}: rewritten"
    return ""
