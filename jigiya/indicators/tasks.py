"""The refresh task, queued after every commit that marks cells stale (at most one waiting)."""

from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from jigiya.core.schedule import daily
from jigiya.indicators import engine

TASK_PATH = "jigiya.indicators.tasks.indicators_refresh"


@task()
def indicators_refresh() -> dict[str, int]:
    """Recompute the stale cells; the result says how many cells and values were written."""
    report = engine.refresh()
    return {"cells": report.cells, "values": report.values}


def refresh_is_queued() -> bool:
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).exists()


@daily
@task()
def indicators_roll() -> int:
    """Recompute this month and the last of the ongoing indicators (see `engine.roll`)."""
    return engine.roll()
