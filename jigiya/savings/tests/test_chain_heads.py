"""Chain heads on paper and in the audit trail: a chain rewritten whole, every hash recomputed so
that it checks out on its own, still shows against a head recorded before."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from jigiya.core import appendonly
from jigiya.core.models import AuditEntry
from jigiya.core.schedule import daily_tasks
from jigiya.savings import heads, ledger, services
from jigiya.savings.heads import Head
from jigiya.savings.models import Entry

D = datetime.date


def _last(**filters) -> Head:
    entry = Entry.objects.filter(**filters).order_by("-seq").first()
    assert entry is not None
    return Head(entry.seq, entry.hash)


def _rewrite_whole_chain(group) -> None:
    """What a forger with the tables' owner rights would do: halve member 1's first shares
    entry, then recompute every hash in order so that the chain checks out on its own."""
    with appendonly.suspended("savings_entry", "savings_entryline"), connection.cursor() as sql:
        sql.execute(
            "UPDATE savings_entryline SET debit = debit / 2, credit = credit / 2 WHERE seq = 1"
        )
        prev = ledger.GENESIS
        for entry in Entry.objects.filter(group=group).order_by("seq"):
            lines = entry.lines.order_by("position").values_list(
                "account", "debit", "credit", "membership_id", "loan_id"
            )
            digest = ledger.chain_hash(
                prev,
                ledger.canonical(
                    id=entry.pk,
                    group_id=entry.group_id,
                    cycle_id=entry.cycle_id,
                    seq=entry.seq,
                    kind=entry.kind,
                    on=entry.on,
                    meeting_id=entry.meeting_id,
                    membership_id=entry.membership_id,
                    loan_id=entry.loan_id,
                    reverses_id=entry.reverses_id,
                    purpose=entry.purpose,
                    memo=entry.memo,
                    lines=list(lines),
                ),
            )
            sql.execute(
                "UPDATE savings_entry SET prev_hash = %s, hash = %s WHERE seq = %s",
                [prev, digest, entry.seq],
            )
            prev = digest


def test_the_meeting_receipt_and_the_share_out_sheet_print_the_chain_head(world, client):
    world.three_meetings()
    first = world.group.meetings.order_by("held_on").first()
    result = services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))
    client.force_login(world.facilitator)

    receipt = client.get(first.get_absolute_url()).content.decode()
    sheet = client.get(f"/savings/cycles/{world.cycle.pk}/share-out/").content.decode()

    # 8 Jan: 4 members x (shares, health fund) = entries 1 to 8.
    assert heads.meeting_head(first) == _last(meeting=first) == Head(8, _last(seq__lte=8).hash)
    assert f"<code>{_last(meeting=first).printed}</code>" in receipt
    assert heads.share_out_head(result) == _last(group=world.group)
    assert f"<code>{_last(group=world.group).printed}</code>" in sheet
    assert len(_last(group=world.group).printed) == 19  # 16 hex digits in groups of four


def test_the_daily_task_records_each_head_that_moved_in_the_audit_trail(world):
    assert "savings_chain_heads_record" in [job.name for job in daily_tasks()]
    world.record(world.meeting(D(2024, 1, 8)))
    first = _last(group=world.group)

    assert heads.chain_heads_record() == 1
    assert heads.chain_heads_record() == 0  # nothing moved: nothing written
    world.record(world.meeting(D(2024, 1, 15), shares=1))
    assert heads.chain_heads_record() == 1

    second = _last(group=world.group)
    recorded = AuditEntry.objects.filter(action="checkpoint", object_id=str(world.group.pk))
    assert [(row.model, row.changes) for row in recorded.order_by("id")] == [
        ("savings.group", {"entries": [None, 8], "head": [None, first.hash]}),
        ("savings.group", {"entries": [8, 16], "head": [first.hash, second.hash]}),
    ]
    assert heads.chain_heads_compare() == []


def test_a_chain_rewritten_whole_is_found_against_the_head_recorded_and_printed(world):
    with time_machine.travel(datetime.datetime(2024, 1, 8, 23, tzinfo=datetime.UTC)):
        world.record(world.meeting(D(2024, 1, 8)))
        heads.chain_heads_record()
    world.record(world.meeting(D(2024, 1, 15), shares=1))
    heads.chain_heads_record()
    printed = _last(group=world.group)
    recorded_first = Entry.objects.get(seq=8).hash

    _rewrite_whole_chain(world.group)

    # The forgery checks out on its own: every entry balances, every hash follows.
    assert ledger.verify([world.group.pk]).problems == []
    now = _last(group=world.group)
    first = Entry.objects.get(seq=8).hash
    assert heads.chain_heads_compare() == [
        f"group {world.group.pk} entry #8: hash {first[:16]} differs from the head recorded "
        f"on 2024-01-08 ({recorded_first[:16]}): "
        "the chain was rewritten",
        f"group {world.group.pk} entry #16: hash {now.short} differs from the head recorded "
        f"on 2024-06-30 ({printed.short}): the chain was rewritten",
    ]
    assert heads.paper_head_check(group_id=world.group.pk, seq=16, printed=printed.printed) == (
        f"group {world.group.pk} entry #16: hash {now.short} differs from the paper's "
        f"{printed.short}: rewritten"
    )
    errors = io.StringIO()
    with pytest.raises(CommandError, match="2 problems found"):
        call_command("verify_ledgers", stdout=io.StringIO(), stderr=errors)
    assert "entry #16" in errors.getvalue()


def test_verify_ledgers_compares_a_head_read_off_paper(world):
    world.record(world.meeting(D(2024, 1, 8)))
    head = _last(group=world.group)
    group = str(world.group.pk)
    out = io.StringIO()

    call_command("verify_ledgers", "--group", group, "--head", f"8:{head.printed}", stdout=out)
    assert "Ledgers intact: 1 groups, 8 entries" in out.getvalue()

    wrong = "0" * 16 if not head.hash.startswith("0" * 16) else "f" * 16
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 problems found"):
        call_command("verify_ledgers", "--group", group, "--head", f"8:{wrong}", stderr=errors)
    assert f"entry #8: hash {head.short} differs from the paper's {wrong}" in errors.getvalue()
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 problems found"):
        call_command("verify_ledgers", "--group", group, "--head", f"9:{head.short}", stderr=errors)
    assert errors.getvalue() == (
        f"group {group} entry #9: missing, though the paper names it (chain cut)\n"
    )
    with pytest.raises(CommandError, match="exactly one --group"):
        call_command("verify_ledgers", "--head", f"8:{head.short}")
    with pytest.raises(CommandError, match="entry number, a colon"):
        call_command("verify_ledgers", "--group", group, "--head", head.short)
