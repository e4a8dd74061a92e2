"""Donor reports: what a donor funds, as the indicators show it (the donors themselves, their
fundings and partner logins are tested in `jigiya/donors/tests`)."""

import datetime

from jigiya.accounts.roles import Role
from jigiya.donors import services
from jigiya.donors.models import DonorUser


def _donor(admin, cast, code, place, program="quality", **dates):
    donor = services.donor_create(actor=admin, name=f"Donor {code}", code=code)
    services.funding_add(
        actor=admin,
        donor=donor,
        program=program,
        place=place,
        start=dates.get("start", datetime.date(2024, 1, 1)),
        end=dates.get("end"),
    )
    return donor


def test_a_partner_sees_its_own_donors_report_and_no_other(cast, client, admin_user, assemblies):
    mine = _donor(admin_user, cast, "MINE", cast.region)
    other = _donor(admin_user, cast, "OTHER", cast.region)
    partner = cast.user(Role.PARTNER, "above")
    services.donor_user_link(actor=admin_user, user=partner, donor=mine)
    client.force_login(partner)
    assert [d.code for d in client.get("/indicators/donors/").context["donors"]] == ["MINE"]
    response = client.get(f"/indicators/donors/{mine.pk}/", {"month": "2025-01", "range": "6"})
    assert response.status_code == 200
    section = response.context["sections"][0]
    asaco = [card for card in section.cards if card["indicator"].code.startswith("quality.asaco")]
    assert [card["point"].numerator for card in asaco] == [2, 60]
    assert "37,5\u00a0%" in response.content.decode()
    assert client.get(f"/indicators/donors/{other.pk}/").status_code == 404


def test_a_donor_report_covers_only_what_it_funds(cast, client, admin_user, assemblies):
    donor = _donor(admin_user, cast, "FEB", cast.community_a, start=datetime.date(2025, 2, 1))
    services.funding_add(
        actor=admin_user,
        donor=donor,
        program="health",
        place=cast.community_b,
        start=datetime.date(2025, 1, 1),
    )
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    response = client.get(f"/indicators/donors/{donor.pk}/", {"month": "2025-02", "range": "6"})
    sections = response.context["sections"]
    assert len(sections) == 1  # the funding in Community B is outside this manager's places
    assert sections[0].months == [datetime.date(2025, 2, 1)]
    assert "Community B" not in response.content.decode()


def test_a_donor_funding_nothing_in_the_users_places_is_not_found(cast, client, admin_user):
    donor = _donor(admin_user, cast, "B", cast.community_b)
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    assert client.get(f"/indicators/donors/{donor.pk}/").status_code == 404
    assert client.get("/indicators/donors/not-a-uuid/").status_code == 404
    assert DonorUser.objects.count() == 0


def test_a_partner_linked_to_no_donor_opens_no_report(cast, client, admin_user):
    """It once saw every donor funding something in its places, like a staff member."""
    here = _donor(admin_user, cast, "HERE", cast.community_a)
    partner = cast.user(Role.PARTNER, "above")
    client.force_login(partner)
    page = client.get("/indicators/donors/")
    assert page.status_code == 200
    assert list(page.context["donors"]) == []
    assert "Donor HERE" not in page.content.decode()
    assert client.get(f"/indicators/donors/{here.pk}/").status_code == 404


def test_staff_open_the_reports_of_every_donor_funding_in_their_places(cast, client, admin_user):
    _donor(admin_user, cast, "ONE", cast.community_a)
    _donor(admin_user, cast, "TWO", cast.commune_a, program="health")
    away = _donor(admin_user, cast, "AWAY", cast.community_b)
    client.force_login(cast.user(Role.ME_OFFICER, "a"))
    assert [d.code for d in client.get("/indicators/donors/").context["donors"]] == ["ONE"]
    client.force_login(cast.user(Role.ME_OFFICER, "above"))
    listed = [d.code for d in client.get("/indicators/donors/").context["donors"]]
    assert listed == ["AWAY", "ONE", "TWO"]
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    assert client.get(f"/indicators/donors/{away.pk}/").status_code == 404
