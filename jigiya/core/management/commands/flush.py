from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from jigiya.core import appendonly


class Command(flush.Command):
    """Django's `flush`, which also empties the append-only tables: on SQLite it empties tables
    with DELETE, which their triggers refuse, so they are suspended for the flush (PostgreSQL
    flushes with TRUNCATE, which fires no row trigger)."""

    def handle(self, **options: Any) -> None:
        using = options.get("database") or DEFAULT_DB_ALIAS
        if connections[using].vendor != "sqlite":
            super().handle(**options)
            return
        with appendonly.suspended(*appendonly.guarded_tables(using), using=using):
            super().handle(**options)
