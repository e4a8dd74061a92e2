from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jigiya.web import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database: pg_dump (custom format) on PostgreSQL, the SQLite backup "
        "API on SQLite. Default file: var/backups/jigiya-<date>-<time>.dump or .sqlite3. "
        "See docs/backup.md for a schedule and how long to keep them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Where to write the backup.")

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        path = backup.backup(output=output)
        size = path.stat().st_size / 1_000_000
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path} ({size:.1f} MB)."))
