"""The cash count of a meeting and the meeting page on a phone (issue 15): a mismatch states
both figures and the difference; a difference above the threshold (5 000 FCFA by default) needs
a real explanation and a second officer's approval, and is flagged on the group page and to the
supervisor; a refusal about an absent member names her; the page shows the totals and labels
every input."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.savings import ledger, selectors, services
from jigiya.savings.models import Approval, Entry, Meeting
from jigiya.savings.services import MemberLine

D = datetime.date
NBSP = "\u00a0"


def _refused(world, data):
    with translation.override("en"):
        return refused_unchanged(
            lambda: (Meeting.objects.count(), Approval.objects.count(), Entry.objects.count()),
            services.meeting_record,
            actor=world.facilitator,
            group=world.group,
            data=data,
        )


def _short(world, note="", confirmed=True):
    """8 Jan: 4 members buy 5 shares of 500 FCFA (10 000 FCFA expected), 2 000 counted."""
    data = world.meeting(D(2024, 1, 8), shares=5, counted_loan_fund=2000, counted_health_fund=400)
    data.difference_note = note
    data.confirmed_by_id = world.members[1].pk if confirmed else None
    return data


def test_a_count_without_a_note_is_refused_with_both_figures_and_the_difference(world):
    errors = _refused(world, _short(world))
    assert errors == {
        "difference_note": [
            "The cash counted differs from the expected: say why. Loan fund cash: counted "
            f"2{NBSP}000{NBSP}FCFA, expected 10{NBSP}000{NBSP}FCFA, short by 8{NBSP}000{NBSP}FCFA."
        ]
    }


@pytest.mark.parametrize("note", ["x", "vol", "manque argent", "      x      y       "])
def test_a_difference_above_the_threshold_needs_a_real_explanation(world, note):
    errors = _refused(world, _short(world, note))
    assert errors == {
        "difference_note": [
            f"A difference above 5{NBSP}000{NBSP}FCFA needs a real explanation, not "
            f"“{note.strip()}”: at least 3 words and 20 characters saying what is missing or "
            f"extra, and why. Loan fund cash: counted 2{NBSP}000{NBSP}FCFA, expected "
            f"10{NBSP}000{NBSP}FCFA, short by 8{NBSP}000{NBSP}FCFA."
        ]
    }


def test_a_small_difference_is_posted_with_a_short_note(world):
    data = world.meeting(D(2024, 1, 8), shares=5, counted_loan_fund=9000, counted_health_fund=400)
    data.difference_note, data.confirmed_by_id = "manque", world.members[1].pk
    meeting = world.record(data)
    assert isinstance(meeting, Meeting)
    assert (meeting.expected_loan_fund, meeting.counted_loan_fund) == (10_000, 9_000)


def test_a_large_difference_explained_waits_for_a_second_officer_then_is_posted(world, cast):
    note = "Le billet de 5 000 et 3 000 en pièces manquent, recompté deux fois"
    with translation.override("en"):
        held = world.record(_short(world, note))
    assert isinstance(held, Approval)
    assert held.amount == 8000
    assert held.summary == (
        f"Cash difference above 5{NBSP}000{NBSP}FCFA · Loan fund cash: counted 2{NBSP}000{NBSP}FCFA, "
        f"expected 10{NBSP}000{NBSP}FCFA, short by 8{NBSP}000{NBSP}FCFA."
    )
    assert (Meeting.objects.count(), Entry.objects.count()) == (0, 0)
    approved = services.approval_approve(actor=cast.user(Role.PROGRAM_MANAGER, "a"), approval=held)
    meeting = approved.meeting
    assert (meeting.expected_loan_fund, meeting.counted_loan_fund, meeting.difference_note) == (
        10_000,
        2_000,
        note,
    )
    assert ledger.balances(world.group.pk)["loan_fund_cash"] == 2000


def test_the_threshold_is_a_setting(world, settings):
    settings.SAVINGS_CASH_DIFFERENCE_THRESHOLD_FCFA = 10_000
    meeting = world.record(_short(world, "manque"))
    assert isinstance(meeting, Meeting)


def test_money_from_an_absent_member_is_refused_naming_her(world):
    lines = world.lines()
    lines[2] = MemberLine(membership_id=world.members[2].pk, presence="absent", shares=1)
    data = world.meeting(D(2024, 1, 8), members=lines, counted_loan_fund=0, counted_health_fund=0)
    errors = _refused(world, data)
    name = world.members[2].person
    assert errors == {
        "members.2.presence": [f"Money from {name}, marked absent: mark her represented."]
    }


def test_a_large_difference_is_flagged_on_the_group_page_and_to_the_supervisor(world, client, cast):
    held = world.record(_short(world, "Le billet de 5 000 et des pièces manquent au comptage"))
    services.approval_approve(actor=cast.user(Role.PROGRAM_MANAGER, "a"), approval=held)
    world.record(world.meeting(D(2024, 1, 15)))  # counted as expected: not flagged
    supervisor = cast.user(Role.CHW_SUPERVISOR, "a")
    flagged = selectors.flagged_counts(user=supervisor)
    assert [(row.meeting.held_on, [g.gap for g in row.gaps]) for row in flagged] == [
        (D(2024, 1, 8), [-8000])
    ]
    assert selectors.flagged_counts(user=cast.user(Role.CHW_SUPERVISOR, "b")) == []
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages follow the cookie, not the header
    for url in ("/savings/approvals/", world.group.get_absolute_url()):
        body = client.get(url).content.decode()
        assert f"short by 8{NBSP}000{NBSP}FCFA" in body, url
        assert "recompté" not in body and "pièces manquent" in body


def test_the_meeting_page_shows_the_totals_and_labels_every_input(world, client):
    world.record(world.meeting(D(2024, 1, 8)))  # 4 000 FCFA in the loan fund, 400 in health
    client.force_login(world.facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages follow the cookie, not the header
    url = f"/savings/{world.group.pk}/meetings/new/"
    page = client.get(url)
    body = page.content.decode()
    # Everyone buys her 2 shares again and pays 100: 4 000 + 4 000, 400 + 400.
    assert page.context["totals"]["expected_loan"] == 8000
    assert f'data-sum="expected_loan">8{NBSP}000{NBSP}FCFA<' in body
    assert f'data-sum="expected_health">800{NBSP}FCFA<' in body
    inputs = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_[^"]+)"', body))
    inputs -= {"id_id", "id_made_at"}  # the hidden id of the meeting, the time made on the phone
    labelled = set(re.findall(r'<label for="(id_[^"]+)"', body))
    assert len(inputs) == 4 * 7 + 2 * 3 + 4 * 2 + 5  # members, grants, income/expenses, the rest
    assert inputs - labelled == set()
    assert not re.search(r"<(h\d|th|legend)[^>]*>\s*</", body)

    # Sent with a short count: refused, the page states the expected cash and the difference.
    form = page.context["form"]
    post = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    post |= {"held_on": "2024-01-15", "m0_shares": "1", "counted_loan_fund": "7000"}
    post |= {"counted_health_fund": "800"}
    refused = client.post(url, post)
    text = refused.content.decode()
    assert refused.status_code == 400
    assert (
        f"Counted 7{NBSP}000{NBSP}FCFA, expected 7{NBSP}500{NBSP}FCFA: short by 500{NBSP}FCFA."
        in text
    )
    assert Meeting.objects.count() == 1
