"""The supervisor's page for a month, and the lists its counts link to: the CHW's worklist
and her referrals (without outcome, overdue, made in the month)."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings

from jigiya.accounts.roles import Role
from jigiya.followup import selectors, services
from jigiya.registry import services as registry

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


def _child(chw, cast, given_name):
    household = registry.household_create(
        actor=chw, community=cast.community_a, name=f"Famille {given_name}", chw=chw
    )
    return registry.person_register(
        actor=chw,
        household=household,
        given_name=given_name,
        family_name="Coulibaly",
        sex="F",
        relationship="child",
        birth_date=datetime.date(2024, 1, 1),
    )


def _refer(chw, cast, person, day):
    return services.referral_create(
        actor=chw,
        person=person,
        health_center=cast.center_a,
        referred_on=day,
        reasons=["other"],
        reason_text="Fièvre",
        urgency="urgent",
    )


def _cell(body, label):
    """The figure after `label` in the first CHW's card."""
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(?:<a [^>]*>)?(\d+)", body)
    assert match, label
    return int(match.group(1))


@pytest.fixture
def three_open(cast, chw):
    """Three referrals opened 0, 1 and 5 days ago; one of last month, closed."""
    for name, days in (("Awa", 0), ("Bintou", 1), ("Coumba", 5)):
        _refer(chw, cast, _child(chw, cast, name), TODAY - datetime.timedelta(days=days))
    closed = _refer(chw, cast, _child(chw, cast, "Djeneba"), datetime.date(2025, 5, 20))
    services.referral_close(
        actor=chw, referral=closed, seen=True, seen_on=datetime.date(2025, 5, 22),
        action_taken="Soignée",
    )  # fmt: skip
    return chw


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_supervisor_counts_every_referral_without_outcome(cast, three_open, client):
    # Before: the column "Referrals without outcome" counted only those open over 3 days (1).
    client.force_login(cast.user(Role.CHW_SUPERVISOR, "a"))
    _english(client)
    body = client.get("/followup/supervision/").content.decode()
    assert _cell(body, "Referrals without outcome") == 3
    assert _cell(body, "Open more than 3 days") == 1
    assert _cell(body, "Referrals made") == 3  # in June
    chw_id = three_open.pk
    listed = client.get(f"/followup/referrals/?chw={chw_id}").content.decode()
    assert "3 referrals" in listed
    assert listed.count('class="days') == 3
    overdue = client.get(f"/followup/referrals/?chw={chw_id}&overdue=1").content.decode()
    assert "1 referral" in overdue
    assert "Coumba Coulibaly" in overdue and "Awa Coulibaly" not in overdue
    assert "open for 5 days" in overdue
    assert three_open.get_full_name() in overdue  # the CHW


def test_last_month_counts_what_was_made_then_and_agrees_with_the_list(cast, three_open, client):
    client.force_login(cast.user(Role.CHW_SUPERVISOR, "a"))
    _english(client)
    body = client.get("/followup/supervision/?month=2025-05").content.decode()
    assert "May 2025" in body
    assert _cell(body, "Referrals made") == 1
    assert _cell(body, "Referrals without outcome") == 3  # as of today, whatever the month
    listed = client.get(
        f"/followup/referrals/?chw={three_open.pk}&month=2025-05&status=all"
    ).content.decode()
    assert "1 referral" in listed
    assert (
        "Djeneba Coulibaly" in listed and "closed after 21 days" in listed
    )  # outcome recorded today


def test_the_counts_equal_the_lists_for_every_chw(cast, three_open):
    supervisor = cast.user(Role.CHW_SUPERVISOR, "above")
    for month in (selectors.Month(2025, 5), selectors.Month(2025, 6)):
        for row in selectors.supervisor_overview(user=supervisor, today=TODAY, month=month):
            chw = row.chw
            assert row.open_referrals == selectors.referral_list(user=supervisor, chw=chw).count()
            assert (
                row.overdue_referrals
                == selectors.referral_list(user=supervisor, chw=chw, overdue_on=TODAY).count()
            )
            made = selectors.referral_list(user=supervisor, chw=chw, status="", month=month)
            assert row.referrals == made.count()


def test_a_future_or_malformed_month_is_refused(cast, client):
    client.force_login(cast.user(Role.CHW_SUPERVISOR, "a"))
    assert client.get("/followup/supervision/?month=2025-07").status_code == 400
    assert client.get("/followup/supervision/?month=juin").status_code == 400


def test_the_supervisor_opens_a_chws_worklist_in_her_places_only(cast, three_open, client):
    client.force_login(cast.user(Role.CHW_SUPERVISOR, "a"))
    _english(client)
    response = client.get(f"/followup/?chw={three_open.pk}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Worklist of {three_open.get_full_name()}" in body
    assert "Coumba Coulibaly" in body  # her referral open more than 3 days
    # Another commune's supervisor does not find her; a CHW may not read another's list.
    client.force_login(cast.user(Role.CHW_SUPERVISOR, "b"))
    assert client.get(f"/followup/?chw={three_open.pk}").status_code == 404
    assert client.get(f"/followup/referrals/?chw={three_open.pk}").status_code == 404
    client.force_login(cast.user(Role.CHW, "b"))
    assert client.get(f"/followup/?chw={three_open.pk}").status_code == 403
