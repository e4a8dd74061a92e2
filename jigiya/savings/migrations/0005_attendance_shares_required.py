from django.db import migrations, models


class Migration(migrations.Migration):
    """Every attendance line now says how many shares were bought (0 for none)."""

    dependencies = [
        ("savings", "0004_fill_attendance_shares_from_memo"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attendance",
            name="shares",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="shares bought"),
        ),
    ]
