"""The cash ledger refuses UPDATE and DELETE in the database (see `core.appendonly`)."""

from django.db import migrations

from jigiya.core.appendonly import guard


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0004_cash_ledger_period_close")]

    operations = [guard("cooperatives_cashentry")]
