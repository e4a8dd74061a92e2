"""The NGO's transparency and accountability scorecard, version 1 (every install uses it, not
only the demo world: it is the scale the partners are ranked on)."""

import datetime

from django.db import migrations

CODE = "transparency-accountability"
DOMAINS = [
    (
        "Gouvernance de l'ASACO",
        [
            ("assembly_12m", "Assemblée générale tenue dans les 12 derniers mois", "yes_no", 3, "assembly_12m"),
            ("board_term", "Bureau renouvelé à temps (mandat en cours)", "yes_no", 2, "board_term"),
            ("board_women", "Part des femmes au bureau", "percent", 1, "board_women"),
        ],
    ),
    (
        "Transparence",
        [
            ("accounts_presented", "Comptes présentés à la communauté", "zero_three", 3, ""),
            ("prices_displayed", "Tarifs des soins et médicaments affichés", "zero_three", 2, ""),
        ],
    ),
    (
        "Redevabilité",
        [
            ("complaints_channel", "Canal de plaintes en place et suivi", "zero_three", 2, ""),
            ("community_feedback", "Avis de la communauté discutés par le bureau", "zero_three", 1, ""),
        ],
    ),
]


def create(apps, schema_editor):
    Instrument = apps.get_model("quality", "Instrument")
    Version = apps.get_model("quality", "InstrumentVersion")
    Domain = apps.get_model("quality", "Domain")
    Criterion = apps.get_model("quality", "Criterion")
    if Instrument.objects.filter(code=CODE).exists():
        return
    instrument = Instrument.objects.create(code=CODE, name="Transparence et redevabilité")
    version = Version.objects.create(
        instrument=instrument, number=1, valid_from=datetime.date(2020, 1, 1)
    )
    position = 0
    for index, (name, criteria) in enumerate(DOMAINS):
        domain = Domain.objects.create(version=version, name=name, position=index)
        for key, text, scale, weight, prefill in criteria:
            position += 1
            Criterion.objects.create(
                version=version,
                domain=domain,
                key=key,
                text=text,
                scale=scale,
                weight=weight,
                prefill=prefill,
                position=position,
            )


def remove(apps, schema_editor):
    Instrument = apps.get_model("quality", "Instrument")
    for instrument in Instrument.objects.filter(code=CODE):
        for version in instrument.versions.all():
            version.criteria.all().delete()
            version.domains.all().delete()
            version.delete()
        instrument.delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_scorecards_surveys_and_qi_program")]
    operations = [migrations.RunPython(create, remove)]
