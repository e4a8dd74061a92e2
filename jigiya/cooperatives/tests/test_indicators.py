import datetime
import uuid

from jigiya.cooperatives import indicators, services
from jigiya.cooperatives.services import DeliveryData, LineData
from jigiya.cooperatives.tests.test_trade import ngo_order
from jigiya.indicators import catalog
from jigiya.indicators.catalog import Cells

D = datetime.date
JUNE, MAY = D(2024, 6, 1), D(2024, 5, 1)


def values(compute, cells):
    return {(f.month, f.numerator, f.denominator) for f in compute(cells) if not f.breakdown}


def test_the_months_figures_of_the_mask_cooperative(world, cast):
    cells = Cells(place_ids=frozenset({cast.community_a.pk}), months=frozenset({MAY, JUNE}))
    world.batch(40)
    world.sale(3, paid=3000)
    order = ngo_order(world)  # 30 adult masks at 900: 27 000
    services.delivery_record(
        actor=world.manager, order=order,
        data=DeliveryData(
            id=uuid.uuid4(), delivered_on=D(2024, 6, 12), received_by="Dr Diarra",
            health_center_id=cast.center_a.pk, lines=[LineData(world.mask.pk, 20)],
        ),
    )  # fmt: skip
    assert values(indicators.cooperatives, cells) == {(MAY, 1, None), (JUNE, 1, None)}
    assert values(indicators.members, cells) == {(MAY, 3, None), (JUNE, 3, None)}
    assert values(indicators.units_produced, cells) == {(JUNE, 40, None)}
    assert values(indicators.units_sold, cells) == {(JUNE, 23, None)}
    assert values(indicators.revenue, cells) == {(JUNE, 3000 + 18000, None)}
    assert values(indicators.revenue_per_member, cells) == {(MAY, 0, 3), (JUNE, 21000, 3)}
    assert values(indicators.open_orders_value, cells) == {(JUNE, 9000, None)}


def test_every_cooperative_indicator_is_in_the_catalog():
    codes = {i.code for i in catalog.all_indicators() if i.program == "cooperatives"}
    assert codes == {
        "cooperatives.cooperatives", "cooperatives.members", "cooperatives.units_produced",
        "cooperatives.units_sold", "cooperatives.units_distributed", "cooperatives.revenue",
        "cooperatives.revenue_per_member", "cooperatives.open_orders_value",
        "cooperatives.equipment_in_use", "cooperatives.income_per_member",
        "cooperatives.women_trained",
    }  # fmt: skip


def test_units_are_broken_down_by_product_and_stored(world, cast):
    from jigiya.indicators import engine
    from jigiya.indicators.models import IndicatorValue

    world.batch(40)
    world.batch(
        6, product_id=world.child_mask.pk, workers=[services.WorkerLine(world.members[1].pk)]
    )
    world.sale(3, lines=[LineData(world.mask.pk, 3), LineData(world.child_mask.pk, 2)])
    order = ngo_order(world)
    services.delivery_record(
        actor=world.manager, order=order,
        data=DeliveryData(
            id=uuid.uuid4(), delivered_on=D(2024, 6, 12), received_by="Dr Diarra",
            health_center_id=cast.center_a.pk, lines=[LineData(world.mask.pk, 20)],
        ),
    )  # fmt: skip
    cells = Cells(place_ids=frozenset({cast.community_a.pk}), months=frozenset({JUNE}))
    for code in ("units_produced", "units_sold"):
        engine.recompute(catalog.by_code()[f"cooperatives.{code}"], cells)
    stored = sorted(
        IndicatorValue.objects.filter(
            place=cast.community_a, month=JUNE, indicator__startswith="cooperatives.units_"
        ).values_list("indicator", "breakdown", "numerator")
    )
    assert stored == [
        ("cooperatives.units_produced", "", 46),
        ("cooperatives.units_produced", "product=Adult mask", 40),
        ("cooperatives.units_produced", "product=Child mask", 6),
        ("cooperatives.units_sold", "", 25),  # 3 + 2 walk-in, 20 delivered
        ("cooperatives.units_sold", "product=Adult mask", 23),
        ("cooperatives.units_sold", "product=Child mask", 2),
    ]
    assert (
        catalog.Disaggregation.PRODUCT
        in catalog.by_code()["cooperatives.units_sold"].disaggregations
    )
