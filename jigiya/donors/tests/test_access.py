"""The access matrix, for this app's pages only (the project-wide matrix covers them too): only
donor managers open them, and never for a donor or funding of another place."""

import pytest

from jigiya.accounts.roles import Role
from jigiya.web.tests.test_access_matrix import OUTSIDE_TEXT, PARAM, ROUTES, _url

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
def test_managers_open_them_inside_others_never(role, cast, client):
    client.force_login(cast.user(role, "a"))
    expected = 200 if role in MANAGERS else 403
    problems = []
    for name, route in MINE:
        response = client.get(_url(route, cast, "a"))
        if response.status_code != expected:
            problems.append(f"GET {name} inside → {response.status_code}")
        body = response.content.decode(errors="replace")
        problems += [f"{name} shows {text!r}" for text in OUTSIDE_TEXT if text in body]
        if PARAM.search(route):
            for method in ("get", "post"):
                response = getattr(client, method)(_url(route, cast, "b"), {})
                if response.status_code not in (403, 404, 405):
                    problems.append(f"{method.upper()} {name} outside → {response.status_code}")
    assert problems == []
