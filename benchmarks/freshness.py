"""How long a record takes to reach the dashboards: the refresh that follows one visit.

A visit marks its community-month stale for the indicators that read visits; the worker's
`indicators_refresh` task then recomputes those cells from the records and rolls them up to the
country. Measured here: `engine.refresh()` after marking the busiest generated community's
latest month stale, as a visit there would (the records are not changed, so every run does the
same work), beside the same indicators and month recomputed for every community — what a
refresh would cost if it were not incremental. The target (issue 3): a new
record is on the dashboards within a minute, whatever the size of the data.
"""

import datetime
import statistics
import time
from typing import Any

from django.db import connection
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext

from benchmarks.context import Context
from benchmarks.report import Column, Section, ms
from jigiya.indicators import catalog, engine
from jigiya.indicators.catalog import Cells
from jigiya.indicators.models import StaleCell

RUNS = 20
SOURCE = "followup.visit"


def _busiest() -> tuple[Any, datetime.date]:
    """The community with the most visits, and the month of its latest visit."""
    from jigiya.followup.models import Visit
    from jigiya.places.models import Place

    row = (
        Visit.objects.values("household__community")
        .annotate(n=Count("id"))
        .order_by("-n", "household__community")
        .first()
    )
    if row is None:
        raise RuntimeError("No visits in the bench database: did generate run?")
    community = Place.objects.get(pk=row["household__community"])
    last = Visit.objects.filter(household__community=community).aggregate(last=Max("date"))["last"]
    return community, engine.first_day(last)


def _refresh(community: Any, month: datetime.date) -> tuple[float, int, int]:
    engine.mark_stale(source=SOURCE, cells=[(community.pk, month)])
    start = time.perf_counter()
    report = engine.refresh()
    return time.perf_counter() - start, report.cells, report.values


def refresh_time(ctx: Context) -> Section:
    section = Section(
        key="freshness",
        title=f"Indicator refresh after one visit at {ctx.scale} scale ({RUNS} runs)",
        columns=[
            Column("what", "measured", right=False),
            Column("median_s", "median ms", ms),
            Column("max_s", "max ms", ms),
            Column("queries", "SQL"),
            Column("values", "values written"),
        ],
    )
    community, month = _busiest()
    StaleCell.objects.all().delete()  # start from a clean queue
    samples: list[float] = []
    values = 0
    for _ in range(RUNS):
        seconds, _cells, values = _refresh(community, month)
        samples.append(seconds)
    with CaptureQueriesContext(connection) as queries:
        _refresh(community, month)
    indicators = catalog.by_source(SOURCE)
    whole: list[float] = []
    for _ in range(3):
        start = time.perf_counter()
        for indicator in indicators:
            engine.recompute(indicator, Cells(place_ids=None, months=frozenset([month])))
        whole.append(time.perf_counter() - start)
    ongoing = [indicator for indicator in catalog.all_indicators() if indicator.ongoing]
    start = time.perf_counter()
    rolled = engine.roll()
    roll_s = time.perf_counter() - start
    section.rows += [
        {
            "what": f"refresh of {community.code} {month:%Y-%m} (one visit's cell)",
            "median_s": statistics.median(samples),
            "max_s": max(samples),
            "queries": len(queries),
            "values": values,
        },
        {
            "what": f"the same indicators, {month:%Y-%m}, every community (not incremental)",
            "median_s": statistics.median(whole),
            "max_s": max(whole),
        },
        {
            "what": f"nightly roll: {len(ongoing)} ongoing indicators, 2 months, every place",
            "median_s": roll_s,
            "max_s": roll_s,
            "values": rolled,
        },
    ]
    section.notes += [
        f"{len(indicators)} indicators read visits ({', '.join(i.code for i in indicators)}); "
        f"the refresh recomputes each for {community.code} (the community with the most visits) "
        "and rolls it up through commune, cercle, region and country.",
        "The worker picks the refresh task up within about a second of the commit "
        "(django-tasks-db polls), so a record is on the dashboards in about a second plus the "
        "refresh time. The second row recomputes the same indicators and month for every "
        "community: what each refresh would cost if it were not incremental.",
        "The nightly roll (`engine.roll`, one run) recomputes this month and the last of the "
        "indicators whose values carry over (children enrolled, members, balances, days "
        f"overdue): {', '.join(i.code for i in ongoing) or 'none'}.",
    ]
    return section
