"""The follow-up's part in the registry's person services, registered in `registry.plugins`
by `FollowupConfig.ready` (the registry never imports the follow-up):

- a correction of sex or date of birth is refused when it contradicts the follow-up (a man
  with an open pregnancy, a visit or an enrollment before birth, a child enrolled at five or
  more, a z-score outside WHO's plausible range); once the person is saved, the child's stored
  ages, z-scores and missing vaccines are recomputed and the indicator cells marked stale;
- a person who moved, died or left has every open enrollment ended with that reason and every
  open task cancelled, so she leaves the worklist.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor
from jigiya.core.changes import records_changed
from jigiya.followup import engine, growth, schedules, selectors
from jigiya.followup.enrollments import SOURCE_ENROLLMENT, enrollment_close
from jigiya.followup.models import ChildAssessment, Task
from jigiya.followup.visits import SOURCE_VISIT
from jigiya.registry.models import Enrollment, FollowupProgram, Person, Sex
from jigiya.registry.plugins import Correction

FIVE_YEARS_DAYS = 1826


def correction_check(person: Person, correction: Correction) -> Callable[[], None] | None:
    """Refuse a correction the follow-up contradicts; for a new sex or date of birth, the
    rescoring to run once the person is saved."""
    changed = correction.changed
    if (
        "sex" in changed
        and correction.sex != Sex.FEMALE
        and selectors.open_pregnancy(person=person) is not None
    ):
        raise ValidationError({"sex": _("%(person)s has an open pregnancy.") % {"person": person}})
    if "birth_date" in changed:
        _check_birth_date(person, correction.birth_date)
    if not changed & {"sex", "birth_date"}:
        return None
    checks = _rescored_checks(
        person,
        sex=correction.sex,
        birth_date=correction.birth_date,
        field="birth_date" if "birth_date" in changed else "sex",
    )
    return lambda: _save_rescored(person, checks)


def _check_birth_date(person: Person, birth_date: datetime.date | None) -> None:
    """No visit nor enrollment before the new date of birth; an open child follow-up still
    started before five."""
    first_visit = selectors.first_visit_date(person=person)
    if first_visit is not None and (birth_date is None or birth_date > first_visit):
        raise ValidationError(
            {
                "birth_date": _(
                    "%(person)s was seen on %(visit)s: the date of birth %(day)s cannot "
                    "be after it."
                )
                % {"person": person, "visit": first_visit, "day": birth_date or "?"}
            }
        )
    first_start = selectors.first_enrollment_start(person=person)
    if first_start is not None and birth_date is not None and birth_date > first_start:
        raise ValidationError(
            {
                "birth_date": _(
                    "%(person)s was enrolled on %(start)s: the date of birth %(day)s "
                    "cannot be after it."
                )
                % {"person": person, "start": first_start, "day": birth_date}
            }
        )
    child = selectors.open_enrollments(person=person, program=FollowupProgram.CHILD).first()
    if child is not None and (
        birth_date is None or (child.start - birth_date).days >= FIVE_YEARS_DAYS
    ):
        raise ValidationError(
            {
                "birth_date": _(
                    "With the date of birth %(day)s, %(person)s was not under five when "
                    "enrolled on %(start)s."
                )
                % {"day": birth_date or "?", "person": person, "start": child.start}
            }
        )


def _rescored_checks(
    person: Person, *, sex: str, birth_date: datetime.date | None, field: str
) -> list[ChildAssessment]:
    """The child's stored assessments with ages, z-scores and missing vaccines recomputed for
    this sex and date of birth (not saved). A z-score outside WHO's plausibility limits refuses
    the correction, as it refuses a visit, naming the visit and the value."""
    checks = selectors.person_growth(person=person)
    for check in checks:
        age = (check.visit.date - birth_date).days if birth_date is not None else None
        scores = growth.z_scores_of(check, sex=sex, age_days=age)
        implausible = scores.implausible()
        if implausible:
            name, value = implausible[0]
            raise ValidationError(
                {
                    field: _(
                        "With this correction, the %(indicator)s z-score of the visit of "
                        "%(visit)s would be %(value)s, outside WHO's plausible range: check "
                        "the correction."
                    )
                    % {
                        "indicator": name.upper(),
                        "visit": check.visit.date,
                        "value": f"{value:.2f}",
                    }
                }
            )
        check.age_days = age
        check.waz = growth.as_decimal(scores.waz)
        check.haz = growth.as_decimal(scores.haz)
        check.whz = growth.as_decimal(scores.whz)
        check.vaccines_missing = schedules.vaccines_missing(age, set(check.vaccines))
    return checks


def _save_rescored(person: Person, checks: list[ChildAssessment]) -> None:
    """The recomputed checks are saved; the indicator cells of the visits and enrollments
    are stale."""
    if checks:
        ChildAssessment.objects.bulk_update(
            checks, ["age_days", "waz", "haz", "whz", "vaccines_missing"]
        )
    community = person.household.community_id
    records_changed(source=SOURCE_VISIT, cells=[(community, check.visit.date) for check in checks])
    records_changed(
        source=SOURCE_ENROLLMENT,
        cells=[
            (community, enrollment.start) for enrollment in Enrollment.objects.filter(person=person)
        ],
    )


def deactivate(*, actor: Actor, person: Person, day: datetime.date, reason: str) -> None:
    """End every open enrollment with the reason (not before its start), then cancel every
    open task of the person."""
    enrollments = list(selectors.open_enrollments(person=person))
    if any(day < enrollment.start for enrollment in enrollments):
        raise ValidationError(
            {"day": _("%(day)s is before the start of a follow-up.") % {"day": day}}
        )
    for enrollment in enrollments:
        enrollment_close(actor=actor, enrollment=enrollment, end=day, reason=reason)
    engine.cancel(Task.objects.filter(person=person), day=day, actor=actor, note=reason)
