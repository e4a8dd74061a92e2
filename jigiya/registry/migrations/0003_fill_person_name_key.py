import unicodedata

from django.db import migrations


def _key(given: str, family: str) -> str:
    text = unicodedata.normalize("NFKD", f"{given} {family}")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().replace("-", " ").replace("'", " ").split())


def fill(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    for person in Person.objects.only("id", "given_name", "family_name").iterator():
        Person.objects.filter(pk=person.pk).update(
            name_key=_key(person.given_name, person.family_name)
        )


def empty(apps, schema_editor):
    apps.get_model("registry", "Person").objects.update(name_key="")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_pregnancies_enrollments_assessments")]

    operations = [migrations.RunPython(fill, empty)]
