from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jigiya.web import backup


class Command(BaseCommand):
    help = (
        "Restore the whole database from a backup made by `jigiya backup`, bring its schema up "
        "to date, then check the ledgers (hash chains, recorded chain heads), the place tree and "
        "the indicators before declaring success. Refuses a database that holds records unless "
        "--replace is given (it then backs them up first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A backup file (.dump or .sqlite3).")
        parser.add_argument(
            "--replace",
            "--force",
            action="store_true",
            help="Replace a database that holds records (a backup of it is written first).",
        )
        checks = parser.add_mutually_exclusive_group()
        checks.add_argument(
            "--sample",
            type=int,
            default=25,
            help="Recompute the indicators of this many random communities (default 25).",
        )
        checks.add_argument(
            "--all-indicators", action="store_true", help="Recompute every community's values."
        )
        parser.add_argument("--seed", type=int, help="Seed of the sample (to repeat a check).")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["path"]
        if not source.is_file():
            raise CommandError(f"{source}: no such file.")
        if options["sample"] < 1:
            raise CommandError("--sample: give at least 1 community.")
        held = backup.tables_with_records()
        if held and not options["replace"]:
            raise CommandError(
                f"The database is not empty: {len(held)} tables hold records "
                f"({', '.join(held[:5])}{', …' if len(held) > 5 else ''}). Restoring would "
                "replace them all: run again with --replace (they are backed up first)."
            )
        if held:
            kept = backup.backup(output=backup.default_path(prefix="before-restore"))
            self.stdout.write(f"The database as it was is kept in {kept}.")
        backup.restore(source=source)
        for line in backup.migrate_restored():
            self.stdout.write(line)
        sample = None if options["all_indicators"] else options["sample"]
        report = backup.verify(sample=sample, seed=options["seed"])
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            raise CommandError(
                f"Restored from {source}, but the checks found {len(report.problems)} problems "
                "(above): do not serve this database until they are understood."
            )
        for line in (report.ledgers, report.places, report.indicators):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}; every check passed."))
