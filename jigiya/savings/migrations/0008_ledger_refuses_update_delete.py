"""The ledger's entries and lines refuse UPDATE and DELETE in the database (triggers on
PostgreSQL and SQLite, see `core.appendonly`), so a direct SQL edit fails instead of being only
found by `verify-ledgers`. Reverse: the triggers are dropped."""

from django.db import migrations

from jigiya.core.appendonly import guard


class Migration(migrations.Migration):
    dependencies = [("savings", "0007_fill_loan_limit_basis")]

    operations = [guard("savings_entry"), guard("savings_entryline")]
