"""Bounds on DHIS2's settings and periods (issue 11): a password Jigiya keeps for DHIS2 at
most 256 characters; no month before the program's start is sent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jigiya.core.models import AuditEntry
from jigiya.core.periods import Month
from jigiya.interop import services
from jigiya.interop.models import Dhis2Push, Dhis2Server


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _server(admin_user, place, password):
    return services.server_create(
        actor=admin_user, name="X", place=place, base_url="https://dhis2.example.org",
        username="u", password=password,
    )  # fmt: skip


def test_a_password_over_256_characters_is_refused(cast, admin_user):
    before = (Dhis2Server.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        _server(admin_user, cast.country, "p" * 257)
    assert refused.value.message_dict == {
        "password": ["The password has 257 characters; at most 256 are allowed."]
    }
    assert (Dhis2Server.objects.count(), AuditEntry.objects.count()) == before
    server = _server(admin_user, cast.country, "p" * 256)
    with pytest.raises(ValidationError) as refused:
        services.server_update(
            actor=admin_user, server=server, name="X", base_url="https://dhis2.example.org",
            username="u", password="p" * 257, id_scheme="uid", timeout=30,
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["password"]


def test_a_month_before_the_program_is_not_sent(world, admin_user, settings):
    settings.PROGRAM_START_DATE = datetime.date(2024, 11, 15)
    with pytest.raises(ValidationError) as refused:
        services.dhis2_push(actor=admin_user, server=world.server, month=Month(2024, 10))
    assert refused.value.message_dict == {
        "period": ["2024-10 is before the start of the program (2024-11)."]
    }
    assert Dhis2Push.objects.count() == 0
