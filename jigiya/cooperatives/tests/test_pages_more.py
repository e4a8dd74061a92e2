"""The customer statement, the pipeline of groups preparing a cooperative, the union page, the
equipment's maintenance and disposal pages, sharing by hours and the month by product."""

import datetime
import uuid

from jigiya.accounts.roles import Role
from jigiya.cooperatives import cash, selectors, services
from jigiya.cooperatives.models import (
    CashEntry,
    Equipment,
    Maintenance,
    Payout,
    PreparingGroup,
    PreparingStage,
    UnionMember,
)
from jigiya.cooperatives.services import DeliveryData, DistributionData, LineData, WorkerLine
from jigiya.cooperatives.tests.test_trade import ngo_order
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.registry.models import Household

D = datetime.date


# --- the customer statement --------------------------------------------------------------------


def statement_world(world, cast):
    """The NGO ordered 30 masks at 900: 20 delivered on 12 June (18 000), 3 given to a family
    out of the order on 14 June (2 700); it paid 10 000 on 13 June by Orange Money. It also
    bought 2 masks walk-in on 15 June (2 000), paid 500 cash at once."""
    world.batch(40)
    order = ngo_order(world)
    services.delivery_record(
        actor=world.manager, order=order,
        data=DeliveryData(
            id=uuid.uuid4(), delivered_on=D(2024, 6, 12), received_by="Dr Diarra",
            health_center_id=cast.center_a.pk, lines=[LineData(world.mask.pk, 20)],
        ),
    )  # fmt: skip
    services.payment_record(
        actor=world.manager, cooperative=world.coop, order=order, amount=10000,
        method="orange_money", reference="OM-1", paid_on=D(2024, 6, 13),
    )  # fmt: skip
    family = Household.objects.create(community=cast.community_a, name="Famille Traoré")
    services.distribution_record(
        actor=world.manager, cooperative=world.coop,
        data=DistributionData(
            id=uuid.uuid4(), product_id=world.mask.pk, quantity=3, given_on=D(2024, 6, 14),
            received_by="Oumou", paid_by="ngo_purchase", household_id=family.pk,
            order_id=order.pk,
        ),
    )  # fmt: skip
    world.sale(2, sold_on=D(2024, 6, 15), customer_id=order.customer_id, paid=500)
    return order


def test_the_statement_runs_the_balance_line_by_line(world, cast):
    order = statement_world(world, cast)
    lines = selectors.customer_statement(order.customer)
    rows = [(line.on, line.what, line.charged, line.paid, line.balance) for line in lines]
    assert rows == [
        (D(2024, 6, 12), "Products delivered", 18000, 0, 18000),
        (D(2024, 6, 13), "Payment · Orange Money OM-1", 0, 10000, 8000),
        (D(2024, 6, 14), "Given out of the order", 2700, 0, 10700),
        (D(2024, 6, 15), "Sale", 2000, 0, 12700),
        (D(2024, 6, 15), "Payment · Cash", 0, 500, 12200),
    ]
    sale = order.customer.sales.get()
    assert lines[-1].balance == services.owed(order=order) + services.owed(sale=sale)


def test_the_statement_page_prints_the_balance_owed(
    world, cast, client, django_assert_max_num_queries
):
    order = statement_world(world, cast)
    client.force_login(world.manager)
    with django_assert_max_num_queries(12):
        page = client.get(f"/cooperatives/customers/{order.customer_id}/").content.decode()
    assert "<strong>12\xa0200\xa0FCFA</strong>" in page
    assert "data-print" in page
    assert "owed 10\xa0700\xa0FCFA" in page
    detail = client.get(world.coop.get_absolute_url()).content.decode()
    assert f'href="/cooperatives/customers/{order.customer_id}/">ONG Jigiya</a>' in detail


# --- the pipeline of groups preparing a cooperative ---------------------------------------------


def group(world, **kwargs):
    data = {
        "actor": world.manager, "community": world.coop.community, "name": "Muso Benkadi",
        "activity": "soap", "women": 18, "stage": "informed", "since": D(2024, 3, 1),
        "origin": "Savings group Benkadi",
    }  # fmt: skip
    data.update(kwargs)
    return services.preparing_group_create(**data)


def pipeline_state():
    return (
        sorted(PreparingGroup.objects.values_list("name", "stage", "stage_since", "cooperative")),
        PreparingStage.objects.count(),
    )


def test_a_group_moves_forward_and_becomes_a_cooperative(world):
    muso = group(world)
    services.preparing_group_advance(
        actor=world.manager, group=muso, stage="statutes", on=D(2024, 4, 2), note="Skipped"
    )
    errors = refused_unchanged(
        pipeline_state, services.preparing_group_advance, actor=world.manager, group=muso,
        stage="trained", on=D(2024, 5, 1),
    )  # fmt: skip
    assert errors == {"stage": ["The group is at “Statutes drafted”: choose a later stage."]}
    errors = refused_unchanged(
        pipeline_state, services.preparing_group_advance, actor=world.manager, group=muso,
        stage="formed", on=D(2024, 5, 1),
    )  # fmt: skip
    assert errors == {"cooperative": ["Choose the cooperative it became, in its community."]}
    errors = refused_unchanged(
        pipeline_state, services.preparing_group_advance, actor=world.manager, group=muso,
        stage="assembly", on=D(2024, 4, 1),
    )  # fmt: skip
    assert list(errors) == ["on"]
    muso = services.preparing_group_advance(
        actor=world.manager, group=muso, stage="formed", on=D(2024, 6, 1), cooperative=world.coop
    )
    assert (muso.stage, muso.stage_since, muso.cooperative) == ("formed", D(2024, 6, 1), world.coop)
    assert list(muso.stages.values_list("stage", "on")) == [
        ("informed", D(2024, 3, 1)), ("statutes", D(2024, 4, 2)), ("formed", D(2024, 6, 1)),
    ]  # fmt: skip


def test_a_group_without_women_or_twice_is_refused(world):
    group(world)
    errors = refused_unchanged(pipeline_state, group, world=world, name="Autre", women=0)
    assert errors == {"women": ["The number of women is whole, above zero (got 0)."]}
    errors = refused_unchanged(pipeline_state, group, world=world, name="muso benkadi")
    assert errors == {"name": ["This community already has a group of this name."]}


def test_the_pipeline_page_shows_groups_by_stage_in_the_users_places(world, cast, client):
    group(world)
    group(world, name="Jigi", stage="interest", women=9)
    other = cast.user(Role.COOPERATIVE_MANAGER, "b")
    services.preparing_group_create(
        actor=other, community=cast.community_b, name="Groupe lointain", activity="masks",
        women=7, stage="interest", since=D(2024, 1, 5),
    )  # fmt: skip
    client.force_login(world.manager)
    page = client.get("/cooperatives/pipeline/").content.decode()
    interest = page.index("Interest shown")
    informed = page.index("Informed on cooperatives")
    assert interest < page.index("<strong>Jigi<") < informed < page.index("Muso Benkadi")
    assert "18 women" in page and "9 women" in page
    assert "Groupe lointain" not in page
    muso = PreparingGroup.objects.get(name="Muso Benkadi")
    response = client.post(
        muso.get_absolute_url(), {"stage": "trained", "on": "2024-06-30", "note": "DRDSES"}
    )
    assert response.status_code == 302
    assert PreparingGroup.objects.get(pk=muso.pk).stage == "trained"
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    before = pipeline_state()
    response = client.post(muso.get_absolute_url(), {"stage": "statutes", "on": "2024-06-30"})
    assert response.status_code == 403
    assert pipeline_state() == before


# --- unions and equipment pages ---------------------------------------------------------------


def test_the_union_page_lists_members_and_a_cooperative_joins(world, cast, client):
    union = services.union_create(
        actor=cast.user(Role.ADMIN, "above"), place=cast.cercle, name="Union de Bamako",
        formed_on=D(2024, 2, 1),
    )  # fmt: skip
    other = cast.user(Role.COOPERATIVE_MANAGER, "b")
    far = services.cooperative_create(
        actor=other, community=cast.community_b, name="Savon B", activity="soap",
        formed_on=D(2023, 5, 1),
    )  # fmt: skip
    services.union_join(
        actor=other, union=union, cooperative=far, joined_on=D(2024, 2, 1), yearly_dues=5000
    )
    client.force_login(world.manager)
    page = client.get(union.get_absolute_url()).content.decode()
    assert "and 1 cooperative outside your places" in page and "Savon B" not in page
    response = client.post(
        union.get_absolute_url(),
        {"cooperative": world.coop.pk, "joined_on": "2024-03-01", "yearly_dues": "12000",
         "board_role": "Trésorière"},
    )  # fmt: skip
    assert response["Location"] == union.get_absolute_url()
    page = client.get(union.get_absolute_url()).content.decode()
    assert "Jèkafo masques" in page and "Trésorière" in page
    assert '<dd class="num" id="dues">17\xa0000\xa0FCFA</dd>' in page
    joined = UnionMember.objects.count()
    response = client.post(
        union.get_absolute_url(),
        {"cooperative": world.coop.pk, "joined_on": "2024-03-01", "yearly_dues": "1"},
    )
    assert response.status_code == 400
    assert UnionMember.objects.count() == joined
    assert union.name in client.get("/cooperatives/unions/").content.decode()


def test_equipment_is_maintained_and_disposed_of_from_its_pages(world, client):
    item = services.equipment_add(
        actor=world.manager, cooperative=world.coop, item="Machine à coudre", quantity=1,
        acquired_on=D(2024, 1, 5), cost=85000, serial="SN-22",
    )  # fmt: skip
    world.batch(5)
    world.sale(5, paid=5000)
    client.force_login(world.manager)
    response = client.post(
        f"/cooperatives/equipment/{item.pk}/maintenance/new/",
        {"id": str(uuid.uuid4()), "on": "2024-06-28", "description": "Courroie changée",
         "cost": "1500", "condition": "good"},
    )  # fmt: skip
    assert response["Location"] == item.get_absolute_url()
    assert cash.balance(world.coop.pk) == 5000 - 1500
    cash_before = (CashEntry.objects.count(), Maintenance.objects.count())
    response = client.post(
        f"/cooperatives/equipment/{item.pk}/maintenance/new/",
        {"id": str(uuid.uuid4()), "on": "2024-06-29", "description": "Moteur",
         "cost": "9000", "condition": "good"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "The cash holds 3\xa0500\xa0FCFA; 9\xa0000\xa0FCFA cannot go out." in (
        response.content.decode()
    )
    assert (CashEntry.objects.count(), Maintenance.objects.count()) == cash_before
    client.post(
        f"/cooperatives/equipment/{item.pk}/dispose/",
        {"on": "2024-06-30", "reason": "Volée"},
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Courroie changée" in page and "June 30, 2024 — Volée" in page
    assert "Log maintenance" not in page
    assert Equipment.objects.get(pk=item.pk).disposed_on == D(2024, 6, 30)


# --- sharing by hours, the month by product ----------------------------------------------------


def test_a_close_shares_the_surplus_by_hours_worked_to_the_franc(world):
    m = world.members
    world.batch(20, workers=[WorkerLine(m[0].pk, hours=5), WorkerLine(m[1].pk, hours=3)])
    world.batch(20, workers=[WorkerLine(m[0].pk, hours=2), WorkerLine(m[2].pk, hours=1)])
    world.sale(40, paid=40000)
    close = services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 30), rule="hours"
    )
    assert (close.surplus, close.shared, close.remainder) == (25000, 24999, 1)  # 40 000 - 15 000
    payouts = sorted(Payout.objects.filter(close=close).values_list("basis", "amount"))
    assert payouts == [(1, 2272), (3, 6818), (7, 15909)]  # ⌊25 000 x h / 11⌋


def test_hours_out_of_a_day_are_refused(world):
    from jigiya.cooperatives.tests.conftest import stock_state

    errors = refused_unchanged(
        stock_state, world.batch, quantity=3,
        workers=[WorkerLine(world.members[0].pk, hours=25)],
    )  # fmt: skip
    assert errors == {"workers": ["Hours worked are whole numbers from 0 to 24 a day (got 25)."]}


def test_the_cooperative_page_breaks_the_month_down_by_product(world, cast, client):
    world.batch(12)
    world.sale(2)
    services.distribution_record(
        actor=world.manager, cooperative=world.coop,
        data=DistributionData(
            id=uuid.uuid4(), product_id=world.mask.pk, quantity=3, given_on=D(2024, 6, 15),
            received_by="Major", paid_by="donation", health_center_id=cast.center_a.pk,
        ),
    )  # fmt: skip
    rows = [(r["product"].name, r["made"], r["sold"], r["given"])
            for r in selectors.by_product(world.coop)]  # fmt: skip
    assert rows == [("Adult mask", 12, 2, 3)]
    client.force_login(world.manager)
    page = client.get(world.coop.get_absolute_url()).content.decode()
    assert "made 12 · sold 2 · given away 3" in page


def test_the_distribution_form_names_families_only_to_a_role_that_sees_the_registry(
    world, cast, client
):
    family = Household.objects.create(community=cast.community_a, name="Famille Dembélé")
    code = "F-" + family.pk.hex[:6].upper()
    url = f"/cooperatives/{world.coop.pk}/distributions/new/"
    client.force_login(world.manager)  # a cooperative manager: no health view
    page = client.get(url).content.decode()
    assert f'<option value="{family.pk}">{code}</option>' in page
    assert "Dembélé" not in page
    client.force_login(cast.user(Role.ADMIN, "a"))  # sees the registry
    page = client.get(url).content.decode()
    assert f'<option value="{family.pk}">Famille Dembélé · {code}</option>' in page
    world.batch(5)
    client.force_login(world.manager)
    client.post(
        url,
        {"id": str(uuid.uuid4()), "product": world.mask.pk, "quantity": "2",
         "given_on": "2024-06-30", "household": family.pk, "received_by": "Oumou",
         "paid_by": "donation"},
    )  # fmt: skip
    detail = client.get(world.coop.get_absolute_url()).content.decode()
    assert f"family {code}" in detail and "Dembélé" not in detail
    client.force_login(cast.user(Role.CHW, "a"))  # the CHW reads the code for the voucher
    home = client.get(family.get_absolute_url()).content.decode()
    assert f"<strong>{code}</strong>" in home
