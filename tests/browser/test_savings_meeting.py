"""A savings facilitator on a phone records a meeting; a loan above the group's approval
threshold holds the meeting for a second officer, who approves it from the list of what waits
(maker-checker, issue 11). At 360 x 740 px (issue 15): one card per member, every input labelled
and on screen (no sideways scrolling), tap targets of 44 px, the running totals of each fund and
the expected cash beside the count, a mismatch stated with both figures, a large shortfall
refused without a real explanation, then held for a second officer and flagged; the outcome
stored. Screenshots of each page at 360 px go to var/screenshots/."""

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


NBSP = "\u00a0"

# Every visible form control of the page without a label (its `labels`, or an aria-label).
UNLABELLED = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && [...el.labels].some(l => l.textContent.trim())) &&
                !el.getAttribute('aria-label'))
  .map(el => el.name)"""
# Every visible control, button or link of the form whose box leaves the screen or is under 44 px.
BAD_TARGETS = """() => [...document.querySelectorAll(
    'main input, main select, main textarea, main button, main a, main summary, header a, header button')]
  .filter(el => el.type !== 'hidden' && el.checkVisibility())  // not behind a closed menu
  .filter(el => el.type !== 'checkbox')  // its whole label line is the target: CHECKBOX_LINES
  .map(el => [el.name || el.textContent.trim(), el.getBoundingClientRect()])
  .filter(([name, box]) => box.height < 44 || box.left < 0 || box.right > window.innerWidth)
  .map(([name, box]) => `${name} ${Math.round(box.width)}x${Math.round(box.height)}@${Math.round(box.left)}`)"""
EMPTY_HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, th, legend, caption, label')]
  .filter(el => !el.textContent.trim()).map(el => el.outerHTML)"""


def _phone(browser: Any) -> Any:
    phone = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    phone.set_default_timeout(10_000)
    return phone


def _fits_and_is_labelled(page: Any) -> None:
    page.locator("main details summary").click()  # the grants, income and expenses open
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(BAD_TARGETS) == []
    assert page.evaluate(EMPTY_HEADINGS) == []


def test_the_facilitator_sees_the_totals_and_the_expected_cash_and_records_the_meeting(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.savings.models import Attendance, Meeting

    group = _group(timezone.localdate())  # 15 000 FCFA in the loan fund, 300 in the health fund
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = _phone(browser)
    page = phone.new_page()
    log_in(page, live_server.url, "animatrice")
    page.goto(f"{live_server.url}/savings/{group.pk}/meetings/new/")

    # Each member's card: her name above her inputs, every one labelled and on screen.
    expect(page.locator("fieldset.member legend").first).to_have_text("1. Awa Coulibaly")
    expect(page.locator("label[for=id_m2_loan_amount]")).to_be_visible()
    page.evaluate("document.querySelector('fieldset.member').scrollIntoView()")
    page.screenshot(path=str(SHOTS / "savings-meeting-phone-cards-360.png"))
    _fits_and_is_labelled(page)
    # The defaults: 5 shares of 1 000 FCFA and 100 FCFA of health fund from each of three.
    loan_box = page.locator("[data-sum=expected_loan]").first
    expect(loan_box).to_have_text(f"30{NBSP}000{NBSP}FCFA")
    expect(page.locator("[data-sum=expected_health]").first).to_have_text(f"600{NBSP}FCFA")

    # Coumba buys 2 shares this time: the totals follow as she types.
    page.locator("#id_m2_shares").fill("2")
    expect(page.locator("[data-sum=share_count]")).to_have_text("12")
    expect(loan_box).to_have_text(f"27{NBSP}000{NBSP}FCFA")
    page.locator("#id_counted_loan_fund").fill("26500")
    page.locator("#id_counted_health_fund").fill("600")
    mismatch = page.locator("[data-mismatch=loan]")
    expect(mismatch).to_be_visible()
    expect(mismatch).to_contain_text(f"26{NBSP}500{NBSP}FCFA")
    expect(mismatch).to_contain_text(f"27{NBSP}000{NBSP}FCFA")
    expect(mismatch).to_contain_text(f"il manque 500{NBSP}FCFA")  # French, her language
    expect(page.locator("[data-mismatch=health]")).to_be_hidden()
    page.locator("#id_counted_loan_fund").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "savings-meeting-phone-totals-360.png"))
    page.locator("#id_difference_note").fill("Une pièce de 500 perdue")
    page.locator("#id_confirmed_by").select_option(label="Bintou Coulibaly")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".errorlist").all_inner_texts() == []

    meeting = Meeting.objects.get(held_on=timezone.localdate())
    expect(page).to_have_url(f"{live_server.url}{meeting.get_absolute_url()}")
    assert (meeting.expected_loan_fund, meeting.counted_loan_fund) == (27_000, 26_500)
    assert (meeting.expected_health_fund, meeting.counted_health_fund) == (600, 600)
    assert sorted(Attendance.objects.filter(meeting=meeting).values_list("shares", flat=True)) == [
        2,
        5,
        5,
    ]
    page.goto(f"{live_server.url}/savings/{group.pk}/meetings/new/")
    page.screenshot(path=str(SHOTS / "savings-meeting-phone-360.png"), full_page=True)
    phone.close()


def test_a_large_shortfall_needs_an_explanation_and_waits_for_a_second_officer(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from jigiya.savings.models import Approval, Entry, Meeting

    group = _group(timezone.localdate())
    phone = _phone(browser)
    page = phone.new_page()
    log_in(page, live_server.url, "animatrice")
    url = f"{live_server.url}/savings/{group.pk}/meetings/new/"
    page.goto(url)
    page.locator("#id_counted_loan_fund").fill("16600")  # 30 000 expected: 13 400 short
    page.locator("#id_counted_health_fund").fill("600")
    page.locator("#id_difference_note").fill("x")
    page.locator("#id_confirmed_by").select_option(label="Bintou Coulibaly")
    entries = Entry.objects.count()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    error = page.locator(".field.invalid .errorlist")
    expect(error).to_contain_text(f"16{NBSP}600{NBSP}FCFA")
    expect(error).to_contain_text(f"30{NBSP}000{NBSP}FCFA")
    expect(error).to_contain_text(f"13{NBSP}400{NBSP}FCFA")
    assert (Meeting.objects.count(), Approval.objects.count(), Entry.objects.count()) == (
        1,
        0,
        entries,
    )
    _fits_and_is_labelled(page)
    page.locator("#id_difference_note").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "savings-meeting-phone-refused-360.png"))

    page.locator("#id_difference_note").fill(
        "Le billet de 10 000 et des pièces manquent : recomptage demandé à la trésorière"
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    approval = Approval.objects.get()
    expect(page).to_have_url(f"{live_server.url}{approval.get_absolute_url()}")
    assert (approval.amount, Meeting.objects.count(), Entry.objects.count()) == (13_400, 1, entries)
    expect(page.locator("main")).to_contain_text("recomptage")
    page.goto(f"{live_server.url}{group.get_absolute_url()}")
    expect(page.locator(f"main a[href='{approval.get_absolute_url()}']")).to_be_visible()
    phone.close()

    # The program manager approves it; the group page and the list of what to check flag it.
    phone = _phone(browser)
    page = phone.new_page()
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}{approval.get_absolute_url()}")
    with page.expect_navigation():
        page.locator("button[value=approve]").click()
    meeting = Meeting.objects.get(pk=approval.pk)
    assert (meeting.expected_loan_fund, meeting.counted_loan_fund) == (30_000, 16_600)
    page.goto(f"{live_server.url}/savings/approvals/")
    flagged = page.locator("ul.flagged")
    expect(flagged).to_contain_text("Benkadi")
    expect(flagged).to_contain_text(f"13{NBSP}400{NBSP}FCFA")
    page.screenshot(path=str(SHOTS / "savings-flagged-360.png"), full_page=True)
    page.goto(f"{live_server.url}{group.get_absolute_url()}")
    expect(page.locator("ul.flagged")).to_contain_text(f"13{NBSP}400{NBSP}FCFA")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()


# Each checkbox of a form and its label: on one line, the line at least 44 px high.
CHECKBOX_LINES = """() => [...document.querySelectorAll('main input[type=checkbox]')].map(box => {
  const b = box.getBoundingClientRect(), l = box.labels[0].getBoundingClientRect();
  const line = box.parentElement.getBoundingClientRect();
  return [box.name, b.top < l.bottom && l.top < b.bottom, Math.round(line.height) >= 44,
          b.right <= window.innerWidth];
})"""


def test_checkboxes_stay_on_their_label_line_on_a_phone(
    browser: Any, live_server: Any, demo_world: Any
) -> None:
    from django.utils import timezone

    group = _group(timezone.localdate())
    phone = _phone(browser)
    page = phone.new_page()
    log_in(page, live_server.url, "animatrice")
    page.goto(f"{live_server.url}/savings/{group.pk}/cycles/new/")
    lines = page.evaluate(CHECKBOX_LINES)
    assert [name for name, *_ in lines] == [
        "savings_split",
        "leaving_mid_cycle",
        "share_out_health_fund",
    ]
    assert all(on_line and tall and on_screen for _name, on_line, tall, on_screen in lines), lines
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(BAD_TARGETS) == []
    page.locator("#id_savings_split").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "savings-cycle-form-360.png"))
    phone.close()
