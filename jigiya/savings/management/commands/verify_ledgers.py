import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jigiya.savings import ledger


class Command(BaseCommand):
    help = (
        "Check every savings group's ledger: each entry balances, cash never goes negative, "
        "the hash chain is intact. Exits with an error when a rule is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", action="append", help="Only this group id (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = ledger.verify(options["group"])
        elapsed = time.monotonic() - started
        for problem in report.problems:
            self.stderr.write(problem)
        summary = (
            f"{report.groups} groups, {report.entries} entries, {report.lines} lines checked "
            f"in {elapsed:.1f} s"
        )
        if report.problems:
            raise CommandError(f"{len(report.problems)} problems found ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"Ledgers intact: {summary}."))
