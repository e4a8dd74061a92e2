import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jigiya.core.generate import SCALES, Progress, discover_steps, step_rng
from jigiya.places.models import Place
from jigiya.places.tests.factories import PlaceFactory
from jigiya.savings import generate, ledger
from jigiya.savings.models import Entry, Group, Membership


@pytest.fixture
def tiny_places(db):
    steps = {step.name: step for step in discover_steps()}
    PlaceFactory(kind="country", name="Mali", code="ML")
    steps["places"].generate(SCALES["tiny"], step_rng(1, steps["places"]), Progress())
    return steps


def test_tiny_scale_makes_groups_with_intact_chains(tiny_places):
    created = generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress())
    assert created == {
        "savings groups": 40,
        "savings members": 800,
        "meetings": 80,
        "ledger entries": 3200,
        "ledger lines": 6400,
    }
    report = ledger.verify()
    assert report.problems == []
    assert (report.groups, report.entries) == (40, 3200)
    assert Place.objects.filter(code__startswith="GEN-", kind="community").count() * 5 == 40
    # Idempotent: run again, nothing is made.
    assert generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress()) == {}
    assert generate.reset()["savings groups"] == 40
    assert (Group.objects.count(), Entry.objects.count(), Membership.objects.count()) == (0, 0, 0)


def test_verify_ledgers_command_reports_tampering(tiny_places):
    generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress())
    out = io.StringIO()
    call_command("verify_ledgers", stdout=out)
    assert "3200 entries" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE savings_entry SET memo = '9' WHERE seq = 5")
    with pytest.raises(CommandError):
        call_command("verify_ledgers", stdout=io.StringIO(), stderr=io.StringIO())
