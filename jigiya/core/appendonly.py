"""Append-only tables refuse UPDATE and DELETE, in the ORM and in the database itself.

In the ORM: a ledger (or the audit trail) subclasses `AppendOnlyModel`, whose `save` of an
existing row, `delete`, and queryset `update()` / `delete()` raise `AppendOnlyError`. A correction
is a new row (a reversal), never an edit. `jigiya verify-ledgers` finds a change made behind the
ORM's back; the triggers below make a direct SQL edit (psql, the sqlite3 shell, a script on the
server) fail instead of being only found later.

A migration installs them, one table at a time (`guard("savings_entry")`):

- PostgreSQL: a `BEFORE UPDATE OR DELETE … FOR EACH ROW` trigger `<table>_append_only` calling
  the function of the same name, which raises "<table> is append-only: UPDATE refused".
  TRUNCATE fires no row trigger: Django's `flush` (tests that commit) uses it. A production
  role that should not empty tables is simply not granted TRUNCATE.
- SQLite: two triggers, `<table>_no_update` and `<table>_no_delete`, `RAISE(ABORT, …)`.
  A migration that rebuilds a guarded table on SQLite (most `AlterField`s do) drops its
  triggers with the old table: install them again in that migration
  (`core.tests.test_appendonly` fails until it does).

Deliberate removals go through `suspended(...)`, inside one transaction that puts the triggers
back at its end (or rolls back with them): Django's `flush` on SQLite (it empties tables with
DELETE), the data generator's `reset` of synthetic rows, and tests that play an attacker who
holds the owner's rights. Disabling a trigger takes the table owner's rights, as dropping it does.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from django.db import DEFAULT_DB_ALIAS, connections, migrations, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


class AppendOnlyError(ValueError):
    """An update or a delete of a row in an append-only table (a programming error: the
    services only ever add rows). Its message is the database trigger's."""

    def __init__(self, table: str, operation: str) -> None:
        super().__init__(f"{table} is append-only: {operation} refused")


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses `update()`, `bulk_update()` and `delete()`."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(self.model._meta.db_table, "UPDATE")

    # Django's own would call `update()` inside an atomic block, which the refusal would break.
    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(self.model._meta.db_table, "UPDATE")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(self.model._meta.db_table, "DELETE")


class AppendOnlyModel(models.Model):
    """A row written once: saving it again or deleting it raises `AppendOnlyError`.

    The manager keeps the name `objects` and stays out of migrations, so a model that takes this
    base changes no schema. Install the database's own guard with `guard(table)`."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(self._meta.db_table, "UPDATE")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(self._meta.db_table, "DELETE")


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING HINT = 'Rows here are never changed or removed: record a correction as a new row.';
END;
$$;
"""
_PG_TRIGGER = (
    "CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION {name}()"
)
_SQLITE_TRIGGER = (
    "CREATE TRIGGER {name} BEFORE {op} ON {table} "
    "BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
)


def _sqlite_names(table: str) -> dict[str, str]:
    return {"UPDATE": f"{table}_no_update", "DELETE": f"{table}_no_delete"}


def _install(connection: BaseDatabaseWrapper, table: str) -> None:
    name = f"{table}_append_only"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION.format(name=name))
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(_PG_TRIGGER.format(name=name, table=table))
        elif connection.vendor == "sqlite":
            for op, trigger in _sqlite_names(table).items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cursor.execute(_SQLITE_TRIGGER.format(name=trigger, op=op, table=table))


def _remove(connection: BaseDatabaseWrapper, table: str) -> None:
    name = f"{table}_append_only"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif connection.vendor == "sqlite":
            for trigger in _sqlite_names(table).values():
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def guard(table: str) -> migrations.RunPython:
    """The migration operation that makes `table` refuse UPDATE and DELETE (reverse: it
    accepts them again). PostgreSQL and SQLite; other databases are left as they are."""

    def forward(apps: Any, schema_editor: Any) -> None:
        _install(schema_editor.connection, table)

    def backward(apps: Any, schema_editor: Any) -> None:
        _remove(schema_editor.connection, table)

    return migrations.RunPython(forward, backward)


def guarded_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables whose triggers are in place (every one of them, for both operations)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = c.relname || '_append_only' AND t.tgenabled <> 'D' "
                "ORDER BY c.relname"
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            names = {row[1] for row in cursor.fetchall()}
            tables = {name.removesuffix("_no_update") for name in names}
            return sorted(table for table in tables if set(_sqlite_names(table).values()) <= names)
    return []


@contextmanager
def suspended(*tables: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let these guarded tables take UPDATE and DELETE inside the block, which runs in a
    transaction; the triggers are back when it ends (or rolled back with it)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        _each(connection, tables, disable=True)
        yield
        _each(connection, tables, disable=False)


def _each(connection: BaseDatabaseWrapper, tables: tuple[str, ...], *, disable: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # PostgreSQL alters no table with trigger events pending, and every row written or
            # deleted in this transaction leaves its deferred foreign-key checks pending: run
            # them now and check immediately inside the block, then defer again as before
            # (every Jigiya foreign key is DEFERRABLE INITIALLY DEFERRED, Django's default).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            verb = "DISABLE" if disable else "ENABLE"
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} {verb} TRIGGER {table}_append_only")
            if not disable:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    step: Callable[[BaseDatabaseWrapper, str], None] = _remove if disable else _install
    for table in tables:
        step(connection, table)
