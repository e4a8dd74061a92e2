"""Safe retries: the same content twice is one record; other content under the same id is a
conflict; the API answers 201 then 200 with the body it is given."""

import datetime
import uuid
from decimal import Decimal

import pytest

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
