"""The ledger's rules at posting (`ledger.post` refuses and writes nothing) and over the whole
history (`ledger.verify` finds any change made behind its back)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jigiya.core import appendonly
from jigiya.savings import ledger
from jigiya.savings.ledger import EntryDraft, LineDraft
from jigiya.savings.models import Account, Entry, EntryKind, EntryLine

D = datetime.date


def _post(world, *drafts):
    with transaction.atomic():
        group = ledger.lock_group(world.group.pk)
        return ledger.post(group=group, cycle=world.cycle, on=D(2024, 1, 8), drafts=list(drafts))


def _deposit(amount=1000, **extra):
    return ledger.transfer(
        id=uuid.uuid4(),
        kind=EntryKind.INCOME,
        debit=Account.LOAN_FUND_CASH,
        credit=Account.OTHER_INCOME,
        amount=amount,
        **extra,
    )


def _refused(world, *drafts):
    before = (Entry.objects.count(), EntryLine.objects.count())
    with pytest.raises(ValidationError) as caught:
        _post(world, *drafts)
    assert (Entry.objects.count(), EntryLine.objects.count()) == before
    return caught.value.message_dict


def test_entries_are_numbered_and_chained_from_64_zeros(world):
    first, second = _post(world, _deposit(1000), _deposit(500, memo="tontine"))
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == ledger.GENESIS == "0" * 64
    assert second.prev_hash == first.hash
    (third,) = _post(world, _deposit(200))
    assert (third.seq, third.prev_hash) == (3, second.hash)
    assert list(
        EntryLine.objects.filter(entry=second).values_list("position", "debit", "credit")
    ) == [
        (1, 500, 0),
        (2, 0, 500),
    ]
    assert ledger.balances(world.group.pk)[Account.LOAN_FUND_CASH] == 1700
    assert ledger.verify([world.group.pk]).problems == []


@pytest.mark.parametrize(
    "lines,field",
    [
        ([LineDraft(Account.LOAN_FUND_CASH, debit=100)], "__all__"),  # one line
        (
            [
                LineDraft(Account.LOAN_FUND_CASH, debit=100),
                LineDraft(Account.OTHER_INCOME, credit=90),
            ],
            "__all__",
        ),  # does not balance
        (
            [LineDraft(Account.LOAN_FUND_CASH, debit=0), LineDraft(Account.OTHER_INCOME, credit=0)],
            "amount",
        ),  # zero
        (
            [
                LineDraft(Account.LOAN_FUND_CASH, debit=10.5),
                LineDraft(Account.OTHER_INCOME, credit=10.5),
            ],
            "amount",
        ),  # not whole francs
        (
            [LineDraft("box", debit=100), LineDraft(Account.OTHER_INCOME, credit=100)],
            "account",
        ),
    ],
)
def test_an_entry_that_is_not_a_balanced_whole_posting_is_refused(world, lines, field):
    draft = EntryDraft(id=uuid.uuid4(), kind=EntryKind.INCOME, lines=lines)
    assert field in _refused(world, _deposit(), draft)  # the good one before is not kept


def test_cash_never_goes_negative_even_in_the_middle_of_a_batch(world):
    spend = ledger.transfer(
        id=uuid.uuid4(),
        kind=EntryKind.EXPENSE,
        debit=Account.EXPENSES,
        credit=Account.LOAN_FUND_CASH,
        amount=1500,
    )
    errors = _refused(world, _deposit(1000), spend, _deposit(1000))
    assert list(errors) == ["amount"]
    _post(world, _deposit(1000), _deposit(1000), spend)  # in this order the box holds it


def test_a_reversal_swaps_every_line_and_names_what_it_reverses(world):
    (entry,) = _post(world, _deposit(700, membership_id=world.members[0].pk))
    draft = ledger.reversal_of(entry, id=uuid.uuid4(), memo="erreur")
    assert (draft.kind, draft.reverses_id, draft.membership_id) == (
        EntryKind.REVERSAL,
        entry.pk,
        world.members[0].pk,
    )
    assert [(line.account, line.debit, line.credit) for line in draft.lines] == [
        (Account.LOAN_FUND_CASH, 0, 700),
        (Account.OTHER_INCOME, 700, 0),
    ]
    _post(world, draft)
    assert ledger.balances(world.group.pk)[Account.LOAN_FUND_CASH] == 0
    assert ledger.verify([world.group.pk]).problems == []


# Changes made behind the ledger's back (raw SQL), and what `verify` must then report.
TAMPERING = {
    "amount": ("UPDATE savings_entryline SET debit = debit + 1 WHERE seq = %s AND debit > 0", "#"),
    "memo": ("UPDATE savings_entry SET memo = 'x' WHERE seq = %s", "hash does not match"),
    "date": (
        "UPDATE savings_entry SET \"on\" = '2024-01-09' WHERE seq = %s",
        "hash does not match",
    ),
    "kind": ("UPDATE savings_entry SET kind = 'fine' WHERE seq = %s", "hash does not match"),
    "removed": ("DELETE FROM savings_entryline WHERE seq = %s", "#"),
}


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), change=st.sampled_from(sorted(TAMPERING)))
def test_any_change_behind_the_ledgers_back_is_found(world, data, change):
    with transaction.atomic():
        world.record(world.meeting(D(2024, 1, 8)))
        world.record(world.meeting(D(2024, 1, 15), shares=1))
        count = Entry.objects.filter(group=world.group).count()
        seq = data.draw(st.integers(1, count))
        sql, found = TAMPERING[change]
        # The database refuses the change (its triggers): an attacker with the owner's
        # rights disables them first, and `verify` must still find what they did.
        with (
            appendonly.suspended("savings_entry", "savings_entryline"),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [seq])

        problems = ledger.verify([world.group.pk]).problems

        assert problems, (change, seq)
        assert any(f"#{seq}" in problem and found in problem for problem in problems), problems
        transaction.set_rollback(True)
