"""Groups, status and cycles (`groups.py`), corrections and write-offs (`corrections.py`): each
rule refused with nothing changed, and what a refusal leaves possible."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from jigiya.accounts.roles import Role
from jigiya.core.errors import Conflict
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.savings import ledger, services
from jigiya.savings.groups import TRANSITIONS
from jigiya.savings.models import (
    Cycle,
    CycleStatus,
    Entry,
    EntryKind,
    Group,
    GroupStatus,
    GroupStatusChange,
    LoanStatus,
)
from jigiya.savings.tests.factories import GroupFactory

D = datetime.date


def _history():
    return (
        Group.objects.values_list("status", "status_since").order_by("pk").first(),
        GroupStatusChange.objects.count(),
        Cycle.objects.count(),
        Entry.objects.count(),
    )


def _refused(call, **kwargs):
    return refused_unchanged(_history, call, **kwargs)


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize("now", GroupStatus.values)
@pytest.mark.parametrize("to", GroupStatus.values)
def test_a_status_follows_only_the_allowed_ones(cast, now, to):
    group = GroupFactory(community=cast.community_a, status=now)
    user = cast.user(Role.SAVINGS_FACILITATOR, "a")
    change = {"actor": user, "group": group, "status": to, "on": D(2024, 3, 1), "reason": "pluie"}
    if to in TRANSITIONS[GroupStatus(now)]:
        changed = services.group_status_change(**change)
        assert (changed.status, changed.status_since, changed.status_reason) == (
            to,
            D(2024, 3, 1),
            "pluie",
        )
        assert changed.status_changes.order_by("-number").first().status == to
    else:
        assert list(_refused(services.group_status_change, **change)) == ["status"]


def test_a_status_change_is_dated_after_the_last_one_and_the_last_meeting(world):
    world.record(world.meeting(D(2024, 2, 5)))
    change = {"actor": world.facilitator, "group": world.group, "reason": "récolte"}
    errors = _refused(
        services.group_status_change, status="suspended", on=D(2023, 12, 31), **change
    )
    assert list(errors) == ["on"]  # before the group became active
    errors = _refused(services.group_status_change, status="suspended", on=D(2024, 2, 1), **change)
    assert list(errors) == ["on"]  # it met after that
    errors = _refused(services.group_status_change, status="suspended", on=D(2024, 7, 1), **change)
    assert list(errors) == ["on"]  # in the future
    services.group_status_change(status="suspended", on=D(2024, 2, 6), **change)


def test_a_group_is_created_once_by_name_in_its_community(cast):
    user = cast.user(Role.SAVINGS_FACILITATOR, "a")
    made = services.group_create(
        actor=user, community=cast.community_a, name=" Benkadi ", formed_on=D(2024, 1, 1)
    )
    assert (made.name, made.status, made.facilitator, made.created_by) == (
        "Benkadi",
        GroupStatus.FORMING,
        None,
        user,
    )
    errors = _refused(
        services.group_create,
        actor=user,
        community=cast.community_a,
        name="benkadi",
        formed_on=D(2024, 1, 1),
    )
    assert list(errors) == ["name"]
    errors = _refused(
        services.group_create,
        actor=cast.user(Role.SAVINGS_FACILITATOR, "above"),
        community=cast.commune_a,
        name="Jigiya",
        formed_on=D(2024, 1, 1),
    )
    assert list(errors) == ["community"]  # a commune is not a community


# --- cycles ---------------------------------------------------------------------------------


def _cycle(world, **extra):
    kwargs = {
        "actor": world.facilitator,
        "group": world.group,
        "starts_on": D(2024, 6, 2),
        "planned_end": D(2025, 5, 31),
        "share_price": 250,
    }
    return kwargs | extra


def test_a_new_cycle_waits_for_the_share_out_then_starts_after_it(world):
    assert "__all__" in _refused(services.cycle_start, **_cycle(world))  # cycle 1 still open
    world.record(world.meeting(D(2024, 1, 8)))
    services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))
    errors = _refused(services.cycle_start, **_cycle(world, starts_on=D(2024, 5, 31)))
    assert list(errors) == ["starts_on"]
    cycle = services.cycle_start(**_cycle(world, fines=[{"reason": "retard", "amount": 50}]))
    assert (cycle.number, cycle.status, cycle.share_price) == (2, CycleStatus.OPEN, 250)
    assert cycle.fines == [{"reason": "retard", "amount": 50}]


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"share_price": 0}, "share_price"),
        ({"share_price": 250.5}, "share_price"),
        ({"health_contribution": -1}, "health_contribution"),
        ({"max_shares": 0}, "max_shares"),
        ({"interest_rate": "101"}, "interest_rate"),
        ({"starts_on": D(2023, 12, 31)}, "starts_on"),
    ],
)
def test_a_cycle_with_a_constitution_out_of_bounds_is_refused(world, extra, field):
    Cycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.SHARED_OUT)
    assert field in _refused(services.cycle_start, **_cycle(world, **extra))


def test_a_closed_group_opens_no_cycle(world):
    Cycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.SHARED_OUT)
    services.group_status_change(
        actor=world.facilitator, group=world.group, status="closed", on=D(2024, 6, 1)
    )
    assert "__all__" in _refused(services.cycle_start, **_cycle(world))


# --- corrections ----------------------------------------------------------------------------


def _correct(world, entry, **extra):
    kwargs = {"actor": world.facilitator, "entry": entry, "reason": "erreur", "id": uuid.uuid4()}
    return services.entry_correct(**(kwargs | extra))


def test_a_correction_sent_again_returns_the_same_entries_and_another_under_its_id_conflicts(
    world,
):
    meeting = world.record(world.meeting(D(2024, 1, 8)))
    shares = Entry.objects.filter(meeting=meeting, kind=EntryKind.SHARES).order_by("seq")
    first, other = shares[0], shares[1]
    fix = uuid.uuid4()
    made = _correct(world, first, id=fix, amount=1500)
    again = _correct(world, first, id=fix, amount=1500)
    assert sorted(e.pk for e in again) == sorted(e.pk for e in made)
    count = Entry.objects.count()
    with pytest.raises(Conflict):
        _correct(world, other, id=fix)
    assert Entry.objects.count() == count


@pytest.mark.parametrize(
    "kind,amount,field",
    [
        (EntryKind.SHARES, 1200, "amount"),  # not whole shares
        (EntryKind.SHARES, 3000, "amount"),  # more than 5 shares
        (EntryKind.SHARES, 0, "amount"),
        (EntryKind.LOAN, 1000, "amount"),  # a loan is reversed, then lent again at a meeting
        (EntryKind.REPAYMENT, 500, "amount"),
    ],
)
def test_a_correction_out_of_the_rules_is_refused(world, kind, amount, field):
    world.three_meetings()
    entry = Entry.objects.filter(kind=kind).order_by("seq").first()
    before = (Entry.objects.count(), ledger.balances(world.group.pk))
    with pytest.raises(ValidationError) as caught:
        _correct(world, entry, amount=amount)
    assert field in caught.value.message_dict
    assert (Entry.objects.count(), ledger.balances(world.group.pk)) == before


def test_a_correction_needs_a_reason_and_not_every_entry_is_corrected(world):
    world.record(world.meeting(D(2024, 1, 8), counted_loan_fund=3900, counted_health_fund=400,
                               difference_note="manque", confirmed_by_id=world.members[1].pk))  # fmt: skip
    shares = Entry.objects.filter(kind=EntryKind.SHARES).first()
    difference = Entry.objects.get(kind=EntryKind.CASH_DIFFERENCE)
    count = Entry.objects.count()
    for entry, extra, field in (
        (shares, {"reason": "  "}, "reason"),
        (difference, {}, "__all__"),
    ):
        with pytest.raises(ValidationError) as caught:
            _correct(world, entry, **extra)
        assert field in caught.value.message_dict
    assert Entry.objects.count() == count


# --- write-offs -----------------------------------------------------------------------------


def test_a_write_off_is_refused_out_of_its_rules_and_once_done_is_not_done_again(world):
    loan = world.three_meetings()
    off = {"actor": world.facilitator, "loan": loan, "reason": "Partie"}
    for extra, field in (
        ({"on": D(2024, 1, 14), "approved_by": world.members[0]}, "on"),  # before the loan
        ({"on": D(2024, 7, 1), "approved_by": world.members[0]}, "on"),  # in the future
        ({"on": D(2024, 6, 1), "approved_by": world.members[3]}, "approved_by"),  # not an officer
        ({"on": D(2024, 6, 1), "approved_by": world.members[0], "reason": ""}, "reason"),
    ):
        assert field in _refused(services.loan_write_off, **(off | extra))
    services.loan_write_off(on=D(2024, 6, 1), approved_by=world.members[0], **off)
    loan.refresh_from_db()
    assert (loan.status, loan.written_off_on, loan.write_off_approved_by) == (
        LoanStatus.WRITTEN_OFF,
        D(2024, 6, 1),
        world.members[0],
    )
    errors = _refused(
        services.loan_write_off, on=D(2024, 6, 2), approved_by=world.members[0], **off
    )
    assert "__all__" in errors


def test_a_loan_repaid_in_full_has_nothing_to_write_off(world):
    loan = world.three_meetings()
    world.record(world.meeting(D(2024, 3, 15), members=world.lines({2: {"repayment": 2600}})))
    errors = _refused(
        services.loan_write_off,
        actor=world.facilitator,
        loan=loan,
        on=D(2024, 6, 1),
        reason="Partie",
        approved_by=world.members[0],
    )
    assert "__all__" in errors
