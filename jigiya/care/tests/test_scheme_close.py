"""Closing a scheme, pinned on a small world with every kind of decision it meets: open ones,
one ending after the last day, one starting after it, one already ended, one ending on the
very day, one already ended by an earlier closing, and another scheme's. Written before
`scheme_close` became set-based (one UPDATE, the audit entries in one statement, the stale
cells once), so the refactor is proven to give the same decisions, audit trail and marks."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.care import services
from jigiya.care.models import Coverage
from jigiya.care.tests.conftest import covered_person
from jigiya.core.models import AuditEntry
from jigiya.indicators.models import StaleCell
from jigiya.registry.models import Household, LeastAccessAssessment

D = datetime.date
LAST_DAY = D(2026, 11, 30)


def _other_household(world):
    household = Household.objects.create(community=world.cast.community_b, name="Traoré")
    assessment = LeastAccessAssessment.objects.create(
        household=household, assessed_on=D(2025, 12, 1), criteria=[], score=7, decision="free"
    )
    return household, assessment


def _cover(person, scheme, assessment, start, end=None, exit_reason=""):
    return Coverage.objects.create(
        person=person, scheme=scheme, assessment=assessment, reason="Least access: free",
        start=start, end=end, exit_reason=exit_reason,
    )  # fmt: skip


def _small_world(world):
    """Five more decisions of the scheme (two communities) and one of another scheme."""
    cast, scheme = world.cast, world.scheme
    here = world.child_cover.assessment
    issa = covered_person(
        cast, world.household, given_name="Issa", sex="M", birth_date=D(2024, 1, 1)
    )
    _cover(issa, scheme, here, D(2026, 2, 1), D(2026, 3, 31), "moved")  # ended before
    household, there = _other_household(world)
    people = {
        name: covered_person(cast, household, given_name=name, sex="F", birth_date=D(2024, 2, 2))
        for name in ("Kadi", "Sali", "Bintou", "Moussa")
    }
    _cover(people["Kadi"], scheme, there, D(2026, 1, 1), D(2026, 12, 31))  # planned end after
    _cover(people["Sali"], scheme, there, D(2026, 12, 15))  # starts after the last day
    _cover(people["Bintou"], scheme, there, D(2026, 3, 1), LAST_DAY, "other")  # ends that day
    # Ended on its start by an earlier closing (the scheme then reopened in the records).
    _cover(people["Moussa"], scheme, there, D(2026, 12, 10), D(2026, 12, 10), "scheme_ended")
    other = services.scheme_create(
        actor=world.manager, name="Soins B", place=cast.region, level="free",
        services=["consultation"], health_centers=[cast.center_b], valid_from=D(2025, 1, 1),
        funding=world.funding,
    )  # fmt: skip
    _cover(people["Kadi"], other, there, D(2026, 1, 1))


def _close(world):
    audits = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    marks = StaleCell.objects.order_by("-id").values_list("id", flat=True).first()
    services.scheme_close(
        actor=world.manager, scheme=world.scheme, valid_until=LAST_DAY, reason="Funding ended"
    )
    entries = AuditEntry.objects.filter(id__gt=audits).order_by("object_repr")
    cells = StaleCell.objects.filter(id__gt=marks or 0)
    return entries, {(c.source, c.place_id, c.month) for c in cells}


def test_closing_a_scheme_gives_exact_decisions_audit_entries_and_marks(world):
    _small_world(world)
    entries, cells = _close(world)
    decisions = sorted(
        Coverage.objects.values_list("person__given_name", "scheme__name", "start", "end",
                                     "exit_reason")
    )  # fmt: skip
    assert decisions == [
        ("Awa", "Soins gratuits", D(2026, 6, 1), LAST_DAY, "scheme_ended"),
        ("Bintou", "Soins gratuits", D(2026, 3, 1), LAST_DAY, "other"),
        ("Fanta", "Soins gratuits", D(2026, 1, 1), LAST_DAY, "scheme_ended"),
        ("Issa", "Soins gratuits", D(2026, 2, 1), D(2026, 3, 31), "moved"),
        ("Kadi", "Soins B", D(2026, 1, 1), None, ""),
        ("Kadi", "Soins gratuits", D(2026, 1, 1), LAST_DAY, "scheme_ended"),
        ("Moussa", "Soins gratuits", D(2026, 12, 10), D(2026, 12, 10), "scheme_ended"),
        ("Sali", "Soins gratuits", D(2026, 12, 15), D(2026, 12, 15), "scheme_ended"),
    ]
    covers = {c.person.given_name: str(c.pk) for c in Coverage.objects.filter(
        scheme=world.scheme).select_related("person")}  # fmt: skip
    assert [
        (e.actor_id, e.action, e.model, e.object_id, e.object_repr, e.changes) for e in entries
    ] == [
        (world.manager.pk, "update", "care.coverage", covers["Awa"],
         "Awa Diarra · Soins gratuits",
         {"end": [None, "2026-11-30"], "exit_reason": ["", "scheme_ended"]}),
        (world.manager.pk, "update", "care.coverage", covers["Fanta"],
         "Fanta Diarra · Soins gratuits",
         {"end": [None, "2026-11-30"], "exit_reason": ["", "scheme_ended"]}),
        (world.manager.pk, "update", "care.coverage", covers["Kadi"],
         "Kadi Diarra · Soins gratuits",
         {"end": ["2026-12-31", "2026-11-30"], "exit_reason": ["", "scheme_ended"]}),
        (world.manager.pk, "update", "care.coverage", covers["Sali"],
         "Sali Diarra · Soins gratuits",
         {"end": [None, "2026-12-15"], "exit_reason": ["", "scheme_ended"]}),
        (world.manager.pk, "update", "care.scheme", str(world.scheme.pk), "Soins gratuits",
         {"valid_until": [None, "2026-11-30"], "closed_reason": ["", "Funding ended"]}),
    ]  # fmt: skip
    # From the last day's month to this one (3 December): who is covered at each month's end.
    assert cells == {
        ("care.coverage", community.pk, month)
        for community in (world.cast.community_a, world.cast.community_b)
        for month in (D(2026, 11, 1), D(2026, 12, 1))
    }


def test_closing_a_scheme_costs_the_same_queries_however_many_decisions(world):
    """Set-based: 3 decisions or 3 + 30 to end (in the same two communities), the same number
    of queries."""
    household, assessment = _other_household(world)

    def child(n):
        person = covered_person(
            world.cast, household, given_name=f"Enfant {n}", sex="F", birth_date=D(2024, 2, 2)
        )
        _cover(person, world.scheme, assessment, D(2026, 1, 1))

    child(0)
    with CaptureQueriesContext(connection) as few:
        services.scheme_close(
            actor=world.manager, scheme=world.scheme, valid_until=D(2026, 12, 31), reason="A"
        )
    for n in range(1, 31):
        child(n)
    Coverage.objects.filter(scheme=world.scheme).update(end=None, exit_reason="")
    with CaptureQueriesContext(connection) as many:
        services.scheme_close(
            actor=world.manager, scheme=world.scheme, valid_until=LAST_DAY, reason="B"
        )
    assert Coverage.objects.filter(scheme=world.scheme, end=LAST_DAY).count() == 33
    # The cached worklists' versions (the database cache) cost what the cache holds, not
    # what is closed: they are left out.
    assert len(_database(many)) == len(_database(few)) == 15


def _database(queries):
    return [
        q["sql"] for q in queries if "jigiya_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
