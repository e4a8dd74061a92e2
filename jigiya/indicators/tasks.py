"""The refresh task, queued after every commit that marks cells stale (at most one waiting),
and the sweep that queues one whenever cells have waited for minutes, whatever the queue says."""

import datetime

from django.conf import settings
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from jigiya.core.schedule import daily, sweep
from jigiya.indicators import engine

TASK_PATH = "jigiya.indicators.tasks.indicators_refresh"


@task()
def indicators_refresh() -> dict[str, int]:
    """Recompute the stale cells; the result says how many cells and values were written."""
    report = engine.refresh()
    return {"cells": report.cells, "values": report.values}


def refresh_is_queued() -> bool:
    """A refresh waits in the queue (it will read every stale cell when it runs)."""
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).exists()


@sweep
def stale_cells_sweep() -> bool:
    """Queue a refresh if a cell has been stale for `JIGIYA_STALE_SWEEP_MINUTES` (its refresh died
    with a worker, or was never queued); run by every worker check and the nightly tick."""
    return engine.sweep_stale(
        older_than=datetime.timedelta(minutes=settings.JIGIYA_STALE_SWEEP_MINUTES)
    )


@daily
@task()
def indicators_roll() -> int:
    """Recompute this month and the last of the ongoing indicators (see `engine.roll`)."""
    return engine.roll()
