"""The bulk writer behind `generate`: COPY on PostgreSQL, executemany elsewhere. CI runs the
suite on both (DATABASE_URL), so each test here checks the path of the database it runs on."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from jigiya.followup import bulk
from jigiya.registry.models import Household, LeastAccessAssessment, Person

POSTGRES = connection.vendor == "postgresql"


def _inserts(queries, table):
    """The writer's own INSERTs into `table` (its table names are not quoted)."""
    return [q for q in queries.captured_queries if f"INSERT INTO {table} (" in q["sql"]]


def test_the_writer_round_trips_every_kind_of_value(cast):
    household_id, person_id, assessment_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.datetime(2025, 6, 10, 9, 30, tzinfo=datetime.UTC)
    writer = bulk.Writer()
    assert writer.postgres is POSTGRES
    with CaptureQueriesContext(connection) as queries:
        writer.add(
            Household, id=household_id, created_at=now, updated_at=now,
            community_id=cast.community_a.pk, name="GEN-Famille Test", landmark="", phone="",
            latitude=Decimal("12.65432"), longitude=Decimal("-8.00001"), is_active=True,
        )  # fmt: skip
        writer.add(
            Person, id=person_id, created_at=now, updated_at=now, household_id=household_id,
            given_name="Awa", family_name="Diarra", sex="F", birth_date=datetime.date(2024, 2, 29),
            birth_date_estimated=False, relationship="child", phone="", is_active=True,
            name_key="awa diarra",
        )  # fmt: skip
        writer.add(
            LeastAccessAssessment, id=assessment_id, created_at=now, updated_at=now,
            household_id=household_id, assessed_on=datetime.date(2025, 6, 1),
            criteria=["food_insecure", "female_headed"], score=3, decision="subsidized",
        )  # fmt: skip
        writer.flush()
    # COPY goes to the driver directly; the INSERT path shows in Django's query log.
    assert len(_inserts(queries, "registry_person")) == (0 if POSTGRES else 1)
    household = Household.objects.get(pk=household_id)
    assert (household.latitude, household.longitude, household.created_at) == (
        Decimal("12.65432"),
        Decimal("-8.00001"),
        now,
    )
    person = Person.objects.get(pk=person_id)
    assert (person.birth_date, person.household_id, person.born_of_id) == (
        datetime.date(2024, 2, 29),
        household_id,
        None,
    )
    assert LeastAccessAssessment.objects.get(pk=assessment_id).criteria == [
        "food_insecure",
        "female_headed",
    ]
    assert writer.counts == {"household": 1, "person": 1, "leastaccessassessment": 1}


def _foreign_keys(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = %s ORDER BY 1",
            [table],
        )
        return cursor.fetchall()


def test_foreign_keys_are_set_aside_for_the_load_and_come_back(cast):
    table = Household._meta.db_table
    before = _foreign_keys(table) if POSTGRES else []
    now = datetime.datetime(2025, 6, 10, 9, 30, tzinfo=datetime.UTC)
    with bulk.foreign_keys_checked_after([Household, Person]):
        if POSTGRES:
            assert _foreign_keys(table) == []
        writer = bulk.Writer()
        writer.add(
            Household, id=uuid.uuid4(), created_at=now, updated_at=now,
            community_id=cast.community_a.pk, name="GEN-Famille Clé", landmark="", phone="",
            latitude=None, longitude=None, is_active=True,
        )  # fmt: skip
        writer.flush()
    assert Household.objects.filter(name="GEN-Famille Clé").count() == 1
    if POSTGRES:
        assert len(before) == 4  # community, CHW, head of household, created by
        assert _foreign_keys(table) == before
        assert all("DEFERRABLE INITIALLY DEFERRED" in definition for _, definition in before)


@pytest.mark.skipif(not POSTGRES, reason="the keys are set aside on PostgreSQL only")
def test_a_row_pointing_nowhere_fails_when_the_keys_come_back(cast):
    now = datetime.datetime(2025, 6, 10, 9, 30, tzinfo=datetime.UTC)
    nowhere = uuid.uuid4()
    failed = False
    try:
        with transaction.atomic(), bulk.foreign_keys_checked_after([Household]):
            writer = bulk.Writer()
            writer.add(
                Household, id=uuid.uuid4(), created_at=now, updated_at=now,
                community_id=nowhere, name="GEN-Famille Nulle part", landmark="", phone="",
                latitude=None, longitude=None, is_active=True,
            )  # fmt: skip
            writer.flush()
    except IntegrityError:
        failed = True
    assert failed
    assert not Household.objects.filter(name="GEN-Famille Nulle part").exists()
    assert len(_foreign_keys(Household._meta.db_table)) == 4
