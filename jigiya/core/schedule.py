"""Daily background work, run by `jigiya worker` without cron.

An app declares a daily task once, in its own `tasks.py`::

    @daily
    @task()
    def followup_tasks_sweep() -> int: ...

`jigiya worker` makes sure the `daily_tick` task is queued before it starts working; when the
tick runs (every night at 02:00 Bamako time) it queues every daily task, then queues itself for
the next night. A tick lost with its worker is queued again by the next worker that starts.

Two guards keep work from being lost with a worker killed mid-task (kill -9, power cut):

- **Leases.** django-tasks-db has none: a task whose worker died stays `RUNNING` forever. Every
  worker check (`worker_check`, at start and then every `JIGIYA_WORKER_CHECK_SECONDS`) puts a
  task `RUNNING` for longer than `JIGIYA_TASK_LEASE_MINUTES` (60: longer than any task runs) back
  to `READY`, so it is taken again (`worker_ids` then names both workers).
- **Sweeps.** An app may register a function that finds work left undone by looking at the data,
  not at the queue (the indicators' stale cells)::

      @sweep
      def stale_cells_sweep() -> bool: ...

  Every worker check and the nightly tick call each sweep.
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

TICK_PATH = "jigiya.core.schedule.daily_tick"
HOUR = 2  # the quietest hour, after the day's records are in

_DAILY: list[Task[Any, Any]] = []
_SWEEPS: list[Callable[[], Any]] = []

log = logging.getLogger(__name__)


def daily(job: Task[Any, Any]) -> Task[Any, Any]:
    """Run this task once a day (decorate the result of `@task()`)."""
    _DAILY.append(job)
    return job


def daily_tasks() -> list[Task[Any, Any]]:
    autodiscover_modules("tasks")
    return list(_DAILY)


def sweep(function: Callable[[], Any]) -> Callable[[], Any]:
    """Call `function()` at every worker check and in the nightly tick (declare it in the app's
    `tasks.py`). It must be cheap when there is nothing to do, and queue its work as a task."""
    if function not in _SWEEPS:
        _SWEEPS.append(function)
    return function


def run_sweeps() -> dict[str, Any]:
    """Call every sweep; what each returned, by name."""
    autodiscover_modules("tasks")
    return {f"{job.__module__}.{job.__name__}": job() for job in _SWEEPS}


def reclaim_expired(now: datetime.datetime | None = None) -> int:
    """Put every task `RUNNING` past its lease (its worker is gone) back to `READY`, so a worker
    takes it again. Returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        minutes=settings.JIGIYA_TASK_LEASE_MINUTES
    )
    expired = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    count = expired.update(status=TaskResultStatus.READY)
    if count:
        log.warning("%d task(s) running past their lease were put back in the queue.", count)
    return count


def worker_check() -> dict[str, Any]:
    """What `jigiya worker` does at start and then every `JIGIYA_WORKER_CHECK_SECONDS`: take back
    the tasks past their lease, keep the nightly tick queued, run the sweeps."""
    return {
        "reclaimed": reclaim_expired(),
        "tick_queued": ensure_daily_tick(),
        "sweeps": run_sweeps(),
    }


def next_run(now: datetime.datetime) -> datetime.datetime:
    """The next 02:00 in Bamako after `now`."""
    local = timezone.localtime(now)
    run = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    if run <= local:
        run += datetime.timedelta(days=1)
    return run


@task()
def daily_tick() -> list[str]:
    """Queue every daily task now, run the sweeps, and queue this tick again for tomorrow night
    (unless a later tick already waits: a tick taken again after its lease, or one a restarted
    worker queued, must not make two)."""
    queued = []
    for job in daily_tasks():
        job.enqueue()
        queued.append(job.name)
    run_sweeps()
    now = timezone.now()
    later = DBTaskResult.objects.filter(
        task_path=TICK_PATH, status=TaskResultStatus.READY, run_after__gt=now
    )
    if not later.exists():
        daily_tick.using(run_after=next_run(now)).enqueue()
    return queued


def ensure_daily_tick() -> bool:
    """Queue the tick unless one is already waiting; True when it queued one."""
    waiting = DBTaskResult.objects.filter(task_path=TICK_PATH, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    daily_tick.using(run_after=next_run(timezone.now())).enqueue()
    return True
