"""Every write of the follow-up, one module per family of actions (as Zulip's `actions/`):

- `enrollments`: enrollments started and ended (by hand, at five, when a person leaves);
- `pregnancies`: pregnancies, ANC contacts, outcomes and newborns;
- `visits`: home visits with their checks, education and referral outcomes;
- `referrals`: referrals and the outcome that closes them;
- `people`: the follow-up's part in the registry's correction and deactivation of a person
  (registered in `registry.plugins`).

Other code imports them from here. Each is one transaction, audited, with the CHW's tasks
kept in step (`engine`) and the indicator cells it touches marked stale.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from jigiya.followup import engine
from jigiya.followup.enrollments import (
    SOURCE_ENROLLMENT,
    enrollment_end,
    enrollment_start,
    enrollments_close_at_five,
)
from jigiya.followup.pregnancies import (
    SOURCE_PREGNANCY,
    anc_contact_record,
    newborn_register,
    pregnancy_outcome_record,
    pregnancy_register,
)
from jigiya.followup.referrals import SOURCE_REFERRAL, referral_close, referral_create
from jigiya.followup.visits import (
    SOURCE_VISIT,
    ChildCheckIn,
    EducationIn,
    PregnancyCheckIn,
    ReferralOutcomeIn,
    visit_record,
)

__all__ = [
    "SOURCE_ENROLLMENT",
    "SOURCE_PREGNANCY",
    "SOURCE_REFERRAL",
    "SOURCE_VISIT",
    "ChildCheckIn",
    "EducationIn",
    "PregnancyCheckIn",
    "ReferralOutcomeIn",
    "anc_contact_record",
    "enrollment_end",
    "enrollment_start",
    "enrollments_close_at_five",
    "newborn_register",
    "pregnancy_outcome_record",
    "pregnancy_register",
    "referral_close",
    "referral_create",
    "tasks_sweep",
    "visit_record",
]


def tasks_sweep(*, today: datetime.date | None = None) -> int:
    """The nightly sweep (daily, by the worker): first end the follow-up of the children who
    turned five (`enrollments_close_at_five`) and cancel the open child visits of every ended
    enrollment; then mark missed every open task whose window has closed, scheduling a missed
    child's next visit only while the child is followed and under five. Returns how many
    tasks were marked missed."""
    today = today or timezone.localdate()
    enrollments_close_at_five(today=today)
    with transaction.atomic():
        engine.cancel_for_ended_enrollments(today=today)
        return engine.sweep(today=today)
