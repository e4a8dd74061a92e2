import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
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


def _task_running_since(minutes: int) -> DBTaskResult:
    result = schedule.daily_tick.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_running_past_its_lease_is_put_back_in_the_queue(db, settings):
    settings.JIGIYA_TASK_LEASE_MINUTES = 60
    lost = _task_running_since(61)
    working = _task_running_since(59)

    assert schedule.reclaim_expired() == 1

    lost.refresh_from_db()
    working.refresh_from_db()
    assert (lost.status, working.status) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    assert schedule.reclaim_expired() == 0


def test_a_tick_taken_again_does_not_queue_a_second_tick_for_tomorrow(db):
    # A worker died during tonight's tick; the next worker queued tomorrow's at its start.
    assert schedule.ensure_daily_tick() is True
    schedule.daily_tick.call()  # tonight's, taken again after its lease
    ticks = DBTaskResult.objects.filter(task_path=schedule.TICK_PATH, status=TaskResultStatus.READY)
    assert ticks.count() == 1


def test_the_worker_runs_without_the_reloader_unless_asked(db, monkeypatch):
    from jigiya.core.management.commands import worker

    calls: list[str] = []
    monkeypatch.setattr(worker.Command, "work", lambda self, w, **kw: calls.append("work"))
    monkeypatch.setattr(worker, "run_with_reloader", lambda main: calls.append("reloader"))

    call_command("worker", verbosity=0)
    assert calls == ["work"]
    call_command("worker", "--reload", verbosity=0)
    assert calls == ["work", "reloader"]


# The worker runs in autocommit and closes old connections as it wakes, which a test inside
# a transaction cannot survive on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_a_failed_check_does_not_stop_the_worker(db, monkeypatch):
    from jigiya.core.management.commands import worker

    def fail() -> None:
        raise RuntimeError("database away")

    monkeypatch.setattr(worker, "worker_check", fail)
    result = schedule.daily_tick.enqueue()

    call_command("worker", batch=True, verbosity=0)

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
