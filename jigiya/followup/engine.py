"""The task engine: turns the schedules (`schedules.py`) into tasks, and visits into done tasks.

Tasks are materialised: services call these functions, inside their own transaction, whenever
an enrollment, a pregnancy, a delivery, a referral or a visit changes what is due. Reading a
CHW's worklist is then a couple of indexed queries on the `Task` table, whatever the size of
the database (see README). Every change of a task's stored state is written to its history.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jigiya.accounts.access import Actor, acting_user
from jigiya.followup import schedules
from jigiya.followup.models import Referral, Task, TaskKind, TaskState, TaskStateChange, Visit
from jigiya.registry.models import Enrollment, FollowupProgram, Person, Pregnancy


def _record(
    tasks: Iterable[Task],
    *,
    from_state: str,
    to_state: str,
    day: datetime.date,
    visit: Visit | None = None,
    actor: Actor = None,
    note: str = "",
) -> None:
    TaskStateChange.objects.bulk_create(
        [
            TaskStateChange(
                task=task,
                day=day,
                from_state=from_state,
                to_state=to_state,
                visit=visit,
                actor=acting_user(actor),
                note=note,
            )
            for task in tasks
        ]
    )


def _make(
    contact: schedules.Contact,
    *,
    anchor: datetime.date,
    person: Person,
    day: datetime.date,
    actor: Actor = None,
    **links: Any,
) -> Task:
    start, due, end = contact.dates(anchor)
    task = Task(
        kind=contact.kind,
        sequence=contact.sequence,
        person=person,
        household_id=person.household_id,
        window_start=start,
        due_date=due,
        window_end=end,
        created_by=acting_user(actor),
        **links,
    )
    return task


def _create(tasks: list[Task], *, day: datetime.date, actor: Actor = None) -> list[Task]:
    Task.objects.bulk_create(tasks)
    _record(tasks, from_state="", to_state=TaskState.OPEN, day=day, actor=actor)
    return tasks


def fifth_birthday(birth_date: datetime.date) -> datetime.date:
    """The day a child turns five (1 March for a child born on 29 February)."""
    try:
        return birth_date.replace(year=birth_date.year + 5)
    except ValueError:
        return datetime.date(birth_date.year + 5, 3, 1)


def schedule_child(
    enrollment: Enrollment, *, anchor: datetime.date, first: bool, actor: Actor = None
) -> Task | None:
    """The child's next visit (none when one is already open or the child is no longer
    followed)."""
    if enrollment.end is not None:
        return None
    person = enrollment.person
    contact = schedules.CHILD_FIRST if first else schedules.CHILD_NEXT
    if person.birth_date is not None and contact.dates(anchor)[1] >= fifth_birthday(
        person.birth_date
    ):
        return None  # followed until five: the sweep ends the enrollment that day
    if Task.objects.filter(person=person, kind=TaskKind.CHILD_VISIT, state=TaskState.OPEN).exists():
        return None
    task = _make(contact, anchor=anchor, person=person, day=anchor, enrollment=enrollment)
    return _create([task], day=anchor, actor=actor)[0]


def schedule_pregnancy(pregnancy: Pregnancy, *, today: datetime.date, actor: Actor = None) -> int:
    """The pregnancy contacts still ahead (their window not yet closed) of an open pregnancy."""
    if not pregnancy.is_open:
        return 0
    existing = set(
        Task.objects.filter(pregnancy=pregnancy, kind=TaskKind.PREGNANCY_CONTACT).values_list(
            "sequence", flat=True
        )
    )
    tasks = [
        _make(
            contact,
            anchor=pregnancy.start,
            person=pregnancy.woman,
            day=today,
            pregnancy=pregnancy,
        )
        for contact in schedules.PREGNANCY_CONTACTS
        if contact.sequence not in existing and contact.dates(pregnancy.start)[2] >= today
    ]
    return len(_create(tasks, day=today, actor=actor))


def schedule_postnatal(pregnancy: Pregnancy, *, actor: Actor = None) -> int:
    """The two postnatal visits after a delivery; the pregnancy contacts left are cancelled."""
    assert pregnancy.outcome_date is not None
    cancel(
        Task.objects.filter(pregnancy=pregnancy, kind=TaskKind.PREGNANCY_CONTACT),
        day=pregnancy.outcome_date,
        actor=actor,
        note="pregnancy ended",
    )
    if pregnancy.birth_outcome == "pregnancy_loss":
        contacts: tuple[schedules.Contact, ...] = schedules.POSTNATAL[1:]
    else:
        contacts = schedules.POSTNATAL
    existing = set(
        Task.objects.filter(pregnancy=pregnancy, kind__in=[c.kind for c in contacts]).values_list(
            "kind", flat=True
        )
    )
    tasks = [
        _make(
            contact,
            anchor=pregnancy.outcome_date,
            person=pregnancy.woman,
            day=pregnancy.outcome_date,
            pregnancy=pregnancy,
        )
        for contact in contacts
        if contact.kind not in existing
    ]
    return len(_create(tasks, day=pregnancy.outcome_date, actor=actor))


def schedule_referral_followup(referral: Referral, *, actor: Actor = None) -> Task:
    task = _make(
        schedules.REFERRAL_FOLLOWUP,
        anchor=referral.referred_on,
        person=referral.person,
        day=referral.referred_on,
        referral=referral,
    )
    return _create([task], day=referral.referred_on, actor=actor)[0]


def cancel(
    tasks: QuerySet[Task], *, day: datetime.date, actor: Actor = None, note: str = ""
) -> int:
    """Cancel the open tasks among `tasks` (a queryset)."""
    open_tasks = list(tasks.filter(state=TaskState.OPEN))
    if not open_tasks:
        return 0
    Task.objects.filter(pk__in=[t.pk for t in open_tasks]).update(
        state=TaskState.CANCELLED, updated_at=timezone.now()
    )
    _record(
        open_tasks,
        from_state=TaskState.OPEN,
        to_state=TaskState.CANCELLED,
        day=day,
        actor=actor,
        note=note,
    )
    return len(open_tasks)


def cancel_for_enrollment(enrollment: Enrollment, *, actor: Actor = None) -> int:
    assert enrollment.end is not None
    tasks = Task.objects.filter(person=enrollment.person)
    if enrollment.program == FollowupProgram.CHILD:
        tasks = tasks.filter(kind=TaskKind.CHILD_VISIT)
    else:
        tasks = tasks.filter(pregnancy__isnull=False)
    return cancel(tasks, day=enrollment.end, actor=actor, note=enrollment.exit_reason)


def cancel_for_ended_enrollments(*, today: datetime.date) -> int:
    """Cancel the open child visits of enrollments that have ended, and of children five or
    older (whatever ended, or did not end, their enrollment): nobody is visited as a child
    after the follow-up stopped."""
    tasks = Task.objects.filter(kind=TaskKind.CHILD_VISIT, state=TaskState.OPEN).filter(
        Q(enrollment__end__isnull=False) | Q(person__birth_date__lte=born_five_years_before(today))
    )
    return cancel(tasks, day=today, note="follow-up ended")


def born_five_years_before(today: datetime.date) -> datetime.date:
    """The latest birth date of a child who is five on `today`."""
    try:
        return today.replace(year=today.year - 5)
    except ValueError:  # 29 February: a child born on 28 February five years ago is five
        return datetime.date(today.year - 5, 2, 28)


def resolve_by_visit(visit: Visit, *, actor: Actor = None) -> list[Task]:
    """Mark done the open tasks this visit answers: those of the people it saw whose window has
    opened by the visit's day (a referral follow-up also needs the referral's outcome or a new
    look at the person, which seeing them is). Then schedule each seen child's next visit."""
    people = list(visit.people.all())
    ids = [person.pk for person in people]
    answered = list(
        Task.objects.filter(
            person_id__in=ids,
            state=TaskState.OPEN,
            window_start__lte=visit.date,
        ).filter(Q(window_end__gte=visit.date) | Q(kind=TaskKind.REFERRAL_FOLLOWUP))
    )
    if answered:
        Task.objects.filter(pk__in=[t.pk for t in answered]).update(
            state=TaskState.DONE,
            resolved_by=visit,
            resolved_on=visit.date,
            updated_at=timezone.now(),
        )
        _record(
            answered,
            from_state=TaskState.OPEN,
            to_state=TaskState.DONE,
            day=visit.date,
            visit=visit,
            actor=actor,
        )
    enrollments = Enrollment.objects.filter(
        person_id__in=ids, program=FollowupProgram.CHILD, end__isnull=True
    ).select_related("person")
    for enrollment in enrollments:
        schedule_child(enrollment, anchor=visit.date, first=False, actor=actor)
    return answered


def sweep(*, today: datetime.date, household_ids: Iterable[Any] | None = None) -> int:
    """Mark missed the open tasks whose window closed before `today`; a child whose visit was
    missed gets the next one at the regular interval. Run daily by the worker (idempotent)."""
    late = Task.objects.filter(state=TaskState.OPEN, window_end__lt=today)
    if household_ids is not None:
        late = late.filter(household_id__in=list(household_ids))
    missed = list(late.select_related("enrollment__person"))
    if not missed:
        return 0
    Task.objects.filter(pk__in=[t.pk for t in missed]).update(
        state=TaskState.MISSED, updated_at=timezone.now()
    )
    _record(missed, from_state=TaskState.OPEN, to_state=TaskState.MISSED, day=today)
    for task in missed:
        if task.kind == TaskKind.CHILD_VISIT and task.enrollment is not None:
            anchor = task.due_date
            # Catch up in steps of the interval, so the next window contains today or is ahead.
            while anchor + datetime.timedelta(days=2 * schedules.CHILD_INTERVAL_DAYS - 4) < today:
                anchor += datetime.timedelta(days=schedules.CHILD_INTERVAL_DAYS)
            schedule_child(task.enrollment, anchor=anchor, first=False)
    return len(missed)
