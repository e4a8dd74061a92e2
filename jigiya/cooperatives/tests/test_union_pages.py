"""The pages and API of the union's dues, its board elections and a training's days: what is
stored, that a double tap or a resend records once, that refused input changes nothing, and
that only who records in the place may post (others: 403, outside: 404)."""

import datetime
import uuid

import pytest

from jigiya.accounts.roles import Role
from jigiya.api import api
from jigiya.cooperatives import cash, services
from jigiya.cooperatives import union as union_money
from jigiya.cooperatives.models import (
    Attendance,
    BoardElection,
    BoardSeat,
    CashEntry,
    DuesPayment,
    Participant,
    TrainingDay,
)

D = datetime.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def union(world, cast):
    """The union of the cercle (formed 1 June 2023); the mask cooperative joined on 1 July 2023
    with dues of 12 000 a year. The cooperative's cash: 30 000 received."""
    union = services.union_create(
        actor=cast.user(Role.ADMIN, "above"), place=cast.cercle, name="Union de Bamako",
        formed_on=D(2023, 6, 1),
    )  # fmt: skip
    services.union_join(
        actor=world.manager, union=union, cooperative=world.coop, joined_on=D(2023, 7, 1),
        yearly_dues=12000,
    )  # fmt: skip
    world.batch(30)
    world.sale(30, paid=30000)
    return union


def money_state() -> tuple:
    return (
        sorted(CashEntry.objects.values_list("seq", "kind", "amount")),
        sorted(DuesPayment.objects.values_list("year", "amount", "paid_on")),
    )


def board_state() -> tuple:
    return (
        sorted(BoardElection.objects.values_list("held_on", flat=True)),
        sorted(BoardSeat.objects.values_list("role", "member__person__given_name")),
    )


def attendance_state() -> tuple:
    return (
        sorted(Attendance.objects.values_list("participant__member__person__given_name", "day")),
        sorted(TrainingDay.objects.values_list("day", flat=True)),
    )


def api_post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json", **EN)


# --- paying the union's dues ------------------------------------------------------------------


def test_dues_are_paid_from_their_page_once_even_tapped_twice(world, union, client):
    client.force_login(world.manager)
    detail = client.get(world.coop.get_absolute_url(), **EN).content.decode()
    url = f"/cooperatives/{world.coop.pk}/dues/new/"
    assert f'href="{url}?union={union.pk}">Pay union dues</a>' in detail
    union_page = client.get(union.get_absolute_url(), **EN).content.decode()
    assert f'href="{url}?union={union.pk}&amp;year=2024">Pay</a>' in union_page
    form = client.get(f"{url}?union={union.pk}&year=2024", **EN)
    assert form.status_code == 200
    page = form.content.decode()
    assert "<strong>Union de Bamako · 2023</strong><span>left 12\xa0000\xa0FCFA" in page
    assert form.context["form"].initial["year"] == 2024
    assert form.context["form"].initial["amount"] == 12000
    for label in ("Union", "For the year", "Amount (FCFA)", "Paid on"):
        assert f">{label}" in page
    payment_id = uuid.uuid4()
    member = union.members.get()
    body = {"id": str(payment_id), "membership": str(member.pk), "year": "2023",
            "amount": "7500", "paid_on": "2024-06-28"}  # fmt: skip
    response = client.post(url, body, **EN)
    assert (response.status_code, response["Location"]) == (302, union.get_absolute_url())
    paid = DuesPayment.objects.get()
    assert (paid.pk, paid.member_id, paid.year, paid.amount, paid.paid_on) == (
        payment_id, member.pk, 2023, 7500, D(2024, 6, 28),
    )  # fmt: skip
    assert (paid.cash_entry.kind, paid.cash_entry.amount) == ("dues", -7500)
    assert paid.created_by == world.manager
    # The same form posted again (a double tap): the same payment, nothing more.
    assert client.post(url, body, **EN).status_code == 302
    assert DuesPayment.objects.count() == 1
    assert (cash.balance(world.coop.pk), union_money.union_balance(union)) == (22500, 7500)


def test_dues_above_what_is_owed_are_refused_on_the_page_and_nothing_moves(world, union, client):
    client.force_login(world.manager)
    member = union.members.get()
    before = money_state()
    body = {"id": str(uuid.uuid4()), "membership": str(member.pk), "year": "2024",
            "amount": "12001", "paid_on": "2024-06-28"}  # fmt: skip
    response = client.post(f"/cooperatives/{world.coop.pk}/dues/new/", body, **EN)
    assert response.status_code == 400
    assert (
        "12\xa0001\xa0FCFA is more than the 12\xa0000\xa0FCFA left owed for 2024."
        in response.content.decode()
    )
    assert money_state() == before


def test_who_does_not_record_in_the_place_cannot_pay_dues(world, union, cast, client):
    member = union.members.get()
    url = f"/cooperatives/{world.coop.pk}/dues/new/"
    body = {"id": str(uuid.uuid4()), "membership": str(member.pk), "year": "2024",
            "amount": "1000", "paid_on": "2024-06-28"}  # fmt: skip
    before = money_state()
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))  # sees, does not record
    assert client.get(url).status_code == 403
    assert client.post(url, body).status_code == 403
    page = client.get(world.coop.get_absolute_url(), **EN).content.decode()
    assert "Pay union dues" not in page
    client.force_login(cast.user(Role.COOPERATIVE_MANAGER, "b"))  # another community
    assert client.post(url, body).status_code == 404
    api_body = {**body, "union_id": str(union.pk), "year": 2024, "amount": 1000}
    api_url = f"/cooperatives/{world.coop.pk}/union-dues"
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    assert api_post(client, api_url, api_body).status_code == 403
    assert money_state() == before


# --- the union's board ---------------------------------------------------------------------


def test_a_board_is_elected_from_its_page_once(world, union, cast, client):
    m = world.members
    admin = cast.user(Role.ADMIN, "above")
    client.force_login(admin)
    url = f"/cooperatives/unions/{union.pk}/board/new/"
    page = client.get(union.get_absolute_url(), **EN).content.decode()
    assert f'href="{url}">Elect a board</a>' in page
    form = client.get(url, **EN).content.decode()
    for label in ("Elected on", "President", "Vice-president", "Secretary", "Treasurer"):
        assert f">{label}" in form
    assert "Awa Coulibaly · Jèkafo masques" in form
    election_id = uuid.uuid4()
    body = {"id": str(election_id), "held_on": "2024-06-15", "president": str(m[0].pk),
            "treasurer": str(m[1].pk)}  # fmt: skip
    response = client.post(url, body, **EN)
    assert (response.status_code, response["Location"]) == (302, union.get_absolute_url())
    election = BoardElection.objects.get()
    assert (election.pk, election.union_id, election.held_on) == (
        election_id, union.pk, D(2024, 6, 15),
    )  # fmt: skip
    assert board_state() == ([D(2024, 6, 15)], [("president", "Awa"), ("treasurer", "Fanta")])
    assert client.post(url, body, **EN).status_code == 302  # a double tap
    assert BoardElection.objects.count() == 1
    shown = client.get(union.get_absolute_url(), **EN).content.decode()
    assert "<dt>President</dt><dd>Awa Coulibaly · Jèkafo masques</dd>" in shown


def test_a_board_refused_on_the_page_changes_nothing(world, union, cast, client):
    m = world.members
    client.force_login(cast.user(Role.ADMIN, "above"))
    url = f"/cooperatives/unions/{union.pk}/board/new/"
    before = board_state()
    twice = {"id": str(uuid.uuid4()), "held_on": "2024-06-15", "president": str(m[0].pk),
             "secretary": str(m[0].pk)}  # fmt: skip
    response = client.post(url, twice, **EN)
    assert response.status_code == 400
    assert "One woman holds one role on the board." in response.content.decode()
    early = {"id": str(uuid.uuid4()), "held_on": "2023-05-31", "president": str(m[0].pk)}
    response = client.post(url, early, **EN)
    assert response.status_code == 400
    no_president = {"id": str(uuid.uuid4()), "held_on": "2024-06-15", "treasurer": str(m[1].pk)}
    assert client.post(url, no_president, **EN).status_code == 400
    assert board_state() == before


def test_only_who_records_for_the_unions_area_elects_its_board(world, union, cast, client):
    m = world.members
    url = f"/cooperatives/unions/{union.pk}/board/new/"
    body = {"id": str(uuid.uuid4()), "held_on": "2024-06-15", "president": str(m[0].pk)}
    api_body = {"id": body["id"], "held_on": "2024-06-15", "seats": {"president": str(m[0].pk)}}
    # The cooperative's manager records in Community A, not for the whole cercle.
    for user in (world.manager, cast.user(Role.PROGRAM_MANAGER, "above")):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, body).status_code == 403
        assert "Elect a board" not in client.get(union.get_absolute_url(), **EN).content.decode()
        assert api_post(client, f"/cooperatives/unions/{union.pk}/board", api_body).status_code == (
            403
        )
    assert board_state() == ([], [])


def test_a_board_through_the_api(world, union, cast, client):
    m = world.members
    client.force_login(cast.user(Role.ADMIN, "above"))
    path = f"/cooperatives/unions/{union.pk}/board"
    election_id = str(uuid.uuid4())
    body = {"id": election_id, "held_on": "2024-06-15",
            "seats": {"president": str(m[0].pk), "secretary": str(m[2].pk)}}  # fmt: skip
    first = api_post(client, path, body)
    assert first.status_code == 201
    assert first.json() == {
        "id": election_id, "union_id": str(union.pk), "held_on": "2024-06-15",
        "seats": {"president": str(m[0].pk), "secretary": str(m[2].pk)},
    }  # fmt: skip
    again = api_post(client, path, body)
    assert (again.status_code, again.json()) == (200, first.json())
    other = {**body, "seats": {"president": str(m[1].pk)}}
    assert api_post(client, path, other).status_code == 409
    before = board_state()
    assert before == ([D(2024, 6, 15)], [("president", "Awa"), ("secretary", "Mariam")])
    refused = api_post(
        client, path, {"id": str(uuid.uuid4()), "held_on": "2024-06-20",
                       "seats": {"treasurer": str(m[1].pk)}},
    )  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"seats": ["Elect a president."]}
    assert board_state() == before
    outside = cast.user(Role.COOPERATIVE_MANAGER, "b")
    client.force_login(outside)
    assert api_post(client, path, {**body, "id": str(uuid.uuid4())}).status_code == 403
    assert board_state() == before


# --- a training's days ---------------------------------------------------------------------


@pytest.fixture
def training(world):
    """A three-day training (3-5 June 2024) of the three members; only its first day recorded."""
    m = world.members
    return services.training_record(
        actor=world.manager, cooperative=world.coop, title="Gestion", topic="management",
        partner="DRDSES", starts_on=D(2024, 6, 3), ends_on=D(2024, 6, 5),
        attended=[x.pk for x in m], days={D(2024, 6, 3): [m[0].pk, m[1].pk, m[2].pk]},
    )  # fmt: skip


def test_a_days_attendance_is_recorded_from_its_page_once(world, training, client):
    m = world.members
    client.force_login(world.manager)
    detail = client.get(world.coop.get_absolute_url(), **EN).content.decode()
    assert f'href="{training.get_absolute_url()}">' in detail
    page = client.get(training.get_absolute_url(), **EN).content.decode()
    url = f"/cooperatives/trainings/{training.pk}/days/new/"
    assert f'href="{url}">' + "Record a day's attendance</a>" in page
    assert "<strong>June 4, 2024</strong><span>not recorded yet</span>" in page
    form = client.get(url, **EN)
    assert form.context["form"].initial["day"] == "2024-06-04"  # the first day not recorded
    assert ">Day" in form.content.decode() and ">Who was present" in form.content.decode()
    day_id = uuid.uuid4()
    body = {"id": str(day_id), "day": "2024-06-04", "present": [str(m[0].pk), str(m[2].pk)]}
    response = client.post(url, body, **EN)
    assert (response.status_code, response["Location"]) == (302, training.get_absolute_url())
    record = TrainingDay.objects.get()
    assert (record.pk, record.training_id, record.day) == (day_id, training.pk, D(2024, 6, 4))
    assert record.present() == sorted([m[0].pk, m[2].pk])
    assert attendance_state() == (
        [("Awa", D(2024, 6, 3)), ("Awa", D(2024, 6, 4)), ("Fanta", D(2024, 6, 3)),
         ("Mariam", D(2024, 6, 3)), ("Mariam", D(2024, 6, 4))],
        [D(2024, 6, 4)],
    )  # fmt: skip
    before = attendance_state()
    assert client.post(url, body, **EN).status_code == 302  # a double tap
    assert attendance_state() == before
    page = client.get(training.get_absolute_url(), **EN).content.decode()
    assert "<strong>June 4, 2024</strong><span>Awa Coulibaly, Mariam Coulibaly</span>" in page
    assert 'Fanta Coulibaly <span class="muted">present 1 day</span>' in page


def test_a_day_refused_on_the_page_changes_nothing(world, training, client):
    m = world.members
    client.force_login(world.manager)
    url = f"/cooperatives/trainings/{training.pk}/days/new/"
    before = attendance_state()
    again = {"id": str(uuid.uuid4()), "day": "2024-06-03", "present": [str(m[0].pk)]}
    response = client.post(url, again, **EN)
    assert response.status_code == 400
    assert "The attendance of 2024-06-03 was already recorded." in response.content.decode()
    nobody = {"id": str(uuid.uuid4()), "day": "2024-06-05"}
    response = client.post(url, nobody, **EN)
    assert response.status_code == 400
    assert "Name who was present." in response.content.decode()
    outside_days = {"id": str(uuid.uuid4()), "day": "2024-06-06", "present": [str(m[0].pk)]}
    assert client.post(url, outside_days, **EN).status_code == 400
    assert attendance_state() == before


def test_who_does_not_record_in_the_place_cannot_record_a_day(world, training, cast, client):
    m = world.members
    url = f"/cooperatives/trainings/{training.pk}/days/new/"
    body = {"id": str(uuid.uuid4()), "day": "2024-06-04", "present": [str(m[0].pk)]}
    api_body = {**body, "present": [str(m[0].pk)]}
    api_path = f"/cooperatives/trainings/{training.pk}/days"
    before = attendance_state()
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    assert client.get(training.get_absolute_url()).status_code == 200  # she sees it
    assert "Record a day" not in client.get(training.get_absolute_url(), **EN).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, body).status_code == 403
    assert api_post(client, api_path, api_body).status_code == 403
    client.force_login(cast.user(Role.COOPERATIVE_MANAGER, "b"))
    assert client.post(url, body).status_code == 404
    assert api_post(client, api_path, api_body).status_code == 404
    assert attendance_state() == before


def test_a_days_attendance_through_the_api(world, training, client):
    m = world.members
    client.force_login(world.manager)
    path = f"/cooperatives/trainings/{training.pk}/days"
    day_id = str(uuid.uuid4())
    body = {"id": day_id, "day": "2024-06-05", "present": [str(m[1].pk)]}
    first = api_post(client, path, body)
    assert first.status_code == 201
    assert first.json() == {
        "id": day_id, "training_id": str(training.pk), "day": "2024-06-05",
        "present": [str(m[1].pk)],
    }  # fmt: skip
    again = api_post(client, path, body)
    assert (again.status_code, again.json()) == (200, first.json())
    assert api_post(client, path, {**body, "day": "2024-06-04"}).status_code == 409
    before = attendance_state()
    other = api_post(client, path, {**body, "id": str(uuid.uuid4()), "present": [str(m[0].pk)]})
    assert other.status_code == 400
    assert other.json()["error"]["fields"] == {
        "day": ["The attendance of 2024-06-05 was already recorded."]
    }
    bad = api_post(client, path, {"id": str(uuid.uuid4()), "day": "2024-06-04", "present": "x"})
    assert bad.status_code == 422
    assert attendance_state() == before
    assert sorted(Participant.objects.values_list("member__person__given_name", "certified")) == [
        ("Awa", False), ("Fanta", False), ("Mariam", False),
    ]  # fmt: skip


def test_the_new_operations_declare_their_errors_in_the_openapi_document():
    paths = api.get_openapi_schema()["paths"]
    for path in (
        "/api/v1/cooperatives/unions/{union_id}/board",
        "/api/v1/cooperatives/trainings/{training_id}/days",
        "/api/v1/cooperatives/{cooperative_id}/union-dues",
    ):
        responses = paths[path]["post"]["responses"]
        assert {"200", "201", "400", "401", "403", "404", "409", "422"} <= set(responses), path


def test_dues_through_the_api_store_exactly_what_was_sent(world, union, client):
    client.force_login(world.manager)
    path = f"/cooperatives/{world.coop.pk}/union-dues"
    payment_id = str(uuid.uuid4())
    body = {"id": payment_id, "union_id": str(union.pk), "year": 2023, "amount": 12000,
            "paid_on": "2024-06-27"}  # fmt: skip
    first = api_post(client, path, body)
    assert (first.status_code, first.json()) == (
        201, {"id": payment_id, "year": 2023, "amount": 12000, "paid_on": "2024-06-27"},
    )  # fmt: skip
    assert money_state()[1] == [(2023, 12000, D(2024, 6, 27))]
    assert api_post(client, path, body).json() == first.json()
    before = money_state()
    refused = api_post(client, path, {**body, "id": str(uuid.uuid4()), "amount": 1})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "amount": ["1\xa0FCFA is more than the 0\xa0FCFA left owed for 2023."]
    }
    assert money_state() == before


def test_a_day_recorded_with_the_training_sent_again_answers_the_same(world, training, client):
    m = world.members
    client.force_login(world.manager)
    before = attendance_state()
    body = {"id": str(uuid.uuid4()), "day": "2024-06-03",
            "present": [str(x.pk) for x in reversed(m)]}  # fmt: skip
    again = api_post(client, f"/cooperatives/trainings/{training.pk}/days", body)
    assert again.status_code == 200
    assert again.json()["present"] == sorted(str(x.pk) for x in m)
    assert attendance_state() == before


# --- certificates -----------------------------------------------------------------------------


def _attend_every_day(world, training, members) -> None:
    """Days 2 and 3 recorded for `members` (day 1 had the three)."""
    for day in (D(2024, 6, 4), D(2024, 6, 5)):
        services.training_day(
            actor=world.manager, training=training, day=day, present=[m.pk for m in members]
        )


def certified_state() -> list:
    return sorted(Participant.objects.values_list("member__person__given_name", "certified"))


def test_participants_are_certified_from_the_training_page_once(world, training, client):
    from jigiya.core.models import AuditEntry

    awa, fanta, mariam = world.members
    _attend_every_day(world, training, [awa, mariam])
    client.force_login(world.manager)
    url = f"/cooperatives/trainings/{training.pk}/certify/"
    page = client.get(training.get_absolute_url(), **EN).content.decode()
    assert f'href="{url}">Certify participants</a>' in page
    form = client.get(url, **EN)
    assert [label for _pk, label in form.context["form"].fields["certified"].widget.choices] == [
        "Awa Coulibaly · present 3 of 3 days", "Fanta Coulibaly · present 1 of 3 days",
        "Mariam Coulibaly · present 3 of 3 days",
    ]  # fmt: skip
    audits = AuditEntry.objects.count()
    refused = client.post(url, {"certified": [str(awa.pk), str(fanta.pk)]}, **EN)
    assert refused.status_code == 400
    assert "Fanta Coulibaly was present 1 of 3 days; 3 needed." in refused.content.decode()
    assert certified_state() == [("Awa", False), ("Fanta", False), ("Mariam", False)]
    assert AuditEntry.objects.count() == audits
    body = {"certified": [str(awa.pk), str(mariam.pk)]}
    response = client.post(url, body, **EN)
    assert (response.status_code, response["Location"]) == (302, training.get_absolute_url())
    assert certified_state() == [("Awa", True), ("Fanta", False), ("Mariam", True)]
    assert AuditEntry.objects.count() == audits + 2
    again = client.post(url, body, **EN)  # a double tap: the same, nothing written
    assert (again.status_code, AuditEntry.objects.count()) == (302, audits + 2)
    page = client.get(training.get_absolute_url(), **EN).content.decode()
    assert 'Awa Coulibaly <span class="muted">present 3 days · certified</span>' in page
    assert 'Fanta Coulibaly <span class="muted">present 1 day</span>' in page
    form = client.get(url, **EN)
    assert [label for _pk, label in form.context["form"].fields["certified"].widget.choices] == [
        "Fanta Coulibaly · present 1 of 3 days"
    ]


def test_certificates_through_the_api(world, training, cast, client):
    awa, fanta, _mariam = world.members
    _attend_every_day(world, training, [awa])
    path = f"/cooperatives/trainings/{training.pk}/certificates"
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))  # reads, does not record
    assert api_post(client, path, {"certified": [str(awa.pk)]}).status_code == 403
    assert client.get(f"/cooperatives/trainings/{training.pk}/certify/").status_code == 403
    client.force_login(cast.user(Role.COOPERATIVE_MANAGER, "b"))  # another place
    assert api_post(client, path, {"certified": [str(awa.pk)]}).status_code == 404
    assert certified_state() == [("Awa", False), ("Fanta", False), ("Mariam", False)]
    client.force_login(world.manager)
    first = api_post(client, path, {"certified": [str(awa.pk)]})
    assert (first.status_code, first.json()) == (
        200, {"training_id": str(training.pk), "newly_certified": 1, "certified": [str(awa.pk)]},
    )  # fmt: skip
    again = api_post(client, path, {"certified": [str(awa.pk)]})
    assert (again.status_code, again.json()["newly_certified"]) == (200, 0)
    refused = api_post(client, path, {"certified": [str(fanta.pk)]})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "certified": ["Fanta Coulibaly was present 1 of 3 days; 3 needed."]
    }
    stranger = api_post(client, path, {"certified": [str(uuid.uuid4())]})
    assert stranger.json()["error"]["fields"] == {
        "certified": ["Only a member who attended is certified."]
    }
    assert api_post(client, path, {"certified": []}).status_code == 422
    assert certified_state() == [("Awa", True), ("Fanta", False), ("Mariam", False)]
    responses = api.get_openapi_schema()["paths"][f"/api/v1{path}".replace(
        str(training.pk), "{training_id}")]["post"]["responses"]  # fmt: skip
    assert {"200", "400", "401", "403", "404", "422"} <= set(responses)
