"""Program dashboard server time beside the raw SQL GROUP BY over the same records, same run.

The dashboard reads stored monthly values (numerator and denominator per place and month);
the raw query is what it would cost without them: the indicator's own `compute` — the GROUP BY
over its records by community and month — over every community for the months the dashboard
shows. The indicator measured is the heaviest registered one (the slowest `compute` over all
history), so as programs register indicators over visits this follows them. `/healthz` is the
empty-view baseline through the same middleware.
"""

import statistics
import time
from typing import Any

from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section, ms
from jigiya.core.periods import Month
from jigiya.indicators import engine, registry
from jigiya.indicators.models import IndicatorValue
from jigiya.indicators.registry import Cells, Indicator

WARM_UP = 5
REQUESTS = 50
SPAN = 18
BASELINE = "/healthz"


def _donor() -> Any:
    """A donor for the page-weight benchmark's `donor_id` (the demo's, or one made here)."""
    from jigiya.accounts.models import User
    from jigiya.indicators import services
    from jigiya.indicators.models import Donor
    from jigiya.places.models import Place

    donor = Donor.objects.first()
    if donor is None:
        import datetime

        admin = User.objects.get(username="admin")
        donor = services.donor_create(actor=admin, name="Bench donor", code="BENCH-DONOR")
        services.funding_add(
            actor=admin,
            donor=donor,
            program="quality",
            place=Place.objects.get(code="ML"),
            start=datetime.date(2018, 1, 1),
        )
    return donor


# This app's URL parameter, for the page-weight benchmark (which refuses to guess).
PATH_PARAMS.setdefault("donor_id", _donor)


def _stats(samples: list[float]) -> dict[str, float]:
    return {
        "median_s": statistics.median(samples),
        "p95_s": statistics.quantiles(samples, n=20, method="inclusive")[18],
    }


def _get(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200.")
    return elapsed


def _compute(indicator: Indicator, cells: Cells) -> tuple[float, int]:
    start = time.perf_counter()
    rows = len(list(indicator.compute(cells)))
    return time.perf_counter() - start, rows


def _heaviest(months: frozenset[Any]) -> Indicator:
    """The indicator whose compute over all history returns rows and takes longest (best of
    three runs, so a hiccup does not pick it)."""

    def weight(indicator: Indicator) -> tuple[bool, float]:
        runs = [_compute(indicator, Cells(None, months)) for _ in range(3)]
        return runs[0][1] > 0, min(seconds for seconds, _rows in runs)

    return max(registry.catalog(), key=weight)


def dashboard_vs_group_by(ctx: Context) -> Section:
    section = Section(
        key="indicators",
        title=f"Program dashboard vs raw GROUP BY at {ctx.scale} scale ({REQUESTS} runs each)",
        columns=[
            Column("what", "measured", right=False),
            Column("median_s", "median ms", ms),
            Column("p95_s", "p95 ms", ms),
            Column("ratio", "vs dashboard", lambda ratio: f"{ratio:.1f}"),
            Column("queries", "SQL"),
            Column("rows", "rows"),
        ],
    )
    started = time.perf_counter()
    written = engine.rebuild()
    rebuild_s = time.perf_counter() - started
    all_months = frozenset(engine.history_months())
    indicator = _heaviest(all_months)
    last = IndicatorValue.objects.filter(indicator=indicator.code).aggregate(last=Max("month"))[
        "last"
    ]
    month = Month.of(last) if last else Month.current()
    months = frozenset(month.shift(-back).first_day for back in range(SPAN))
    url = f"/indicators/programs/{indicator.program}/?month={month}&range={SPAN}"
    client = ctx.client(ctx.admin)
    for _ in range(WARM_UP):
        _get(client, url)
        _get(client, BASELINE)
        _compute(indicator, Cells(None, months))
    dashboard: list[float] = []
    baseline: list[float] = []
    raw: list[float] = []
    raw_all: list[float] = []
    rows = rows_all = 0
    for _ in range(REQUESTS):
        dashboard.append(_get(client, url))
        baseline.append(_get(client, BASELINE))
        seconds, rows = _compute(indicator, Cells(None, months))
        raw.append(seconds)
        seconds, rows_all = _compute(indicator, Cells(None, all_months))
        raw_all.append(seconds)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    with CaptureQueriesContext(connection) as raw_queries:
        _compute(indicator, Cells(None, months))
    board = _stats(dashboard)

    def row(what: str, samples: list[float], **extra: Any) -> dict[str, Any]:
        stats = _stats(samples)
        return {"what": what, **stats, "ratio": stats["median_s"] / board["median_s"], **extra}

    section.rows += [
        row(f"GET {url}", dashboard, queries=len(queries)),
        row(
            f"raw GROUP BY of {indicator.code}, {SPAN} months",
            raw,
            queries=len(raw_queries),
            rows=rows,
        ),
        row(
            f"raw GROUP BY of {indicator.code}, all {len(all_months)} months",
            raw_all,
            rows=rows_all,
        ),
        row(f"GET {BASELINE} (baseline)", baseline, queries=1),
    ]
    section.notes += [
        f"Heaviest indicator: {indicator.code} (of {len(registry.catalog())} registered, the "
        "slowest compute over all history among those with records). "
        f"Dashboard as {ctx.admin.username} at the country, month {month} (the latest with "
        f"values), range {SPAN} months.",
        "vs dashboard = median / dashboard median: above 1 means slower than the dashboard. "
        "The raw GROUP BY is per community only; the dashboard also shows every place above, "
        "by place and by health center.",
        f"`jigiya indicators rebuild` before the run: {written} values in {rebuild_s:.2f} s.",
        "Through the test client: no network, DEBUG on. Requests and queries alternate.",
    ]
    return section
