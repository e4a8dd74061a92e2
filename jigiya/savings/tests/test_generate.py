import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from jigiya.core import appendonly
from jigiya.core.generate import SCALES, Progress, discover_steps, step_rng
from jigiya.places.models import Place
from jigiya.places.tests.factories import PlaceFactory
from jigiya.savings import generate, ledger
from jigiya.savings.models import Cycle, Entry, EntryLine, GrantPurpose, Group, Membership, ShareOut


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
        "loans": 120,  # 3 a group
        "repayments": 88,  # on time 40, half late 40, late in the 8 shared-out groups
        "grants": 40,
        "share-outs": 8,
        "ledger entries": 3456,
        "ledger lines": 7336,
    }
    report = ledger.verify()
    assert report.problems == []
    assert (report.groups, report.entries) == (40, 3456)
    # The late loans of open cycles are still owed (PAR > 30 days); shared-out cycles owe nothing.
    owed = {}
    for group_id, d, c in (
        EntryLine.objects.filter(account="loans_receivable")
        .values_list("group_id")
        .annotate(Sum("debit"), Sum("credit"))
    ):
        owed[group_id] = d - c
    shared = set(ShareOut.objects.values_list("cycle__group_id", flat=True))
    assert len(shared) == 8
    assert all(owed[g] == 0 for g in shared)
    assert sum(1 for g, amount in owed.items() if amount > 0) == 32
    for share_out in ShareOut.objects.all():
        payouts = sum(line.payout for line in share_out.lines.all())
        assert payouts + share_out.remainder == share_out.fund_value
    assert Cycle.objects.filter(status="open").count() == 40
    assert set(Entry.objects.filter(kind="grant").values_list("purpose", flat=True)) == set(
        GrantPurpose.values
    )
    assert Place.objects.filter(code__startswith="GEN-", kind="community").count() * 5 == 40
    # Idempotent: run again, nothing is made.
    assert generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress()) == {}
    assert generate.reset()["savings groups"] == 40
    assert (Group.objects.count(), Entry.objects.count(), Membership.objects.count()) == (0, 0, 0)


def test_verify_ledgers_command_reports_tampering(tiny_places):
    generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress())
    out = io.StringIO()
    call_command("verify_ledgers", stdout=out)
    assert "3456 entries" in out.getvalue()
    with appendonly.suspended("savings_entry"), connection.cursor() as cursor:
        cursor.execute("UPDATE savings_entry SET memo = '9' WHERE seq = 5")
    with pytest.raises(CommandError):
        call_command("verify_ledgers", stdout=io.StringIO(), stderr=io.StringIO())
