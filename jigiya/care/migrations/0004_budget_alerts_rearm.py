"""Budget alerts re-arm: an alert records the budget's amount when its threshold was crossed,
and the budget change that brought the use back under it (`cleared_by`); one alert per budget
and threshold *while armed* (was: once per budget forever)."""

import django.db.models.deletion
from django.db import migrations, models


def amounts_then(apps, schema_editor):
    """The amount in force when each alert was raised: the amount before the first change made
    after it, else the budget's amount now."""
    BudgetAlert = apps.get_model("care", "BudgetAlert")
    BudgetRevision = apps.get_model("care", "BudgetRevision")
    for alert in BudgetAlert.objects.select_related("budget").order_by("pk"):
        later = (
            BudgetRevision.objects.filter(budget_id=alert.budget_id, created_at__gt=alert.created_at)
            .order_by("created_at")
            .first()
        )
        alert.budget_amount = later.amount_before if later else alert.budget.amount
        alert.save(update_fields=["budget_amount"])


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0003_scheme_close_budget_revisions_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetalert",
            name="budget_amount",
            field=models.PositiveBigIntegerField(null=True, verbose_name="budget (FCFA)"),
        ),
        migrations.RunPython(amounts_then, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="budgetalert",
            name="budget_amount",
            field=models.PositiveBigIntegerField(verbose_name="budget (FCFA)"),
        ),
        migrations.AddField(
            model_name="budgetalert",
            name="cleared_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cleared",
                to="care.budgetrevision",
                verbose_name="re-armed by",
            ),
        ),
        migrations.RemoveConstraint(model_name="budgetalert", name="care_alert_once"),
        migrations.AddConstraint(
            model_name="budgetalert",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cleared_by__isnull", True)),
                fields=("budget", "percent"),
                name="care_alert_once_while_armed",
            ),
        ),
    ]
