"""Care: the verification of a 10 000-line uploaded claim (goal ≤ 10 s, memory bounded), beside
a baseline measured in the same run.

- Upload: `services.lines_upload` of a workbook of 10 000 lines (2 000 covered children of
  Korofina Nord, five consultations each, at the CSCom de Banconi): every row read, checked
  against every rule, recorded with its audit entry — inside a transaction rolled back at the
  end, so every run starts the same. A progress bar (tqdm) counts the rows; the process's peak
  memory (its maximum resident set) is reported.
- Baseline: reading the same rows of the same workbook (openpyxl, read-only), nothing checked.

Also adds the care pages' URL parameters (the demo's Sotuba claims) for the page-weight benchmark.
"""

import datetime
import io
import resource
import time

from django.db import transaction
from openpyxl import Workbook, load_workbook
from tqdm import tqdm

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section
from jigiya.care import services, uploads
from jigiya.care.models import CareLine, Claim, Coverage, PaymentEntry, Scheme
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
