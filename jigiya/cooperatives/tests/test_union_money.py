"""The union's dues paid from the cooperatives' cash, its board elections, and the attendance
per day of a training that decides the certificate."""

import datetime
import uuid

import pytest

from jigiya.accounts.roles import Role
from jigiya.cooperatives import cash, services
from jigiya.cooperatives import union as union_money
from jigiya.cooperatives.models import (
    Attendance,
    BoardElection,
    BoardSeat,
    CashEntry,
    DuesPayment,
    Participant,
)
from jigiya.cooperatives.tests.conftest import make_world
from jigiya.core.errors import Conflict
from jigiya.core.tests.refusals import refused_unchanged

D = datetime.date


@pytest.fixture
def union(world, cast):
    union = services.union_create(
        actor=cast.user(Role.ADMIN, "above"), place=cast.cercle, name="Union de Bamako",
        formed_on=D(2023, 6, 1),
    )  # fmt: skip
    services.union_join(
        actor=world.manager, union=union, cooperative=world.coop, joined_on=D(2023, 7, 1),
        yearly_dues=12000,
    )  # fmt: skip
    return union


def money_state() -> tuple:
    return (
        CashEntry.objects.count(),
        DuesPayment.objects.count(),
        sorted(DuesPayment.objects.values_list("year", "amount")),
    )


def test_dues_are_owed_each_year_and_paid_from_the_cash(world, union):
    world.batch(30)
    world.sale(30, paid=30000)  # the cash: 30 000
    member = union.members.get()
    first = services.dues_pay(
        actor=world.manager, member=member, year=2023, amount=12000, paid_on=D(2024, 6, 21),
        id=uuid.uuid4(),
    )  # fmt: skip
    services.dues_pay(
        actor=world.manager, member=member, year=2024, amount=5000, paid_on=D(2024, 6, 22)
    )
    assert cash.balance(world.coop.pk) == 30000 - 12000 - 5000
    entry = first.cash_entry
    assert (entry.kind, entry.amount, entry.memo) == ("dues", -12000, "Union de Bamako 2023")
    rows = [(r.year, r.owed, r.paid, r.left) for r in union_money.dues(union, until_year=2024)]
    assert rows == [(2023, 12000, 12000, 0), (2024, 12000, 5000, 7000)]
    assert union_money.union_balance(union) == 17000
    assert cash.verify([world.coop.pk]) == []
    # The same payment sent again is the same payment; other content under its id: a conflict.
    again = services.dues_pay(
        actor=world.manager, member=member, year=2023, amount=12000, paid_on=D(2024, 6, 21),
        id=first.pk,
    )  # fmt: skip
    assert again.pk == first.pk and DuesPayment.objects.count() == 2
    with pytest.raises(Conflict):
        services.dues_pay(
            actor=world.manager, member=member, year=2024, amount=12000,
            paid_on=D(2024, 6, 21), id=first.pk,
        )  # fmt: skip
    with pytest.raises(ValueError):
        first.save()


def test_dues_spent_lower_the_surplus_of_the_close(world, union):
    world.batch(20)
    world.sale(20, paid=20000)
    services.dues_pay(
        actor=world.manager, member=union.members.get(), year=2024, amount=12000,
        paid_on=D(2024, 6, 25),
    )  # fmt: skip
    close = services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 30), rule="equal"
    )
    # 20 000 received - 15 000 of inputs (conftest) - 12 000 of dues.
    assert (close.received, close.spent, close.surplus) == (20000, 27000, -7000)


def test_bad_dues_payments_are_refused_and_change_nothing(world, union):
    world.batch(10)
    world.sale(10, paid=10000)
    member = union.members.get()
    services.dues_pay(
        actor=world.manager, member=member, year=2024, amount=8000, paid_on=D(2024, 6, 21)
    )

    def pay(**kwargs):
        values = {"year": 2024, "amount": 1000, "paid_on": D(2024, 6, 22)} | kwargs
        return refused_unchanged(
            money_state, services.dues_pay, actor=world.manager, member=member, **values
        )

    assert pay(amount=4001) == {
        "amount": ["4\xa0001\xa0FCFA is more than the 4\xa0000\xa0FCFA left owed for 2024."]
    }
    assert pay(year=2022) == {"year": ["Dues are owed from 2023 to 2024 (got 2022)."]}
    assert pay(year=2025) == {"year": ["Dues are owed from 2023 to 2024 (got 2025)."]}
    assert pay(amount=0) == {"amount": ["Amounts are whole FCFA above zero."]}
    assert pay(year=2023, amount=3000) == {
        "amount": ["The cash holds 2\xa0000\xa0FCFA; 3\xa0000\xa0FCFA cannot go out."]
    }
    assert pay(paid_on=D(2024, 7, 1)) == {"paid_on": ["The date 2024-07-01 is in the future."]}
    services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 29), rule="equal"
    )
    assert pay(paid_on=D(2024, 6, 29)) == {
        "paid_on": ["The period up to 2024-06-29 is closed: 2024-06-29 cannot be recorded."]
    }


def board_state() -> tuple:
    return (BoardElection.objects.count(), BoardSeat.objects.count())


def test_an_election_replaces_the_board_and_keeps_the_history(world, union, cast):
    m = world.members
    other = make_world(cast, "b", "Savon B")
    services.union_join(
        actor=other.manager, union=union, cooperative=other.coop, joined_on=D(2024, 1, 15),
    )  # fmt: skip
    first = services.board_elect(
        actor=cast.user(Role.ADMIN, "above"), union=union, held_on=D(2023, 7, 1),
        seats={"president": m[0].pk, "treasurer": m[1].pk},
    )  # fmt: skip
    second = services.board_elect(
        actor=cast.user(Role.ADMIN, "above"), union=union, held_on=D(2024, 3, 1),
        seats={"president": other.members[0].pk, "secretary": m[2].pk, "treasurer": m[1].pk},
        id=uuid.uuid4(),
    )  # fmt: skip
    now = union_money.board(union)
    assert now is not None and now.pk == second.pk
    assert sorted((s.role, str(s.member.person)) for s in now.seats.all()) == [
        ("president", "Awa Coulibaly"), ("secretary", "Mariam Coulibaly"),
        ("treasurer", "Fanta Coulibaly"),
    ]  # fmt: skip
    assert [e.held_on for e in union.elections.all()] == [D(2024, 3, 1), D(2023, 7, 1)]
    assert first.seats.count() == 2
    assert now.seats.get(role="president").member.cooperative == other.coop
    # Sent again: the same election.
    assert services.board_elect(
        actor=cast.user(Role.ADMIN, "above"), union=union, held_on=D(2024, 3, 1),
        seats={"president": other.members[0].pk, "secretary": m[2].pk, "treasurer": m[1].pk},
        id=second.pk,
    ).pk == second.pk  # fmt: skip
    assert board_state() == (2, 5)


def test_bad_elections_are_refused_and_change_nothing(world, union, cast):
    m = world.members
    outsider = make_world(cast, "b", "Savon B")  # not in the union
    services.board_elect(
        actor=cast.user(Role.ADMIN, "above"),
        union=union,
        held_on=D(2024, 3, 1),
        seats={"president": m[0].pk},
    )

    def elect(**kwargs):
        values = {"held_on": D(2024, 5, 1), "seats": {"president": m[0].pk}} | kwargs
        return refused_unchanged(
            board_state,
            services.board_elect,
            actor=cast.user(Role.ADMIN, "above"),
            union=union,
            **values,
        )

    assert elect(held_on=D(2024, 3, 1)) == {
        "held_on": ["The last election was on 2024-03-01; a new one comes after it."]
    }
    assert elect(seats={"treasurer": m[0].pk}) == {"seats": ["Elect a president."]}
    assert elect(seats={"president": m[0].pk, "treasurer": m[0].pk}) == {
        "seats": ["One woman holds one role on the board."]
    }
    assert elect(seats={"president": m[0].pk, "queen": m[1].pk}) == {
        "seats": ["Unknown role: queen."]
    }
    assert elect(seats={"president": outsider.members[0].pk}) == {
        "president": ["The president must be a member of a union cooperative on 2024-05-01."]
    }
    assert elect(held_on=D(2024, 7, 2)) == {"held_on": ["The date 2024-07-02 is in the future."]}


# --- attendance per day -----------------------------------------------------------------------


def training(world, **kwargs):
    m = world.members
    values = {
        "title": "Gestion", "topic": "management", "starts_on": D(2024, 6, 3),
        "ends_on": D(2024, 6, 5), "attended": [m[0].pk, m[1].pk, m[2].pk],
    } | kwargs  # fmt: skip
    return services.training_record(actor=world.manager, cooperative=world.coop, **values)


def attendance_state() -> tuple:
    return (
        sorted(Attendance.objects.values_list("participant__member__person__given_name", "day")),
        sorted(Participant.objects.values_list("member__person__given_name", "certified")),
    )


def test_attendance_per_day_decides_the_certificate(world):
    m = world.members
    t = training(world, days={D(2024, 6, 3): [m[0].pk, m[1].pk, m[2].pk]})
    services.training_day(
        actor=world.manager, training=t, day=D(2024, 6, 4), present=[m[0].pk, m[1].pk]
    )
    services.training_day(actor=world.manager, training=t, day=D(2024, 6, 5), present=[m[0].pk])
    # The same day again with the same women: nothing more.
    services.training_day(actor=world.manager, training=t, day=D(2024, 6, 5), present=[m[0].pk])
    assert Attendance.objects.filter(participant__training=t).count() == 6
    assert services.training_certify(actor=world.manager, training=t, members=[m[0].pk]) == 1
    before = attendance_state()
    errors = refused_unchanged(
        attendance_state, services.training_certify, actor=world.manager, training=t,
        members=[m[0].pk, m[1].pk],
    )  # fmt: skip
    assert errors == {"certified": ["Fanta Coulibaly was present 2 of 3 days; 3 needed."]}
    assert attendance_state() == before
    assert refused_unchanged(
        attendance_state, services.training_day, actor=world.manager, training=t,
        day=D(2024, 6, 5), present=[m[0].pk, m[2].pk],
    ) == {"day": ["The attendance of 2024-06-05 was already recorded."]}  # fmt: skip
    assert refused_unchanged(
        attendance_state, services.training_day, actor=world.manager, training=t,
        day=D(2024, 6, 6), present=[m[0].pk],
    ) == {"days": ["2024-06-06 is not a day of the training (2024-06-03 to 2024-06-05)."]}  # fmt: skip


def test_a_minimum_of_days_certifies_who_came_often_enough(world):
    m = world.members
    t = training(
        world, min_days=2, certified=[m[0].pk, m[1].pk],
        days={D(2024, 6, 3): [m[0].pk, m[1].pk], D(2024, 6, 4): [m[1].pk],
              D(2024, 6, 5): [m[0].pk, m[2].pk]},
    )  # fmt: skip
    assert sorted(t.participants.values_list("member__person__given_name", "certified")) == [
        ("Awa", True), ("Fanta", True), ("Mariam", False),
    ]  # fmt: skip
    assert (t.days_needed, len(t.days)) == (2, 3)
    errors = refused_unchanged(
        attendance_state, services.training_record, actor=world.manager, cooperative=world.coop,
        title="Autre", topic="trade", starts_on=D(2024, 6, 3), ends_on=D(2024, 6, 5),
        attended=[m[0].pk], min_days=4,
    )  # fmt: skip
    assert errors == {"min_days": ["The days needed are 1 to the 3 days of the training."]}
    errors = refused_unchanged(
        attendance_state, services.training_record, actor=world.manager, cooperative=world.coop,
        title="Autre", topic="trade", starts_on=D(2024, 6, 3), ends_on=D(2024, 6, 5),
        attended=[m[0].pk, m[1].pk], min_days=1, certified=[m[1].pk],
        days={D(2024, 6, 3): [m[0].pk]},
    )  # fmt: skip
    assert errors == {"certified": ["Fanta Coulibaly was present 0 of 3 days; 1 needed."]}


def test_without_days_every_participant_was_there_every_day(world):
    m = world.members
    t = training(world, attended=[m[0].pk], certified=[m[0].pk])
    assert list(Attendance.objects.values_list("day", flat=True)) == [
        D(2024, 6, 3), D(2024, 6, 4), D(2024, 6, 5),
    ]  # fmt: skip
    assert t.participants.get().certified is True


def test_the_union_page_shows_dues_owed_and_paid_and_the_board(world, union, cast, client):
    m = world.members
    other = make_world(cast, "b", "Savon B")
    services.union_join(
        actor=other.manager, union=union, cooperative=other.coop, joined_on=D(2024, 1, 15),
        yearly_dues=3000,
    )  # fmt: skip
    world.batch(10)
    world.sale(10, paid=10000)
    services.dues_pay(
        actor=world.manager, member=union.members.get(cooperative=world.coop), year=2024,
        amount=4000, paid_on=D(2024, 6, 21),
    )  # fmt: skip
    admin = cast.user(Role.ADMIN, "above")
    services.board_elect(
        actor=admin, union=union, held_on=D(2023, 7, 1), seats={"president": m[1].pk}
    )
    services.board_elect(
        actor=admin, union=union, held_on=D(2024, 3, 1),
        seats={"president": m[0].pk, "treasurer": other.members[0].pk},
    )  # fmt: skip
    client.force_login(world.manager)
    page = client.get(union.get_absolute_url()).content.decode()
    assert '<dd class="num" id="received">4\xa0000\xa0FCFA</dd>' in page
    fcfa = "{}\xa0FCFA".format
    assert (
        "<strong>Jèkafo masques · 2023</strong><span>owed " + fcfa("12\xa0000") + " · paid "
        + fcfa("0") + " · left " + fcfa("12\xa0000") + "</span>"
    ) in page  # fmt: skip
    assert (
        "<strong>Jèkafo masques · 2024</strong><span>owed " + fcfa("12\xa0000") + " · paid "
        + fcfa("4\xa0000") + " · left " + fcfa("8\xa0000") + "</span>"
    ) in page  # fmt: skip
    assert "Savon B" not in page  # outside the manager's places: neither its dues nor its name
    assert "<dt>President</dt><dd>Awa Coulibaly · Jèkafo masques</dd>" in page
    assert "<dt>Treasurer</dt><dd>a member of a cooperative outside your places</dd>" in page
    assert "Earlier boards elected on July 1, 2023" in page and "Elected on March 1, 2024" in page


def test_dues_and_a_training_by_day_through_the_api(world, union, client):
    m = world.members
    world.batch(10)
    world.sale(10, paid=10000)
    client.force_login(world.manager)
    path = f"/api/v1/cooperatives/{world.coop.pk}"
    body = {"id": str(uuid.uuid4()), "union_id": str(union.pk), "year": 2024, "amount": 6000,
            "paid_on": "2024-06-28"}  # fmt: skip
    post = lambda url, b: client.post(url, b, content_type="application/json")  # noqa: E731
    assert post(f"{path}/union-dues", body).status_code == 201
    assert post(f"{path}/union-dues", body).status_code == 200
    assert post(f"{path}/union-dues", {**body, "amount": 5000}).status_code == 409
    too_much = post(f"{path}/union-dues", {**body, "id": str(uuid.uuid4()), "amount": 6001})
    assert too_much.status_code == 400
    assert (cash.balance(world.coop.pk), union_money.union_balance(union)) == (4000, 6000)
    training_body = {
        "id": str(uuid.uuid4()), "title": "Savon", "topic": "trade", "starts_on": "2024-06-03",
        "ends_on": "2024-06-04", "attended": [str(m[0].pk), str(m[1].pk)], "min_days": 2,
        "days": {"2024-06-03": [str(m[0].pk), str(m[1].pk)], "2024-06-04": [str(m[0].pk)]},
        "certified": [str(m[0].pk)],
    }  # fmt: skip
    assert post(f"{path}/trainings", training_body).status_code == 201
    assert sorted(Participant.objects.values_list("member__person__given_name", "certified")) == [
        ("Awa", True), ("Fanta", False),
    ]  # fmt: skip
    assert Attendance.objects.count() == 3


def test_a_dues_payment_sent_twice_at_once_is_read_again_under_the_lock(world, union, monkeypatch):
    """Two devices send one payment: the second waits on the cooperative lock while the first
    writes. Simulated here by writing the first while the second takes the lock: the second
    then finds it (a replay, not a duplicate key), and other content under its id is a
    conflict, nothing written twice."""
    world.batch(30)
    world.sale(30, paid=30000)
    member = union.members.get()
    payment_id = uuid.uuid4()
    values = {"member": member, "year": 2024, "amount": 5000, "paid_on": D(2024, 6, 21)}
    real_lock = union_money.lock_cooperative
    first: list = []

    def lock_while_the_other_device_writes(cooperative_id):
        if not first:
            monkeypatch.setattr(union_money, "lock_cooperative", real_lock)
            first.append(services.dues_pay(actor=world.manager, id=payment_id, **values))
        return real_lock(cooperative_id)

    monkeypatch.setattr(union_money, "lock_cooperative", lock_while_the_other_device_writes)
    second = services.dues_pay(actor=world.manager, id=payment_id, **values)
    assert (second.pk, second.amount, second.cash_entry_id) == (
        payment_id, 5000, first[0].cash_entry_id,
    )  # fmt: skip
    assert DuesPayment.objects.count() == 1
    assert list(CashEntry.objects.filter(kind="dues").values_list("amount", flat=True)) == [-5000]
    monkeypatch.setattr(union_money, "lock_cooperative", lock_while_the_other_device_writes)
    first.clear()
    with pytest.raises(Conflict):
        services.dues_pay(actor=world.manager, id=payment_id, **{**values, "amount": 4000})
    assert DuesPayment.objects.count() == 1
    assert list(CashEntry.objects.filter(kind="dues").values_list("amount", flat=True)) == [-5000]


def test_dues_lower_the_surplus_of_their_period_by_exactly_their_amount(world, union):
    """Cash basis: dues count in the period they were paid in (whatever year they are for),
    as money spent, like purchases and expenses; payouts share what is left."""
    world.batch(30)
    world.sale(30, paid=30000)  # received 30 000; inputs bought 15 000 (conftest)
    before = cash.plan(world.coop, ends_on=D(2024, 6, 30), rule="equal")
    assert (before.received, before.spent, before.surplus) == (30000, 15000, 15000)
    services.dues_pay(
        actor=world.manager, member=union.members.get(), year=2023, amount=4000,
        paid_on=D(2024, 6, 25),
    )  # fmt: skip
    # Paid on 25 June: a period ending the day before does not see them.
    earlier = cash.plan(world.coop, ends_on=D(2024, 6, 24), rule="equal")
    assert (earlier.spent, earlier.surplus) == (15000, 15000)
    close = services.period_close(
        actor=world.manager, cooperative=world.coop, ends_on=D(2024, 6, 30), rule="equal"
    )
    assert (close.received, close.spent, close.surplus) == (30000, 19000, 11000)
    assert before.surplus - close.surplus == 4000
    assert sorted(close.payouts.values_list("amount", flat=True)) == [3666, 3666, 3666]
    assert (close.shared, close.remainder) == (10998, 2)
    assert cash.balance(world.coop.pk) == 15000 + 15000 - 4000 - 10998  # capital + surplus


def test_one_election_id_sent_at_once_for_two_unions_is_a_conflict(world, union, cast, monkeypatch):
    """Two devices send an election under one id for two unions at the same moment: each locks
    its own union and finds no election with that id. Simulated by electing the other union's
    board just before this one's insert: this one meets the id there and answers a conflict
    (409), not a database error."""
    admin = cast.user(Role.ADMIN, "above")
    other = services.union_create(
        actor=admin, place=cast.cercle, name="Union de Sikasso", formed_on=D(2023, 6, 1)
    )
    sikasso = make_world(cast, "b", "Savon B")
    services.union_join(
        actor=sikasso.manager, union=other, cooperative=sikasso.coop, joined_on=D(2023, 7, 1)
    )
    election_id = uuid.uuid4()
    real_save = BoardElection.save

    def the_other_device_inserts_first(self, *args, **kwargs):
        monkeypatch.setattr(BoardElection, "save", real_save)
        services.board_elect(
            actor=admin, union=other, held_on=self.held_on,
            seats={"president": sikasso.members[0].pk}, id=election_id,
        )  # fmt: skip
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(BoardElection, "save", the_other_device_inserts_first)
    with pytest.raises(Conflict) as refused:
        services.board_elect(
            actor=admin, union=union, held_on=D(2024, 3, 1),
            seats={"president": world.members[0].pk}, id=election_id,
        )  # fmt: skip
    assert refused.value.message == "A different board election was already sent with this id."
    # The other device's election was written inside this one's transaction (one connection in
    # a test), so it went with it: nothing is left half written.
    assert board_state() == (0, 0)
