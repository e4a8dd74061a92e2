"""Donors, fundings and partner logins, until now in the `indicators` app: this migration only
takes them into the `donors` state. `indicators.0003_donors_move_to_their_app` removed them from
its state and renamed their tables `donors_*` with their rows (a fresh database gets the tables
from `indicators.0002` the same way)."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _base() -> list[tuple[str, models.Field]]:
    return [
        (
            "id",
            models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
        ),
        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
        (
            "created_by",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
    ]


def _donor_fk(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="donors.donor",
        verbose_name="donor",
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("indicators", "0003_donors_move_to_their_app"),
        ("places", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Donor",
                    fields=[
                        *_base(),
                        ("name", models.CharField(max_length=160, verbose_name="name")),
                        (
                            "code",
                            models.CharField(max_length=32, unique=True, verbose_name="code"),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "donor",
                        "verbose_name_plural": "donors",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="DonorUser",
                    fields=[
                        *_base(),
                        ("donor", _donor_fk("users")),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="donor_link",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "donor user",
                        "verbose_name_plural": "donor users",
                        "ordering": ["donor", "user"],
                    },
                ),
                migrations.CreateModel(
                    name="Funding",
                    fields=[
                        *_base(),
                        (
                            "program",
                            models.CharField(
                                choices=[
                                    ("health", "Community health"),
                                    ("savings", "Health savings groups"),
                                    ("cooperatives", "Cooperatives"),
                                    ("quality", "Health-center quality and governance"),
                                ],
                                max_length=16,
                                verbose_name="program",
                            ),
                        ),
                        ("start", models.DateField(verbose_name="start")),
                        ("end", models.DateField(blank=True, null=True, verbose_name="end")),
                        ("donor", _donor_fk("fundings")),
                        (
                            "place",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="places.place",
                                verbose_name="place",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "funding",
                        "verbose_name_plural": "fundings",
                        "ordering": ["donor", "program", "start"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("end__isnull", True),
                                    ("end__gte", models.F("start")),
                                    _connector="OR",
                                ),
                                name="funding_dates_in_order",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
