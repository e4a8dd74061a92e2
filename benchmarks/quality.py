"""Quality: server time of the partner profile and the league table (DESIGN: ≤ 100 ms each, a
fixed number of queries), beside `/healthz` measured in the same run.

The profile is that of a generated health center (national: 1 000 exit interviews, four
assessments, a project with its run charts), or Sotuba's on a database without generated data;
the league table ranks every partner (national: 100 generated and the demo's four)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section, ms
from benchmarks.server_time import BASELINE, REQUESTS, alternate, stats
from jigiya.places.models import HealthCenter
from jigiya.quality.models import ActionItem, Assessment, Project

PATH_PARAMS.setdefault(
    "assessment_id",
    lambda: (
        Assessment.objects.filter(health_center__code="CSCOM-SOT").order_by("-assessed_on").first()
    ),
)
PATH_PARAMS.setdefault(
    "project_id", lambda: Project.objects.filter(health_center__code="CSCOM-SOT").first()
)
PATH_PARAMS.setdefault(
    "item_id", lambda: ActionItem.objects.filter(health_center__code="CSCOM-SOT").first()
)


def _center() -> HealthCenter:
    generated = HealthCenter.objects.filter(code__startswith="GEN-").order_by("code").first()
    return generated or HealthCenter.objects.get(code="CSCOM-SOT")


def quality_server_time(ctx: Context) -> Section:
    section = Section(
        key="quality_server_time",
        title=f"Partner profile and league table at {ctx.scale} scale ({REQUESTS} requests each)",
        columns=[
            Column("url", "page", right=False),
            Column("median_s", "median ms", ms),
            Column("p95_s", "p95 ms", ms),
            Column("ratio", "page/baseline", lambda ratio: f"{ratio:.1f}"),
            Column("queries", "SQL"),
        ],
    )
    center = _center()
    client = ctx.client(ctx.admin)
    for url in (f"/quality/centers/{center.pk}/", "/quality/"):
        samples, baseline = alternate(client, url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        page, base = stats(samples), stats(baseline)
        section.rows += [
            {"url": url, **page, "ratio": page["median_s"] / base["median_s"],
             "queries": len(queries)},
            {"url": f"{BASELINE} (baseline)", **base},
        ]  # fmt: skip
    section.notes += [
        f"Profile of {center.name}: {center.exit_interviews.count()} exit interviews, "
        f"{center.assessments.count()} assessments; as {ctx.admin.username} (national).",
        "Budget (DESIGN.md): ≤ 100 ms server time, a fixed number of queries whatever the size.",
    ]
    return section
