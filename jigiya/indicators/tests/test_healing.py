"""Figures heal after a worker is killed mid-refresh (kill -9, power cut).

The refresh task is left `RUNNING` with its start time in the past and the cells it was
computing stay stale; `refresh_is_queued()` (which looks at `READY` tasks) then sees nothing to
do. The next worker's check takes the task back once its lease is over, and the stale-cell sweep
queues a refresh whatever the queue says once cells have waited for minutes, as the nightly tick
does.
"""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jigiya.core import schedule
from jigiya.indicators import engine
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.indicators.tasks import TASK_PATH, indicators_refresh, refresh_is_queued
from jigiya.places import services

WOMEN = "quality.asaco_assembly_women"
JAN = datetime.date(2025, 1, 1)


def _women(place: Any) -> Any:
    row = IndicatorValue.objects.filter(indicator=WOMEN, place=place, month=JAN, breakdown="")
    return row.values_list("numerator", "denominator").first()


def _killed_mid_refresh(cast: Any, admin_user: Any, *, started: Any, marked: Any) -> Any:
    """An assembly in Community A whose refresh was claimed by a worker that then died."""
    services.assembly_record(
        actor=admin_user,
        asaco=cast.asaco_a,
        held_on=datetime.date(2025, 1, 18),
        attendance=100,
        women_attending=40,
        decisions="Budget",
    )
    if not refresh_is_queued():  # the service's on_commit queues it once the test commits
        indicators_refresh.enqueue()
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY)
    (task_id,) = waiting.values_list("pk", flat=True)
    waiting.update(status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["killed"])
    StaleCell.objects.update(marked_at=marked)
    assert not refresh_is_queued()
    assert _women(cast.country) is None
    return task_id


# The worker runs in autocommit and closes old connections as it wakes, which a test inside
# a transaction cannot survive on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_next_worker_takes_back_a_task_past_its_lease_and_heals_the_figures(
    cast, admin_user, settings
):
    settings.JIGIYA_TASK_LEASE_MINUTES = 60
    now = timezone.now()
    task_id = _killed_mid_refresh(
        cast,
        admin_user,
        started=now - datetime.timedelta(minutes=61),
        marked=now - datetime.timedelta(minutes=61),
    )

    call_command("worker", batch=True, verbosity=0)

    task = DBTaskResult.objects.get(pk=task_id)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "killed" and len(task.worker_ids) == 2
    # The task taken back did the work: the sweep found it waiting and queued no other.
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert StaleCell.objects.count() == 0
    assert _women(cast.community_a) == (40, 100)
    assert _women(cast.commune_a) == (40, 100)
    assert _women(cast.country) == (40, 100)
    assert engine.check() == []


# The worker runs in autocommit and closes old connections as it wakes, which a test inside
# a transaction cannot survive on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_cells_stale_for_minutes_are_refreshed_before_the_lease_ends(cast, admin_user, settings):
    settings.JIGIYA_STALE_SWEEP_MINUTES = 5
    now = timezone.now()
    task_id = _killed_mid_refresh(
        cast,
        admin_user,
        started=now - datetime.timedelta(minutes=6),
        marked=now - datetime.timedelta(minutes=6),
    )

    call_command("worker", batch=True, verbosity=0)

    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.RUNNING  # leased
    refreshes = DBTaskResult.objects.filter(task_path=TASK_PATH).exclude(pk=task_id)
    assert list(refreshes.values_list("status", flat=True)) == [TaskResultStatus.SUCCESSFUL]
    assert StaleCell.objects.count() == 0
    assert _women(cast.country) == (40, 100)


# The worker runs in autocommit and closes old connections as it wakes, which a test inside
# a transaction cannot survive on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_fresh_marks_are_left_to_the_refresh_that_is_running(cast, admin_user, settings):
    settings.JIGIYA_STALE_SWEEP_MINUTES = 5
    now = timezone.now()
    _killed_mid_refresh(
        cast,
        admin_user,
        started=now - datetime.timedelta(minutes=1),
        marked=now - datetime.timedelta(minutes=1),
    )

    call_command("worker", batch=True, verbosity=0)

    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert StaleCell.objects.count() == 1
    assert _women(cast.country) is None


# The worker runs in autocommit and closes old connections as it wakes, which a test inside
# a transaction cannot survive on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_nightly_tick_sweeps_cells_stale_for_minutes(cast, admin_user, settings):
    settings.JIGIYA_STALE_SWEEP_MINUTES = 5
    now = timezone.now()
    _killed_mid_refresh(
        cast,
        admin_user,
        started=now - datetime.timedelta(minutes=30),
        marked=now - datetime.timedelta(minutes=30),
    )

    schedule.daily_tick.call()

    assert refresh_is_queued()
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert StaleCell.objects.count() == 0
    assert _women(cast.country) == (40, 100)
