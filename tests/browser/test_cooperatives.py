"""A cooperative manager on a 360-px phone records a sale from the cooperative's page: the stock
she sees drops, the receipt shows the total and what is still owed. A sale above the stock is
refused on the page with the numbers, and nothing is posted. Screenshots go to var/screenshots/."""

import datetime
import uuid
from pathlib import Path
from typing import Any

import pytest

from jigiya.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()


def _cooperative(today: datetime.date) -> Any:
    """Jèkafo Muso of Sotuba: adult masks at 1 000 FCFA, 12 made this month by two members."""
    from jigiya.accounts.models import User
    from jigiya.cooperatives import services
    from jigiya.places.models import Place
    from jigiya.registry.models import Household, Person

    manager = User.objects.get(username="cooperative")
    sotuba = Place.objects.get(code="BKO-C1-SOT")
    start = today - datetime.timedelta(days=60)
    coop = services.cooperative_create(
        actor=manager, community=sotuba, name="Jèkafo Muso", activity="masks", formed_on=start
    )
    household = Household.objects.create(community=sotuba, name="Famille Coulibaly")
    members = [
        services.member_add(
            actor=manager,
            cooperative=coop,
            joined_on=start,
            role=role,
            person=Person.objects.create(
                household=household,
                given_name=name,
                family_name="Coulibaly",
                sex="F",
                relationship="spouse" if role == "president" else "other",
            ),
        )
        for name, role in (("Awa", "president"), ("Bintou", "treasurer"))
    ]
    mask = services.product_create(
        actor=manager, cooperative=coop, name="Masque adulte", kind="product", unit="piece"
    )
    services.price_set(
        actor=manager, product=mask, channel="walk_in", amount=1000, valid_from=start
    )
    services.batch_record(
        actor=manager, cooperative=coop,
        data=services.BatchData(
            id=uuid.uuid4(), product_id=mask.pk, quantity=12, made_on=today.replace(day=1),
            workers=[services.WorkerLine(m.pk) for m in members], inputs={},
        ),
    )  # fmt: skip
    return coop, mask


def test_a_manager_records_a_sale_from_the_cooperative_page_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.cooperatives.models import Sale, StockLevel

    coop, mask = _cooperative(timezone.localdate())
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    log_in(page, base, "cooperative")
    page.goto(f"{base}{coop.get_absolute_url()}")
    expect(page.locator("#stock")).to_contain_text("12")
    expect(page.locator("#production")).to_contain_text("Masque adulte")
    page.screenshot(path=str(SHOTS / "cooperative-page-360.png"), full_page=True)
    sell = page.locator(f"a[href='/cooperatives/{coop.pk}/sales/new/']")
    box = sell.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 360
    with page.expect_navigation():
        sell.click()

    # Too many: refused on the page with the numbers, nothing posted.
    page.locator(f"#id_qty_{mask.pk}").fill("13")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text("12")
    expect(page.locator(".errorlist")).to_contain_text("13")
    page.screenshot(path=str(SHOTS / "cooperative-sale-refused-360.png"), full_page=True)
    assert Sale.objects.count() == 0

    # Five masks, 3 000 FCFA paid by Orange Money now.
    page.locator(f"#id_qty_{mask.pk}").fill("5")
    page.locator("#id_paid").fill("3000")
    page.locator("#id_method").select_option("orange_money")
    page.locator("#id_reference").fill("OM-55120")
    page.screenshot(path=str(SHOTS / "cooperative-sale-360.png"), full_page=True)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    sale = Sale.objects.get()
    expect(page).to_have_url(f"{base}{sale.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("5\u00a0000\u00a0FCFA")
    expect(page.locator("#owed")).to_have_text("2\u00a0000\u00a0FCFA")
    line = page.locator("#lines li")
    expect(line).to_contain_text("5 \u00d7 1\u00a0000\u00a0FCFA = 5\u00a0000\u00a0FCFA")
    box = line.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360  # the whole line on screen
    page.screenshot(path=str(SHOTS / "cooperative-receipt-360.png"), full_page=True)
    assert StockLevel.objects.get(product=mask).quantity == 7
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # no sideways scroll
    phone.close()


def test_the_union_page_shows_dues_and_the_board_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    """A union of Bamako: Jèkafo Muso joined with 25 000 FCFA of yearly dues, paid 3 000 of them
    from its cash; its president elected president of the union."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.accounts.models import User
    from jigiya.cooperatives import services
    from jigiya.places.models import Place

    today = timezone.localdate()
    coop, mask = _cooperative(today)
    manager = User.objects.get(username="cooperative")
    services.sale_record(
        actor=manager, cooperative=coop,
        data=services.SaleData(
            id=uuid.uuid4(), sold_on=today, lines=[services.LineData(mask.pk, 5)], paid=5000
        ),
    )  # fmt: skip
    union = services.union_create(
        actor=User.objects.get(username="admin"), place=Place.objects.get(code="BKO"),
        name="Union des coopératives de femmes de Bamako", formed_on=today.replace(day=1),
    )  # fmt: skip
    member = services.union_join(
        actor=manager, union=union, cooperative=coop, joined_on=today.replace(day=1),
        yearly_dues=25000,
    )  # fmt: skip
    services.dues_pay(actor=manager, member=member, year=today.year, amount=3000, paid_on=today)
    president = coop.members.get(role="president")
    services.board_elect(
        actor=User.objects.get(username="admin"), union=union, held_on=today,
        seats={"president": president.pk},
    )  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    log_in(page, live_server.url, "cooperative")
    page.goto(f"{live_server.url}{union.get_absolute_url()}")
    expect(page.locator("#received")).to_have_text("3\u00a0000\u00a0FCFA")
    expect(page.locator("#dues-years")).to_contain_text("22\u00a0000\u00a0FCFA")
    expect(page.locator("#board")).to_contain_text("Awa Coulibaly")
    page.screenshot(path=str(SHOTS / "cooperative-union-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()


def _tap(page: Any, locator: Any) -> None:
    """A thumb's target: at least 44 px high, on the 360-px screen; then tapped."""
    box = locator.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 360, box
    with page.expect_navigation():
        locator.click()


def test_dues_a_training_day_and_the_board_are_recorded_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    """Jèkafo Muso (5 000 FCFA in its cash) pays 3 000 of its 25 000 FCFA of union dues from the
    union page, records who came on the second day of a training and certifies who attended two
    days of three; the admin, who records for the union's whole area, elects its president
    president of the union."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.accounts.models import User
    from jigiya.cooperatives import services
    from jigiya.cooperatives.models import Attendance, BoardSeat, DuesPayment, Participant
    from jigiya.places.models import Place

    today = timezone.localdate()
    coop, mask = _cooperative(today)
    manager = User.objects.get(username="cooperative")
    admin = User.objects.get(username="admin")
    services.sale_record(
        actor=manager, cooperative=coop,
        data=services.SaleData(
            id=uuid.uuid4(), sold_on=today, lines=[services.LineData(mask.pk, 5)], paid=5000
        ),
    )  # fmt: skip
    union = services.union_create(
        actor=admin, place=Place.objects.get(code="BKO"), name="Union de Bamako",
        formed_on=today - datetime.timedelta(days=30),
    )  # fmt: skip
    services.union_join(
        actor=manager, union=union, cooperative=coop,
        joined_on=today - datetime.timedelta(days=30), yearly_dues=25000,
    )  # fmt: skip
    members = list(coop.members.order_by("person__given_name"))
    training = services.training_record(
        actor=manager, cooperative=coop, title="Leadership", topic="leadership",
        partner="DRDSES", starts_on=today - datetime.timedelta(days=2), ends_on=today,
        attended=[m.pk for m in members], min_days=2,
        days={today - datetime.timedelta(days=2): [m.pk for m in members]},
    )  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    log_in(page, base, "cooperative")

    # Dues: from the union page's "Pay" on this year's line; the year and what is left filled in.
    page.goto(f"{base}{union.get_absolute_url()}")
    _tap(page, page.locator("#dues-years a.button").first)
    expect(page.locator("#id_amount")).to_have_value("25000")
    page.locator("#id_amount").fill("3000")
    page.screenshot(path=str(SHOTS / "cooperative-dues-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _tap(page, page.locator("main form button[type=submit]"))
    expect(page.locator("#received")).to_have_text("3\u00a0000\u00a0FCFA")
    assert list(DuesPayment.objects.values_list("amount", flat=True)) == [3000]

    # A training's second day: Awa came, Bintou did not.
    page.goto(f"{base}{training.get_absolute_url()}")
    _tap(page, page.locator(f"a[href='/cooperatives/trainings/{training.pk}/days/new/']"))
    expect(page.locator("#id_day")).to_have_value((today - datetime.timedelta(days=1)).isoformat())
    awa = page.locator("label[for=id_present_0]")
    box = awa.bounding_box()
    assert box is not None and box["height"] >= 44, box
    awa.click()
    page.screenshot(path=str(SHOTS / "cooperative-training-day-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _tap(page, page.locator("main form button[type=submit]"))
    expect(page.locator("#days")).to_contain_text("Awa Coulibaly")
    assert Attendance.objects.filter(day=today - datetime.timedelta(days=1)).count() == 1

    # Two days of three make the certificate: Awa gets it from the training page.
    _tap(page, page.locator(f"a[href='/cooperatives/trainings/{training.pk}/certify/']"))
    awa = page.locator("label", has_text="Awa Coulibaly")
    box = awa.bounding_box()
    assert box is not None and box["height"] >= 44, box
    awa.click()
    page.screenshot(path=str(SHOTS / "cooperative-certify-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _tap(page, page.locator("main form button[type=submit]"))
    expect(page.locator("#participants li", has_text="Awa Coulibaly")).to_contain_text("certifi")
    assert list(Participant.objects.filter(certified=True).values_list("member", flat=True)) == [
        members[0].pk
    ]
    phone.close()

    # The board: elected by the admin, who records for the whole of Bamako.
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    log_in(page, base, "admin")
    page.goto(f"{base}{union.get_absolute_url()}")
    _tap(page, page.locator(f"a[href='/cooperatives/unions/{union.pk}/board/new/']"))
    page.locator("#id_president").select_option(str(members[0].pk))
    page.screenshot(path=str(SHOTS / "cooperative-board-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _tap(page, page.locator("main form button[type=submit]"))
    expect(page.locator("#board")).to_contain_text("Awa Coulibaly")
    assert list(BoardSeat.objects.values_list("role", "member_id")) == [
        ("president", members[0].pk)
    ]
    phone.close()
