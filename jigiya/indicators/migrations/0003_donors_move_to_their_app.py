"""Donors, fundings and partner logins move to the `donors` app (`donors.0001_donors_from_indicators`
takes them into its state). Their rows stay where they are: the tables are renamed
`indicators_*` → `donors_*`, and back when this migration is reversed."""

from django.db import migrations

MOVED = ["donor", "funding", "donoruser"]


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_donors_and_fundings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=name, table=f"donors_{name}") for name in MOVED
            ],
            # Those pointing at the donor first, so no model in the state points at a gone one.
            state_operations=[
                migrations.DeleteModel(name="DonorUser"),
                migrations.DeleteModel(name="Funding"),
                migrations.DeleteModel(name="Donor"),
            ],
        ),
    ]
