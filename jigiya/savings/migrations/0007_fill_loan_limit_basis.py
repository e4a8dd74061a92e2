"""Every existing cycle's maximum loan applies to all she owes (principal still owed plus the new
loan), the VSLA rule and the new default: until now it was checked on each loan alone, which let
a member with 10 000 FCFA saved borrow 30 000 and then 15 000 more. Reverse: empty the column."""

from django.db import migrations


def all_owed(apps, schema_editor):
    apps.get_model("savings", "Cycle").objects.filter(loan_limit_basis__isnull=True).update(
        loan_limit_basis="all_owed"
    )


def empty(apps, schema_editor):
    apps.get_model("savings", "Cycle").objects.update(loan_limit_basis=None)


class Migration(migrations.Migration):
    dependencies = [
        ("savings", "0006_cycle_limits_approvals"),
    ]

    operations = [
        migrations.RunPython(all_owed, empty),
    ]
