# Whether a pregnancy's LMP was estimated from the months of pregnancy she told.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
        ('registry', '0004_person_born_of'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='pregnancy',
            name='lmp_estimated',
            field=models.BooleanField(db_default=False, default=False, verbose_name='last menstrual period estimated'),
        ),
        migrations.AddConstraint(
            model_name='pregnancy',
            constraint=models.CheckConstraint(condition=models.Q(('lmp__isnull', False), ('lmp_estimated', False), _connector='OR'), name='pregnancy_estimated_lmp_needs_a_date'),
        ),
    ]
