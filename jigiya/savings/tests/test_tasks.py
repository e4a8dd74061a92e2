"""The daily task that keeps PAR > 30 days moving with time."""

import datetime

import time_machine

from jigiya.core.schedule import daily_tasks
from jigiya.indicators import engine
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.savings.tasks import savings_par_freshen
from jigiya.savings.tests.factories import CycleFactory, GroupFactory, MembershipFactory

D = datetime.date


def _at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), datetime.UTC))


def _par(world, month):
    return IndicatorValue.objects.filter(
        indicator="savings.par30", place=world.group.community, month=month, breakdown=""
    ).values_list("numerator", "denominator")[0]


def _lend(world):
    """8 Jan: everyone saves; 15 Jan: member 3 borrows 3 000 for 3 months (first due 15 Feb)."""
    world.record(world.meeting(D(2024, 1, 8)))
    lines = world.lines({2: {"loan_amount": 3000, "loan_term": 3}})
    world.record(world.meeting(D(2024, 1, 15), members=lines))


def test_the_task_is_daily_and_marks_only_communities_with_a_loan_owed(world, cast):
    assert savings_par_freshen in daily_tasks()
    other = GroupFactory(community=cast.community_b)  # a group without loans
    CycleFactory(group=other)
    MembershipFactory(group=other)
    _lend(world)
    StaleCell.objects.all().delete()
    assert savings_par_freshen.call() == 1
    assert sorted(StaleCell.objects.values_list("place_id", "month", "source")) == [
        (world.group.community_id, D(2024, 5, 1), "savings.ledger"),
        (world.group.community_id, D(2024, 6, 1), "savings.ledger"),
    ]


def test_par30_moves_with_time_when_the_task_runs(world):
    with _at(D(2024, 3, 5)):
        _lend(world)
        engine.refresh()
        assert _par(world, D(2024, 3, 1)) == (0, 3000)  # 19 days late
    with _at(D(2024, 3, 20)):
        engine.refresh()  # nothing posted, nothing stale: the value stays as it was
        assert _par(world, D(2024, 3, 1)) == (0, 3000)
        savings_par_freshen.call()
        engine.refresh()
        assert _par(world, D(2024, 3, 1)) == (3000, 3000)  # 34 days late
