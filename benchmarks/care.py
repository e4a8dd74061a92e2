"""Care: the verification of a 10 000-line uploaded claim (goal ≤ 10 s, memory bounded), beside
a baseline measured in the same run.

- Upload: `services.lines_upload` of a workbook of 10 000 lines (2 000 covered children of
  Korofina Nord, five consultations each, at the CSCom de Banconi): every row read, checked
  against every rule, recorded with its audit entry — inside a transaction rolled back at the
  end, so every run starts the same. A progress bar (tqdm) counts the rows; the process's peak
  memory (its maximum resident set) is reported.
- Baseline: reading the same rows of the same workbook (openpyxl, read-only), nothing checked.

`care_scheme_close`: closing the generated country-wide free-care scheme (`jigiya generate`:
every covered child's decision in force ended, audited, the indicators' cells marked) through
`services.scheme_close`, set-based, beside the per-decision loop it replaced (a save, an audit
entry and a stale mark each: ~16 queries a decision), both rolled back. The loop runs at
district scale only: at national scale (~60 000 decisions) it is the slowness that was fixed.

Also adds the care pages' URL parameters (the demo's Sotuba claims) for the page-weight benchmark.
"""

import datetime
import io
import resource
import time
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from tqdm import tqdm

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section
from jigiya.care import generate, services, uploads
from jigiya.care.common import SOURCE_COVERAGE
from jigiya.care.models import CareLine, Claim, Coverage, ExitReason, PaymentEntry, Scheme
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.changes import records_changed
from jigiya.donors.models import Donor, Funding
from jigiya.places.models import HealthCenter, Place
from jigiya.registry.models import Household, LeastAccessAssessment, Person

PATH_PARAMS.setdefault("claim_id", lambda: Claim.objects.order_by("-month").first())
PATH_PARAMS.setdefault("scheme_id", lambda: Scheme.objects.order_by("name").first())
PATH_PARAMS.setdefault("coverage_id", lambda: Coverage.objects.order_by("start").first())
PATH_PARAMS.setdefault("line_id", lambda: CareLine.objects.order_by("-day").first())
PATH_PARAMS.setdefault("payment_id", lambda: PaymentEntry.objects.order_by("-on").first())

PEOPLE = 2_000
VISITS = 5  # lines per child: PEOPLE x VISITS = 10 000
GOAL_S = 10.0
NAME = "Banc d'essai soins"
D = datetime.date


def _bench_world(ctx: Context) -> tuple[HealthCenter, list[Person]]:
    """A scheme for the CSCom de Banconi and 2 000 covered children of Korofina Nord, made once
    (in bulk: setup data, not what is measured)."""
    center = HealthCenter.objects.get(code="CSCOM-BAN")
    community = Place.objects.get(code="BKO-C1-KOR")
    commune = community.parent
    assert commune is not None, "a community lies in a commune"
    household = Household.objects.filter(community=community, name=NAME).first()
    if household is None:
        donor, _ = Donor.objects.get_or_create(code="BENCH-CARE", defaults={"name": NAME})
        funding = Funding.objects.create(
            donor=donor, program="health", place=commune, start=D(2000, 1, 1)
        )
        scheme = services.scheme_create(
            actor=ctx.admin,
            name=NAME,
            place=commune,
            level="free",
            services=["consultation"],
            health_centers=[center],
            valid_from=D(2001, 1, 1),
            funding=funding,
        )
        household = Household.objects.create(community=community, name=NAME)
        LeastAccessAssessment.objects.create(
            household=household, assessed_on=D(2001, 1, 1), criteria=[], score=7, decision="free"
        )
        people = Person.objects.bulk_create(
            Person(
                household=household,
                given_name=f"Enfant {i}",
                family_name="Banc",
                sex="F",
                relationship="child",
                birth_date=D(2000, 6, 1),
            )
            for i in range(PEOPLE)
        )
        Coverage.objects.bulk_create(
            Coverage(
                person=p,
                scheme=scheme,
                assessment=household.assessments.get(),
                reason="Banc d'essai",
                start=D(2001, 1, 1),
            )
            for p in people
        )
    return center, list(household.members.order_by("given_name"))


def _workbook(people: list[Person]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("care")
    sheet.append(list(uploads.COLUMNS))
    for visit in range(VISITS):
        for person in people:
            sheet.append([str(person.pk), str(person), D(2003, 3, 1 + visit), "consultation", 1500])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def care_upload(ctx: Context) -> Section:
    section = Section(
        key="care",
        title=f"Care: verifying a {PEOPLE * VISITS:,}-line uploaded claim at {ctx.scale} scale",
        columns=[
            Column("what", "what", right=False),
            Column("seconds", "seconds", lambda s: f"{s:.2f}"),
            Column("rows_per_s", "rows per second", lambda r: f"{r:,.0f}"),
            Column("peak_mb", "peak MB (process)", lambda m: f"{m:.0f}" if m else ""),
            Column("verdict", "goal ≤ 10 s", right=False),
        ],
    )
    center, people = _bench_world(ctx)
    data = _workbook(people)
    rows = PEOPLE * VISITS
    started = time.perf_counter()
    read = sum(1 for _ in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows())
    baseline = time.perf_counter() - started
    with transaction.atomic(), tqdm(total=rows, desc="care upload", unit="row") as bar:
        started = time.perf_counter()
        result = services.lines_upload(
            actor=ctx.admin, health_center=center, data=data, progress=bar.update
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000  # KB on Linux
    if len(result.recorded) != rows:
        raise RuntimeError(
            f"care upload: {len(result.recorded)} lines of {rows}, {result.rejected[:3]}"
        )
    section.rows += [
        {"what": "upload: read, check, record (service)", "seconds": seconds,
         "rows_per_s": rows / seconds, "peak_mb": peak,
         "verdict": "ok" if seconds <= GOAL_S else "OVER"},
        {"what": "baseline: read the same rows", "seconds": baseline,
         "rows_per_s": (read - 1) / baseline, "peak_mb": 0.0, "verdict": ""},
    ]  # fmt: skip
    return section


def _per_decision(ctx: Context, scheme: Scheme, day: datetime.date) -> None:
    """The loop `scheme_close` ran before it was set-based: each decision saved, audited and
    its community marked stale on its own."""
    rows = (
        Coverage.objects.select_for_update()
        .filter(scheme=scheme)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .select_related("person__household")
        .order_by("pk")
    )
    for coverage in rows:
        before = audit_snapshot(coverage)
        coverage.end = max(day, coverage.start)
        coverage.exit_reason = ExitReason.SCHEME_ENDED
        coverage.save(update_fields=["end", "exit_reason", "updated_at"])
        audit_record(actor=ctx.admin, obj=coverage, before=before)
        records_changed(
            source=SOURCE_COVERAGE, cells=[(coverage.person.household.community_id, day)]
        )


def _timed_rollback(run: Callable[[], object]) -> float:
    with transaction.atomic():
        started = time.perf_counter()
        run()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def care_scheme_close(ctx: Context) -> Section:
    section = Section(
        key="care_scheme_close",
        title=f"Care: closing the generated country-wide scheme at {ctx.scale} scale",
        columns=[
            Column("what", "what", right=False),
            Column("decisions", "decisions ended", lambda n: f"{n:,}"),
            Column("seconds", "seconds", lambda s: f"{s:.2f}"),
            Column("per_s", "decisions per second", lambda r: f"{r:,.0f}"),
        ],
    )
    scheme = Scheme.objects.get(name=generate.NAME)
    day = timezone.localdate()  # no care is claimed after today
    ended = (
        Coverage.objects.filter(scheme=scheme).filter(Q(end__isnull=True) | Q(end__gt=day)).count()
    )
    seconds = _timed_rollback(
        lambda: services.scheme_close(
            actor=ctx.admin, scheme=scheme, valid_until=day, reason="Banc d'essai"
        )
    )
    section.rows.append(
        {"what": "scheme_close (set-based)", "decisions": ended, "seconds": seconds,
         "per_s": ended / seconds}
    )  # fmt: skip
    if ctx.scale != "national":
        seconds = _timed_rollback(lambda: _per_decision(ctx, scheme, day))
        section.rows.append(
            {"what": "baseline: one decision at a time (the old loop)", "decisions": ended,
             "seconds": seconds, "per_s": ended / seconds}
        )  # fmt: skip
    return section
