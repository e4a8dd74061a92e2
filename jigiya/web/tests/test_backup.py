"""Backup, wipe, restore: every record and every hash comes back, and the restore proves the
ledgers, places and indicators before it says so. On SQLite always; on PostgreSQL when the
suite runs there (DATABASE_URL), with pg_dump and pg_restore."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from jigiya.core import appendonly
from jigiya.savings import heads
from jigiya.savings.models import Entry
from jigiya.web import backup

pytestmark = pytest.mark.django_db(transaction=True)


def _everything() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that holds some, in key order."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._base_manager.exists()
    }


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The demo world with its chain heads recorded; backups go under a temporary var/."""
    settings.VAR_DIR = tmp_path / "var"
    call_command("demo", stdout=io.StringIO())
    heads.chain_heads_record()
    return _everything()


def _suffix() -> str:
    return "dump" if connection.vendor == "postgresql" else "sqlite3"


def test_backup_wipe_restore_finds_every_record_and_hash(demo, tmp_path):
    hashes = list(Entry.objects.order_by("group_id", "seq").values_list("hash", flat=True))
    assert len(hashes) > 100 and "savings.entry" in demo and "core.auditentry" in demo
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / f"one.{_suffix()}"), stdout=out)
    assert f"Backup written: {tmp_path / f'one.{_suffix()}'}" in out.getvalue()

    call_command("flush", interactive=False, verbosity=0)
    assert backup.tables_with_records() == []
    out = io.StringIO()
    call_command("restore", str(tmp_path / f"one.{_suffix()}"), stdout=out)

    assert _everything() == demo
    assert list(Entry.objects.order_by("group_id", "seq").values_list("hash", flat=True)) == hashes
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Ledgers intact: ")
    assert lines[1].startswith("Stock ledgers intact: ")
    assert lines[2].startswith("Care ledger intact: ")
    assert lines[3] == "The place tree is sound."
    assert lines[4].endswith("communities match the records")
    assert lines[5] == f"Restored from {tmp_path / f'one.{_suffix()}'}; every check passed."
    # The restored ledger is still guarded by its triggers.
    assert appendonly.guarded_tables() == [
        "care_paymententry",
        "cooperatives_cashentry", "cooperatives_duespayment", "cooperatives_stockentry",
        "cooperatives_stockline",
        "core_auditentry", "followup_taskstatechange", "savings_entry", "savings_entryline",
    ]  # fmt: skip

    # A backup of ledgers changed behind their back restores, but is not declared a success.
    forgeries = {
        "savings_entry": "UPDATE savings_entry SET memo = 'forged' WHERE seq = 2",
        "cooperatives_stockentry": "UPDATE cooperatives_stockentry SET reason = 'forged' "
        "WHERE seq = 1",
        "care_paymententry": "UPDATE care_paymententry SET amount = amount + 1 WHERE seq = 1",
    }
    for table, sql in forgeries.items():
        with appendonly.suspended(table), connection.cursor() as cursor:
            cursor.execute(sql)
    bad = backup.backup(output=tmp_path / f"bad.{_suffix()}")
    call_command("flush", interactive=False, verbosity=0)
    errors = io.StringIO()
    with pytest.raises(CommandError, match=r"the checks found .* do not serve this database"):
        call_command("restore", str(bad), stdout=io.StringIO(), stderr=errors)
    problems = errors.getvalue()
    assert re.search(r"^group \S+ entry #2: hash does not match its content", problems, re.M)
    assert re.search(r"^cooperative \S+ entry #1: hash does not match its content", problems, re.M)
    assert re.search(r"^entry #1 \(\S+\): hash does not match its content", problems, re.M)
    assert re.search(r"^claim \S+ \(closed\): paid (\d+) FCFA net, expected", problems, re.M)


def test_restore_refuses_a_database_that_holds_records_unless_told_to_replace(
    cast, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    before = _everything()
    path = backup.backup()
    assert path.parent == settings.VAR_DIR / "backups"
    cast.community_a.name = "Renamed after the backup"
    cast.community_a.save(update_fields=["name"])
    changed = _everything()

    with pytest.raises(CommandError, match=r"The database is not empty: .* --replace"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert _everything() == changed
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]

    out = io.StringIO()
    call_command("restore", str(path), "--replace", "--all-indicators", stdout=out)
    kept = sorted(path.parent.glob("before-restore-*"))
    assert len(kept) == 1 and f"kept in {kept[0]}" in out.getvalue()
    assert "every check passed" in out.getvalue()
    assert _everything() == before


def test_restore_names_what_is_wrong_with_its_input(db, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.sqlite3"))
    with pytest.raises(CommandError, match="--sample: give at least 1"):
        call_command("restore", str(not_a_backup), "--sample", "0")
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="is not a SQLite database"):
            call_command("restore", str(not_a_backup))
