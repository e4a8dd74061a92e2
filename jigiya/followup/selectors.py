"""Every read of the follow-up, scoped to the user: the CHW's worklist, a household's or a
person's tasks and measurements, referrals, the supervisor's overview.

Each of these costs a fixed number of queries whatever the size of the database (tests count
them): the worklist reads the materialised tasks of the CHW's own households only."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jigiya.accounts.access import (
    Actor,
    acting_user,
    get_in_scope,
    has_perm_at,
    require_perm_anywhere,
    require_perm_at,
    scope_q,
)
from jigiya.accounts.models import User
from jigiya.accounts.roles import Perm, Role
from jigiya.core.periods import Month
from jigiya.followup import plausibility, schedules
from jigiya.followup.models import (
    STATE_LABELS,
    ChildAssessment,
    Referral,
    ReferralStatus,
    Task,
    TaskState,
    TaskStateChange,
    Visit,
)
from jigiya.indicators import catalog
from jigiya.places.models import HealthCenter, Place
from jigiya.registry import selectors as registry_selectors
from jigiya.registry.models import (
    AncContact,
    Enrollment,
    FollowupProgram,
    Household,
    Person,
    Pregnancy,
    Sex,
)

WEEK = datetime.timedelta(days=7)
REFERRAL_OVERDUE = datetime.timedelta(days=schedules.REFERRAL_OVERDUE_DAYS)
# A child is checked at a visit until five years and a month (the last visit may be late).
CHILD_DAYS = schedules.CHILD_DAYS


@dataclass
class HouseholdTasks:
    household: Household
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Worklist:
    today: datetime.date
    overdue: list[Task]
    due_today: list[Task]
    this_week: list[Task]
    by_household: list[HouseholdTasks]
    overdue_referrals: list[Referral]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.this_week)


WORKLIST_COLUMNS = (
    *("kind", "person", "household", "sequence", "state"),
    *("due_date", "window_start", "window_end"),
    *("person__given_name", "person__family_name", "household__name"),
    # What tells two people of the same name apart: age and mother.
    *("person__birth_date", "person__birth_date_estimated", "person__born_of"),
    *("person__born_of__woman__given_name", "person__born_of__woman__family_name"),
)


def tasks_for_chw(
    user: Actor, today: datetime.date, search: str = "", *, chw: User | None = None
) -> Worklist:
    """The CHW's worklist: open tasks of the households assigned to them, due within the week
    or overdue (window still open), and their referrals still open after 3 days. Only
    households of communities where the user still records health data count: a CHW whose
    assignment was removed sees none of them. With `chw`, a supervisor reads that CHW's
    worklist, limited to the places where the supervisor supervises. A `search` keeps the
    tasks and referrals where every word is in the person's or the household's name, accents
    and case aside. Two queries, whatever the data size."""
    perm = Perm.HEALTH_RECORD if chw is None else Perm.HEALTH_SUPERVISE
    chw = acting_user(user) if chw is None else chw
    words = registry_selectors.search_words(search)
    # From her households to their tasks (the index on the task's household): joined the other
    # way, SQLite read every open task of the district first (4x slower at district scale).
    households = Household.objects.filter(chw=chw, is_active=True).values("pk")
    tasks = list(
        Task.objects.filter(
            scope_q(user, perm, "household__community__path"),
            *(_named(word, "person", "household") for word in words),
            household__in=households,
            state=TaskState.OPEN,
            window_end__gte=today,
            due_date__lte=today + WEEK,
        )
        .select_related("person__born_of__woman", "household")
        # The columns the page and the API show: reading 200 whole rows of three tables took
        # a third of the page's time.
        .only(*WORKLIST_COLUMNS)
        .order_by("due_date", "household__name", "person__given_name")
    )
    for task in tasks:
        task.shown = task.shown_state(today)  # type: ignore[attr-defined]
    groups: dict[Any, HouseholdTasks] = {}
    for task in sorted(tasks, key=lambda t: (t.household.name, t.due_date)):
        groups.setdefault(task.household_id, HouseholdTasks(task.household)).tasks.append(task)
    referrals = list(
        Referral.objects.filter(
            scope_q(user, perm, "person__household__community__path"),
            *(_named(word, "person", "person__household") for word in words),
            person__household__chw=chw,
            person__is_active=True,  # someone who moved, died or left is off the worklist
            status=ReferralStatus.OPEN,
            referred_on__lt=today - datetime.timedelta(days=schedules.REFERRAL_OVERDUE_DAYS),
        )
        .select_related("person__household", "person__born_of__woman", "health_center")
        .order_by("referred_on")
    )
    return Worklist(
        today=today,
        overdue=[t for t in tasks if t.due_date < today],
        due_today=[t for t in tasks if t.due_date == today],
        this_week=[t for t in tasks if t.due_date > today],
        by_household=list(groups.values()),
        overdue_referrals=referrals,
    )


def _named(word: str, person: str, household: str) -> Q:
    return registry_selectors.name_search_q(word, person=person, household=household)


def chw_community_ids(user: Actor, *, chw: User | None = None) -> list[Any]:
    """The communities of the households assigned to the user, or to `chw` (the worklist's
    cache key holds their versions): one query on the households' (chw, active) index."""
    return list(
        Household.objects.filter(chw=chw or acting_user(user), is_active=True)
        .values_list("community_id", flat=True)
        .distinct()
        .order_by()
    )


@dataclass
class VisitPeople:
    children: list[Person]
    pregnancies: list[Pregnancy]
    others: list[Person]


def household_visit_people(*, household: Household, today: datetime.date) -> VisitPeople:
    """Who a household visit may see: the active children under five (a section each), the
    open pregnancies of active women (a section each), and the other active members. Two
    queries."""
    members = list(
        Person.objects.filter(household=household, is_active=True).order_by(
            "birth_date", "given_name"
        )
    )
    pregnancies = list(
        Pregnancy.objects.filter(
            woman__household=household,
            woman__is_active=True,
            outcome_date__isnull=True,
            is_active=True,
        )
        .select_related("woman")
        .order_by("edd")
    )
    children = [
        person
        for person in members
        if (age := person.age_days(today)) is not None and 0 <= age <= CHILD_DAYS
    ]
    in_sections = {person.pk for person in children} | {p.woman_id for p in pregnancies}
    return VisitPeople(
        children=children,
        pregnancies=pregnancies,
        others=[person for person in members if person.pk not in in_sections],
    )


def household_open_tasks(*, household: Household, today: datetime.date) -> list[Task]:
    """The household's next tasks (open, window not closed), soonest first: one query."""
    tasks = list(
        Task.objects.filter(household=household, state=TaskState.OPEN, window_end__gte=today)
        .select_related("person")
        .order_by("due_date")[:50]
    )
    for task in tasks:
        task.shown = task.shown_state(today)  # type: ignore[attr-defined]
    return tasks


def household_visits(*, household: Household, limit: int = 10) -> list[Visit]:
    return list(
        Visit.objects.filter(household=household)
        .select_related("chw")
        .prefetch_related("people")
        .order_by("-date", "-created_at")[:limit]
    )


def household_referrals(*, household: Household) -> list[Referral]:
    return list(
        Referral.objects.filter(person__household=household)
        .select_related("person", "health_center")
        .order_by("-referred_on")[:20]
    )


def person_growth(*, person: Person) -> list[ChildAssessment]:
    """The child's measurements, oldest first (the growth chart's points): one query."""
    return list(
        ChildAssessment.objects.filter(person=person)
        .select_related("visit")
        .order_by("visit__date", "created_at")
    )


def person_tasks(*, person: Person, today: datetime.date | None = None) -> list[Task]:
    """The person's last 30 tasks, latest due first, each with its state as shown on the day
    (`shown`, `shown_label`) and its history (`history.all`, oldest first): two queries."""
    today = today or timezone.localdate()
    tasks = list(
        Task.objects.filter(person=person)
        .prefetch_related(Prefetch("history", TaskStateChange.objects.order_by("id")))
        .order_by("-due_date", "kind")[:30]
    )
    for task in tasks:
        task.shown = task.shown_state(today)  # type: ignore[attr-defined]
        task.shown_label = STATE_LABELS[task.shown]  # type: ignore[attr-defined]
    return tasks


def next_open_task(*, person: Person) -> Task | None:
    """The person's open task due first (what a CHW is told after registering her)."""
    return Task.objects.filter(person=person, state=TaskState.OPEN).order_by("due_date").first()


def person_referrals(*, person: Person) -> QuerySet[Referral]:
    return Referral.objects.filter(person=person).select_related("health_center")


def _referral_scope(user: Actor, perm: Perm) -> Q:
    # The CHW's side (the person's community, `perm`) or the health center's side: its staff
    # close the referrals made to their center, whichever community of its area they come from.
    return scope_q(user, perm, "person__household__community__path") | scope_q(
        user, Perm.REFERRAL_CLOSE, "health_center__place__path"
    )


def referral_get(*, user: Actor, referral_id: Any) -> Referral:
    """One referral: 404 unless the person's community is among the user's places or the user
    may close referrals at the health center referred to; 403 inside the user's places without
    the right to see health data."""
    try:
        referral = (
            Referral.objects.select_related(
                "person__household__community", "health_center__place", "visit"
            )
            .filter(_referral_scope(user, Perm.PLACES_VIEW))
            .get(pk=referral_id)
        )
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc  # ValidationError, ValueError: a malformed id
    if not (
        has_perm_at(user, Perm.HEALTH_VIEW, referral.person.household.community.path)
        or has_perm_at(user, Perm.HEALTH_VIEW, referral.health_center.place.path)
    ):
        raise PermissionDenied
    return referral


def can_close_referral(user: Actor, referral: Referral) -> bool:
    """The CHW's side (in the person's community) or the staff of the health center referred
    to may record the outcome."""
    return has_perm_at(
        user, Perm.REFERRAL_CLOSE, referral.person.household.community.path
    ) or has_perm_at(user, Perm.REFERRAL_CLOSE, referral.health_center.place.path)


def referral_person_visible(user: Actor, referral: Referral) -> bool:
    """Whether the user may open the referred person's page (the health center's staff of
    another community of the area may not: they see the referral only)."""
    return has_perm_at(user, Perm.HEALTH_VIEW, referral.person.household.community.path)


def referral_centers(*, user: Actor, community: Place) -> QuerySet[HealthCenter]:
    """The health centers a person of `community` may be referred to: its own CSCom, and every
    center in the user's places."""
    return HealthCenter.objects.filter(
        Q(pk=community.health_center_id) | scope_q(user, Perm.PLACES_VIEW, "place__path")
    ).order_by("name")


def referral_list(
    *,
    user: Actor,
    status: str = ReferralStatus.OPEN,
    chw: Any = None,
    overdue_on: datetime.date | None = None,
    month: Month | None = None,
) -> QuerySet[Referral]:
    """Referrals the user may see (from their communities or to their health centers), oldest
    first; `chw` keeps those of her households, `overdue_on` those still open more than
    `REFERRAL_OVERDUE_DAYS` days on that day, `month` those made in that month. The
    supervisor's page counts these same querysets, so its figures and this list agree."""
    referrals = Referral.objects.filter(_referral_scope(user, Perm.HEALTH_VIEW))
    if status:
        referrals = referrals.filter(status=status)
    if chw is not None:
        referrals = referrals.filter(person__household__chw=chw)
    if overdue_on is not None:
        referrals = referrals.filter(
            status=ReferralStatus.OPEN, referred_on__lt=overdue_on - REFERRAL_OVERDUE
        )
    if month is not None:
        referrals = referrals.filter(
            referred_on__gte=month.first_day, referred_on__lte=month.last_day
        )
    return referrals.select_related(
        "person__household__chw",
        "person__household__community",
        "health_center__place",
    ).order_by("referred_on", "created_at")


def supervised_chw(*, user: Actor, chw_id: Any) -> User:
    """A CHW the supervisor sees on the supervision page (assigned in the supervisor's places,
    or the CHW of a household there), else 404."""
    require_perm_anywhere(user, Perm.HEALTH_SUPERVISE)
    try:
        return _supervised_chws(user).get(pk=chw_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def visit_get(*, user: Actor, visit_id: Any) -> Visit:
    visit = get_in_scope(
        Visit.objects.select_related("household__community", "chw").prefetch_related(
            "people", "children__person", "pregnancy_checks__pregnancy__woman", "education"
        ),
        user,
        Perm.PLACES_VIEW,
        "household__community__path",
        pk=visit_id,
    )
    require_perm_at(user, Perm.HEALTH_VIEW, visit.household.community)
    return visit


@dataclass
class ChwRow:
    chw: User
    households: int = 0
    children: int = 0
    children_covered: int = 0  # at least two contacts in the month
    visits: int = 0
    overdue_tasks: int = 0
    overdue_referrals: int = 0  # open more than REFERRAL_OVERDUE_DAYS days
    open_referrals: int = 0  # every referral without an outcome yet
    referrals: int = 0  # made in the month

    @property
    def coverage(self) -> float | None:
        return 100 * self.children_covered / self.children if self.children else None


def _supervised_households(user: Actor) -> QuerySet[Household]:
    return Household.objects.filter(
        scope_q(user, Perm.HEALTH_SUPERVISE, "community__path"), is_active=True, chw__isnull=False
    )


def _supervised_chws(user: Actor) -> QuerySet[User]:
    # Every CHW assigned in the supervisor's places (with households or not yet), and whoever
    # is the CHW of a household there.
    assigned = Q(
        scope_q(user, Perm.HEALTH_SUPERVISE, "assignments__place__path"),
        assignments__role=Role.CHW,
        is_active=True,
    )
    households = _supervised_households(user)
    return User.objects.filter(assigned | Q(pk__in=households.values("chw"))).distinct()


def supervisor_overview(
    *, user: Actor, today: datetime.date, month: Month | None = None
) -> list[ChwRow]:
    """Per CHW of the supervisor's places (assigned there, or the CHW of a household there;
    one with no household yet shows zeros), for `month` (today's without it; a month in
    progress counts up to today): households, enrolled children, children with two contacts
    or more in the month (coverage), visits and referrals made in the month; and, as of
    today, overdue tasks, referrals without an outcome and those overdue — counted from
    `referral_list`, so each equals the length of the referral list the page links to.
    Eight queries, whatever the number of CHWs."""
    require_perm_anywhere(user, Perm.HEALTH_SUPERVISE)
    households = _supervised_households(user)
    chws = {
        chw.pk: ChwRow(chw)
        for chw in _supervised_chws(user).order_by("first_name", "last_name", "username")
    }
    month = month or Month.of(today)
    _count_per_chw(chws, households, today, month=month)
    _count_referrals(chws, user=user, today=today, month=month)
    return list(chws.values())


def _count_referrals(
    chws: dict[Any, ChwRow], *, user: Actor, today: datetime.date, month: Month
) -> None:
    """Each CHW's referrals without an outcome, those overdue and those made in `month`, in
    one query over `referral_list`'s own filters (so each equals the list's length)."""
    is_open = Q(status=ReferralStatus.OPEN)
    overdue = is_open & Q(referred_on__lt=today - REFERRAL_OVERDUE)
    made = Q(referred_on__gte=month.first_day, referred_on__lte=month.last_day)
    rows = (
        referral_list(user=user, status="")
        .filter(is_open | made, person__household__chw__in=list(chws))
        .values("person__household__chw")
        .annotate(
            open=Count("id", filter=is_open),
            overdue=Count("id", filter=overdue),
            made=Count("id", filter=made),
        )
        .order_by()
    )
    for row in rows:
        chw_row = chws[row["person__household__chw"]]
        chw_row.open_referrals, chw_row.overdue_referrals = row["open"], row["overdue"]
        chw_row.referrals = row["made"]


@dataclass
class ChwMonth:
    """A CHW's own month, as CommCare and CHT show it on the phone: her counts and target, and
    the enrolled children still to see twice before the month ends."""

    today: datetime.date
    row: ChwRow
    target: float | None  # coverage target in %, from the indicator catalog
    to_see: list[Any]  # people, each with `seen`, the visits this month that saw them (0 or 1)

    @property
    def days_left(self) -> int:
        """Days left in the month, today included."""
        return (Month.of(self.today).last_day - self.today).days + 1


def chw_month(*, user: Actor, today: datetime.date) -> ChwMonth:
    """The CHW's month so far: the supervisor's row for her alone (the households assigned to
    her in the communities where she still records health data) and the enrolled children
    seen fewer than twice since the 1st. Eight queries (one for her assignments)."""
    chw = require_perm_anywhere(user, Perm.HEALTH_RECORD)
    households = Household.objects.filter(
        scope_q(chw, Perm.HEALTH_RECORD, "community__path"), chw=chw, is_active=True
    )
    rows = {chw.pk: ChwRow(chw)}
    _count_per_chw(rows, households, today)
    referrals = Referral.objects.filter(
        person__household__in=households, status=ReferralStatus.OPEN
    )
    counts = referrals.aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(referred_on__lt=today - REFERRAL_OVERDUE))
    )
    rows[chw.pk].open_referrals = counts["open"]
    rows[chw.pk].overdue_referrals = counts["overdue"]
    children = list(
        Person.objects.filter(
            household__in=households,
            is_active=True,
            enrollments__program=FollowupProgram.CHILD,
            enrollments__end__isnull=True,
        )
        .select_related("household")
        .only("given_name", "family_name", "birth_date", "birth_date_estimated", "household__name")
    )
    # This month's visits counted apart: an annotation on the children joined every visit of
    # each (two years of them) and cost ten times more.
    seen = dict(
        Visit.people.through.objects.filter(
            visit__household__in=households,
            visit__date__gte=today.replace(day=1),
            visit__date__lte=today,
        )
        .values("person")
        .annotate(n=Count("visit", distinct=True))
        .values_list("person", "n")  # type: ignore[misc]
        .order_by()
    )
    to_see = sorted(
        (child for child in children if seen.get(child.pk, 0) < 2),
        key=lambda child: (seen.get(child.pk, 0), child.household.name, child.given_name),
    )
    for child in to_see:
        child.seen = seen.get(child.pk, 0)  # type: ignore[attr-defined]
    indicator = catalog.get("health.children_two_contacts")
    target = indicator.target.value if indicator and indicator.target else None
    return ChwMonth(today=today, row=rows[chw.pk], target=target, to_see=to_see)


def _count_per_chw(
    chws: dict[Any, ChwRow],
    households: QuerySet,
    today: datetime.date,
    *,
    month: Month | None = None,
) -> None:
    """Fill each row of `chws` (by CHW id) from `households` for `month` (today's without it;
    a month in progress counts up to today): five queries."""
    month = month or Month.of(today)
    month_start, month_end = month.first_day, min(month.last_day, today)
    _fill(chws, households, "chw", "households")
    # Enrolled any day of the month, as the coverage indicator counts them.
    enrolled = Q(
        person__enrollments__program=FollowupProgram.CHILD,
        person__enrollments__start__lte=month_end,
    ) & (Q(person__enrollments__end__isnull=True) | Q(person__enrollments__end__gte=month_start))
    children = (
        Person.objects.filter(household__in=households, is_active=True)
        .filter(
            Q(enrollments__program=FollowupProgram.CHILD, enrollments__start__lte=month_end)
            & (Q(enrollments__end__isnull=True) | Q(enrollments__end__gte=month_start))
        )
        .values("household__chw")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    for row in children:
        if row["household__chw"] in chws:
            chws[row["household__chw"]].children = row["n"]
    seen = (
        Visit.people.through.objects.filter(
            enrolled,
            visit__household__in=households,
            visit__date__gte=month_start,
            visit__date__lte=month_end,
            person__is_active=True,
        )
        .values("visit__household__chw", "person")
        .annotate(n=Count("visit", distinct=True))
        .filter(n__gte=2)  # type: ignore[misc]
        .order_by()
    )
    covered: dict[Any, int] = defaultdict(int)
    for row in seen:
        covered[row["visit__household__chw"]] += 1
    for chw_id, n in covered.items():
        if chw_id in chws:
            chws[chw_id].children_covered = n
    visits = Visit.objects.filter(
        household__in=households, date__gte=month_start, date__lte=month_end
    )
    _fill(chws, visits, "household__chw", "visits")
    overdue = Task.objects.filter(
        household__in=households, state=TaskState.OPEN, due_date__lt=today
    )
    _fill(chws, overdue, "household__chw", "overdue_tasks")


def _fill(chws: dict[Any, ChwRow], rows: QuerySet, chw_field: str, attribute: str) -> None:
    """Each CHW's `attribute`: how many of `rows` are hers (`chw_field` names her), one query."""
    for row in rows.values(chw_field).annotate(n=Count("id")).order_by():
        if row[chw_field] in chws:
            setattr(chws[row[chw_field]], attribute, row["n"])


# --- reads of the follow-up's services (not scoped: the service checked the actor) ---------


def open_pregnancy(*, person: Person) -> Pregnancy | None:
    """Her pregnancy without an outcome yet (at most one)."""
    return Pregnancy.objects.filter(woman=person, outcome_date__isnull=True, is_active=True).first()


def open_enrollments(*, person: Person, program: str = "") -> QuerySet[Enrollment]:
    """The person's enrollments not ended (in `program` when given), with their person."""
    enrollments = Enrollment.objects.filter(person=person, end__isnull=True)
    if program:
        enrollments = enrollments.filter(program=program)
    return enrollments.select_related("person__household__community")


# Under five (the child follow-up) in days; a girl is followed for a pregnancy from ten years.
CHILD_PROGRAM_DAYS = 1826
PREGNANCY_MIN_YEARS = 10


def program_fits(*, person: Person, program: str, day: datetime.date) -> bool:
    """Whether the person's age and sex fit the program on that day: the child follow-up takes
    a child under five with a date of birth; the pregnancy follow-up a woman (or a girl of ten
    or more; of unknown age too)."""
    age = person.age_days(day)
    if program == FollowupProgram.CHILD:
        return age is not None and 0 <= age < CHILD_PROGRAM_DAYS
    if program == FollowupProgram.PREGNANCY:
        if person.sex != Sex.FEMALE or person.birth_date is None:
            return person.sex == Sex.FEMALE
        return person.birth_date <= _years_before(day, PREGNANCY_MIN_YEARS)
    return False


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def enrollable_programs(
    *, person: Person, day: datetime.date, enrolled: "set[str] | None" = None
) -> list[str]:
    """The programs the person may be enrolled in on that day: active, fitting her age and sex
    (`program_fits`), and not already open (`enrolled`: the programs open, read when None)."""
    if not person.is_active:
        return []
    if enrolled is None:
        enrolled = set(open_enrollments(person=person).values_list("program", flat=True))
    return [
        program
        for program in FollowupProgram.values
        if program not in enrolled and program_fits(person=person, program=program, day=day)
    ]


def first_enrollment_start(*, person: Person) -> datetime.date | None:
    return (
        Enrollment.objects.filter(person=person)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )


def first_visit_date(*, person: Person) -> datetime.date | None:
    return (
        Visit.objects.filter(people=person).order_by("date").values_list("date", flat=True).first()
    )


def anc_contact_on(*, pregnancy: Pregnancy, day: datetime.date) -> bool:
    return AncContact.objects.filter(pregnancy=pregnancy, date=day).exists()


def last_anc_contact_date(*, pregnancy: Pregnancy) -> datetime.date | None:
    return (
        AncContact.objects.filter(pregnancy=pregnancy)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def active_members_among(
    *, household: Household, person_ids: set[uuid.UUID]
) -> dict[uuid.UUID, Person]:
    """Those of `person_ids` who are active members of the household, by id (one query)."""
    people = Person.objects.filter(pk__in=person_ids, household=household, is_active=True)
    return {person.pk: person for person in people}


def household_pregnancies_among(
    *, household: Household, pregnancy_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Pregnancy]:
    """Those of `pregnancy_ids` that are pregnancies of the household's women, by id."""
    pregnancies = Pregnancy.objects.filter(
        pk__in=pregnancy_ids, woman__household=household
    ).select_related("woman")
    return {pregnancy.pk: pregnancy for pregnancy in pregnancies}


def vaccines_received(*, person_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """Every vaccine recorded at earlier visits, per child (one query)."""
    received: dict[uuid.UUID, set[str]] = {}
    for person_id, vaccines in ChildAssessment.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "vaccines"
    ):
        received.setdefault(person_id, set()).update(vaccines or [])
    return received


@dataclass
class LastMeasures:
    """A child's last weight, length/height and MUAC (each with its own date), before a day."""

    weight: plausibility.Measure | None = None
    height: plausibility.Measure | None = None
    muac: plausibility.Measure | None = None


def last_measures(
    *, person_ids: list[uuid.UUID], before: datetime.date
) -> dict[uuid.UUID, LastMeasures]:
    """Per child, the last of each measurement at visits up to `before` (one query)."""
    found: dict[uuid.UUID, LastMeasures] = {}
    rows = (
        ChildAssessment.objects.filter(person_id__in=person_ids, visit__date__lte=before)
        .order_by("visit__date", "created_at")
        .values_list(
            "person_id", "visit__date", "weight_kg", "height_cm", "measured_lying", "muac_mm"
        )
    )
    for person_id, day, weight, height, lying, muac in rows:
        last = found.setdefault(person_id, LastMeasures())
        if weight is not None:
            last.weight = plausibility.Measure(weight, day)
        if height is not None:
            last.height = plausibility.Measure(height, day, lying)
        if muac is not None:
            last.muac = plausibility.Measure(muac, day)
    return found


def flagged_checks(*, user: Actor, since: datetime.date) -> list[ChildAssessment]:
    """Child checks whose implausible change the CHW confirmed, in the supervisor's places,
    since a day, newest first (one query, 100 at most)."""
    require_perm_anywhere(user, Perm.HEALTH_SUPERVISE)
    return list(
        ChildAssessment.objects.filter(
            scope_q(user, Perm.HEALTH_SUPERVISE, "visit__household__community__path"),
            visit__date__gte=since,
        )
        .exclude(flag="")
        .select_related("person", "visit__chw")
        .order_by("-visit__date", "-created_at")[:100]
    )


def household_referral(*, household: Household, referral_id: uuid.UUID) -> Referral | None:
    return Referral.objects.filter(pk=referral_id, person__household=household).first()


def open_referral(*, person: Person) -> Referral | None:
    """The person's last referral still open (not back from the health center), if any."""
    return (
        Referral.objects.filter(person=person, status=ReferralStatus.OPEN)
        .select_related("health_center")
        .order_by("-referred_on", "-created_at")
        .first()
    )


def has_open_referral(*, person: Person) -> bool:
    return Referral.objects.filter(person=person, status=ReferralStatus.OPEN).exists()
