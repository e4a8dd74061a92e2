"""Enrollments in the child and pregnancy follow-up: started, ended (by hand, at five, when a
person leaves), each in one transaction, audited, with the CHW's tasks kept in step and the
indicator cells of the months an enrollment covers marked stale.

The `Enrollment` model lives in the registry (no model moves); the workflows live here, so the
registry never learns of the follow-up. The source keeps its name "registry.enrollment" so the
cells already marked stale stay valid.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_in_future, within_program
from jigiya.core.changes import declare_source, records_changed
from jigiya.core.periods import Month, month_range
from jigiya.core.retries import replay
from jigiya.followup import engine, selectors
from jigiya.registry.models import Enrollment, ExitReason, FollowupProgram, Person, Sex

SOURCE_ENROLLMENT = declare_source("registry.enrollment")


@transaction.atomic
def enrollment_start(
    *,
    actor: Actor,
    person: Person,
    program: str,
    start: datetime.date,
    id: uuid.UUID | None = None,  # the device's id
) -> Enrollment:
    """Enroll a person in the child or pregnancy follow-up. A second open enrollment in the
    same program is refused. A child's first visit is due on the start day."""
    require_perm_at(actor, Perm.HEALTH_RECORD, person.household.community)
    existing = replay(Enrollment, id, {"person": person, "program": program, "start": start})
    if existing is not None:
        return existing
    within_program("start", start, _("The start"))
    if not person.is_active:
        raise ValidationError({"person": _("%(person)s is no longer active.") % {"person": person}})
    if person.birth_date is not None and start < person.birth_date:
        raise ValidationError(
            {
                "start": _("The start %(start)s is before the date of birth %(birth)s.")
                % {"start": start, "birth": person.birth_date}
            }
        )
    if Enrollment.objects.filter(person=person, program=program, end__isnull=True).exists():
        raise ValidationError(
            {
                "program": _("%(person)s is already enrolled in the %(program)s follow-up.")
                % {"person": person, "program": FollowupProgram(program).label}
            }
        )
    if program == FollowupProgram.CHILD:
        age = person.age_days(start)
        if age is None or age >= selectors.CHILD_PROGRAM_DAYS:
            raise ValidationError(
                {"person": _("Only a child under five (with a date of birth) can be enrolled.")}
            )
    if program == FollowupProgram.PREGNANCY and person.sex != Sex.FEMALE:
        raise ValidationError({"person": _("Only a woman can be followed for a pregnancy.")})
    if program == FollowupProgram.PREGNANCY and not selectors.program_fits(
        person=person, program=program, day=start
    ):
        raise ValidationError(
            {
                "person": _("%(person)s is under %(years)s years old on %(day)s.")
                % {"person": person, "years": selectors.PREGNANCY_MIN_YEARS, "day": start}
            }
        )
    enrollment = Enrollment(
        person=person, program=program, start=start, created_by=acting_user(actor)
    )
    create_audited(enrollment, actor=actor, id=id)
    _mark_enrollment_months(person.household.community_id, start, None)
    if program == FollowupProgram.CHILD:
        engine.schedule_child(enrollment, anchor=start, first=True, actor=actor)
    return enrollment


@transaction.atomic
def enrollment_end(
    *, actor: Actor, enrollment: Enrollment, end: datetime.date, reason: str
) -> Enrollment:
    """End an enrollment (reached five, moved, died, left, completed); its open tasks are
    cancelled. "Reached five" ends only a child's follow-up, on or after her fifth birthday.
    "Completed" is not given by hand: recording the delivery completes a pregnancy's."""
    require_perm_at(actor, Perm.HEALTH_RECORD, enrollment.person.household.community)
    if reason == ExitReason.COMPLETED:
        raise ValidationError({"reason": _("A follow-up is completed by recording the delivery.")})
    return enrollment_close(actor=actor, enrollment=enrollment, end=end, reason=reason)


def enrollment_close(
    *, actor: Actor, enrollment: Enrollment, end: datetime.date, reason: str
) -> Enrollment:
    """End an enrollment for the follow-up's own workflows (the delivery completes, the
    sweep at five, a person who left), inside their transaction: any exit reason, no
    permission check (the caller made it)."""
    if enrollment.end is not None:
        raise ValidationError({"end": _("This enrollment has already ended.")})
    if reason not in ExitReason.values:
        raise ValidationError({"reason": _("Choose an exit reason.")})
    if end < enrollment.start:
        raise ValidationError(
            {
                "end": _("The end %(end)s is before the start %(start)s.")
                % {"end": end, "start": enrollment.start}
            }
        )
    not_in_future("end", end, _("The end"))
    if reason == ExitReason.REACHED_FIVE:
        person = enrollment.person
        if enrollment.program != FollowupProgram.CHILD:
            raise ValidationError(
                {"reason": _("Only a child's follow-up ends because the child reached five.")}
            )
        birthday = engine.fifth_birthday(person.birth_date) if person.birth_date else None
        if birthday is None or end < birthday:
            raise ValidationError(
                {
                    "reason": _("%(person)s turns five on %(birthday)s, after the end %(end)s.")
                    % {"person": person, "birthday": birthday or "?", "end": end}
                }
            )
    before = audit_snapshot(enrollment)
    enrollment.end = end
    enrollment.exit_reason = reason
    enrollment.save(update_fields=["end", "exit_reason", "updated_at"])
    audit_record(actor=actor, obj=enrollment, before=before)
    engine.cancel_for_enrollment(enrollment, actor=actor)
    # Open, it counted up to the current month; ended, up to its end month.
    _mark_enrollment_months(enrollment.person.household.community_id, end, None)
    return enrollment


def _mark_enrollment_months(
    community_id: uuid.UUID, first: datetime.date, last: datetime.date | None
) -> None:
    """An enrollment counts in every month it covers (health.children_two_contacts): each
    month from `first` to `last` (or to the current month when None), and never beyond the
    current month, is stale."""
    current = Month.current()
    until = min(Month.of(last), current) if last is not None else current
    records_changed(
        source=SOURCE_ENROLLMENT,
        cells=[(community_id, month.first_day) for month in month_range(Month.of(first), until)],
    )


@transaction.atomic
def enrollments_close_at_five(*, today: datetime.date | None = None) -> int:
    """End every open child enrollment whose child turned five on or before `today` (default:
    today), on the fifth birthday, with the reason "child reached five"; returns how many.
    Each goes through `enrollment_end`'s path (audit, open tasks cancelled, indicator cells
    stale). Run again, it finds nothing more to end (0). For the nightly sweep: no actor."""
    today = today or timezone.localdate()
    # Born on or before this day: five by `today` (29 February turns five on 1 March).
    latest_birth = engine.born_five_years_before(today)
    enrollments = (
        Enrollment.objects.filter(
            program=FollowupProgram.CHILD,
            end__isnull=True,
            person__birth_date__lte=latest_birth,
        )
        .select_related("person__household")
        .order_by("pk")
    )
    count = 0
    for enrollment in enrollments:
        assert enrollment.person.birth_date is not None
        end = max(engine.fifth_birthday(enrollment.person.birth_date), enrollment.start)
        enrollment_close(actor=None, enrollment=enrollment, end=end, reason=ExitReason.REACHED_FIVE)
        count += 1
    return count
