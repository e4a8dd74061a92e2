import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from jigiya.accounts.roles import Role
from jigiya.core import appendonly
from jigiya.core.errors import Conflict
from jigiya.core.retries import was_replayed
from jigiya.savings import ledger, selectors, services
from jigiya.savings.models import (
    Entry,
    EntryKind,
    GroupStatus,
    Loan,
    LoanStatus,
    Meeting,
)
from jigiya.savings.services import CashLine, GrantLine

D = datetime.date


def _counts():
    return (Entry.objects.count(), Meeting.objects.count(), Loan.objects.count())


def test_a_meeting_posts_balanced_entries_and_is_sealed(world):
    meeting = world.record(world.meeting(D(2024, 1, 8)))

    balance = ledger.balances(world.group.pk)
    assert balance["loan_fund_cash"] == 4000
    assert balance["health_fund_cash"] == 400
    assert balance["member_savings"] == 4000
    assert balance["health_fund"] == 400
    assert (meeting.expected_loan_fund, meeting.expected_health_fund) == (4000, 400)
    assert meeting.sealed_at is not None
    assert meeting.attendance.count() == 4
    assert Entry.objects.filter(meeting=meeting).count() == 8
    assert [e.seq for e in Entry.objects.order_by("seq")] == list(range(1, 9))
    report = ledger.verify()
    assert report.problems == []
    assert (report.groups, report.entries, report.lines) == (1, 8, 16)


def test_members_left_out_are_recorded_absent(world):
    data = world.meeting(D(2024, 1, 8), members=world.lines()[:2])
    meeting = world.record(data)
    assert sorted(meeting.attendance.values_list("presence", flat=True)) == [
        "absent",
        "absent",
        "present",
        "present",
    ]


def test_the_same_meeting_twice_changes_nothing(world):
    data = world.meeting(D(2024, 1, 8))
    first = world.record(data)
    before = _counts()
    again = services.meeting_record(actor=world.facilitator, group=world.group, data=data)
    assert (again.pk, was_replayed(again), was_replayed(first)) == (first.pk, True, False)
    assert _counts() == before


def test_the_same_meeting_id_with_other_content_is_a_conflict(world):
    data = world.meeting(D(2024, 1, 8))
    world.record(data)
    before = _counts()
    data.members[0].shares = 3
    with pytest.raises(Conflict):
        services.meeting_record(actor=world.facilitator, group=world.group, data=data)
    assert _counts() == before


def _refused(world, data, field):
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.meeting_record(actor=world.facilitator, group=world.group, data=data)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert _counts() == before
    return caught.value.message_dict[field]


def test_more_shares_than_the_maximum_is_refused(world):
    data = world.meeting(D(2024, 1, 8), members=world.lines({1: {"shares": 6}}))
    data.counted_loan_fund, data.counted_health_fund = 0, 0
    _refused(world, data, "members.1.shares")


@pytest.mark.parametrize(
    "field,value",
    [("health", -100), ("health", 100.5), ("fine", "100"), ("repayment", True), ("shares", 1.5)],
)
def test_negative_or_non_integer_amounts_are_refused(world, field, value):
    lines = world.lines()
    setattr(lines[0], field, value)
    data = world.meeting(D(2024, 1, 8), members=lines, counted_loan_fund=0, counted_health_fund=0)
    _refused(world, data, f"members.0.{field}")


def test_a_loan_above_the_limit_is_refused(world):
    # Her savings after this meeting: 2 shares = 1 000 FCFA; the limit is 3 x 1 000.
    world.record(world.meeting(D(2024, 1, 8), shares=4))
    data = world.meeting(
        D(2024, 1, 15),
        members=world.lines(shares=0, extra={0: {"loan_amount": 9001, "loan_term": 2}}),
        counted_loan_fund=0,
        counted_health_fund=0,
    )
    # 4 shares + 0 now = 2 000 FCFA saved → at most 6 000.
    data.members[0].loan_amount = 6001
    _refused(world, data, "members.0.loan_amount")


def test_a_loan_longer_than_the_maximum_term_is_refused(world):
    world.record(world.meeting(D(2024, 1, 8), shares=4))
    data = world.meeting(
        D(2024, 1, 15),
        members=world.lines({0: {"loan_amount": 1000, "loan_term": 4}}),
        counted_loan_fund=0,
        counted_health_fund=0,
    )
    _refused(world, data, "members.0.loan_term")


def test_a_loan_to_a_member_with_an_overdue_loan_is_refused(world):
    loan = world.three_meetings()
    # First installment (1 000 + 300) was due on 15 Feb; she paid 1 300, the second one is due
    # 15 March and is unpaid on 1 April.
    data = world.meeting(
        D(2024, 4, 1),
        members=world.lines({2: {"loan_amount": 500, "loan_term": 1}}),
        counted_loan_fund=0,
        counted_health_fund=0,
    )
    assert selectors.open_loan_positions(world.group, D(2024, 4, 1))[loan].days_overdue == 17
    _refused(world, data, "members.2.loan_amount")


def test_a_repayment_above_what_is_owed_is_refused(world):
    world.three_meetings()  # she owes 2 600
    data = world.meeting(
        D(2024, 3, 1),
        members=world.lines({2: {"repayment": 2601}}),
        counted_loan_fund=0,
        counted_health_fund=0,
    )
    _refused(world, data, "members.2.repayment")


def test_a_grant_larger_than_the_health_fund_is_refused(world):
    world.record(world.meeting(D(2024, 1, 8)))  # the health fund holds 400
    data = world.meeting(
        D(2024, 1, 15),
        members=world.lines(health=0),
        grants=[GrantLine(membership_id=world.members[0].pk, amount=401, purpose="delivery")],
        counted_loan_fund=0,
        counted_health_fund=0,
    )
    for line in data.members:
        line.health = 0
    _refused(world, data, "grants")


def test_a_meeting_while_suspended_is_refused(world):
    services.group_status_change(
        actor=world.facilitator, group=world.group, status="suspended", on=D(2024, 3, 1),
        reason="COVID-19",
    )  # fmt: skip
    _refused(
        world, world.meeting(D(2024, 3, 5), counted_loan_fund=0, counted_health_fund=0), "held_on"
    )


def test_a_meeting_during_a_past_suspension_is_refused(world):
    world.record(world.meeting(D(2024, 1, 8)))
    for status, on in (("suspended", D(2024, 3, 1)), ("active", D(2024, 5, 1))):
        services.group_status_change(
            actor=world.facilitator, group=world.group, status=status, on=on, reason="COVID-19"
        )
    _refused(
        world, world.meeting(D(2024, 4, 2), counted_loan_fund=0, counted_health_fund=0), "held_on"
    )
    world.record(world.meeting(D(2024, 5, 6)))  # resumed
    assert world.group.status_changes.count() == 4


def test_a_meeting_in_the_future_is_refused(world):
    errors = _refused(
        world, world.meeting(D(2024, 7, 1), counted_loan_fund=0, counted_health_fund=0), "held_on"
    )
    future = _("%(label)s %(day)s is in the future.") % {
        "label": _("The date"),
        "day": "2024-07-01",
    }
    assert errors == [future]


def test_a_second_meeting_on_the_same_day_is_refused(world):
    world.record(world.meeting(D(2024, 1, 8)))
    _refused(
        world, world.meeting(D(2024, 1, 8), counted_loan_fund=0, counted_health_fund=0), "held_on"
    )


def test_a_cash_difference_needs_a_note_and_a_second_officer(world):
    data = world.meeting(D(2024, 1, 8), counted_loan_fund=3900, counted_health_fund=400)
    _refused(world, data, "difference_note")
    data.difference_note = "Un billet de 100 manque"
    data.confirmed_by_id = world.members[2].pk  # an ordinary member
    _refused(world, data, "confirmed_by_id")
    data.confirmed_by_id = world.members[1].pk  # the treasurer
    meeting = world.record(data, exact=False)
    assert (meeting.expected_loan_fund, meeting.loan_fund_difference) == (4000, -100)
    balance = ledger.balances(world.group.pk)
    assert (balance["loan_fund_cash"], balance["cash_difference"]) == (3900, 100)
    assert ledger.verify().problems == []


def test_loans_charge_flat_interest_and_repayments_pay_interest_first(world):
    loan = world.three_meetings()
    assert (loan.principal, loan.interest_total, loan.term_months) == (3000, 900, 3)
    assert loan.schedule() == [
        (D(2024, 2, 15), 1000, 300),
        (D(2024, 3, 15), 1000, 300),
        (D(2024, 4, 15), 1000, 300),
    ]
    position = selectors.open_loan_positions(world.group, D(2024, 3, 1))[loan]
    assert (position.principal_owed, position.interest_owed, position.days_overdue) == (2600, 0, 0)
    assert selectors.open_loan_positions(world.group, D(2024, 3, 20))[loan].days_overdue == 5
    balance = ledger.balances(world.group.pk)
    assert balance["interest_income"] == 900
    assert balance["loans_receivable"] == 2600
    assert balance["fine_income"] == 150


def test_a_write_off_needs_an_officer_other_than_the_borrower(world):
    loan = world.three_meetings()
    before = _counts()
    with pytest.raises(ValidationError):
        services.loan_write_off(
            actor=world.facilitator, loan=loan, on=D(2024, 6, 1), reason="Partie",
            approved_by=world.members[2],
        )  # fmt: skip
    assert _counts() == before
    services.loan_write_off(
        actor=world.facilitator, loan=loan, on=D(2024, 6, 1), reason="Partie au village",
        approved_by=world.members[0],
    )  # fmt: skip
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF
    balance = ledger.balances(world.group.pk)
    assert (balance["loans_receivable"], balance["loan_losses"]) == (0, 2600)
    assert selectors.open_loan_positions(world.group, D(2024, 6, 2)) == {}


def test_a_correction_is_a_reversal_and_a_new_entry_never_an_edit(world):
    meeting = world.record(world.meeting(D(2024, 1, 8)))
    wrong = Entry.objects.get(meeting=meeting, kind=EntryKind.SHARES, membership=world.members[0])
    fixed = services.entry_correct(
        actor=world.facilitator, entry=wrong, reason="3 parts, pas 2", id=uuid.uuid4(), amount=1500
    )
    assert [e.kind for e in fixed] == ["reversal", "shares"]
    assert fixed[0].reverses_id == wrong.pk
    assert ledger.member_savings(world.group.pk)[world.members[0].pk] == 1500
    assert ledger.balances(world.group.pk)["loan_fund_cash"] == 4500
    assert Entry.objects.filter(pk=wrong.pk).exists()
    assert ledger.verify().problems == []
    with pytest.raises(ValidationError):
        services.entry_correct(actor=world.facilitator, entry=wrong, reason="x", id=uuid.uuid4())


def test_the_ledger_refuses_updates_and_deletes(world):
    world.record(world.meeting(D(2024, 1, 8)))
    entry = Entry.objects.first()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    with pytest.raises(ValueError):
        Entry.objects.all().update(memo="x")
    with pytest.raises(ValueError):
        Entry.objects.all().delete()


def test_verify_finds_a_changed_amount_and_a_broken_chain(world):
    from django.db import connection

    world.record(world.meeting(D(2024, 1, 8)))
    # Behind the database's triggers too (suspended, as the tables' owner could).
    with appendonly.suspended("savings_entryline"), connection.cursor() as cursor:
        cursor.execute("UPDATE savings_entryline SET debit = 900 WHERE seq = 3 AND debit > 0")
    problems = ledger.verify().problems
    assert any("#3: debits 900" in p for p in problems)
    assert any("#3: hash does not match" in p for p in problems)


def test_share_out_pays_each_member_her_line_and_keeps_the_remainder_in_the_health_fund(world):
    world.three_meetings()
    result = services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))

    # Cash 10 450 + still owed 2 600 = 13 050 for 24 shares: 543.75 a share.
    assert (result.loan_fund_cash, result.loans_owed, result.fund_value) == (10450, 2600, 13050)
    assert (result.total_shares, result.remainder) == (24, 2)
    assert str(result.value_per_share) == "543.75"
    lines = list(result.lines.values_list("shares", "value", "loan_owed", "payout"))
    assert lines == [
        (6, 3262, 0, 3262),
        (6, 3262, 0, 3262),
        (6, 3262, 2600, 662),
        (6, 3262, 0, 3262),
    ]
    balance = ledger.balances(world.group.pk)
    assert balance["loan_fund_cash"] == 0
    assert balance["health_fund_cash"] == 1202
    assert balance["health_fund"] == 1202
    assert balance["member_savings"] == 0
    assert balance["loans_receivable"] == 0
    assert balance["interest_income"] == balance["fine_income"] == 0
    assert ledger.verify().problems == []
    world.cycle.refresh_from_db()
    assert world.cycle.status == "shared_out"
    # The next cycle starts from it: same members, the health fund carried over.
    following = services.cycle_start(
        actor=world.facilitator, group=world.group, starts_on=D(2024, 6, 3),
        planned_end=D(2025, 5, 31), share_price=500, health_contribution=100,
    )  # fmt: skip
    assert following.number == 2
    world.cycle = following
    world.record(world.meeting(D(2024, 6, 10)))
    assert ledger.balances(world.group.pk)["health_fund_cash"] == 1602


def test_share_out_can_carry_the_remainder_to_the_next_cycle(world):
    world.cycle.remainder_rule = "next_cycle"
    world.cycle.save()
    world.three_meetings()
    result = services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))
    balance = ledger.balances(world.group.pk)
    assert (result.remainder, balance["loan_fund_cash"], balance["carried_over"]) == (2, 2, 2)
    assert balance["health_fund_cash"] == 1200
    assert ledger.verify().problems == []


def test_share_out_of_the_health_fund_when_the_constitution_says_so(world):
    world.cycle.share_out_health_fund = True
    world.cycle.save()
    world.record(world.meeting(D(2024, 1, 8)))
    result = services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 2, 1))
    # 4 000 cash + 400 health fund over 8 shares: 550 a share.
    assert (result.fund_value, result.remainder) == (4400, 0)
    assert list(result.lines.values_list("payout", flat=True)) == [1100] * 4
    balance = ledger.balances(world.group.pk)
    assert (balance["loan_fund_cash"], balance["health_fund_cash"]) == (0, 0)
    assert ledger.verify().problems == []


def test_only_facilitators_of_the_place_record(world, cast):
    data = world.meeting(D(2024, 1, 8), counted_loan_fund=4000, counted_health_fund=400)
    for user in (cast.user(Role.SAVINGS_FACILITATOR, "b"), cast.user(Role.PROGRAM_MANAGER, "a")):
        with pytest.raises(PermissionDenied):
            services.meeting_record(actor=user, group=world.group, data=data)
    assert _counts() == (0, 0, 0)


def test_status_history_and_rules(world):
    with pytest.raises(ValidationError) as caught:
        services.group_status_change(
            actor=world.facilitator, group=world.group, status="suspended", on=D(2024, 3, 1)
        )
    assert "reason" in caught.value.message_dict
    group = services.group_status_change(
        actor=world.facilitator, group=world.group, status="closed", on=D(2024, 3, 1)
    )
    assert group.status == GroupStatus.CLOSED
    with pytest.raises(ValidationError):
        services.group_status_change(
            actor=world.facilitator, group=group, status="active", on=D(2024, 3, 2)
        )


def test_other_income_expenses_and_grants(world):
    world.record(world.meeting(D(2024, 1, 8)))
    world.record(
        world.meeting(
            D(2024, 1, 15),
            incomes=[CashLine(amount=250, description="Don")],
            expenses=[CashLine(amount=300, description="Cahier")],
            grants=[GrantLine(membership_id=world.members[0].pk, amount=500, purpose="delivery")],
        )
    )
    balance = ledger.balances(world.group.pk)
    assert balance["loan_fund_cash"] == 4000 + 4000 + 250 - 300
    assert balance["health_fund_cash"] == 800 - 500
    assert Entry.objects.get(kind="grant").purpose == "delivery"


def test_members_join_from_the_registry_and_leave_only_when_settled(world, cast):
    from jigiya.savings.tests.factories import PersonFactory

    person = PersonFactory(household__community=cast.community_a)
    member = services.membership_add(
        actor=world.facilitator, group=world.group, person=person, joined_on=D(2024, 2, 1)
    )
    assert member.number == 5
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=world.facilitator, group=world.group, person=person, joined_on=D(2024, 2, 1)
        )
    outsider = PersonFactory(household__community=cast.community_b)
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=world.facilitator, group=world.group, person=outsider, joined_on=D(2024, 2, 1)
        )
    world.record(world.meeting(D(2024, 1, 8)))
    with pytest.raises(ValidationError):  # she holds savings: not before the last meeting
        services.membership_leave(
            actor=world.facilitator, membership=world.members[0], left_on=D(2024, 1, 7)
        )
    left = services.membership_leave(
        actor=world.facilitator, membership=member, left_on=D(2024, 3, 1)
    )
    assert left.left_on == D(2024, 3, 1)
