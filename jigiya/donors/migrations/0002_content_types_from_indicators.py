"""The content types (and so the permissions) of the moved models follow them from `indicators`
to `donors`, and back on reverse. Audit entries keep the label they were written with
(`indicators.donor` before the move): the trail is never changed."""

from django.db import migrations

MOVED = ["donor", "funding", "donoruser"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model"))
    # A type already made under the new label (a `migrate` stopped half-way) stays; the old one
    # is then stale, as `remove_stale_contenttypes` reports.
    ContentType.objects.filter(app_label=old, model__in=MOVED).exclude(
        model__in=[model for (model,) in taken]
    ).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "indicators", "donors")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "donors", "indicators")


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0001_donors_from_indicators"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
