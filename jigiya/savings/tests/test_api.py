import datetime
import threading
import uuid

import pytest
from django.db import connection, connections

from jigiya.accounts.roles import Role
from jigiya.savings import ledger
from jigiya.savings.models import Entry, Meeting

URL = "/api/v1/savings/groups/{}/meetings"


def _body(world, **extra):
    body = {
        "id": str(uuid.uuid4()),
        "held_on": "2024-01-08",
        "members": [
            {"membership_id": str(m.pk), "shares": 2, "health": 100} for m in world.members
        ],
        "counted_loan_fund": 4000,
        "counted_health_fund": 400,
    }
    body.update(extra)
    return body


def _post(client, world, body):
    return client.post(URL.format(world.group.pk), body, content_type="application/json")


def test_a_whole_meeting_in_one_post_then_the_same_again(world, client):
    client.force_login(world.facilitator)
    body = _body(world)
    first = _post(client, world, body)
    assert first.status_code == 201
    assert first.json()["expected_loan_fund"] == 4000
    again = _post(client, world, body)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert (Meeting.objects.count(), Entry.objects.count()) == (1, 8)


def test_the_same_meeting_id_with_other_content_is_409(world, client):
    client.force_login(world.facilitator)
    body = _body(world)
    _post(client, world, body)
    body["members"][0]["shares"] = 3
    response = _post(client, world, body)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Entry.objects.count() == 8


def test_bad_amounts_are_refused_and_nothing_is_posted(world, client):
    client.force_login(world.facilitator)
    body = _body(world)
    body["members"][0]["health"] = 100.5
    response = _post(client, world, body)
    assert response.status_code == 422
    assert "members.0.health" in response.json()["error"]["fields"]
    body["members"][0]["health"] = -100
    response = _post(client, world, body)
    assert response.status_code == 400
    assert "members.0.health" in response.json()["error"]["fields"]
    body["members"][0]["health"] = 100
    body["members"][0]["shares"] = 6
    response = _post(client, world, body)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["members.0.shares"]
    assert Entry.objects.count() == 0


def test_a_viewer_may_read_but_not_record(world, client, cast):
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    assert _post(client, world, _body(world)).status_code == 403
    response = client.get(f"/api/v1/savings/groups/{world.group.pk}")
    assert response.status_code == 200
    assert [m["number"] for m in response.json()["members"]] == [1, 2, 3, 4]
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "b"))
    assert client.get(f"/api/v1/savings/groups/{world.group.pk}").status_code == 404


def _post_concurrently(world, body, count=4):
    """`count` threads, each with its own connection, post the same meeting at once."""
    from django.test import Client

    results = []
    barrier = threading.Barrier(count)

    def send():
        try:
            client = Client()
            client.force_login(world.facilitator)
            barrier.wait()
            results.append(_post(client, world, body).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_two_devices_sending_the_same_meeting_at_once_make_one_meeting(world):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database cannot be shared by threads")
    assert _post_concurrently(world, _body(world)) == [200, 200, 200, 201]
    assert Meeting.objects.count() == 1
    assert Entry.objects.count() == 8
    assert ledger.verify().problems == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks")
def test_concurrent_meetings_of_one_group_lose_and_duplicate_nothing(world):
    """Different meetings of one group posted at once: each waits for the group lock, every
    entry is there once, the chain has no gap or fork, the cash adds up."""
    from django.test import Client

    days = [datetime.date(2024, 1, day) for day in (8, 15, 22, 29)]
    results = []
    barrier = threading.Barrier(len(days))

    def send(day):
        try:
            client = Client()
            client.force_login(world.facilitator)
            body = _body(world, held_on=day.isoformat(), counted_loan_fund=0, counted_health_fund=0)
            body["difference_note"] = "compté après"
            body["confirmed_by_id"] = str(world.members[1].pk)
            barrier.wait()
            results.append(_post(client, world, body).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(day,)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * 4
    assert Meeting.objects.count() == 4
    assert list(Entry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 41))
    assert ledger.verify().problems == []
    balance = ledger.balances(world.group.pk)
    assert balance["member_savings"] == 16000
    assert balance["loan_fund_cash"] == 0  # every count was 0: the differences were posted
