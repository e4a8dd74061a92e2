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
    # Counted as they run: CaptureQueriesContext reads DEBUG's query log, full (9 000) after
    # `generate`, and then counted 0.
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
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


class _Undo(Exception):
    """Raised to roll a move back: the bench database is kept between runs."""


def _move_and_refresh(ctx: Context, place: Any, parent: Any) -> dict[str, Any]:
    """Move `place` under `parent` (the service, with its stale marks), then refresh; rolled
    back. The time, SQL and marks of each step."""
    from django.db import transaction

    from jigiya.places import services

    row: dict[str, Any] = {"mark_queries": 0, "refresh_queries": 0}
    counting = "mark_queries"

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        row[counting] += 1
        return execute(sql, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(count):
            start = time.perf_counter()
            services.place_move(actor=ctx.admin, place=place, parent=parent)
            row["mark_s"] = time.perf_counter() - start
            counting = "refresh_queries"
            row["marks"] = StaleCell.objects.filter(source=engine.PLACES).count()
            start = time.perf_counter()
            report = engine.refresh()
            row["refresh_s"] = time.perf_counter() - start
            row["values"] = report.values
            raise _Undo
    except _Undo:
        pass
    return row


def place_move_time(ctx: Context) -> Section:
    """What a move costs the figures: the busiest community moved to another commune, and its
    commune to a new cercle — the service with its stale marks, then the refresh."""
    from django.db import transaction

    from jigiya.places import services
    from jigiya.places.models import Place, PlaceKind

    section = Section(
        key="place_move",
        title=f"Figures after a place moves, at {ctx.scale} scale (one run each, rolled back)",
        columns=[
            Column("what", "move", right=False),
            Column("mark_s", "move + marks ms", ms),
            Column("mark_queries", "SQL"),
            Column("marks", "cells marked"),
            Column("refresh_s", "refresh ms", ms),
            Column("refresh_queries", "SQL"),
            Column("values", "values written"),
        ],
    )
    community, _month = _busiest()
    commune = community.parent
    StaleCell.objects.all().delete()  # start from a clean queue
    other = Place.objects.filter(kind=PlaceKind.COMMUNE).exclude(pk=commune.pk).order_by("code")[0]
    section.rows.append(
        {"what": f"community {community.code}: {commune.code} → {other.code}"}
        | _move_and_refresh(ctx, community, other)
    )
    try:
        with transaction.atomic():
            cercle = services.place_create(
                actor=ctx.admin, kind=PlaceKind.CERCLE, name="Bench cercle", code="BENCH-C",
                parent=commune.parent.parent,
            )  # fmt: skip
            row = _move_and_refresh(ctx, commune, cercle)
            raise _Undo
    except _Undo:
        pass
    section.rows.append({"what": f"commune {commune.code} (its communities) → a new cercle"} | row)
    section.notes += [
        "A move marks the moved place's parent stale, before the move (the old parent) and "
        "after it (the new), in every month holding a value of the place: the refresh re-sums "
        "each from the places below it and rolls it up, for every indicator. Places above both "
        "sides are re-summed to the same values. (SQL: the move's queries, then the refresh's.)",
        "Before issue 11, a move marked nothing: the old side kept the moved place's figures "
        "until `jigiya indicators rebuild`.",
    ]
    return section
