"""Bounds on values, checked in services so pages, the API and field clients share them.

Each check raises a `ValidationError` on the field it names, with a message that names the value.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def not_in_future(field: str, day: datetime.date | None, label: str = "") -> None:
    """`day` (when given) is today or before, in Africa/Bamako; else an error on `field`:
    "<label> <day> is in the future." (label defaults to "The date")."""
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            {
                field: _("%(label)s %(day)s is in the future.")
                % {"label": label or _("The date"), "day": day}
            }
        )
