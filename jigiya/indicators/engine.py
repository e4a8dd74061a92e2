"""Keeps indicator values equal to what the records give, incrementally.

- `mark_stale` (called by services, inside their transaction) notes the community-months whose
  records changed, and queues a refresh for after the commit.
- `mark_places_stale` (through `core.changes.places_changed`, when a place moves, is
  (de)activated or changes health center) notes the place's parent, for every month with data
  under the place: the figures above a moved place are re-summed on both sides.
- `refresh` (the `indicators_refresh` task, run by `jigiya worker` within a second or two)
  recomputes exactly those cells from the records and rolls them up the place tree.
- `roll` (nightly) recomputes this month and the last of the `ongoing` indicators, whose values
  carry over from month to month or move with time alone.
- `rebuild` recomputes everything; `check` proves that what is stored equals what the records give.
- `sweep_stale` queues a refresh when a cell has been stale for minutes, whatever the task queue
  says (the worker's periodic check and the nightly tick call it): a refresh lost with a killed
  worker cannot leave figures wrong.

Values are additive: a place's numerator and denominator are the sums of its children's, so a
refresh only touches the changed communities and their ancestors, whatever the size of the data.
"""

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from jigiya.core.periods import Month, month_range
from jigiya.indicators import catalog
from jigiya.indicators.catalog import Cells, Fact, Indicator
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.places.models import Place, PlaceKind

log = logging.getLogger(__name__)

BATCH = 2000
# The source of the marks made when places move: every indicator reads it.
PLACES = "places.tree"


def first_day(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def mark_stale(*, source: str, cells: Iterable[tuple[uuid.UUID, datetime.date]]) -> None:
    """Note that the records of `source` changed for these (community id, day) pairs.

    Call it inside the service's transaction, for the cells before and after a correction."""
    unique = {(place_id, first_day(day)) for place_id, day in cells}
    if not unique:
        return
    StaleCell.objects.bulk_create(
        [StaleCell(source=source, place_id=place_id, month=month) for place_id, month in unique],
        batch_size=BATCH,
    )
    transaction.on_commit(_queue_refresh)


def mark_places_stale(*, place_ids: Iterable[uuid.UUID]) -> None:
    """Mark stale, for every indicator, the parent each of these places has *now*, in every
    month holding a value of the place or a stale mark below it.

    The refresh re-sums that parent from the places below it and rolls it up. Called (through
    `core.changes.places_changed`) inside the service's transaction before a move — the parent
    is then the old one — and after it (the new one). The place's own figures, and those of the
    places below it, do not depend on where it stands: they are not marked."""
    codes = [indicator.code for indicator in catalog.all_indicators()]
    marks: set[tuple[uuid.UUID, datetime.date]] = set()
    for pk, parent_id, path in Place.objects.filter(
        pk__in=list(place_ids), parent__isnull=False
    ).values_list("pk", "parent_id", "path"):
        # The place's own rows are the sums of everything below it: their months are the months
        # with data under it. The unique index (indicator, place, …) serves this query.
        months = set(
            IndicatorValue.objects.filter(indicator__in=codes, place_id=pk)
            .order_by()
            .values_list("month", flat=True)
            .distinct()
        )
        months |= set(
            StaleCell.objects.filter(place__path__startswith=path)
            .order_by()
            .values_list("month", flat=True)
            .distinct()
        )
        marks |= {(parent_id, month) for month in months}
    if not marks:
        return
    StaleCell.objects.bulk_create(
        [StaleCell(source=PLACES, place_id=place_id, month=month) for place_id, month in marks],
        batch_size=BATCH,
    )
    transaction.on_commit(_queue_refresh)


def _queue_refresh() -> None:
    from jigiya.indicators.tasks import indicators_refresh, refresh_is_queued

    if settings.JIGIYA_INDICATORS_REFRESH_INLINE:
        refresh()
    elif not refresh_is_queued():
        indicators_refresh.enqueue()


@dataclass
class RefreshReport:
    cells: int = 0
    values: int = 0


def _batch() -> AbstractContextManager[Any]:
    """The transaction of one refresh batch. PostgreSQL: one for the whole batch, holding its
    stale marks (SKIP LOCKED: two workers share the work) without blocking any writer. SQLite
    has a single writer: a batch-long transaction would make every service's write wait for the
    whole recompute, so there each value is written in a short transaction of its own, after
    its figures are read (`atomic(savepoint=False)`: no savepoint within a PostgreSQL batch).
    Killed between the two, the batch's marks are still there: the next refresh redoes them."""
    return transaction.atomic() if connection.vendor != "sqlite" else nullcontext()


def refresh(*, limit: int = 20000) -> RefreshReport:
    """Recompute every stale cell; returns how many cells and values were written."""
    report = RefreshReport()
    while True:
        with _batch():
            stale = StaleCell.objects.order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                stale = stale.select_for_update(skip_locked=True)
            rows = list(stale.values_list("id", "source", "place_id", "month")[:limit])
            if not rows:
                return report
            by_source: dict[str, set[tuple[uuid.UUID, datetime.date]]] = defaultdict(set)
            for _id, source, place_id, month in rows:
                by_source[source].add((place_id, month))
            todo: dict[str, set[tuple[uuid.UUID, datetime.date]]] = defaultdict(set)
            for source, cells in by_source.items():
                for indicator in _readers(source):
                    todo[indicator.code] |= cells
            for code, cells in todo.items():
                report.values += _recompute_stale(catalog.by_code()[code], cells)
            report.cells += len(rows)
            StaleCell.objects.filter(id__in=[row[0] for row in rows]).delete()


def _readers(source: str) -> list[Indicator]:
    """The indicators a stale mark of `source` concerns: every one for a place that moved."""
    return catalog.all_indicators() if source == PLACES else catalog.by_source(source)


def sweep_stale(*, older_than: datetime.timedelta) -> bool:
    """Queue a refresh if any cell has been stale longer than `older_than`, whatever the task
    queue says (the refresh queued for it may have died with its worker); True when queued."""
    from jigiya.indicators.tasks import indicators_refresh, refresh_is_queued

    cutoff = timezone.now() - older_than
    if not StaleCell.objects.filter(marked_at__lt=cutoff).exists():
        return False
    # A refresh waiting in the queue will read every stale cell: one is enough.
    if refresh_is_queued():
        return False
    indicators_refresh.enqueue()
    log.warning("Indicator cells stale since before %s: refresh queued by the sweep.", cutoff)
    return True


def _recompute_stale(indicator: Indicator, cells: set[tuple[uuid.UUID, datetime.date]]) -> int:
    by_month: dict[datetime.date, set[uuid.UUID]] = defaultdict(set)
    for place_id, month in cells:
        by_month[month].add(place_id)
    written = 0
    # Communities stale in the same months are computed together: one query per group.
    groups: dict[frozenset[uuid.UUID], set[datetime.date]] = defaultdict(set)
    for month, place_ids in by_month.items():
        groups[frozenset(place_ids)].add(month)
    for group, months in groups.items():
        written += recompute(indicator, Cells(place_ids=group, months=frozenset(months)))
    return written


def recompute(indicator: Indicator, cells: Cells) -> int:
    """Write the community values of `cells` from the records (every community when
    `cells.place_ids` is None), then re-sum every place above them; a place of `cells` above
    the communities is itself re-summed from the places below it. Returns the values written.
    Stale marks are not touched: `refresh` clears them. The benchmarks time this directly."""
    places = _places(cells.place_ids)
    communities = frozenset(
        pk for pk, (kind, _path) in places.items() if kind == PlaceKind.COMMUNITY
    )
    facts: list[Fact] = []
    if cells.place_ids is None or communities:
        facts = [
            fact
            for fact in indicator.compute(
                Cells(place_ids=_or_all(cells, communities), months=cells.months)
            )
            if fact.month in cells.months
            and (cells.place_ids is None or fact.place_id in communities)
        ]
        existing = IndicatorValue.objects.filter(indicator=indicator.code, month__in=cells.months)
        with transaction.atomic(savepoint=False):  # a short write, after the reads
            if cells.place_ids is None:
                existing.filter(place__kind=PlaceKind.COMMUNITY).delete()
            else:
                existing.filter(place_id__in=communities).delete()
            IndicatorValue.objects.bulk_create(_values(indicator, facts), batch_size=BATCH)
    return len(facts) + _roll_up(indicator, places, cells.months)


def _or_all(cells: Cells, communities: frozenset[uuid.UUID]) -> frozenset[uuid.UUID] | None:
    return None if cells.place_ids is None else communities


def _places(place_ids: frozenset[uuid.UUID] | None) -> dict[uuid.UUID, tuple[str, str]]:
    """Kind and path of these places (of every community when None), in one query."""
    rows = Place.objects.all()
    if place_ids is None:
        rows = rows.filter(kind=PlaceKind.COMMUNITY)
    else:
        rows = rows.filter(pk__in=list(place_ids))
    return {pk: (kind, path) for pk, kind, path in rows.values_list("pk", "kind", "path")}


def _values(indicator: Indicator, facts: Iterable[Fact]) -> list[IndicatorValue]:
    merged: dict[tuple[uuid.UUID, datetime.date, str], list[int | None]] = {}
    for fact in facts:
        key = (fact.place_id, fact.month, fact.breakdown)
        if key in merged:  # a compute may return one cell in several rows: add them up
            total = merged[key]
            total[0] = (total[0] or 0) + fact.numerator
            if fact.denominator is not None:
                total[1] = (total[1] or 0) + fact.denominator
        else:
            merged[key] = [fact.numerator, fact.denominator]
    return [
        IndicatorValue(
            indicator=indicator.code,
            place_id=place_id,
            month=month,
            breakdown=breakdown,
            numerator=numerator or 0,
            denominator=denominator,
        )
        for (place_id, month, breakdown), (numerator, denominator) in merged.items()
    ]


def _roll_up(
    indicator: Indicator,
    places: dict[uuid.UUID, tuple[str, str]],
    months: frozenset[datetime.date],
) -> int:
    """Re-sum, level by level from the bottom, the places above these communities, and these
    places above the communities (a place's sums are read from the places below it)."""
    ancestors_by_depth: dict[int, set[str]] = defaultdict(set)
    for kind, path in places.values():
        parts = [part for part in path.split("/") if part]
        if kind == PlaceKind.COMMUNITY:
            parts = parts[:-1]  # a community's own values come from its records
        for depth, part in enumerate(parts):
            ancestors_by_depth[depth].add(part)
    written = 0
    for depth in sorted(ancestors_by_depth, reverse=True):
        parents = [uuid.UUID(hex_id) for hex_id in ancestors_by_depth[depth]]
        for start in range(0, len(parents), BATCH):
            written += _sum_children(indicator, parents[start : start + BATCH], months)
    return written


@transaction.atomic(savepoint=False)  # a short write, on SQLite between others
def _sum_children(
    indicator: Indicator, parents: list[uuid.UUID], months: frozenset[datetime.date]
) -> int:
    IndicatorValue.objects.filter(
        indicator=indicator.code, place_id__in=parents, month__in=months
    ).delete()
    sums = (
        IndicatorValue.objects.filter(
            indicator=indicator.code, month__in=months, place__parent_id__in=parents
        )
        .values("place__parent_id", "month", "breakdown")
        .annotate(numerator_sum=Sum("numerator"), denominator_sum=Sum("denominator"))
        .order_by()
    )
    rows = [
        IndicatorValue(
            indicator=indicator.code,
            place_id=row["place__parent_id"],
            month=row["month"],
            breakdown=row["breakdown"],
            numerator=row["numerator_sum"] or 0,
            denominator=row["denominator_sum"],
        )
        for row in sums
    ]
    IndicatorValue.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def roll(*, today: datetime.date | None = None) -> int:
    """Recompute the current and the previous month of every `ongoing` indicator, for every
    community (run nightly): what lasts carries into a new month without any record in it, and
    what moves with time alone (days overdue, a child's age) moves. Returns the values written."""
    current = Month.of(today) if today else Month.current()
    months = frozenset({current.first_day, current.previous().first_day})
    written = 0
    for indicator in catalog.all_indicators():
        if indicator.ongoing:
            with transaction.atomic():
                written += recompute(indicator, Cells(place_ids=None, months=months))
    return written


def history_months() -> list[datetime.date]:
    """Every month that may hold data: from the configured start to the current month."""
    start = Month.parse(settings.JIGIYA_HISTORY_START)
    return [month.first_day for month in month_range(start, Month.current())]


@transaction.atomic
def rebuild(
    indicators: Iterable[Indicator] | None = None,
    communities: frozenset[uuid.UUID] | None = None,
) -> int:
    """Recompute every value of these indicators (all by default) from the records, in every
    month of the history: everywhere, or only in `communities` (and their ancestors' sums)."""
    months = frozenset(history_months())
    chosen = list(indicators or catalog.all_indicators())
    written = 0
    for indicator in chosen:
        if communities is None:
            IndicatorValue.objects.filter(indicator=indicator.code).delete()
        written += recompute(indicator, Cells(place_ids=communities, months=months))
    sources = {source for indicator in chosen for source in indicator.sources}
    if indicators is None:
        sources.add(PLACES)  # every indicator recomputed: the marks of moved places are done
    stale = StaleCell.objects.filter(source__in=sources)
    if communities is not None:
        stale = stale.filter(place_id__in=communities)
    stale.delete()
    return written


def check(indicators: Iterable[Indicator] | None = None) -> list[str]:
    """Differences between what is stored and what the records give (empty: all correct)."""
    months = frozenset(history_months())
    problems: list[str] = []
    for indicator in indicators or catalog.all_indicators():
        expected = {
            (value.place_id, value.month, value.breakdown): (value.numerator, value.denominator)
            for value in _values(indicator, indicator.compute(Cells(None, months)))
        }
        stored = {
            (place_id, month, breakdown): (numerator, denominator)
            for place_id, month, breakdown, numerator, denominator in IndicatorValue.objects.filter(
                indicator=indicator.code, place__kind=PlaceKind.COMMUNITY
            ).values_list("place_id", "month", "breakdown", "numerator", "denominator")
        }
        for key in sorted(set(expected) | set(stored), key=str):
            if expected.get(key) != stored.get(key):
                problems.append(
                    f"{indicator.code} {key[0]} {key[1]:%Y-%m} {key[2] or 'total'}: "
                    f"stored {stored.get(key)}, records give {expected.get(key)}"
                )
        problems += _check_roll_ups(indicator)
    return problems


def _check_roll_ups(indicator: Indicator) -> list[str]:
    sums = {
        (row["place__parent_id"], row["month"], row["breakdown"]): (row["n"], row["d"])
        for row in IndicatorValue.objects.filter(indicator=indicator.code)
        .exclude(place__parent__isnull=True)
        .values("place__parent_id", "month", "breakdown")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    }
    stored = {
        (place_id, month, breakdown): (numerator, denominator)
        for place_id, month, breakdown, numerator, denominator in IndicatorValue.objects.filter(
            indicator=indicator.code
        )
        .exclude(place__kind=PlaceKind.COMMUNITY)
        .values_list("place_id", "month", "breakdown", "numerator", "denominator")
    }
    return [
        f"{indicator.code} {key[0]} {key[1]:%Y-%m} {key[2] or 'total'}: "
        f"stored {stored.get(key)}, sum of places below {sums.get(key)}"
        for key in sorted(set(sums) | set(stored), key=str)
        if sums.get(key) != stored.get(key)
    ]
