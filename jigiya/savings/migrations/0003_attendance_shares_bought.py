from django.db import migrations, models


class Migration(migrations.Migration):
    """The shares a member bought at a meeting, on her attendance line (until now only the
    memo of her shares entry held them). Nullable until 0004 fills it."""

    dependencies = [
        ("savings", "0002_cycle_leaving_rule_payout_earmark"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="shares",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="shares bought"),
        ),
    ]
