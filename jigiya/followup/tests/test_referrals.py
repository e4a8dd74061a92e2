"""Referrals by hand, and their outcome recorded by the health center's staff for every
community of its area."""

import datetime
import uuid

import pytest
import time_machine

from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import AssignmentFactory, UserFactory
from jigiya.followup.models import Referral, Task
from jigiya.places.tests.factories import PlaceFactory
from jigiya.registry import services as registry

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def korofina(cast):
    """A second community served by CSCom A (like Korofina by CSCom Banconi), with its CHW,
    a household and a child referred to CSCom A."""
    community = PlaceFactory(name="Korofina", code="K", parent=cast.commune_a)
    community.health_center = cast.center_a
    community.save(update_fields=["health_center"])
    chw = UserFactory(username="relais-korofina")
    AssignmentFactory(user=chw, role=Role.CHW, place=community)
    household = registry.household_create(
        actor=chw, community=community, name="Famille Traoré", chw=chw
    )
    child = registry.person_register(
        actor=chw, household=household, given_name="Oumou", family_name="Traoré", sex="F",
        relationship="child", birth_date=datetime.date(2024, 1, 1),
    )  # fmt: skip
    return {"community": community, "chw": chw, "household": household, "child": child}


def _refer(client, person, **extra):
    return client.post(
        f"/followup/people/{person.pk}/refer/",
        {
            "id": str(uuid.uuid4()),
            "health_center": str(person.household.community.health_center_id),
            "referred_on": "2025-06-10",
            "urgency": "urgent",
            "reasons": ["child:long_fever"],
            "reason_text": "",
            **extra,
        },
    )


def test_a_chw_refers_a_child_by_hand_to_the_communitys_cscom(client, cast, korofina):
    client.force_login(korofina["chw"])
    child = korofina["child"]
    page = client.get(f"/followup/people/{child.pk}/refer/")
    assert page.status_code == 200
    form = page.context["form"]
    # CSCom A stands in Community A, outside her places, but serves hers: offered and chosen.
    assert list(form.fields["health_center"].queryset) == [cast.center_a]
    assert form["health_center"].value() == cast.center_a.pk
    data = {"id": str(form["id"].value())}
    response = _refer(client, child, **data)
    assert (response.status_code, response["Location"]) == (302, child.get_absolute_url())
    referral = Referral.objects.get()
    assert (referral.person, referral.health_center, referral.referred_on) == (
        child, cast.center_a, TODAY,
    )  # fmt: skip
    assert (referral.reasons, referral.urgency, referral.status) == (
        ["child:long_fever"], "urgent", "open",
    )  # fmt: skip
    follow_up = Task.objects.get(kind="referral_followup")
    assert (follow_up.person, follow_up.due_date) == (child, datetime.date(2025, 6, 13))
    # The same page sent twice refers once.
    assert _refer(client, child, **data).status_code == 302
    assert Referral.objects.count() == 1


def test_a_referral_without_a_reason_is_refused(client, korofina):
    client.force_login(korofina["chw"])
    response = _refer(client, korofina["child"], reasons=[])
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reasons"]
    assert Referral.objects.count() == 0 and Task.objects.count() == 0


@pytest.mark.parametrize(("role", "where", "status"), [
    (Role.HEALTH_CENTER_STAFF, "a", 404),  # sees Community A, not Korofina's people
    (Role.PARTNER, "above", 403),
    (Role.CHW, "b", 404),
])  # fmt: skip
def test_only_who_records_in_the_community_refers(client, cast, korofina, role, where, status):
    client.force_login(cast.user(role, where))
    assert client.get(f"/followup/people/{korofina['child'].pk}/refer/").status_code == status
    assert _refer(client, korofina["child"]).status_code == status
    assert Referral.objects.count() == 0


def _referral(cast, korofina):
    from jigiya.followup import services

    return services.referral_create(
        actor=korofina["chw"], person=korofina["child"], health_center=cast.center_a,
        referred_on=TODAY, reasons=["muac_red"], urgency="urgent",
    )  # fmt: skip


def test_the_cscoms_staff_close_a_referral_from_another_community_of_its_area(
    client, cast, korofina
):
    referral = _referral(cast, korofina)
    client.force_login(cast.user(Role.HEALTH_CENTER_STAFF, "a"))
    url = f"/followup/referrals/{referral.pk}/close/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    # What the referral needs, not the household: no name, no link to the person's page.
    assert "Oumou Traoré" in body and "CSCom A" in body
    assert "Famille Traoré" not in body and korofina["child"].get_absolute_url() not in body
    # The list of referrals shows it too.
    assert [r.pk for r in client.get("/followup/referrals/").context["referrals"]] == [referral.pk]
    response = client.post(url, {"seen": "1", "seen_by": "Dr Dembélé", "action_taken": "ATPE"})
    assert (response.status_code, response["Location"]) == (302, "/followup/referrals/")
    referral.refresh_from_db()
    assert (referral.status, referral.closed_via, referral.seen_on, referral.seen_by) == (
        "seen", "health_center", TODAY, "Dr Dembélé",
    )  # fmt: skip


def test_the_cscoms_staff_close_it_through_the_api(client, cast, korofina):
    referral = _referral(cast, korofina)
    client.force_login(cast.user(Role.HEALTH_CENTER_STAFF, "a"))
    response = client.post(
        f"/api/v1/followup/referrals/{referral.pk}/outcome",
        {"seen": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["closed_via"]) == (
        "not_seen", "health_center",
    )  # fmt: skip


@pytest.mark.parametrize(("role", "where"), [
    (Role.HEALTH_CENTER_STAFF, "b"),  # another CSCom's staff
    (Role.CHW, "b"),
    (Role.CHW_SUPERVISOR, "b"),
])  # fmt: skip
def test_anyone_else_gets_404_and_nothing_changes(client, cast, korofina, role, where):
    referral = _referral(cast, korofina)
    client.force_login(cast.user(role, where))
    url = f"/followup/referrals/{referral.pk}/close/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"seen": "1", "seen_by": "X"}).status_code == 404
    api = client.post(
        f"/api/v1/followup/referrals/{referral.pk}/outcome",
        {"seen": True},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert [r.pk for r in client.get("/followup/referrals/").context["referrals"]] == []
    referral.refresh_from_db()
    assert (referral.status, referral.closed_on, referral.seen_by) == ("open", None, "")


def test_the_chw_closes_from_the_person_page(client, cast, korofina):
    referral = _referral(cast, korofina)
    client.force_login(korofina["chw"])
    response = client.post(
        f"/followup/referrals/{referral.pk}/close/", {"seen": "0", "action_taken": ""}
    )
    assert (response.status_code, response["Location"]) == (
        302, korofina["child"].get_absolute_url(),
    )  # fmt: skip
    referral.refresh_from_db()
    assert (referral.status, referral.closed_via) == ("not_seen", "followup_visit")


def test_the_referral_form_offers_the_signs_that_fit_the_person(client, korofina):
    client.force_login(korofina["chw"])
    child = client.get(f"/followup/people/{korofina['child'].pk}/refer/").context["form"]
    codes = [code for code, _label in child.fields["reasons"].choices]
    assert codes == [
        "child:unable_to_drink", "child:vomits_everything", "child:convulsions",
        "child:lethargic", "child:chest_indrawing", "child:blood_in_stool", "child:long_fever",
        "child:long_cough", "muac_red", "oedema", "other",
    ]  # fmt: skip
    labels = [str(label) for _code, label in child.fields["reasons"].choices]
    assert len(labels) == len(set(labels))  # one "Convulsions"


def test_a_pregnant_woman_is_offered_the_pregnancy_signs_only(client, chw, pregnancy):
    client.force_login(chw)
    form = client.get(f"/followup/people/{pregnancy.woman_id}/refer/").context["form"]
    codes = [code for code, _label in form.fields["reasons"].choices]
    assert codes[0] == "pregnancy:vaginal_bleeding" and codes[-1] == "other"
    assert not [code for code in codes if code.startswith("child:") or code == "muac_red"]
    labels = [str(label) for _code, label in form.fields["reasons"].choices]
    assert len(labels) == len(set(labels))


def test_a_second_referral_warns_links_to_the_open_one_and_needs_a_tick(client, cast, korofina):
    """A CHW supervisor wants the second referral possible (a new danger sign cannot wait for
    the first outcome) but never by accident: the open one is named and linked, and the
    second needs the box ticked."""
    first = _referral(cast, korofina)
    child = korofina["child"]
    client.force_login(korofina["chw"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/followup/people/{child.pk}/refer/").content.decode()
    assert "Oumou Traoré was already referred on 06/10/2025 to CSCom A and is not back yet." in page
    assert f'href="/followup/referrals/{first.pk}/close/"' in page
    refused = _refer(client, child)
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["again"]
    assert Referral.objects.count() == 1
    allowed = _refer(client, child, again="on")
    assert allowed.status_code == 302
    assert Referral.objects.count() == 2


def test_a_referral_form_sent_twice_records_one_referral(client, korofina):
    client.force_login(korofina["chw"])
    same = str(uuid.uuid4())
    assert _refer(client, korofina["child"], id=same).status_code == 302
    assert _refer(client, korofina["child"], id=same).status_code == 302
    assert Referral.objects.count() == 1
