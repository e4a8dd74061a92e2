from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jigiya.core.schedule import daily_tasks, ensure_daily_tick


class Command(BaseCommand):
    help = (
        "Run background tasks (indicator refresh, DHIS2, daily sweeps): django-tasks' database "
        "worker, after making sure the nightly tick is queued. Options are db_worker's."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--no-reload", action="store_true", help="Do not reload on changes.")

    def handle(
        self, *args: Any, batch: bool = False, no_reload: bool = False, **options: Any
    ) -> None:
        if ensure_daily_tick():
            names = ", ".join(job.name for job in daily_tasks()) or "nothing yet"
            self.stdout.write(f"Nightly tick queued (runs {names}).")
        call_command("db_worker", batch=batch, reload=not no_reload and not batch)
