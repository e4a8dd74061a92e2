"""Planner statistics. Without them a query planner guesses: on a SQLite database that was never
analysed, the CHW's month read every child enrollment of the district (450 ms instead of 1 ms),
and PostgreSQL plans queries over millions of freshly loaded rows as if the tables were empty
until autovacuum gets round to them."""

from django.db import connection


def refresh_statistics(*, nightly: bool = False) -> str:
    """Analyse the database; returns what was run. At night on PostgreSQL nothing is needed:
    autovacuum analyses tables as they change. On SQLite a sampled ANALYZE (at most 1 000 rows
    of each index) keeps it quick on a large file."""
    if connection.vendor == "postgresql":
        if nightly:
            return ""
        statements = ["ANALYZE"]
    else:
        statements = ["PRAGMA analysis_limit = 1000", "ANALYZE"]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return "; ".join(statements)
