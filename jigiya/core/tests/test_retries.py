"""Safe retries: the same content twice is one record; other content under the same id is a
conflict; the API answers 201 then 200 with the body it is given."""

import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine

from jigiya.core.errors import Conflict
from jigiya.core.retries import created_or_replayed, fingerprint, replay, was_replayed
from jigiya.places.models import Place, PlaceKind

MALI = uuid.UUID("6f1c1c36-3c8e-4a53-9a39-2b7d1f0a8c11")


def test_a_fingerprint_depends_on_the_content_not_on_key_order() -> None:
    day, amount = datetime.date(2026, 3, 14), Decimal("11.2")

    first = fingerprint(day=day, amount=amount, people=[str(MALI)])

    assert first == fingerprint(people=[str(MALI)], amount=amount, day=day)
    assert first != fingerprint(day=day, amount=Decimal("11.3"), people=[str(MALI)])
    assert len(first) == 64


@pytest.mark.django_db
def test_replay_returns_the_stored_record_for_the_same_content() -> None:
    Place.objects.create(id=MALI, kind=PlaceKind.COUNTRY, name="Mali", code="ML")

    again = replay(Place, MALI, {"name": "Mali", "code": "ML"})

    assert again is not None and again.pk == MALI and was_replayed(again)
    assert replay(Place, uuid.uuid4(), {"name": "Mali"}) is None
    assert replay(Place, None, {"name": "Mali"}) is None


@pytest.mark.django_db
def test_other_content_under_the_same_id_is_a_conflict_and_changes_nothing() -> None:
    Place.objects.create(id=MALI, kind=PlaceKind.COUNTRY, name="Mali", code="ML")

    with pytest.raises(Conflict):
        replay(Place, MALI, {"name": "Mali", "code": "SN"})

    assert list(Place.objects.values_list("pk", "code")) == [(MALI, "ML")]


@pytest.mark.django_db
def test_the_api_answers_201_for_a_new_record_and_200_for_a_replay_with_the_body_given() -> None:
    place = Place.objects.create(id=MALI, kind=PlaceKind.COUNTRY, name="Mali", code="ML")
    body = {"id": str(MALI)}

    created = created_or_replayed(place, body)
    replayed = created_or_replayed(replay(Place, MALI, {"code": "ML"}), body)

    assert (created.status_code, created.value) == (201, body)
    assert (replayed.status_code, replayed.value) == (200, body)


def test_the_time_a_phone_made_a_record_is_kept_unless_it_is_not_a_time_or_ahead():
    from jigiya.core.forms import MadeAtField
    from jigiya.core.retries import made_on_phone

    utc = datetime.UTC
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0, tzinfo=utc), tick=False):
        assert made_on_phone("2025-06-08T07:15:00Z") == datetime.datetime(
            2025, 6, 8, 7, 15, tzinfo=utc
        )
        assert made_on_phone("2025-06-08T07:15:00") == datetime.datetime(
            2025, 6, 8, 7, 15, tzinfo=utc
        )
        assert made_on_phone("2030-01-01T00:00:00Z") == datetime.datetime(
            2025, 6, 10, 9, 0, tzinfo=utc
        )
        assert made_on_phone("yesterday") is None
        assert made_on_phone("2025-13-45T99:00:00Z") is None
        assert made_on_phone(None) is None
        field = MadeAtField()
        assert field.clean("") is None
        assert field.clean("x" * 41) is None
        assert field.clean("2025-06-08T07:15:00.123Z") == datetime.datetime(
            2025, 6, 8, 7, 15, 0, 123000, tzinfo=utc
        )
