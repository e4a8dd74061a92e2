from django.db import connection

from jigiya.core.statistics import refresh_statistics
from jigiya.core.tasks import database_statistics
from jigiya.places.models import Place

POSTGRES = connection.vendor == "postgresql"


def _analysed_places() -> int:
    """Rows the planner believes `places_place` holds (-1 or none: never analysed)."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'places_place'")
            return int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        )
        if cursor.fetchone() is None:
            return -1
        # Each index's line starts with the number of rows.
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'places_place' ORDER BY idx")
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else -1


def test_generate_and_the_night_give_the_planner_its_statistics(cast):
    places = Place.objects.count()
    assert places == 7
    ran = refresh_statistics()
    assert ran == ("ANALYZE" if POSTGRES else "PRAGMA analysis_limit = 1000; ANALYZE")
    assert _analysed_places() == places
    # At night PostgreSQL's autovacuum does it; SQLite has no autovacuum.
    assert database_statistics.call() == ("" if POSTGRES else ran)
