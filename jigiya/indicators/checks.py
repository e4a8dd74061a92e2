"""Stored values against the records, for some communities or all: what a restore runs before it
declares success (`jigiya restore`). `engine.check` is the whole proof (roll-ups included);
this one takes a sample so that a national database is checked in seconds, and leaves out the
cells marked stale (their records changed and the worker had not recomputed them yet when the
backup was taken: a difference there is expected, not damage)."""

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from jigiya.indicators import catalog, engine
from jigiya.indicators.catalog import Cells, Indicator
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.places.models import Place, PlaceKind


@dataclass
class ValuesCheck:
    communities: int = 0
    values: int = 0
    stale_skipped: int = 0
    problems: list[str] = field(default_factory=list)


def community_sample(size: int, *, seed: int | None = None) -> frozenset[uuid.UUID]:
    """Up to `size` communities drawn at random (the same ones for the same seed)."""
    ids = sorted(Place.objects.filter(kind=PlaceKind.COMMUNITY).values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311 - not a secret
    return frozenset(chosen)


def community_values_check(
    place_ids: frozenset[uuid.UUID] | None, indicators: Iterable[Indicator] | None = None
) -> ValuesCheck:
    """Recompute every indicator's community values for these communities (None: all) in every
    month of the history and compare them with what is stored, cell by cell."""
    months = frozenset(engine.history_months())
    stale = set(StaleCell.objects.values_list("place_id", "month"))
    report = ValuesCheck(
        communities=len(place_ids)
        if place_ids is not None
        else Place.objects.filter(kind=PlaceKind.COMMUNITY).count()
    )
    for indicator in indicators or catalog.all_indicators():
        facts = [
            fact
            for fact in indicator.compute(Cells(place_ids=place_ids, months=months))
            if fact.month in months and (place_ids is None or fact.place_id in place_ids)
        ]
        expected = {
            (value.place_id, value.month, value.breakdown): (value.numerator, value.denominator)
            for value in engine._values(indicator, facts)
        }
        rows = IndicatorValue.objects.filter(
            indicator=indicator.code, place__kind=PlaceKind.COMMUNITY
        )
        if place_ids is not None:
            rows = rows.filter(place_id__in=place_ids)
        stored = {
            (place_id, month, breakdown): (numerator, denominator)
            for place_id, month, breakdown, numerator, denominator in rows.values_list(
                "place_id", "month", "breakdown", "numerator", "denominator"
            )
        }
        report.values += len(stored)
        for key in sorted(set(expected) | set(stored), key=str):
            if (key[0], key[1]) in stale:
                report.stale_skipped += 1
            elif expected.get(key) != stored.get(key):
                report.problems.append(
                    f"{indicator.code} {key[0]} {key[1]:%Y-%m} {key[2] or 'total'}: "
                    f"stored {stored.get(key)}, records give {expected.get(key)}"
                )
    return report
