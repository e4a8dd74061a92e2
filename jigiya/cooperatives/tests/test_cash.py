import datetime

from django.utils import translation

from jigiya.cooperatives import cash, services
from jigiya.cooperatives.models import CashEntry, Payout, PeriodClose
from jigiya.cooperatives.services import WorkerLine
from jigiya.cooperatives.tests.conftest import stock_state
from jigiya.core.tests.refusals import refused_unchanged

D = datetime.date


def cash_state():
    return (*stock_state(), CashEntry.objects.count(), cash.balance_all())


def june(world):
    """40 masks made in June (Awa 20, Fanta 13, Mariam 7), all sold and paid (40 000 FCFA),
    an expense of 1 001 FCFA: the surplus of June is 40 000 - 15 000 of inputs - 1 001."""
    m = world.members
    world.batch(
        40,
        workers=[WorkerLine(m[0].pk, 20), WorkerLine(m[1].pk, 13), WorkerLine(m[2].pk, 7)],
    )
    world.sale(40, paid=40000)
    services.expense_record(
        actor=world.manager, cooperative=world.coop, amount=1001, on=D(2024, 6, 25),
        memo="Transport au marché",
    )  # fmt: skip


def test_the_cash_follows_capital_purchases_payments_and_expenses(world):
    assert cash.balance(world.coop.pk) == 0  # 3 x 5 000 of capital, 15 000 of inputs
    june(world)
    assert cash.balance(world.coop.pk) == 40000 - 1001
    assert cash.verify() == []


def test_a_period_close_shares_the_surplus_by_pieces_to_the_franc(world):
    services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 5, 31), rule="pieces"
    )
    june(world)
    close = services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 30), rule="pieces"
    )
    assert (close.starts_on, close.received, close.spent) == (D(2024, 6, 1), 40000, 16001)
    assert (close.surplus, close.shared, close.remainder) == (23999, 23997, 2)
    payouts = sorted(Payout.objects.filter(close=close).values_list("basis", "amount"))
    assert payouts == [(7, 4199), (13, 7799), (20, 11999)]
    assert cash.balance(world.coop.pk) == 40000 - 1001 - 23997  # the remainder stays: 2
    assert cash.verify() == []


def test_equal_shares_split_among_the_members_on_the_last_day(world):
    june(world)
    close = services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 30), rule="equal"
    )
    assert close.surplus == 23999
    assert sorted(Payout.objects.values_list("amount", flat=True)) == [7999, 7999, 7999]
    assert close.remainder == 2


def test_a_posting_in_a_closed_period_is_refused_and_nothing_is_posted(world):
    june(world)
    services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 29), rule="pieces"
    )
    world.batch(5, made_on=D(2024, 6, 30), inputs={})
    with translation.override("en"):
        errors = refused_unchanged(cash_state, world.sale, quantity=1, sold_on=D(2024, 6, 29))
        assert errors == {
            "sold_on": ["The period up to 2024-06-29 is closed: 2024-06-29 cannot be recorded."]
        }
        errors = refused_unchanged(
            lambda: (cash_state(), PeriodClose.objects.count()), services.period_close,
            actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 20), rule="pieces",
        )  # fmt: skip
        assert errors == {
            "ends_on": ["The period up to 2024-06-29 is closed: 2024-06-20 cannot be recorded."]
        }


def test_an_expense_above_the_cash_is_refused(world):
    with translation.override("en"):
        errors = refused_unchanged(
            cash_state, services.expense_record, actor=world.manager, cooperative=world.coop,
            amount=500, on=D(2024, 6, 25), memo="Loyer",
        )  # fmt: skip
    assert errors == {"amount": ["The cash holds 0\xa0FCFA; 500\xa0FCFA cannot go out."]}


def test_income_per_member_is_the_months_payouts_over_its_members(world, cast):
    from jigiya.cooperatives import indicators
    from jigiya.indicators.catalog import Cells

    june(world)
    services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 30), rule="pieces"
    )
    cells = Cells(place_ids=frozenset({cast.community_a.pk}), months=frozenset({D(2024, 6, 1)}))
    facts = [(f.numerator, f.denominator) for f in indicators.income_per_member(cells)]
    assert facts == [(23997, 3)]


def test_the_close_page_and_its_sheet(world, client):
    june(world)
    client.force_login(world.manager)
    response = client.post(
        f"/cooperatives/{world.coop.pk}/closes/new/",
        {"ends_on": "2024-06-30", "rule": "pieces"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    close = PeriodClose.objects.get()
    assert response["Location"] == close.get_absolute_url()
    sheet = client.get(close.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<dd class="num" id="remainder">2\xa0FCFA</dd>' in sheet
    assert "11\xa0999\xa0FCFA · 20 pieces" in sheet


def test_the_close_through_the_api_is_safe_to_send_again(world, client):
    june(world)
    client.force_login(world.manager)
    url = f"/api/v1/cooperatives/{world.coop.pk}/closes"
    body = {"ends_on": "2024-06-30", "rule": "equal"}
    first = client.post(url, body, content_type="application/json")
    assert (first.status_code, first.json()["shared"]) == (201, 23997)
    assert client.post(url, body, content_type="application/json").status_code == 200
    other = client.post(url, {**body, "rule": "pieces"}, content_type="application/json")
    assert other.status_code == 409
    assert PeriodClose.objects.count() == 1
    assert Payout.objects.count() == 3
