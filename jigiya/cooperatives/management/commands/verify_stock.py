import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jigiya.cooperatives import cash, stock


class Command(BaseCommand):
    help = (
        "Check every cooperative's stock and cash ledgers: cash never below zero, whole "
        "non-zero quantities, stock never below "
        "zero, the hash chain intact, each product's stock row equal to its ledger lines. "
        "Exits with an error when a rule is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cooperative", action="append", help="Only this cooperative id (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = stock.verify(options["cooperative"])
        report.problems += cash.verify(options["cooperative"])
        elapsed = time.monotonic() - started
        for problem in report.problems:
            self.stderr.write(problem)
        summary = (
            f"{report.cooperatives} cooperatives, {report.entries} entries, {report.lines} "
            f"lines checked in {elapsed:.1f} s"
        )
        if report.problems:
            raise CommandError(f"{len(report.problems)} problems found ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"Stock ledgers intact: {summary}."))
