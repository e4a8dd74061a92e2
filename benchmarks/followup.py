"""Server time and query count of the CHW worklist and the household page, at the bench's
scale (district or national), each beside the `/healthz` baseline measured in the same run.

The CHW is the generated one with the most households (70 at district scale), the household
the one of theirs with the most visits. Requests alternate page / baseline as in
`server_time.py`. Importing this module also teaches the page-weight benchmark the URL
parameters of the registry and follow-up pages (see PATH_PARAMS below)."""

from typing import Any

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from benchmarks import context as bench_context
from benchmarks.context import Context
from benchmarks.report import Column, Section, ms
from benchmarks.server_time import BASELINE, REQUESTS, alternate, stats


def _sotuba_household() -> Any:
    from jigiya.registry.models import Household

    return Household.objects.filter(chw__username=bench_context.CHW).order_by("name").first()


def _sotuba_child() -> Any:
    from django.db.models import Exists, OuterRef

    from jigiya.followup.models import ChildAssessment
    from jigiya.registry.models import Person

    # From Sotuba's few people, not from the assessments (10 M at national scale).
    child = (
        Person.objects.filter(household__chw__username=bench_context.CHW)
        .filter(Exists(ChildAssessment.objects.filter(person=OuterRef("pk"))))
        .order_by("given_name", "pk")
        .first()
    )
    assert child is not None, "the demo world has Sotuba's children"
    return child


def _sotuba_pregnancy() -> Any:
    from jigiya.registry.models import Pregnancy

    return Pregnancy.objects.filter(woman__household__chw__username=bench_context.CHW).first()


def _sotuba_visit() -> Any:
    from jigiya.followup.models import Visit

    return Visit.objects.filter(chw__username=bench_context.CHW).order_by("-date").first()


def _sotuba_enrollment() -> Any:
    from jigiya.registry.models import Enrollment

    return Enrollment.objects.filter(person__household__chw__username=bench_context.CHW).first()


def _sotuba_referral() -> Any:
    from jigiya.followup.models import Referral

    return Referral.objects.filter(person__household__chw__username=bench_context.CHW).first()


# The page-weight benchmark fills URL parameters from this table (until benchmarks/context.py
# carries these lines itself).
for _name, _find in {
    "household_id": _sotuba_household,
    "person_id": _sotuba_child,
    "pregnancy_id": _sotuba_pregnancy,
    "visit_id": _sotuba_visit,
    "referral_id": _sotuba_referral,
    "enrollment_id": _sotuba_enrollment,
}.items():
    bench_context.PATH_PARAMS.setdefault(_name, _find)


def _busiest_chw() -> tuple[Any, Any]:
    from jigiya.accounts.models import User
    from jigiya.registry.models import Household

    row = (
        Household.objects.filter(chw__username__startswith="gen.")
        .values("chw")
        .annotate(n=Count("id"))
        .order_by("-n", "chw")
        .first()
    )
    chw = User.objects.get(pk=row["chw"]) if row else User.objects.get(username=bench_context.CHW)
    household = (
        Household.objects.filter(chw=chw).annotate(n=Count("visits")).order_by("-n", "name").first()
    )
    return chw, household


def _tasks_this_week(chw: Any) -> int:
    from django.utils import timezone

    from jigiya.followup import selectors

    return selectors.tasks_for_chw(chw, timezone.localdate()).count


def followup_server_time(ctx: Context) -> Section:
    section = Section(
        key="followup_server_time",
        title=(f"CHW worklist and household page at {ctx.scale} scale ({REQUESTS} requests each)"),
        columns=[
            Column("user", "user", right=False),
            Column("url", "page", right=False),
            Column("median_s", "median ms", ms),
            Column("p95_s", "p95 ms", ms),
            Column("ratio", "page/baseline", lambda ratio: f"{ratio:.1f}"),
            Column("queries", "SQL"),
        ],
    )
    chw, household = _busiest_chw()
    client = ctx.client(chw)
    pages = [
        ("/followup/", "worklist by day"),
        ("/followup/?by=household", "worklist by household"),
        ("/followup/month/", "her month"),
        (household.get_absolute_url(), "household"),
    ]
    for url, _label in pages:
        samples, baseline = alternate(client, url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        with CaptureQueriesContext(connection) as base_queries:
            client.get(BASELINE)
        page_stats, base_stats = stats(samples), stats(baseline)
        section.rows += [
            {
                "user": chw.username,
                "url": url,
                **page_stats,
                "ratio": page_stats["median_s"] / base_stats["median_s"],
                "queries": len(queries),
            },
            {
                "user": chw.username,
                "url": f"{BASELINE} (baseline)",
                **base_stats,
                "queries": len(base_queries),
            },
        ]
    section.notes += [
        f"CHW {chw.username}: the generated CHW with the most households; household "
        f"“{household.name}”, the one of theirs with the most visits "
        f"({household.visits.count()}); {_tasks_this_week(chw)} tasks on the worklist.",
        "Budget (DESIGN.md): ≤ 100 ms server time, a fixed number of queries whatever the size.",
    ]
    return section


class _Undo(Exception):
    """Raised to roll the sweep back: the bench database is kept between runs."""


def tasks_sweep_time(ctx: Context) -> Section:
    """The nightly sweep (`followup_tasks_sweep`) as it would run tomorrow night and a week
    from now (a worker stopped for a week catching up), each in a transaction rolled back."""
    import datetime
    import time

    import time_machine
    from django.db import transaction
    from django.utils import timezone

    from jigiya.followup import services
    from jigiya.followup.models import Task, TaskState

    section = Section(
        key="tasks_sweep",
        title=f"Nightly task sweep at {ctx.scale} scale (one run each, rolled back)",
        columns=[
            Column("when", "run as of", right=False),
            Column("seconds", "seconds", lambda s: f"{s:.2f}"),
            Column("missed", "tasks marked missed"),
            Column("queries", "SQL"),
        ],
    )
    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    for days in (1, 7):
        when = timezone.now() + datetime.timedelta(days=days)
        queries = 0
        try:
            with time_machine.travel(when), transaction.atomic():
                with connection.execute_wrapper(count):
                    started = time.perf_counter()
                    missed = services.tasks_sweep()
                    seconds = time.perf_counter() - started
                raise _Undo
        except _Undo:
            pass
        section.rows.append(
            {
                "when": f"today + {days} day{'s' if days > 1 else ''}",
                "seconds": seconds,
                "missed": missed,
                "queries": queries,
            }
        )
    open_tasks = Task.objects.filter(state=TaskState.OPEN).count()
    section.notes += [
        f"{open_tasks} open tasks in the database. The sweep ends the follow-up of children "
        "who turned five, cancels the visits of ended enrollments, then marks missed each open "
        "task whose window has closed and schedules a missed child's next visit.",
    ]
    return section
