"""Background tasks of the follow-up, run by `jigiya worker` (django-tasks, database backend)."""

from django_tasks import task

from jigiya.core.schedule import daily
from jigiya.followup import services


@daily
@task()
def followup_tasks_sweep() -> int:
    """Mark missed the open tasks whose window has closed; returns how many. Run daily."""
    return services.tasks_sweep()
