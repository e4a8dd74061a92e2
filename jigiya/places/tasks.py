"""Background tasks of the places app, run by `jigiya worker` (django-tasks, database backend)."""

from django_tasks import task

from jigiya.places import selectors


@task()
def place_tree_verify() -> list[str]:
    """Check the whole place tree; the problems found are the task's result (none when sound)."""
    return selectors.place_tree_problems()
