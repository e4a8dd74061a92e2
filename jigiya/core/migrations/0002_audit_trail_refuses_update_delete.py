"""The audit trail refuses UPDATE and DELETE in the database (triggers on PostgreSQL and SQLite,
see `core.appendonly`), so a direct SQL edit fails. Reverse: the triggers are dropped."""

from django.db import migrations

from jigiya.core.appendonly import guard


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [guard("core_auditentry")]
