"""The database cache's table (settings.CACHES), created with the other tables by `migrate`.

The rate limits of the API and the login count in Django's cache; every server process must
share those counts, so the default cache is the database (see accounts/README.md). Django
creates that table with `createcachetable`, not with `migrate`; running it here means no
deployment step can forget it. It does nothing for a cache that is not in the database, and
nothing when the table already exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_must_change_password"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
