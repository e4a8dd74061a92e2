import datetime
import uuid

from jigiya.accounts.roles import Role
from jigiya.cooperatives import services
from jigiya.cooperatives.models import Sale, StockLevel
from jigiya.cooperatives.services import DistributionData
from jigiya.registry.models import Household

D = datetime.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_cooperative_page_shows_stock_cash_orders_and_the_months_production(
    world, client, django_assert_max_num_queries
):
    world.batch(12)
    world.sale(2, paid=2000)
    client.force_login(world.manager)
    with django_assert_max_num_queries(25):
        page = client.get(world.coop.get_absolute_url(), **EN).content.decode()
    assert "10 piece" in page  # the stock after the sale
    assert "Adult mask: <strong>12</strong>" in page  # made in June
    assert '<dd class="num">2\xa0000\xa0FCFA</dd>' in page  # received
    assert '<dd class="num">15\xa0000\xa0FCFA</dd>' in page  # fabric and elastic bought


def test_a_sale_is_recorded_from_its_page_and_shows_its_receipt(world, client):
    world.batch(10)
    client.force_login(world.manager)
    url = f"/cooperatives/{world.coop.pk}/sales/new/"
    form = client.get(url, **EN).content.decode()
    assert "Adult mask (piece) · 1\xa0000\xa0FCFA" in form
    body = {
        "id": str(uuid.uuid4()), "sold_on": "2024-06-30", f"qty_{world.mask.pk}": "3",
        "paid": "3000", "method": "cash",
    }  # fmt: skip
    response = client.post(url, body, **EN)
    sale = Sale.objects.get()
    assert response.status_code == 302
    assert response["Location"] == sale.get_absolute_url()
    receipt = client.get(sale.get_absolute_url(), **EN).content.decode()
    assert "3\xa0000\xa0FCFA" in receipt
    # The same form posted again (a double tap) records nothing more.
    client.post(url, body, **EN)
    assert Sale.objects.count() == 1
    assert StockLevel.objects.get(product=world.mask).quantity == 7


def test_a_sale_above_the_stock_shows_the_message_and_posts_nothing(world, client):
    world.batch(2)
    client.force_login(world.manager)
    response = client.post(
        f"/cooperatives/{world.coop.pk}/sales/new/",
        {"id": str(uuid.uuid4()), "sold_on": "2024-06-30", f"qty_{world.mask.pk}": "3",
         "method": "cash"},
        **EN,
    )  # fmt: skip
    assert response.status_code == 400
    assert "Only 2 piece of Adult mask in stock; 3 asked." in response.content.decode()
    assert Sale.objects.count() == 0


def test_what_a_cooperative_gave_a_family_shows_on_its_household_page(world, cast, client):
    world.batch(5)
    family = Household.objects.create(community=cast.community_a, name="Famille Dembélé")
    services.distribution_record(
        actor=world.manager, cooperative=world.coop,
        data=DistributionData(
            id=uuid.uuid4(), product_id=world.mask.pk, quantity=3, given_on=D(2024, 6, 15),
            received_by="Oumou Dembélé", paid_by="donation", household_id=family.pk,
        ),
    )  # fmt: skip
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    page = client.get(family.get_absolute_url(), **EN).content.decode()
    assert "3 Adult mask · Jèkafo masques" in page
    member_home = world.members[0].person.household
    page = client.get(member_home.get_absolute_url(), **EN).content.decode()
    assert "Jèkafo masques" in page


def test_the_delivery_note_and_the_invoice_print(world, cast, client):
    from jigiya.cooperatives.tests.test_trade import ngo_order

    world.batch(40)
    order = ngo_order(world)
    delivery = services.delivery_record(
        actor=world.manager, order=order,
        data=services.DeliveryData(
            id=uuid.uuid4(), delivered_on=D(2024, 6, 12), received_by="Dr Diarra",
            health_center_id=cast.center_a.pk, lines=[services.LineData(world.mask.pk, 30)],
        ),
    )  # fmt: skip
    client.force_login(world.manager)
    note = client.get(delivery.get_absolute_url(), **EN).content.decode()
    assert "Dr Diarra" in note and "CSCom A" in note and "data-print" in note
    invoice = client.get(order.get_absolute_url(), **EN).content.decode()
    assert "<strong>27\xa0000\xa0FCFA</strong>" in invoice  # owed: 30 x 900
