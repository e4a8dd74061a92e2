"""The database's planner statistics, refreshed every night."""

from django_tasks import task

from jigiya.core.schedule import daily
from jigiya.core.statistics import refresh_statistics


@daily
@task()
def database_statistics() -> str:
    """SQLite: refresh the planner statistics (PostgreSQL's autovacuum does it there)."""
    return refresh_statistics(nightly=True)
