"""Bounds on values, checked in services so pages, the API and field clients share them.

Each check raises a `ValidationError` on the field it names, with a message that names the value
and the bound. Dates: nothing happens before the program started (`PROGRAM_START_DATE`) nor, for
what a person or group did, before she was born or it was formed (`not_before`), and what has
happened is not in the future (`not_in_future`). Texts: every text a person types has a length
limit (the model's `max_length` for a CharField, which `full_clean()` checks; one of the limits
below, checked with `text_within`, for a TextField, which nothing else checks).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Length limits (characters) of the free texts stored in TextFields.
NOTES_LENGTH = 2000  # a visit's notes, a meeting's note on a difference
DECISIONS_LENGTH = 5000  # a general assembly's decisions
SECRET_LENGTH = 256  # a password Jigiya keeps for another system (DHIS2)

# The earliest date of birth (and of anything older than the program, e.g. an ASACO's
# registration or a board member's term): a person born before it is a mistyped year.
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def program_start() -> datetime.date:
    """The first day the program can have recorded anything (`PROGRAM_START_DATE`)."""
    start: datetime.date = settings.PROGRAM_START_DATE
    return start


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


def not_before(
    field: str,
    day: datetime.date | None,
    floor: datetime.date | None,
    label: str = "",
    floor_label: str = "",
) -> None:
    """`day` (when given) is on or after `floor` (when known); else an error on `field`:
    "<label> <day> is before <floor_label> (<floor>)." (e.g. "The visit date 2020-01-01 is
    before the birth of Awa Traoré (2021-03-04).")."""
    if day is not None and floor is not None and day < floor:
        raise ValidationError(
            {
                field: _("%(label)s %(day)s is before %(floor_label)s (%(floor)s).")
                % {
                    "label": label or _("The date"),
                    "day": day,
                    "floor_label": floor_label or _("the earliest date allowed"),
                    "floor": floor,
                }
            }
        )


def within_program(
    field: str, day: datetime.date | None, label: str = "", *, future: bool = False
) -> None:
    """`day` (when given) is on or after the program's start and, unless `future` (a planned
    date such as an EDD or a cycle's end), not in the future."""
    not_before(field, day, program_start(), label, _("the start of the program"))
    if not future:
        not_in_future(field, day, label)


def not_before_birth(
    field: str, day: datetime.date | None, person: object, label: str = ""
) -> None:
    """`day` is not before the birth of `person` (anything with a `birth_date`, maybe unknown):
    nobody is visited, referred, enrolled or pregnant before she was born."""
    not_before(
        field,
        day,
        getattr(person, "birth_date", None),
        label,
        _("the birth of %(person)s") % {"person": person},
    )


def text_within(field: str, text: str | None, limit: int, label: str = "") -> None:
    """`text` (when given) is at most `limit` characters; else an error on `field`:
    "<label> has <n> characters; at most <limit> are allowed."."""
    if text is not None and len(text) > limit:
        raise ValidationError(
            {
                field: _("%(label)s has %(length)s characters; at most %(limit)s are allowed.")
                % {"label": label or _("The text"), "length": len(text), "limit": limit}
            }
        )
