"""Bounds on money, checked by every savings service (so pages, the API and field clients share
them): the ceiling of one movement, the threshold above which a posting waits for a second
officer, the technical ceiling nothing may pass, and the closed periods no entry may be dated in.

The ceiling and the threshold are the program's settings (`SAVINGS_MAX_MOVEMENT_FCFA`,
`SAVINGS_APPROVAL_THRESHOLD_FCFA`) unless the cycle's constitution sets its own; neither goes
above `TECHNICAL_CEILING` (10^12 FCFA), which also bounds every ledger line and every account's
balance, so the sum of every group's assets in the country cannot overflow."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jigiya.core.money import format_fcfa
from jigiya.savings.models import TECHNICAL_CEILING, Cycle, CycleStatus, Group, ShareOut

__all__ = [
    "TECHNICAL_CEILING",
    "approval_threshold",
    "cash_difference_threshold",
    "check_open_period",
    "check_within",
    "movement_ceiling",
    "within_technical",
]


def movement_ceiling(cycle: Cycle) -> int:
    """The most one movement of money may be in this cycle (FCFA)."""
    return min(cycle.max_movement or settings.SAVINGS_MAX_MOVEMENT_FCFA, TECHNICAL_CEILING)


def approval_threshold(cycle: Cycle) -> int:
    """A posting with a movement above this waits for a second officer (FCFA)."""
    return min(
        cycle.approval_threshold or settings.SAVINGS_APPROVAL_THRESHOLD_FCFA, TECHNICAL_CEILING
    )


def cash_difference_threshold(cycle: Cycle | None = None) -> int:
    """A count further than this from the expected cash needs a real explanation and a second
    officer's approval, and is flagged to the supervisor (FCFA; the program's setting
    `SAVINGS_CASH_DIFFERENCE_THRESHOLD_FCFA`)."""
    return min(settings.SAVINGS_CASH_DIFFERENCE_THRESHOLD_FCFA, TECHNICAL_CEILING)


def within_technical(value: Any, field: str) -> None:
    """Refuse a number no movement could ever be (before anything is read or locked)."""
    if type(value) is int and value > TECHNICAL_CEILING:
        raise ValidationError(
            {
                field: [
                    _("%(amount)s is more than any movement may be (at most %(limit)s).")
                    % {"amount": format_fcfa(value), "limit": format_fcfa(TECHNICAL_CEILING)}
                ]
            }
        )


def check_within(amount: int, field: str, what: str, cycle: Cycle) -> None:
    """`amount` of a movement (`what`: "New loan", "Other income"…) is at most the cycle's
    ceiling; else an error on `field` naming the movement, the amount and the ceiling."""
    ceiling = movement_ceiling(cycle)
    if amount > ceiling:
        raise ValidationError(
            {
                field: [
                    _("%(what)s of %(amount)s is above the ceiling of one movement, %(limit)s.")
                    % {
                        "what": what,
                        "amount": format_fcfa(amount),
                        "limit": format_fcfa(ceiling),
                    }
                ]
            }
        )


def check_open_period(group: Group, cycle: Cycle, on: datetime.date, field: str) -> None:
    """An entry is dated in an open period: its cycle is not shared out, and it is not before
    the group's last share-out (a share-out closes the books of its cycle, the group's accounting
    period; the next cycle may start on the share-out day). Refused on `field` otherwise."""
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError(
            {
                field: [
                    _("Cycle %(number)s is shared out: its books are closed.")
                    % {"number": cycle.number}
                ]
            }
        )
    closed = (
        ShareOut.objects.filter(cycle__group=group)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    if closed is not None and on < closed:
        raise ValidationError(
            {
                field: [
                    _("The books are closed before the share-out of %(day)s: nothing dated %(on)s.")
                    % {"day": closed, "on": on}
                ]
            }
        )
