"""This app's pages in the access matrix (`jigiya/web/tests/test_access_matrix.py`, which also
checks that no role ever opens or changes them for a donor or funding of another place): they
stay at their addresses, and inside their places only donor managers open them."""

import pytest

from jigiya.accounts.roles import Role
from jigiya.web.tests.test_access_matrix import ROUTES, _url

MINE = [(name, route) for name, route in ROUTES if name.startswith("donors:")]
MANAGERS = {Role.ADMIN, Role.PROGRAM_MANAGER}


def test_every_page_is_discovered_at_its_address():
    assert sorted(route for _name, route in MINE) == [
        "indicators/donors/<uuid:donor_id>/edit/",
        "indicators/donors/<uuid:donor_id>/fundings/new/",
        "indicators/donors/<uuid:donor_id>/manage/",
        "indicators/donors/<uuid:donor_id>/users/new/",
        "indicators/donors/manage/",
        "indicators/donors/manage/new/",
        "indicators/fundings/<uuid:funding_id>/end/",
    ]


@pytest.mark.parametrize("role", list(Role))
def test_inside_their_places_only_managers_open_them(role, cast, client):
    client.force_login(cast.user(role, "a"))
    expected = 200 if role in MANAGERS else 403
    statuses = {name: client.get(_url(route, cast, "a")).status_code for name, route in MINE}
    assert statuses == {name: expected for name, _route in MINE}
