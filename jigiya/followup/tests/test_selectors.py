import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.access import forget_assignments
from jigiya.accounts.roles import Role
from jigiya.followup import selectors, services
from jigiya.followup import services as followup_services
from jigiya.registry import services as registry

TODAY = datetime.date(2025, 6, 10)
NAMES = ["Moussa", "Seydou", "Bakary", "Issa", "Lassana", "Drissa", "Oumar"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


def _family(chw, cast, n):
    household = registry.household_create(
        actor=chw, community=cast.community_a, name=f"Famille {n}", chw=chw
    )
    child = registry.person_register(
        actor=chw,
        household=household,
        given_name=NAMES[n],
        family_name="Coulibaly",
        sex="M",
        relationship="child",
        birth_date=datetime.date(2024, 1, 1),
    )
    followup_services.enrollment_start(
        actor=chw, person=child, program="child", start=TODAY - datetime.timedelta(days=n)
    )
    return household, child


def _queries(call):
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_worklist_costs_the_same_queries_for_1_or_6_families(cast, chw):
    _family(chw, cast, 1)
    small = _queries(lambda: selectors.tasks_for_chw(chw, TODAY))
    for n in range(2, 7):
        household, child = _family(chw, cast, n)
    services.visit_record(
        actor=chw,
        household=household,
        date=TODAY,
        people=[child.pk],
        children=[services.ChildCheckIn(person_id=child.pk, muac_mm=110)],
    )
    large = _queries(lambda: selectors.tasks_for_chw(chw, TODAY))
    assert small == large == 2


def test_the_worklist_sorts_overdue_today_and_this_week(cast, chw):
    _family(chw, cast, 0)  # due today
    _family(chw, cast, 3)  # due 3 days ago, window still open
    worklist = selectors.tasks_for_chw(chw, TODAY)
    assert [t.person.given_name for t in worklist.overdue] == ["Issa"]
    assert [t.person.given_name for t in worklist.due_today] == ["Moussa"]
    assert worklist.this_week == []
    assert [t.shown for t in worklist.overdue] == ["overdue"]
    # Another CHW sees none of it.
    assert selectors.tasks_for_chw(cast.user(Role.CHW, "b"), TODAY).count == 0


def test_overdue_referrals_are_on_the_worklist(cast, chw):
    household, child = _family(chw, cast, 0)
    with time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0), tick=False):
        services.visit_record(
            actor=chw,
            household=household,
            date=datetime.date(2025, 6, 2),
            people=[child.pk],
            children=[services.ChildCheckIn(person_id=child.pk, muac_mm=110)],
        )
    worklist = selectors.tasks_for_chw(chw, TODAY)
    assert [r.person for r in worklist.overdue_referrals] == [child]


def test_the_supervisor_sees_coverage_and_overdue_tasks_per_chw(cast, chw):
    household, child = _family(chw, cast, 3)
    for day in (datetime.date(2025, 6, 2), datetime.date(2025, 6, 9)):
        services.visit_record(actor=chw, household=household, date=day, people=[child.pk])
    _family(chw, cast, 4)
    supervisor = cast.user(Role.CHW_SUPERVISOR, "a")
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.supervisor_overview(user=supervisor, today=TODAY)
    assert len(queries) <= 8
    assert len(rows) == 1
    row = rows[0]
    assert (row.chw, row.households, row.children, row.children_covered, row.visits) == (
        chw, 2, 2, 1, 2,
    )  # fmt: skip
    assert row.coverage == 50.0
    assert row.overdue_tasks == 1  # the second family's first visit, due 6 June


def test_a_chw_whose_assignment_was_removed_sees_no_household(cast, chw):
    household, child = _family(chw, cast, 3)
    with time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0), tick=False):
        services.visit_record(
            actor=chw, household=household, date=datetime.date(2025, 6, 2), people=[child.pk],
            children=[services.ChildCheckIn(person_id=child.pk, muac_mm=110)],
        )  # fmt: skip
    worklist = selectors.tasks_for_chw(chw, TODAY)
    assert [t.kind for t in worklist.overdue] == ["child_visit"]
    assert len(worklist.overdue_referrals) == 1
    # Moved to another community: the household still names her, but it is no longer hers.
    chw.assignments.update(place=cast.community_b)
    forget_assignments(chw)
    queries = _queries(lambda: selectors.tasks_for_chw(chw, TODAY))
    worklist = selectors.tasks_for_chw(chw, TODAY)
    assert (worklist.count, worklist.by_household, worklist.overdue_referrals) == (0, [], [])
    assert queries == 3  # her assignments (read once a request), the tasks, the referrals
    chw.assignments.all().delete()
    forget_assignments(chw)
    assert selectors.tasks_for_chw(chw, TODAY).count == 0


def test_every_chw_of_the_supervisors_places_is_listed(cast, chw):
    _family(chw, cast, 3)
    newcomer = cast.user(Role.CHW, "b")  # assigned in Community B, no household there yet
    supervisor = cast.user(Role.CHW_SUPERVISOR, "above")
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.supervisor_overview(user=supervisor, today=TODAY)
    assert len(queries) <= 8
    assert [
        (row.chw, row.households, row.children, row.visits, row.overdue_tasks, row.coverage)
        for row in rows
    ] == [(chw, 1, 1, 0, 1, 0.0), (newcomer, 0, 0, 0, 0, None)]
    # Community A's supervisor does not see Community B's CHW.
    rows = selectors.supervisor_overview(user=cast.user(Role.CHW_SUPERVISOR, "a"), today=TODAY)
    assert [row.chw for row in rows] == [chw]
    # A CHW no longer assigned here is still listed while households here name her.
    chw.assignments.all().delete()
    rows = selectors.supervisor_overview(user=cast.user(Role.CHW_SUPERVISOR, "a"), today=TODAY)
    assert [(row.chw, row.households) for row in rows] == [(chw, 1)]
