"""Parameters of a request that no service sees, read at the edge with a clear refusal.

A day in a query string (`?day=` on the worklist or the month) only chooses what to show, so it
is bounded here rather than in a service: far enough either way for any real use, near enough
that the weeks and months around it exist (`0001-01-01` minus a week, or `9999-12-31` plus one,
is no date at all and used to answer 500).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)


def parse_day(text: str | None, *, field: str = "day") -> datetime.date:
    """`text` as a day (`yyyy-mm-dd`) between 1900 and 2100; today (Africa/Bamako) when empty.
    Anything else is a `ValidationError` on `field` (a page answers 400, naming it)."""
    if not text:
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            {field: _("%(value)s is not a day (yyyy-mm-dd).") % {"value": text[:40]}}
        ) from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            {
                field: _("%(day)s is outside %(first)s to %(last)s.")
                % {"day": day, "first": EARLIEST_DAY, "last": LATEST_DAY}
            }
        )
    return day
