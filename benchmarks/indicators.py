"""The health program dashboard beside the raw SQL GROUP BY over the visits behind it, same run.

`jigiya generate` gives every generated community a CHW and households visited twice a month
for 25 months (`followup/generate.py`: ~200 000 visits at district scale, ~10 M at national).
The dashboard reads stored monthly values (numerator and denominator per place and month); the
raw query is what it would cost without them: the indicator's own `compute` — its GROUP BY over
the visits by community and month — over every community for the months the dashboard shows.
The indicator measured is the heaviest health indicator reading visits (the slowest `compute`
over all history). Then the same dashboard at places holding fewer and fewer places below, to
show that its cost follows the number of places shown, not the number of records: a fixed
number of queries, none of them on the records. `/healthz` is the empty-view baseline through
the same middleware.
"""

import datetime
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section, ms
from benchmarks.server_time import BASELINE, alternate, stats, timed
from jigiya.core.periods import Month
from jigiya.donors.models import Funding
from jigiya.indicators import catalog, engine
from jigiya.indicators.catalog import Cells, Indicator, Program
from jigiya.indicators.models import IndicatorValue

WARM_UP = 5
REQUESTS = 50
# The raw GROUP BY over ~10 M visits takes seconds a run: fewer runs at national scale.
RAW_RUNS = {"national": 5}
BY_PLACE_REQUESTS = 20
SPAN = 18
PROGRAM = Program.HEALTH
VISITS = "followup.visit"  # the source the followup indicators read
RECORD_TABLES = ('"followup_', '"registry_')  # tables the dashboard must never read
# The columns of both comparisons (each row: what, its timing, its ratio to the dashboard).
COMPARED = [
    Column("what", "measured", right=False),
    Column("median_s", "median ms", ms),
    Column("p95_s", "p95 ms", ms),
    Column("ratio", "vs dashboard", lambda ratio: f"{ratio:.1f}"),
    Column("queries", "SQL"),
]


def _donor() -> Any:
    """A donor for the page-weight benchmark's `donor_id` (the demo's, or one made here)."""
    from jigiya.accounts.models import User
    from jigiya.donors import services
    from jigiya.donors.models import Donor
    from jigiya.places.models import Place

    donor = Donor.objects.filter(fundings__isnull=False).first()
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


def _funding() -> Any:
    return Funding.objects.filter(donor=_donor()).order_by("start").first()


# This app's URL parameters, for the page-weight benchmark (which refuses to guess).
PATH_PARAMS.setdefault("donor_id", _donor)
PATH_PARAMS.setdefault("funding_id", _funding)


def _compute(indicator: Indicator, cells: Cells) -> tuple[float, int]:
    start = time.perf_counter()
    rows = len(list(indicator.compute(cells)))
    return time.perf_counter() - start, rows


def _heaviest(months: frozenset[Any], runs: int) -> Indicator:
    """The health indicator over visits whose compute over all history returns rows and takes
    longest (best of `runs` runs, so a hiccup does not pick it)."""
    candidates = [
        i for i in catalog.all_indicators() if i.program == PROGRAM and VISITS in i.sources
    ]
    if not candidates:
        raise RuntimeError(f"No {PROGRAM} indicator reads {VISITS}: is jigiya.followup installed?")

    def weight(indicator: Indicator) -> tuple[bool, float]:
        timings = [_compute(indicator, Cells(None, months)) for _ in range(runs)]
        return timings[0][1] > 0, min(seconds for seconds, _rows in timings)

    return max(candidates, key=weight)


def _visits(months: frozenset[Any] | None = None) -> int:
    from jigiya.followup.models import Visit

    visits = Visit.objects.all()
    if months:
        cells = Cells(None, months)
        visits = visits.filter(date__gte=cells.first, date__lt=cells.end)
    return visits.count()


def _by_place(client: Client, month: Month) -> list[dict[str, Any]]:
    """The health dashboard at the country, the cercle and the commune with the most places below,
    and a community: time, queries, places below, and whether any query read the records."""
    from jigiya.places.models import Place, PlaceKind

    rows = []
    for kind in (PlaceKind.COUNTRY, PlaceKind.CERCLE, PlaceKind.COMMUNE, PlaceKind.COMMUNITY):
        candidates = list(Place.objects.filter(kind=kind, is_active=True).order_by("code"))
        if not candidates:
            continue
        sizes = {p.pk: Place.objects.filter(path__startswith=p.path).count() for p in candidates}
        place = max(candidates, key=lambda p: sizes[p.pk])
        below = sizes[place.pk]
        url = f"/indicators/programs/{PROGRAM}/?place={place.pk}&month={month}&range={SPAN}"
        for _ in range(WARM_UP):
            timed(client, url)
        samples = [timed(client, url) for _ in range(BY_PLACE_REQUESTS)]
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        reads = any(
            table in query["sql"] for query in queries.captured_queries for table in RECORD_TABLES
        )
        rows.append(
            {
                "what": f"  {kind.label} {place.code}: {below} places",
                **stats(samples),
                "queries": len(queries),
                "rows": below,
                "records": "yes" if reads else "no",
            }
        )
    return rows


@dataclass
class _Runs:
    """The timings of one dashboard-vs-GROUP-BY run, request by request."""

    dashboard: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    raw_all: list[float] = field(default_factory=list)
    rows: int = 0
    rows_all: int = 0


def _time_runs(
    client: Any,
    url: str,
    indicator: Indicator,
    months: frozenset[datetime.date],
    all_months: frozenset[datetime.date],
    raw_runs: int,
) -> _Runs:
    """Warm up, then alternate the dashboard, the baseline and the raw GROUP BYs."""
    for warm_up in range(WARM_UP):
        timed(client, url)
        timed(client, BASELINE)
        if warm_up == 0:
            _compute(indicator, Cells(None, months))
    runs = _Runs()
    for run in range(REQUESTS):
        runs.dashboard.append(timed(client, url))
        runs.baseline.append(timed(client, BASELINE))
        if run >= raw_runs:
            continue
        seconds, runs.rows = _compute(indicator, Cells(None, months))
        runs.raw.append(seconds)
        seconds, runs.rows_all = _compute(indicator, Cells(None, all_months))
        runs.raw_all.append(seconds)
    return runs


def dashboard_vs_group_by(ctx: Context) -> Section:
    section = Section(
        key="indicators",
        title=(
            f"Health program dashboard vs raw GROUP BY over visits at {ctx.scale} scale "
            f"({REQUESTS} runs each)"
        ),
        columns=[
            *COMPARED,
            Column("rows", "rows"),
            Column("records", "reads records", right=False),
        ],
    )
    started = time.perf_counter()
    written = engine.rebuild()
    rebuild_s = time.perf_counter() - started
    all_months = frozenset(engine.history_months())
    raw_runs = RAW_RUNS.get(ctx.scale, REQUESTS)
    indicator = _heaviest(all_months, runs=1 if raw_runs < REQUESTS else 3)
    last = IndicatorValue.objects.filter(indicator=indicator.code).aggregate(last=Max("month"))[
        "last"
    ]
    month = Month.of(last) if last else Month.current()
    months = frozenset(month.shift(-back).first_day for back in range(SPAN))
    url = f"/indicators/programs/{PROGRAM}/?month={month}&range={SPAN}"
    client = ctx.client(ctx.admin)
    runs = _time_runs(client, url, indicator, months, all_months, raw_runs)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    with CaptureQueriesContext(connection) as raw_queries:
        _compute(indicator, Cells(None, months))
    reads = any(
        table in query["sql"] for query in queries.captured_queries for table in RECORD_TABLES
    )
    board = stats(runs.dashboard)

    def row(what: str, samples: list[float], **extra: Any) -> dict[str, Any]:
        figures = stats(samples)
        return {"what": what, **figures, "ratio": figures["median_s"] / board["median_s"], **extra}

    section.rows += [
        row(f"GET {url}", runs.dashboard, queries=len(queries), records="yes" if reads else "no"),
        row(
            f"raw GROUP BY of {indicator.code}, {SPAN} months",
            runs.raw,
            queries=len(raw_queries),
            rows=runs.rows,
            records="yes",
        ),
        row(
            f"raw GROUP BY of {indicator.code}, all {len(all_months)} months",
            runs.raw_all,
            rows=runs.rows_all,
            records="yes",
        ),
        row(f"GET {BASELINE} (baseline)", runs.baseline, queries=1),
        {"what": "health dashboard by number of places below:"},
        *(
            {**by_place, "ratio": by_place["median_s"] / board["median_s"]}
            for by_place in _by_place(client, month)
        ),
    ]
    section.notes += _dashboard_notes(ctx, indicator, month, months, written, rebuild_s, raw_runs)
    return section


def _dashboard_notes(
    ctx: Context,
    indicator: Indicator,
    month: Month,
    months: frozenset[datetime.date],
    written: int,
    rebuild_s: float,
    raw_runs: int,
) -> list[str]:
    health = [i for i in catalog.all_indicators() if i.program == PROGRAM]
    return [
        f"Heaviest health indicator over visits: {indicator.code} (of {len(health)} health "
        f"indicators, {len(catalog.all_indicators())} registered; the slowest compute over all "
        f"history among those with records). Visits: {_visits():,} in all, {_visits(months):,} "
        f"in the {SPAN} months shown.",
        f"Dashboard as {ctx.admin.username} at the country unless a place is named, month "
        f"{month} (the latest with values), range {SPAN} months, all {len(health)} health "
        "indicators: trend, bars by place below, league of health centers.",
        "vs dashboard = median / dashboard median: above 1 means slower than the dashboard. "
        "The raw GROUP BY is one indicator per community only; the dashboard also shows every "
        "place above, by place and by health center.",
        "reads records = some dashboard query touched a followup_ or registry_ table (it must "
        "not: stored values only). SQL = queries of one request: one more where the place has "
        "both places above (breadcrumbs) and below (bars), never more with more places or "
        "records.",
        f"`jigiya indicators rebuild` before the run: {written} values in {rebuild_s:.2f} s.",
        f"Through the test client: no network, DEBUG on. Requests and queries alternate; the raw "
        f"GROUP BY runs {raw_runs} times, the pages {REQUESTS}.",
    ]


NATIONAL_SPAN = 6
NATIONAL_REQUESTS = 30


def national_dashboard_vs_group_by(ctx: Context) -> Section:
    """At national scale the full history's GROUP BY takes minutes per indicator, so: compute
    and store the health indicators for the 6 months the dashboard shows, timing each
    indicator's GROUP BY once (its raw cost), then time the dashboard over the same months."""
    import dataclasses

    from django.db import transaction

    section = Section(
        key="indicators_national",
        title=(
            f"Health program dashboard vs raw GROUP BY at {ctx.scale} scale "
            f"({NATIONAL_SPAN} months; dashboard {NATIONAL_REQUESTS} runs, GROUP BY 1 run each)"
        ),
        columns=COMPARED,
    )
    month = Month.current()
    months = frozenset(month.shift(-back).first_day for back in range(NATIONAL_SPAN))
    health = [i for i in catalog.all_indicators() if i.program == PROGRAM]
    raw: list[tuple[str, float]] = []
    for indicator in health:
        spent: list[float] = []

        def timed(cells: Cells, compute: Any = indicator.compute, out: Any = spent) -> Any:
            start = time.perf_counter()
            facts = list(compute(cells))
            out.append(time.perf_counter() - start)
            return facts

        with transaction.atomic():
            engine.recompute(dataclasses.replace(indicator, compute=timed), Cells(None, months))
        raw.append((indicator.code, spent[0]))
    client = ctx.client(ctx.admin)
    url = f"/indicators/programs/{PROGRAM}/?month={month}&range={NATIONAL_SPAN}"
    dashboard, baseline = alternate(client, url, requests=NATIONAL_REQUESTS, warm_up=WARM_UP)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    board = stats(dashboard)
    section.rows.append({"what": f"GET {url}", **board, "queries": len(queries)})
    for code, seconds in sorted(raw, key=lambda row: -row[1]):
        section.rows.append(
            {
                "what": f"raw GROUP BY of {code}, {NATIONAL_SPAN} months",
                "median_s": seconds,
                "p95_s": seconds,
                "ratio": seconds / board["median_s"],
            }
        )
    section.rows.append({"what": f"GET {BASELINE} (baseline)", **stats(baseline), "queries": 1})
    section.notes += [
        f"Visits: {_visits():,} in all, {_visits(months):,} in the {NATIONAL_SPAN} months shown. "
        f"The dashboard shows all {len(health)} health indicators at the country (trend, bars by "
        "region, league of health centers) from stored values only.",
        f"Sum of the {len(health)} raw GROUP BYs: {sum(s for _c, s in raw) * 1000:,.0f} ms — what "
        "the dashboard would cost without stored values.",
    ]
    return section
