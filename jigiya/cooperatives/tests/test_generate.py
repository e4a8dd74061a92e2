import pytest

from jigiya.cooperatives import cash, generate, stock
from jigiya.cooperatives.models import Cooperative, SaleLine, StockLevel
from jigiya.core.generate import SCALES, Progress, discover_steps, step_rng
from jigiya.places.tests.factories import PlaceFactory


@pytest.fixture
def tiny_places(db):
    steps = {step.name: step for step in discover_steps()}
    PlaceFactory(kind="country", name="Mali", code="ML")
    steps["places"].generate(SCALES["tiny"], step_rng(1, steps["places"]), Progress())
    return steps


def test_tiny_scale_makes_cooperatives_with_intact_ledgers(tiny_places):
    created = generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress())
    assert created == {"cooperatives": 2, "sales lines": 40}
    report = stock.verify()
    assert report.problems == []
    assert report.cooperatives == 2
    assert cash.verify() == []
    assert all(level >= 0 for level in StockLevel.objects.values_list("quantity", flat=True))
    assert generate.generate(SCALES["tiny"], step_rng(1, generate.STEP), Progress()) == {}
    assert generate.reset()["cooperatives"] == 2
    assert (Cooperative.objects.count(), SaleLine.objects.count()) == (0, 0)


def test_national_scale_is_300_cooperatives_and_200_000_sales_lines():
    national = SCALES["national"]
    assert generate._cooperatives(national) == 300
    assert generate._cooperatives(national) * generate._sales(national) == 200_100
