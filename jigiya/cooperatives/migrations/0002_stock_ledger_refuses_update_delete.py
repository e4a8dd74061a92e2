"""The stock ledger's entries and lines refuse UPDATE and DELETE in the database (triggers on
PostgreSQL and SQLite, see `core.appendonly`), so a direct SQL edit fails instead of being only
found by `verify_stock`. Reverse: the triggers are dropped."""

from django.db import migrations

from jigiya.core.appendonly import guard


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0001_cooperatives_members_products_stock_trade")]

    operations = [guard("cooperatives_stockentry"), guard("cooperatives_stockline")]
