"""A task's state history refuses UPDATE and DELETE in the database (triggers on PostgreSQL and
SQLite, see `core.appendonly`): the history a supervisor reads cannot be rewritten by a direct
SQL edit. Reverse: the triggers are dropped."""

from django.db import migrations

from jigiya.core.appendonly import guard


class Migration(migrations.Migration):
    dependencies = [("followup", "0003_visit_referral_made_at")]

    operations = [guard("followup_taskstatechange")]
