"""A savings facilitator on a phone records a meeting; a loan above the group's approval
threshold holds the meeting for a second officer, who approves it from the list of what waits
(maker-checker, issue 11). Screenshots of each page at 360 px go to var/screenshots/."""

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


def _group(today: datetime.date) -> Any:
    """Benkadi of Sotuba, three members who each bought 5 shares of 1 000 FCFA a week ago; a
    movement above 10 000 FCFA waits for a second officer."""
    from jigiya.accounts.models import User
    from jigiya.places.models import Place
    from jigiya.registry.models import Household, Person
    from jigiya.savings import services

    facilitator = User.objects.get(username="animatrice")
    sotuba = Place.objects.get(code="BKO-C1-SOT")
    start = today - datetime.timedelta(days=30)
    group = services.group_create(
        actor=facilitator, community=sotuba, name="Benkadi", formed_on=start
    )
    services.group_status_change(actor=facilitator, group=group, status="active", on=start)
    services.cycle_start(
        actor=facilitator, group=group, starts_on=start, planned_end=start + datetime.timedelta(days=300),
        share_price=1000, health_contribution=100, approval_threshold=10_000,
    )  # fmt: skip
    household = Household.objects.create(community=sotuba, name="Famille Coulibaly")
    members = []
    for index, (name, role) in enumerate(
        [("Awa", "president"), ("Bintou", "treasurer"), ("Coumba", "member")]
    ):
        person = Person.objects.create(
            household=household, given_name=name, family_name="Coulibaly", sex="F",
            relationship="spouse" if index == 0 else "other",
        )  # fmt: skip
        members.append(
            services.membership_add(
                actor=facilitator, group=group, person=person, joined_on=start, role=role
            )
        )
    services.meeting_record(
        actor=facilitator,
        group=group,
        data=services.MeetingData(
            id=uuid.uuid4(), held_on=today - datetime.timedelta(days=7),
            members=[services.MemberLine(m.pk, shares=5, health=100) for m in members],
            counted_loan_fund=15_000, counted_health_fund=300,
        ),
    )  # fmt: skip
    return group


def test_a_large_loan_waits_for_a_second_officer_who_approves_it_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.savings.models import Approval, Loan, Meeting

    group = _group(timezone.localdate())
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    page = phone.new_page()

    # The facilitator records the meeting: everyone buys 5 shares again (the default), Awa
    # borrows 20 000 FCFA for 2 months — above the 10 000 FCFA threshold.
    log_in(page, base, "animatrice")
    page.goto(f"{base}/savings/{group.pk}/meetings/new/")
    expect(page.locator("#id_m0_shares")).to_have_value("5")
    page.screenshot(path=str(SHOTS / "savings-meeting-360.png"), full_page=True)
    page.locator("#id_m0_loan_amount").fill("20000")
    page.locator("#id_m0_loan_term").fill("2")
    page.locator("#id_counted_loan_fund").fill("10000")  # 15 000 + 15 000 - 20 000
    page.locator("#id_counted_health_fund").fill("600")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".errorlist").all_inner_texts() == []
    approval = Approval.objects.get()
    expect(page).to_have_url(f"{base}{approval.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("20\u00a0000\u00a0FCFA")
    expect(page.locator("button[value=approve]")).to_have_count(0)  # not her own
    page.screenshot(path=str(SHOTS / "savings-approval-maker-360.png"), full_page=True)
    assert (Meeting.objects.count(), Loan.objects.count()) == (1, 0)
    page.goto(f"{base}{group.get_absolute_url()}")  # the group page says a meeting waits
    expect(page.locator(f"main a[href='{approval.get_absolute_url()}']")).to_be_visible()
    page.screenshot(path=str(SHOTS / "savings-group-waiting-360.png"), full_page=True)
    page.goto(f"{base}{group.cycles.get().get_absolute_url()}")  # the ceilings it works under
    expect(page.locator("main")).to_contain_text("10\u00a0000\u00a0FCFA")
    page.screenshot(path=str(SHOTS / "savings-cycle-360.png"), full_page=True)
    phone.close()

    # The program manager, on her phone, finds it in the list and approves it.
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 780})
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    log_in(page, base, "manager")
    page.goto(f"{base}/savings/approvals/")
    page.screenshot(path=str(SHOTS / "savings-approvals-360.png"), full_page=True)
    with page.expect_navigation():
        page.locator(f"ul.cards a[href='{approval.get_absolute_url()}']").click()
    page.screenshot(path=str(SHOTS / "savings-approval-checker-360.png"), full_page=True)
    button = page.locator("button[value=approve]")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360  # on screen, no sideways scroll
    with page.expect_navigation():
        button.click()
    meeting = Meeting.objects.get(pk=approval.pk)
    expect(page).to_have_url(f"{base}{meeting.get_absolute_url()}")
    assert Loan.objects.get().principal == 20_000
    page.screenshot(path=str(SHOTS / "savings-meeting-posted-360.png"), full_page=True)
    phone.close()
