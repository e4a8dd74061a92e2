import datetime

from jigiya.indicators.catalog import Cells, get
from jigiya.savings import services
from jigiya.savings.tests.factories import MembershipFactory

D = datetime.date
MONTHS = [D(2024, m, 1) for m in range(1, 7)]


def _facts(code, world):
    cells = Cells(place_ids=frozenset({world.group.community_id}), months=frozenset(MONTHS))
    return {
        (fact.month.month, fact.breakdown): (fact.numerator, fact.denominator)
        for fact in get(code).compute(cells)
    }


def test_members_and_women(world):
    world.loan_never_repaid()
    facts = _facts("savings.members", world)
    assert facts[(1, "")] == (4, None)
    assert facts[(6, "sex=F")] == (4, None)
    assert _facts("savings.women_share", world)[(3, "")] == (4, 4)


def test_attendance_over_the_last_four_meetings_of_90_days(world):
    world.loan_never_repaid()
    facts = _facts("savings.attendance", world)
    assert facts[(1, "")] == (7, 8)  # 8 Jan 4/4, 15 Jan 3/4
    assert facts[(2, "")] == (11, 12)
    assert facts[(3, "")] == (11, 12)
    assert facts[(4, "")] == (4, 4)  # only 15 Feb is within 90 days of 30 April
    assert (5, "") not in facts


def test_savings_assets_and_loan_fund(world):
    world.loan_never_repaid()
    assert _facts("savings.savings_per_member", world)[(1, "")] == (7000, 4)
    assert _facts("savings.savings_per_member", world)[(2, "")] == (11000, 4)
    assert _facts("savings.assets", world)[(1, "")] == (4000 + 3000 + 700, None)
    assert _facts("savings.assets", world)[(2, "")] == (8000 + 3000 + 600, None)
    assert _facts("savings.loan_fund_utilization", world)[(1, "")] == (3000, 7000)
    assert _facts("savings.loan_fund_utilization", world)[(2, "")] == (3000, 11000)


def test_portfolio_at_risk_over_30_days(world):
    world.loan_never_repaid()
    facts = _facts("savings.par30", world)
    assert facts[(1, "")] == (0, 3000)
    assert facts[(2, "")] == (0, 3000)  # 14 days late on 29 February
    assert facts[(3, "")] == (3000, 3000)  # 45 days late on 31 March


def test_health_grants_by_purpose(world):
    world.loan_never_repaid()
    facts = _facts("savings.health_grants", world)
    assert facts == {(2, "purpose=delivery"): (500, None), (2, ""): (500, None)}


def test_return_on_savings_and_members_leaving_at_share_out(world):
    MembershipFactory(group=world.group, number=5, left_on=D(2024, 3, 1))
    world.three_meetings()
    services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))
    # Earned 13 050 - 12 000 = 1 050 on 12 000 saved over 152 days: 21.0 % a year.
    assert _facts("savings.annual_return", world) == {(6, ""): (1050 * 365, 12000 * 152)}
    assert _facts("savings.members_leaving", world) == {(6, ""): (1, 5)}


def test_members_and_balances_carry_into_a_month_without_meetings_after_the_roll(world):
    import time_machine

    from jigiya.indicators import engine
    from jigiya.indicators.models import IndicatorValue

    world.loan_never_repaid()
    engine.refresh()
    may = D(2024, 5, 1)

    def stored(code):
        return (
            IndicatorValue.objects.filter(
                indicator=code, place_id=world.group.community_id, month=may, breakdown=""
            )
            .values_list("numerator", "denominator")
            .first()
        )

    with time_machine.travel(datetime.datetime(2024, 5, 3, 2, 0), tick=False):
        engine.roll()
    assert stored("savings.members") == (4, None)
    # No meeting since February: May's balances are what the records give for May.
    cells = Cells(place_ids=frozenset({world.group.community_id}), months=frozenset({may}))
    for code in ("savings.assets", "savings.par30", "savings.savings_per_member"):
        expected = {
            (f.numerator, f.denominator) for f in get(code).compute(cells) if f.breakdown == ""
        }
        assert {stored(code)} == expected, code
    par = stored("savings.par30")
    assert par is not None and par[0] == 3000  # the loan is more than 30 days late in May
