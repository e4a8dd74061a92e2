"""Worlds built once for a whole test module and rolled back after it.

Loading the demo world costs about a minute; a module whose tests all start from it builds it
once with `rolled_back()` in a module-scoped fixture, and each test's own transaction (pytest-
django's `db`) nests inside and rolls back to it.
"""

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import transaction


@contextlib.contextmanager
def rolled_back(django_db_blocker: Any) -> Iterator[None]:
    """Database access for a module fixture, inside a transaction rolled back at the end.
    The transaction is marked as a test case's, as Django's TestCase does, so the services'
    durable transactions nest in it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
