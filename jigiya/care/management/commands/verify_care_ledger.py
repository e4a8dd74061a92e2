import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jigiya.care import ledger


class Command(BaseCommand):
    help = (
        "Check the care payments ledger of every health center: entries numbered without gaps, "
        "the hash chain intact, each reversal pointing at the payment it reverses, and every "
        "claim paid exactly once (net) when paid or closed, never otherwise. Exits with an "
        "error when a rule is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--health-center", action="append", help="Only this health center id (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = ledger.verify(options["health_center"])
        elapsed = time.monotonic() - started
        for problem in report.problems:
            self.stderr.write(problem)
        summary = f"{report.centers} health centers, {report.entries} entries in {elapsed:.1f} s"
        if report.problems:
            raise CommandError(f"{len(report.problems)} problems found ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"Care ledger intact: {summary}."))
