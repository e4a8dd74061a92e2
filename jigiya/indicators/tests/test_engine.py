import dataclasses
import datetime

import pytest
from django.db import connection, transaction

from jigiya.indicators import catalog, engine
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.indicators.tasks import refresh_is_queued
from jigiya.places import services
from jigiya.places.models import GeneralAssembly

HELD = "quality.asaco_assemblies"
WOMEN = "quality.asaco_assembly_women"
JAN = datetime.date(2025, 1, 1)


def _value(code, place, month=JAN):
    row = IndicatorValue.objects.filter(indicator=code, place=place, month=month, breakdown="")
    return row.values_list("numerator", "denominator").first()


def _assembly(cast, admin, asaco, day, attendance, women):
    return services.assembly_record(
        actor=admin,
        asaco=asaco,
        held_on=day,
        attendance=attendance,
        women_attending=women,
        decisions="Budget",
    )


def test_a_new_record_marks_its_cell_stale_and_queues_one_refresh(
    cast, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
        _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 25), 50, 30)
    assert list(StaleCell.objects.values_list("source", "place_id", "month")) == [
        ("places.assembly", cast.community_a.pk, JAN),
        ("places.assembly", cast.community_a.pk, JAN),
    ]
    assert refresh_is_queued()
    assert _value(HELD, cast.community_a) is None  # not yet refreshed


def test_refresh_writes_the_community_and_every_place_above(cast, admin_user):
    _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
    _assembly(cast, admin_user, cast.asaco_b, datetime.date(2025, 1, 20), 60, 20)
    report = engine.refresh()
    assert report.cells == 2
    assert StaleCell.objects.count() == 0
    assert _value(HELD, cast.community_a) == (1, None)
    assert _value(WOMEN, cast.community_a) == (40, 100)
    assert _value(WOMEN, cast.commune_a) == (40, 100)
    assert _value(WOMEN, cast.cercle) == (60, 160)
    assert _value(WOMEN, cast.country) == (60, 160)
    women = catalog.get(WOMEN)
    assert women.value(60, 160) == 37.5
    assert women.status(37.5) == "off_track"


def test_a_correction_moves_the_value_and_leaves_no_trace(cast, admin_user):
    assembly = _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
    engine.refresh()
    # A correction (here straight in the table) marks the cells before and after it.
    GeneralAssembly.objects.filter(pk=assembly.pk).update(held_on=datetime.date(2025, 2, 3))
    engine.mark_stale(
        source="places.assembly",
        cells=[(cast.community_a.pk, JAN), (cast.community_a.pk, datetime.date(2025, 2, 3))],
    )
    engine.refresh()
    assert _value(HELD, cast.community_a) is None
    assert _value(HELD, cast.country) is None
    assert _value(HELD, cast.country, datetime.date(2025, 2, 1)) == (1, None)
    assert engine.check() == []


def test_check_finds_a_tampered_value_and_rebuild_mends_it(cast, admin_user):
    _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
    engine.refresh()
    IndicatorValue.objects.filter(indicator=WOMEN, place=cast.community_a).update(numerator=41)
    problems = engine.check()
    assert sorted(problems) == sorted(
        [
            f"{WOMEN} {cast.community_a.pk} 2025-01 total: stored (41, 100), records give (40, 100)",
            f"{WOMEN} {cast.commune_a.pk} 2025-01 total: stored (40, 100), sum of places below (41, 100)",
        ]
    )
    engine.rebuild()
    assert engine.check() == []
    assert _value(WOMEN, cast.community_a) == (40, 100)


def test_a_mark_made_during_a_refresh_survives_it(cast, admin_user):
    _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
    first_marks = set(StaleCell.objects.values_list("id", flat=True))
    engine.mark_stale(source="places.assembly", cells=[(cast.community_a.pk, JAN)])
    StaleCell.objects.filter(id__in=first_marks).delete()  # as a refresh that read only those
    assert StaleCell.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_refreshes_after_commit(cast, admin_user, settings):
    from django.core.management import call_command

    with transaction.atomic():
        _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
    assert refresh_is_queued()
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert not refresh_is_queued()
    assert _value(WOMEN, cast.country) == (40, 100)


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_refresh_reads_the_records_outside_its_writes(cast, admin_user, monkeypatch):
    """SQLite has a single writer: a refresh that computed inside its write transaction made
    every visit posted meanwhile wait for the whole recompute. There it reads first and writes
    in short transactions; on PostgreSQL one transaction holds the batch's marks (SKIP LOCKED)
    and blocks no writer."""
    women = catalog.get(WOMEN)
    in_transaction = []

    def compute(cells):
        in_transaction.append(connection.in_atomic_block)
        return women.compute(cells)

    monkeypatch.setitem(catalog._CATALOG, WOMEN, dataclasses.replace(women, compute=compute))
    _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
    assert engine.refresh().cells == 1
    assert in_transaction == [connection.vendor != "sqlite"]
    assert _value(WOMEN, cast.country) == (40, 100)
    assert StaleCell.objects.count() == 0


def test_inline_refresh_for_installs_without_a_worker(
    cast, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.JIGIYA_INDICATORS_REFRESH_INLINE = True
    with django_capture_on_commit_callbacks(execute=True):
        _assembly(cast, admin_user, cast.asaco_a, datetime.date(2025, 1, 18), 100, 40)
    assert _value(WOMEN, cast.region) == (40, 100)
    assert not refresh_is_queued()


def test_status_against_targets():
    target = catalog.Target(90)
    indicator = catalog.Indicator(
        code="x",
        name="x",
        definition="x",
        program=catalog.Program.HEALTH,
        unit=catalog.Unit.PERCENT,
        sources=(),
        compute=lambda cells: [],
        target=target,
    )
    assert [indicator.status(v) for v in (95, 90, 81, 80.9, None)] == [
        "on_track",
        "on_track",
        "at_risk",
        "off_track",
        "",
    ]
    lower = catalog.Indicator(
        code="y",
        name="y",
        definition="y",
        program=catalog.Program.HEALTH,
        unit=catalog.Unit.PERCENT,
        sources=(),
        compute=lambda cells: [],
        target=catalog.Target(10, catalog.Direction.DOWN),
    )
    assert [lower.status(v) for v in (5, 10.5, 12)] == ["on_track", "at_risk", "off_track"]
    assert indicator.value(1, 0) is None


def _seats(cells):
    """Board seats held on the month's first day, by the ASACO's community: a state that lasts."""
    from jigiya.places.models import BoardMember

    facts = []
    for month in sorted(cells.months):
        seats = BoardMember.objects.filter(term_start__lte=month).exclude(term_end__lt=month)
        if cells.place_ids is not None:
            seats = seats.filter(asaco__health_center__place_id__in=cells.place_ids)
        counts: dict = {}
        for place_id in seats.values_list("asaco__health_center__place_id", flat=True):
            counts[place_id] = counts.get(place_id, 0) + 1
        facts += [catalog.Fact(place_id, month, n) for place_id, n in counts.items()]
    return facts


def test_the_nightly_roll_carries_ongoing_values_into_a_month_without_records(
    cast, admin_user, monkeypatch
):
    from jigiya.indicators.catalog import Indicator, Program, Unit
    from jigiya.places.models import BoardMember, BoardRole

    seats = Indicator(
        code="test.board_seats", name="Board seats", definition="Seats held on the 1st.",
        program=Program.QUALITY, unit=Unit.COUNT, sources=("test.seats",), compute=_seats,
        ongoing=True,
    )  # fmt: skip
    monkeypatch.setitem(catalog._CATALOG, seats.code, seats)
    BoardMember.objects.create(
        asaco=cast.asaco_a, full_name="Awa", role=BoardRole.PRESIDENT, term_start=JAN
    )
    engine.mark_stale(source="test.seats", cells=[(cast.community_a.pk, JAN)])
    engine.refresh()
    feb, mar = datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)
    assert _value(seats.code, cast.community_a) == (1, None)
    assert _value(seats.code, cast.community_a, feb) is None  # no record in February
    held = IndicatorValue.objects.filter(indicator=HELD).count()
    written = engine.roll(today=datetime.date(2025, 3, 10))
    assert _value(seats.code, cast.community_a, feb) == (1, None)
    assert _value(seats.code, cast.community_a, mar) == (1, None)
    assert _value(seats.code, cast.commune_a, mar) == (1, None)  # rolled up
    assert _value(seats.code, cast.community_a, datetime.date(2025, 4, 1)) is None
    # Communities, commune, cercle, region, country: 5 places x 2 months.
    assert written == 10
    assert IndicatorValue.objects.filter(indicator=HELD).count() == held  # not ongoing: untouched


def test_the_roll_is_a_daily_task():
    from jigiya.core.schedule import daily_tasks
    from jigiya.indicators.tasks import indicators_roll

    assert indicators_roll in daily_tasks()
