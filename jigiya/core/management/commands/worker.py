"""`jigiya worker`: django-tasks-db's worker, with the checks it lacks (core.schedule).

django-tasks-db's `db_worker` has no lease and no periodic hook, so this command runs its
`Worker` in batch mode inside a loop of its own: a check (tasks past their lease taken back, the
nightly tick kept queued, the sweeps), every task ready, a pause of `--interval`, and a check again
every `JIGIYA_WORKER_CHECK_SECONDS`. Without the auto-reloader unless asked (`--reload`, for
development): the reloader restarts the worker on every code change, killing a running task.
"""

import logging
import os
import signal
import time
from argparse import BooleanOptionalAction
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from jigiya.core.schedule import daily_tasks, worker_check

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run background tasks (indicator refresh, DHIS2, daily sweeps): takes back tasks past "
        "their lease, keeps the nightly tick queued and runs the sweeps every "
        "JIGIYA_WORKER_CHECK_SECONDS, and runs every queued task."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument(
            "--reload",
            action=BooleanOptionalAction,
            default=False,
            help="Restart on code changes (development only; off by default).",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at the queue."
        )

    def handle(
        self,
        *args: Any,
        batch: bool = False,
        reload: bool = False,
        interval: float = 1.0,
        **options: Any,
    ) -> None:
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=True,  # every task ready, then back to this command's loop
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        # The library's worker says "starting" and "no more tasks" at each pass of the loop below;
        # its warnings (shutting down) still show, and each task's start and end ("django_tasks").
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":  # the reloader's child
                worker.configure_signals()
            run_with_reloader(lambda: self.work(worker, batch=False, interval=interval))
            return
        # The worker's handlers stop it gracefully; a batch run (tests, cron) gives the caller's
        # handlers back when it is done.
        previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
        worker.configure_signals()
        try:
            self.work(worker, batch=batch, interval=interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def work(self, worker: Worker, *, batch: bool, interval: float) -> None:
        """Check, run what is ready, pause; once with `batch`, else until stopped."""
        checked_at: float | None = None
        while worker.running:
            if checked_at is None or time.monotonic() - checked_at >= (
                settings.JIGIYA_WORKER_CHECK_SECONDS
            ):
                self.report_check(first=checked_at is None)
                checked_at = time.monotonic()
            worker.run()
            if batch:
                return
            time.sleep(interval)

    def report_check(self, *, first: bool) -> None:
        """Run `worker_check`; say once that the tick is queued (`reclaim_expired` logs what it
        takes back)."""
        close_old_connections()  # as the library's loop does after waking up
        try:
            report = worker_check()
        except Exception:  # a database away or locked: the next check tries again
            log.exception("The worker's check failed; tasks keep running.")
            return
        if report["tick_queued"] and first:
            names = ", ".join(job.name for job in daily_tasks()) or "nothing yet"
            self.stdout.write(f"Nightly tick queued (runs {names}).")
