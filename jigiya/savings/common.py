"""What every savings service shares: the change sources it declares, amounts in whole FCFA,
the months a change touches, and the short notes kept on ledger entries.

The permission check, the actor, the "not in the future" bound and safe retries are the
project's one helper each (`accounts.access`, `core.bounds`, `core.retries`), not here."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jigiya.core.changes import declare_source, records_changed
from jigiya.core.money import format_fcfa
from jigiya.core.periods import Month, month_range
from jigiya.savings.models import Group

SOURCE_MEMBERS = declare_source("savings.membership")
SOURCE_MEETINGS = declare_source("savings.meeting")
SOURCE_LEDGER = declare_source("savings.ledger")
SOURCE_SHARE_OUT = declare_source("savings.share_out")

NOTE_LENGTH = 200  # `Entry.memo`


def whole(value: Any, field_name: str, *, positive: bool = False) -> int:
    """A whole number of FCFA (never a float, a text or a boolean), ≥ 0 (> 0 if `positive`)."""
    if type(value) is not int or value < 0 or (positive and value == 0):
        raise ValidationError(
            {field_name: [_("Enter a whole, positive number of FCFA (no decimals).")]}
        )
    return value


def note(text: str) -> str:
    """A person's note as an entry keeps it: trimmed, at most 200 characters."""
    return text.strip()[:NOTE_LENGTH]


def changed_from(group: Group, *days: datetime.date, source: str) -> None:
    """Mark the community's months stale from each day's month to this month: members, savings,
    assets and loans are stocks, so a change shows in every month after it."""
    today = Month.current()
    months = {month for day in days for month in month_range(Month.of(day), today)}
    records_changed(source=source, cells=[(group.community_id, m.first_day) for m in months])


@dataclass
class Gap:
    """A box counted otherwise than expected: `counted - expected` is `gap`."""

    field: str
    box: str
    counted: int
    expected: int

    @property
    def gap(self) -> int:
        return self.counted - self.expected

    def describe(self) -> str:
        """The figures for a person: "Loan fund cash: counted 16 600 FCFA, expected 300 000 FCFA,
        short by 283 400 FCFA."
        (or "over by")."""
        figures = {
            "box": self.box,
            "counted": format_fcfa(self.counted),
            "expected": format_fcfa(self.expected),
            "difference": format_fcfa(abs(self.gap)),
        }
        if self.gap < 0:
            text = _(
                "%(box)s: counted %(counted)s, expected %(expected)s, short by %(difference)s."
            )
        else:
            text = _("%(box)s: counted %(counted)s, expected %(expected)s, over by %(difference)s.")
        return text % figures
