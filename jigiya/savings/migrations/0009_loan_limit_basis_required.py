"""Cycle.loan_limit_basis is required from here, "all_owed" by default (0007 filled every
existing cycle). Reverse: nullable again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("savings", "0008_ledger_refuses_update_delete"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cycle",
            name="loan_limit_basis",
            field=models.CharField(
                choices=[
                    ("all_owed", "All she owes (principal still owed + the new loan)"),
                    ("each_loan", "Each loan on its own"),
                ],
                default="all_owed",
                max_length=16,
                verbose_name="the maximum loan applies to",
            ),
        ),
    ]
