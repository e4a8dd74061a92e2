"""Every schedule the CHW follows, in one place: read this file to know when a task is due.

A task is due `offset` days after its anchor; it may be done from `before` days earlier to
`after` days later (its window). Outside the window it is missed. `followup.engine` turns these
declarations into tasks; nothing else decides when a visit is due.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jigiya.followup.models import TaskKind


@dataclass(frozen=True)
class Contact:
    kind: TaskKind
    sequence: int
    offset: int  # days after the anchor
    before: int  # the window opens this many days before the due date
    after: int  # and closes this many days after it

    def dates(self, anchor: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
        """(window start, due date, window end) for this anchor."""
        due = anchor + datetime.timedelta(days=self.offset)
        return (
            due - datetime.timedelta(days=self.before),
            due,
            due + datetime.timedelta(days=self.after),
        )


# Every enrolled child, every 14 days (twice a month). Anchor: the enrollment start for the
# first visit (offset 0), then the day of the last visit that saw the child. The window closes
# the day before the next visit would be due, so a late visit is still worth making.
CHILD_INTERVAL_DAYS = 14
# Followed until five (enrollment refused from 1826 days; no visit scheduled on or after the
# fifth birthday); a child is still checked at a visit until five years and a month, since the
# last visit may be late. Older, a child check is refused.
CHILD_DAYS = 1856
CHILD_FIRST = Contact(TaskKind.CHILD_VISIT, 1, offset=0, before=0, after=CHILD_INTERVAL_DAYS - 1)
CHILD_NEXT = Contact(
    TaskKind.CHILD_VISIT, 1, offset=CHILD_INTERVAL_DAYS, before=3, after=CHILD_INTERVAL_DAYS - 4
)

# Pregnancy contacts at the WHO 2016 antenatal care schedule's gestational ages (weeks): the
# CHW visits around each contact, checks for danger signs and sends her to the CSCom.
# Anchor: the first day of the last menstrual period (or EDD - 280 days).
ANC_WEEKS = (12, 20, 26, 30, 34, 36, 38, 40)
PREGNANCY_CONTACTS = tuple(
    Contact(
        TaskKind.PREGNANCY_CONTACT,
        number,
        offset=weeks * 7,
        # Contacts 2 weeks apart (from 34 weeks) get a tighter window than those 4-8 weeks apart.
        before=7 if weeks < 34 else 3,
        after=13 if weeks < 30 else 6,
    )
    for number, weeks in enumerate(ANC_WEEKS, start=1)
)

# After a delivery (anchor: the delivery date): within 48 hours, and within 7 days.
POSTNATAL = (
    Contact(TaskKind.POSTNATAL_48H, 1, offset=1, before=1, after=1),
    Contact(TaskKind.POSTNATAL_7D, 2, offset=6, before=3, after=1),
)

# After a referral (anchor: the day of the referral): did they go, what was done?
REFERRAL_FOLLOWUP = Contact(TaskKind.REFERRAL_FOLLOWUP, 1, offset=3, before=1, after=4)
# A referral still open this many days after it was made is overdue on the worklist.
REFERRAL_OVERDUE_DAYS = 3

# A child leaves the child follow-up at five years.
CHILD_PROGRAM_END_DAYS = 1826


# --- Mali's Expanded Programme on Immunization (PEV), checked at each child visit ------------
# (code, label, age in days from which it is due)
VACCINES: tuple[tuple[str, object, int], ...] = (
    ("bcg", _("BCG"), 0),
    ("opv0", _("Polio 0"), 0),
    ("penta1", _("Penta 1"), 42),
    ("pcv1", _("PCV 1"), 42),
    ("rota1", _("Rota 1"), 42),
    ("opv1", _("Polio 1"), 42),
    ("penta2", _("Penta 2"), 70),
    ("pcv2", _("PCV 2"), 70),
    ("rota2", _("Rota 2"), 70),
    ("opv2", _("Polio 2"), 70),
    ("penta3", _("Penta 3"), 98),
    ("pcv3", _("PCV 3"), 98),
    ("rota3", _("Rota 3"), 98),
    ("opv3", _("Polio 3"), 98),
    ("ipv", _("IPV"), 98),
    ("mr1", _("Measles-rubella 1"), 274),  # 9 months
    ("yf", _("Yellow fever"), 274),
    ("mr2", _("Measles-rubella 2"), 457),  # 15 months
)
VACCINE_CODES = tuple(code for code, _label, _age in VACCINES)


def vaccines_missing(age_days: int | None, received: set[str]) -> list[str]:
    """The vaccines due by this age that are not among those received, in schedule order."""
    if age_days is None:
        return []
    return [code for code, _label, age in VACCINES if age <= age_days and code not in received]
