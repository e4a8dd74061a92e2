"""The follow-up's page forms sent again by the phone's outbox (issue 16): each carries the
device's id, so the same form sent twice stores one record and answers with the same
redirect; another content under the same id is a conflict (409, said plainly, nothing
changed); the time the record was made on the phone is kept beside the time received."""

import datetime
import uuid

import pytest
import time_machine

from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import AssignmentFactory, UserFactory
from jigiya.followup.models import Referral, Visit
from jigiya.followup.tests.test_referrals import _refer, korofina
from jigiya.registry import services as registry
from jigiya.registry.models import Pregnancy

__all__ = ["korofina"]

MADE = "2025-06-08T07:15:00Z"  # Sunday morning, in the household, without network
MADE_AT = datetime.datetime(2025, 6, 8, 7, 15, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def adult(chw, household):
    return registry.person_register(
        actor=chw, household=household, given_name="Bakary", family_name="Diarra", sex="M",
        relationship="head", birth_date=datetime.date(1980, 1, 1),
    )  # fmt: skip


def test_a_visit_sent_twice_is_stored_once_with_the_phones_time(client, chw, adult):
    client.force_login(chw)
    url = f"/followup/people/{adult.pk}/visit/?next=/followup/"
    data = {"id": str(uuid.uuid4()), "made_at": MADE, "date": "2025-06-08", "notes": "Vu"}
    data["next"] = "/followup/"
    first, again = client.post(url, data), client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == "/followup/"
    visit = Visit.objects.get()
    assert (str(visit.pk), visit.made_at, visit.notes) == (data["id"], MADE_AT, "Vu")
    assert visit.created_at == datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)


def test_another_visit_under_the_same_id_is_a_conflict_and_changes_nothing(client, chw, adult):
    client.force_login(chw)
    url = f"/followup/people/{adult.pk}/visit/"
    data = {"id": str(uuid.uuid4()), "date": "2025-06-08", "notes": "Vu"}
    client.post(url, data)
    response = client.post(url, data | {"notes": "Autre chose"})
    assert response.status_code == 409
    assert "A different visit was already sent with this id." in response.content.decode()
    assert list(Visit.objects.values_list("notes", flat=True)) == ["Vu"]


def test_the_visit_form_carries_a_fresh_id_and_an_empty_phone_time(client, chw, adult):
    client.force_login(chw)
    url = f"/followup/people/{adult.pk}/visit/"
    first, second = client.get(url), client.get(url)
    ids = {page.context["form"]["id"].value() for page in (first, second)}
    assert len(ids) == 2
    assert '<input type="hidden" name="made_at" id="id_made_at">' in first.content.decode()


def test_a_referral_sent_twice_refers_once_with_the_phones_time(client, korofina):
    client.force_login(korofina["chw"])
    data = {"id": str(uuid.uuid4()), "made_at": MADE}
    assert _refer(client, korofina["child"], **data).status_code == 302
    assert _refer(client, korofina["child"], **data).status_code == 302
    referral = Referral.objects.get()
    assert (str(referral.pk), referral.made_at) == (data["id"], MADE_AT)


def test_a_pregnancy_sent_twice_is_registered_once(client, chw, mother):
    client.force_login(chw)
    url = f"/registry/people/{mother.pk}/pregnancy/"
    data = {"id": str(uuid.uuid4()), "made_at": MADE, "lmp": "2025-03-01"}
    first, again = client.post(url, data), client.post(url, data)
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"] == mother.get_absolute_url()
    pregnancy = Pregnancy.objects.get()
    assert (str(pregnancy.pk), pregnancy.made_at) == (data["id"], MADE_AT)
    conflict = client.post(url, data | {"lmp": "2025-03-08"})
    assert conflict.status_code == 409
    assert Pregnancy.objects.get().lmp == datetime.date(2025, 3, 1)


def test_a_visit_sent_by_the_outbox_answers_204_without_the_next_page(client, chw, adult):
    """The outbox needs to know it was saved, not the worklist the redirect leads to: 204
    naming the target (web.middleware.OutboxAnswerMiddleware), the "saved" message consumed;
    sent again, the same; logged out, still the redirect to the login page."""
    url = f"/followup/people/{adult.pk}/visit/"
    data = {"id": str(uuid.uuid4()), "made_at": MADE, "date": "2025-06-08", "next": "/followup/"}
    outbox = {"X-Jigiya-Outbox": "1"}
    anonymous = client.post(url, data, headers=outbox)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert not Visit.objects.exists()
    client.force_login(chw)
    first, again = client.post(url, data, headers=outbox), client.post(url, data, headers=outbox)
    assert (first.status_code, first["X-Jigiya-Saved"], first.content) == (204, "/followup/", b"")
    assert (again.status_code, again["X-Jigiya-Saved"]) == (204, "/followup/")
    assert str(Visit.objects.get().pk) == data["id"]
    assert list(client.get("/followup/").context["messages"]) == []


def test_an_outbox_entry_reaching_the_server_under_another_account_is_refused(
    client, cast, chw, adult
):
    """A shared phone: the outbox read who was logged in, then she logged out and a colleague
    logged in before the entry left. The entry names its author (`X-Jigiya-User`); under
    another account it is refused before the view runs (409, `X-Jigiya-Other-User`), so the
    outbox keeps it for her; under hers it is saved."""
    url = f"/followup/people/{adult.pk}/visit/"
    data = {"id": str(uuid.uuid4()), "made_at": MADE, "date": "2025-06-08", "next": "/followup/"}
    colleague = UserFactory(username="relais.é")  # URL-encoded in the header, as sent
    AssignmentFactory(user=colleague, role=Role.CHW, place=cast.community_a)
    client.force_login(colleague)
    as_her = {"X-Jigiya-Outbox": "1", "X-Jigiya-User": chw.get_username()}
    refused = client.post(url, data, headers=as_her)
    assert (refused.status_code, refused["X-Jigiya-Other-User"]) == (409, "1")
    assert not Visit.objects.exists()
    own = {"X-Jigiya-Outbox": "1", "X-Jigiya-User": "relais.%C3%A9"}
    saved = client.post(url, data, headers=own)
    assert (saved.status_code, saved["X-Jigiya-Saved"]) == (204, "/followup/")
    assert Visit.objects.get().chw == colleague
