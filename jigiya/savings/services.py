"""Every write of the savings app, the one entry views, the API, demo and tests import.

Each family of actions lives in its own module, read top to bottom: `groups` (groups, status,
cycles), `memberships` (joining, office, leaving and its settlement), `meetings` (a whole
meeting, one function per kind of money), `approvals` (maker-checker: a held meeting approved or
rejected by a second officer), `corrections` (reversals, write-offs) and
`shareout`. Reads they decide on (`status_on`, `open_loan_positions`, `leave_plan`,
`share_out_plan`) are selectors.

Money services lock the group row first (`ledger.lock_group`), check everything, then post:
a refused operation writes nothing. Records a device creates carry its UUID: the same one sent
again returns what was made the first time (`core.retries.was_replayed` tells); the same id with
other content is a `Conflict`.
"""

import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from jigiya.core.changes import records_changed
from jigiya.core.periods import Month
from jigiya.savings.approvals import approval_approve, approval_reject
from jigiya.savings.common import (
    SOURCE_LEDGER,
    SOURCE_MEETINGS,
    SOURCE_MEMBERS,
    SOURCE_SHARE_OUT,
)
from jigiya.savings.corrections import entry_correct, loan_write_off
from jigiya.savings.groups import (
    CONSTITUTION_FIELDS,
    cycle_start,
    group_create,
    group_status_change,
)
from jigiya.savings.meetings import CashLine, GrantLine, MeetingData, MemberLine, meeting_record
from jigiya.savings.memberships import (
    membership_add,
    membership_leave,
    membership_leave_cancel,
    membership_update,
)
from jigiya.savings.models import Account, EntryLine
from jigiya.savings.shareout import share_out

__all__ = [
    "CONSTITUTION_FIELDS",
    "SOURCE_LEDGER",
    "SOURCE_MEETINGS",
    "SOURCE_MEMBERS",
    "SOURCE_SHARE_OUT",
    "CashLine",
    "GrantLine",
    "MeetingData",
    "MemberLine",
    "approval_approve",
    "approval_reject",
    "cycle_start",
    "entry_correct",
    "group_create",
    "group_status_change",
    "loan_write_off",
    "meeting_record",
    "membership_add",
    "membership_leave",
    "membership_leave_cancel",
    "membership_update",
    "par_freshen",
    "share_out",
]


@transaction.atomic
def par_freshen(*, today: datetime.date | None = None) -> int:
    """Mark stale this month and the last one for every community where a loan is still owed:
    days overdue grow with time alone, so PAR > 30 days (read today for this month, on the last
    day for the month before) moves even when nothing is posted. Run daily
    (`savings_par_freshen`); returns how many communities were marked."""
    today = today or timezone.localdate()
    owing = (
        EntryLine.objects.filter(account=Account.LOANS_RECEIVABLE)
        .values("group__community_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .filter(d__gt=F("c"))
        .order_by()
    )
    communities = [row["group__community_id"] for row in owing]
    this_month = Month.of(today)
    months = [this_month.first_day, this_month.previous().first_day]
    records_changed(
        source=SOURCE_LEDGER, cells=[(place, month) for place in communities for month in months]
    )
    return len(communities)
