"""The payments ledger refuses UPDATE and DELETE in the database (triggers on PostgreSQL and
SQLite, see `core.appendonly`), so a direct SQL edit fails instead of being only found by
`verify_care_ledger`. Reverse: the triggers are dropped."""

from django.db import migrations

from jigiya.core.appendonly import guard


class Migration(migrations.Migration):
    dependencies = [("care", "0001_schemes_coverage_claims_ledger")]

    operations = [guard("care_paymententry")]
