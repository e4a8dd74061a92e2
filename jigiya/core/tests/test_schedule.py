import datetime

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jigiya.core import schedule

UTC = datetime.UTC


def test_next_run_is_the_coming_2am_in_bamako():
    assert schedule.next_run(
        datetime.datetime(2026, 11, 25, 1, 59, tzinfo=UTC)
    ) == datetime.datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    assert schedule.next_run(
        datetime.datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    ) == datetime.datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_the_worker_queues_one_tick_however_often_it_starts(db):
    assert schedule.ensure_daily_tick() is True
    assert schedule.ensure_daily_tick() is False
    waiting = DBTaskResult.objects.filter(
        task_path=schedule.TICK_PATH, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1


def test_the_tick_queues_each_daily_task_and_itself_for_tomorrow(db):
    names = [job.name for job in schedule.daily_tasks()]
    assert "followup_tasks_sweep" in names
    result = schedule.daily_tick.call()
    assert result == names
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(queued.values_list("task_path", flat=True)) == sorted(
        [f"{job.module_path}" for job in schedule.daily_tasks()] + [schedule.TICK_PATH]
    )
    tick = queued.get(task_path=schedule.TICK_PATH)
    assert tick.run_after is not None and tick.run_after.hour == 2
