"""Backup and restore of the whole database (`jigiya backup`, `jigiya restore`, docs/backup.md).

- PostgreSQL: `pg_dump --format=custom` and `pg_restore --single-transaction` (all or nothing),
  connection details from `DATABASE_URL` passed in the environment (never on the command line,
  where `ps` would show a password).
- SQLite: the SQLite backup API (`sqlite3.Connection.backup`), a consistent copy of a database
  in use, page by page, then `PRAGMA integrity_check` of the copy.

A backup is written beside its final name and renamed when complete, so a file that bears the
name is whole. A restore refuses a database that holds records unless told to replace them (and
then first keeps a backup of what it replaces), brings the schema up to date (`migrate`), then
checks the ledgers (every hash chain, every recorded chain head), the place tree and the
indicators (stored values against a recomputation) before it declares success.
"""

import io
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from jigiya.indicators import checks

# Tables `migrate` fills by itself: a database holding only these is empty.
_MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}


def default_path(*, using: str = DEFAULT_DB_ALIAS, prefix: str = "jigiya") -> Path:
    """var/backups/jigiya-20261203-021500.dump (PostgreSQL) or .sqlite3 (SQLite)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if connections[using].vendor == "postgresql" else "sqlite3"
    return Path(settings.VAR_DIR) / "backups" / f"{prefix}-{stamp}.{suffix}"


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for this database (the password stays out of the command line)."""
    conf = connections[using].settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        if conf.get(key):
            env[variable] = str(conf[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise CommandError(f"{command[0]} is not installed (PostgreSQL's client tools).")
    done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise CommandError(f"{command[0]} failed: {done.stderr.strip()}")


def backup(*, output: Path | None = None, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Copy the whole database to `output` (default: `default_path()`); returns the path."""
    connection = connections[using]
    path = Path(output) if output else default_path(using=using)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if connection.vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
            _pg_environment(using),
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(partial)) as copy:
            connection.connection.backup(copy)
            # The copy inherits the live database's WAL mode: one self-contained file instead.
            copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_sound(partial)
    else:
        raise CommandError(f"No backup for the {connection.vendor} database.")
    partial.replace(path)
    return path


def _sqlite_sound(path: Path) -> None:
    """The file is a sound SQLite database of Jigiya (a migrated one)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is not a SQLite database ({error}).") from error
    if result != "ok":
        raise CommandError(f"{path} is damaged: {result}")
    if "django_migrations" not in tables:
        raise CommandError(f"{path} is not a Jigiya database (no migrations table).")


def tables_with_records(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The models whose tables hold rows, leaving out what `migrate` makes by itself (an empty
    list: the database is empty). One cheap query a table."""
    existing = set(connections[using].introspection.table_names())
    return [
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.label_lower not in _MADE_BY_MIGRATE
        and model._meta.db_table in existing
        and model._base_manager.using(using).exists()
    ]


def restore(*, source: Path, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the whole database with the backup `source` (the caller checked it may)."""
    connection = connections[using]
    if not Path(source).is_file():
        raise CommandError(f"{source}: no such file.")
    if connection.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ],
            _pg_environment(using),
        )
    elif connection.vendor == "sqlite":
        _sqlite_sound(Path(source))
        connection.close()
        connection.ensure_connection()
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_file:
            backup_file.backup(connection.connection)
    else:
        raise CommandError(f"No restore for the {connection.vendor} database.")
    connection.close()  # the next query opens the restored database afresh


@dataclass
class Verification:
    """What a restore proved before declaring success."""

    ledgers: str = ""
    places: str = ""
    indicators: str = ""
    problems: list[str] = field(default_factory=list)


# Every append-only, hash-chained ledger has its checking command; a restore runs them all.
LEDGER_COMMANDS = ("verify_ledgers", "verify_stock", "verify_care_ledger")


def _command(name: str, *args: str) -> tuple[str, list[str]]:
    """Run a checking command; (its summary, the problems it reported)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as error:
        return str(error), [line for line in err.getvalue().splitlines() if line] or [str(error)]
    return out.getvalue().strip(), []


def verify(*, sample: int | None, seed: int | None = None) -> Verification:
    """Check the restored data: every ledger (the savings groups' with `verify_ledgers`:
    balance, cash, hash chains and the chain heads recorded in the audit trail; the
    cooperatives' stock and cash with `verify_stock`; the care payments with
    `verify_care_ledger`), the place tree (`verify_places`), and the indicators' community
    values against a recomputation, for `sample` random communities or all of them (None)."""
    report = Verification()
    summaries = []
    for command in LEDGER_COMMANDS:
        summary, problems = _command(command)
        summaries.append(summary)
        report.problems += problems
    report.ledgers = "\n".join(summaries)
    report.places, problems = _command("verify_places")
    report.problems += problems
    chosen = None if sample is None else checks.community_sample(sample, seed=seed)
    values = checks.community_values_check(chosen)
    report.indicators = (
        f"{values.values} stored values of {values.communities} communities match the records"
        + (
            f" ({values.stale_skipped} stale cells left to the worker)"
            if values.stale_skipped
            else ""
        )
    )
    report.problems += values.problems[:200]
    return report


def migrate_restored() -> list[str]:
    """Bring a restored database's schema up to this code's migrations; returns what ran."""
    out = io.StringIO()
    call_command("migrate", interactive=False, verbosity=1, stdout=out)
    return [line.strip() for line in out.getvalue().splitlines() if "Applying" in line]
