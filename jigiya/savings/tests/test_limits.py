"""Bounds on money (issue 11): a ceiling on every movement (the program's, or the cycle's own),
the technical ceiling nothing passes, closed books after a share-out, and the loan limit on all
a member owes. Each refusal names the field and the limit and changes nothing."""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jigiya.indicators.catalog import Cells, get
from jigiya.savings import ledger, services
from jigiya.savings.ledger import EntryDraft, LineDraft
from jigiya.savings.models import (
    Account,
    Cycle,
    Entry,
    EntryKind,
    Loan,
    LoanLimitBasis,
    Meeting,
)
from jigiya.savings.services import CashLine, GrantLine, MemberLine

D = datetime.date
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in the source language (the catalogues translate them)."""
    with translation.override("en"):
        yield


def fcfa(text: str) -> str:
    """Amounts in `text` as the money helper writes them: `5 000 000 FCFA` with no-break
    spaces."""
    return re.sub(r"(?<=\d) (?=\d|FCFA)", NBSP, text)


def _state(world):
    """Everything a posting could change: entries, meetings, loans, balances, the chain head."""
    head = Entry.objects.filter(group=world.group).order_by("-seq").values_list("hash").first()
    return (
        Entry.objects.count(),
        Meeting.objects.count(),
        Loan.objects.count(),
        ledger.balances(world.group.pk),
        head,
    )


def _refused(world, data):
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        world.record(data)
    assert _state(world) == before
    return caught.value.message_dict


# --- the issue's income and the technical ceiling -------------------------------------------


def test_the_issues_income_of_9_000_000_000_000_000_fcfa_is_refused_by_the_api(world, client):
    world.record(world.meeting(D(2024, 1, 8)))
    before = _state(world)
    client.force_login(world.facilitator)
    body = {
        "id": str(uuid.uuid4()),
        "held_on": "2024-01-15",
        "members": [],
        "incomes": [{"amount": 9_000_000_000_000_000, "description": "Tontine"}],
        "counted_loan_fund": 4000 + 9_000_000_000_000_000,
        "counted_health_fund": 400,
    }
    response = client.post(
        f"/api/v1/savings/groups/{world.group.pk}/meetings",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",  # the message as written; French is the default
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "incomes.0.amount": [
            fcfa(
                "9 000 000 000 000 000 FCFA is more than any movement may be "
                "(at most 1 000 000 000 000 FCFA)."
            )
        ]
    }
    assert _state(world) == before
    # The group's assets, as the national figure sums them, are what the box really holds.
    cells = Cells(
        place_ids=frozenset({world.group.community_id}), months=frozenset({D(2024, 1, 1)})
    )
    (assets,) = get("savings.assets").compute(cells)
    assert assets.numerator == 4000 + 400


def test_an_income_above_the_programs_ceiling_is_refused_and_one_at_it_waits(world, settings):
    settings.SAVINGS_MAX_MOVEMENT_FCFA = 5_000_000
    settings.SAVINGS_APPROVAL_THRESHOLD_FCFA = 1_000_000
    data = world.meeting(
        D(2024, 1, 8), incomes=[CashLine(amount=5_000_001, description="Don")], members=[]
    )
    assert _refused(world, data) == {
        "incomes.0.amount": [
            fcfa(
                "Other income of 5 000 001 FCFA is above the ceiling of one movement, 5 000 000 FCFA."
            )
        ]
    }
    data = world.meeting(
        D(2024, 1, 8), incomes=[CashLine(amount=5_000_000, description="Don")], members=[]
    )
    held = world.record(data)
    assert (held.status, held.amount, Entry.objects.count()) == ("pending", 5_000_000, 0)


MOVEMENTS = [
    # field, what the message names, the meeting's change (ceiling 900 FCFA)
    ("members.0.shares", "Shares bought of 1 000 FCFA", {"members": {0: {"shares": 2}}}),
    ("members.0.health", "Health fund contribution of 901 FCFA", {"members": {0: {"health": 901}}}),
    ("members.0.fine", "Fine of 1 000 FCFA", {"members": {0: {"fine": 1000}}}),
    ("members.0.repayment", "Loan repayment of 950 FCFA", {"members": {0: {"repayment": 950}}}),
    ("members.0.loan_amount", "Loan disbursed of 901 FCFA", {"members": {0: {"loan_amount": 901}}}),
    ("grants.0.amount", "Health fund grant of 901 FCFA", {"grant": 901}),
    ("incomes.0.amount", "Other income of 901 FCFA", {"income": 901}),
    ("expenses.0.amount", "Expense of 901 FCFA", {"expense": 901}),
    ("counted_loan_fund", "Cash difference of 901 FCFA", {"over": 901}),
]


@pytest.mark.parametrize(("field", "what", "change"), MOVEMENTS)
def test_every_kind_of_movement_has_the_cycles_ceiling(world, field, what, change):
    """A group whose constitution sets 900 FCFA as its ceiling: each kind of money above it is
    refused on its own field, nothing posted."""
    world.record(world.meeting(D(2024, 1, 8), shares=1))  # 4 x 500 in the loan fund, 400 health
    Cycle.objects.filter(pk=world.cycle.pk).update(max_movement=900)
    world.cycle.refresh_from_db()
    lines = [MemberLine(membership_id=m.pk) for m in world.members]
    for index, extra in change.get("members", {}).items():
        for name, value in extra.items():
            setattr(lines[index], name, value)
        lines[index].fine_reason = "retard" if lines[index].fine else ""
        lines[index].loan_term = 1 if lines[index].loan_amount else 0
    # The box as it stands (the refusal comes before the cash count).
    data = world.meeting(
        D(2024, 1, 15), members=lines, counted_loan_fund=2000, counted_health_fund=400
    )
    if "grant" in change:
        data.grants = [GrantLine(world.members[0].pk, change["grant"], "delivery")]
    if "income" in change:
        data.incomes = [CashLine(change["income"], "Don")]
    if "expense" in change:
        data.expenses = [CashLine(change["expense"], "Cahier")]
    if "over" in change:
        data.counted_loan_fund = 2000 + change["over"]
        data.difference_note, data.confirmed_by_id = "écart", world.members[1].pk
    assert _refused(world, data) == {
        field: [fcfa(f"{what} is above the ceiling of one movement, 900 FCFA.")]
    }


def test_a_correction_above_the_ceiling_is_refused(world):
    world.record(world.meeting(D(2024, 1, 8), incomes=[CashLine(800, "Don")]))
    Cycle.objects.filter(pk=world.cycle.pk).update(max_movement=900)
    income = Entry.objects.get(kind=EntryKind.INCOME)
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        services.entry_correct(
            actor=world.facilitator, entry=income, reason="typo", id=uuid.uuid4(), amount=9000
        )
    assert caught.value.message_dict == {
        "amount": [
            fcfa("Other income of 9 000 FCFA is above the ceiling of one movement, 900 FCFA.")
        ]
    }
    assert _state(world) == before


def test_a_correction_cannot_pass_the_maker_checker(world):
    """A small income corrected to more than the approval threshold would be a large posting
    nobody checked: refused, it is recorded at a meeting instead."""
    world.record(world.meeting(D(2024, 1, 8), incomes=[CashLine(800, "Don")]))
    Cycle.objects.filter(pk=world.cycle.pk).update(approval_threshold=1000)
    income = Entry.objects.get(kind=EntryKind.INCOME)
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        services.entry_correct(
            actor=world.facilitator, entry=income, reason="typo", id=uuid.uuid4(), amount=1001
        )
    assert caught.value.message_dict == {
        "amount": [
            fcfa(
                "1 001 FCFA is above the approval threshold (1 000 FCFA): reverse the entry and "
                "record the amount at a meeting, which a second officer approves."
            )
        ]
    }
    assert _state(world) == before
    services.entry_correct(
        actor=world.facilitator, entry=income, reason="typo", id=uuid.uuid4(), amount=1000
    )
    assert ledger.balances(world.group.pk)["other_income"] == 1000


def test_a_constitution_within_the_ceilings(world):
    """A cycle's ceiling stays within the technical one; what members pay each meeting within
    the cycle's ceiling."""
    Cycle.objects.filter(pk=world.cycle.pk).update(status="shared_out")
    common = {"actor": world.facilitator, "group": world.group, "starts_on": D(2024, 2, 1),
              "planned_end": D(2024, 12, 1), "share_price": 500}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.cycle_start(**common, max_movement=10**12 + 1)
    assert list(caught.value.message_dict) == ["max_movement"]
    with pytest.raises(ValidationError) as caught:
        services.cycle_start(**common, max_movement=2500, health_contribution=2600)
    assert caught.value.message_dict == {
        "health_contribution": [
            fcfa(
                "Health fund contribution of 2 600 FCFA is above the ceiling of one movement, "
                "2 500 FCFA."
            )
        ]
    }
    assert Cycle.objects.count() == 1
    cycle = services.cycle_start(**common, max_movement=2500, approval_threshold=1000)
    assert (cycle.max_movement, cycle.approval_threshold, cycle.loan_limit_basis) == (
        2500,
        1000,
        LoanLimitBasis.ALL_OWED,
    )


def test_the_ledger_refuses_a_line_above_the_technical_ceiling(world):
    from django.db import transaction

    before = _state(world)
    draft = EntryDraft(
        id=uuid.uuid4(),
        kind=EntryKind.INCOME,
        lines=[
            LineDraft(Account.LOAN_FUND_CASH, debit=10**12 + 1),
            LineDraft(Account.OTHER_INCOME, credit=10**12 + 1),
        ],
    )
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        ledger.post(group=world.group, cycle=world.cycle, on=D(2024, 1, 8), drafts=[draft])
    assert list(caught.value.message_dict) == ["amount"]
    assert _state(world) == before


# --- closed books ---------------------------------------------------------------------------


def test_a_shared_out_cycle_refuses_backdated_corrections(world):
    world.record(world.meeting(D(2024, 1, 8), incomes=[CashLine(800, "Don")]))
    services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 2, 1))
    services.cycle_start(
        actor=world.facilitator, group=world.group, starts_on=D(2024, 2, 1),
        planned_end=D(2024, 12, 1), share_price=500,
    )  # fmt: skip
    income = Entry.objects.get(kind=EntryKind.INCOME)
    before = _state(world)
    with pytest.raises(ValidationError) as caught:
        services.entry_correct(
            actor=world.facilitator, entry=income, reason="typo", id=uuid.uuid4(), amount=700
        )
    assert caught.value.message_dict == {
        "__all__": ["Cycle 1 is shared out: its books are closed."]
    }
    assert _state(world) == before


def test_nothing_is_posted_before_the_last_share_out(world):
    """The ledger's own guard (every service posts through it): an entry of the new cycle dated
    before the share-out that closed the last one is refused; on the share-out day it is not."""
    from django.db import transaction

    world.record(world.meeting(D(2024, 1, 8)))
    services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 2, 1))
    cycle = services.cycle_start(
        actor=world.facilitator, group=world.group, starts_on=D(2024, 2, 1),
        planned_end=D(2024, 12, 1), share_price=500,
    )  # fmt: skip
    before = _state(world)

    def post(on):
        draft = ledger.transfer(
            id=uuid.uuid4(), kind=EntryKind.INCOME, debit=Account.LOAN_FUND_CASH,
            credit=Account.OTHER_INCOME, amount=100,
        )  # fmt: skip
        with transaction.atomic():
            ledger.post(group=world.group, cycle=cycle, on=on, drafts=[draft])

    with pytest.raises(ValidationError) as caught:
        post(D(2024, 1, 31))
    assert caught.value.message_dict == {
        "__all__": [
            "The books are closed before the share-out of 2024-02-01: nothing dated 2024-01-31."
        ]
    }
    assert _state(world) == before
    post(D(2024, 2, 1))
    assert Entry.objects.count() == before[0] + 1


# --- the loan limit on all she owes ---------------------------------------------------------


def _borrower_with_10_000_saved(world):
    """Member 1 saves 10 000 FCFA (20 shares) on 8 Jan, the others too; 15 Jan she borrows
    30 000 (3 x her savings) for 3 months; 22 Jan the others buy 20 shares each again."""
    Cycle.objects.filter(pk=world.cycle.pk).update(max_shares=20)
    world.cycle.refresh_from_db()
    world.record(world.meeting(D(2024, 1, 8), shares=20))
    lines = [MemberLine(membership_id=m.pk) for m in world.members]
    lines[0].loan_amount, lines[0].loan_term = 30_000, 3
    world.record(world.meeting(D(2024, 1, 15), members=lines))
    lines = [MemberLine(membership_id=m.pk, shares=20) for m in world.members]
    lines[0].shares = 0
    return lines


def test_the_issues_second_loan_is_refused_on_all_she_owes(world):
    """The issue: 10 000 FCFA saved, 30 000 borrowed, then 15 000 more was accepted."""
    lines = _borrower_with_10_000_saved(world)
    lines[0].loan_amount, lines[0].loan_term = 15_000, 1
    assert _refused(world, world.meeting(D(2024, 1, 22), members=lines)) == {
        "members.0.loan_amount": [
            fcfa(
                "At most 0 FCFA: all she owes stays within 3 x her savings (30 000 FCFA) and "
                "she still owes 30 000 FCFA."
            )
        ]
    }


def test_a_repayment_at_the_same_meeting_makes_room_for_a_new_loan(world):
    lines = _borrower_with_10_000_saved(world)
    lines[0].repayment = 19_000  # the 9 000 interest first, then 10 000 principal
    lines[0].loan_amount, lines[0].loan_term = 10_001, 1
    assert list(_refused(world, world.meeting(D(2024, 1, 22), members=lines))) == [
        "members.0.loan_amount"
    ]
    lines[0].loan_amount = 10_000
    world.record(world.meeting(D(2024, 1, 22), members=lines))
    assert sorted(Loan.objects.values_list("principal", flat=True)) == [10_000, 30_000]


def test_a_constitution_may_keep_the_limit_on_each_loan(world):
    lines = _borrower_with_10_000_saved(world)
    Cycle.objects.filter(pk=world.cycle.pk).update(loan_limit_basis=LoanLimitBasis.EACH_LOAN)
    world.cycle.refresh_from_db()
    lines[0].loan_amount, lines[0].loan_term = 15_000, 1
    world.record(world.meeting(D(2024, 1, 22), members=lines))
    assert sorted(Loan.objects.values_list("principal", flat=True)) == [15_000, 30_000]
