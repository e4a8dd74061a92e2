import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.places import services as places
from jigiya.quality import scorecard, selectors


@pytest.fixture(autouse=True)
def fixed_today():
    """Every quality test runs on 2025-06-30."""
    with time_machine.travel(datetime.datetime(2025, 6, 30, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def english(client):
    """Messages compared in English, the source language, whatever the catalogue says: the
    services' (translation.override) and the pages' (they follow the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def coach(cast):
    return cast.user(Role.QI_COACH, "a")


@pytest.fixture
def version(admin_user):
    """The transparency and accountability instrument the migration ships (version 1)."""
    return scorecard.ensure(actor=admin_user)


@pytest.fixture
def criteria(version):
    return {c.key: c for c in selectors.version_criteria(version)}


@pytest.fixture
def national(admin_user):
    """An administrator of the whole country: instruments are configured nationally."""
    return admin_user


def assembly(cast, admin, day):
    return places.assembly_record(
        actor=admin,
        asaco=cast.asaco_a,
        held_on=day,
        attendance=40,
        women_attending=20,
        decisions="Budget adopté.",
    )
