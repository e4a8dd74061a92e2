"""Daily background work, run by `jigiya worker` without cron.

An app declares a daily task once, in its own `tasks.py`::

    @daily
    @task()
    def followup_tasks_sweep() -> int: ...

`jigiya worker` makes sure the `daily_tick` task is queued before it starts working; when the
tick runs (every night at 02:00 Bamako time) it queues every daily task, then queues itself for
the next night. A tick lost with its worker is queued again by the next worker that starts.
"""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

TICK_PATH = "jigiya.core.schedule.daily_tick"
HOUR = 2  # the quietest hour, after the day's records are in

_DAILY: list[Task[Any, Any]] = []


def daily(job: Task[Any, Any]) -> Task[Any, Any]:
    """Run this task once a day (decorate the result of `@task()`)."""
    _DAILY.append(job)
    return job


def daily_tasks() -> list[Task[Any, Any]]:
    autodiscover_modules("tasks")
    return list(_DAILY)


def next_run(now: datetime.datetime) -> datetime.datetime:
    """The next 02:00 in Bamako after `now`."""
    local = timezone.localtime(now)
    run = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    if run <= local:
        run += datetime.timedelta(days=1)
    return run


@task()
def daily_tick() -> list[str]:
    """Queue every daily task now, and this tick again for tomorrow night."""
    queued = []
    for job in daily_tasks():
        job.enqueue()
        queued.append(job.name)
    daily_tick.using(run_after=next_run(timezone.now())).enqueue()
    return queued


def ensure_daily_tick() -> bool:
    """Queue the tick unless one is already waiting; True when it queued one."""
    waiting = DBTaskResult.objects.filter(task_path=TICK_PATH, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    daily_tick.using(run_after=next_run(timezone.now())).enqueue()
    return True
