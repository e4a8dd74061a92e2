"""The access matrix, for this app's pages only (the project-wide matrix covers them too; this
one keeps them checked while other apps are half-built)."""

import pytest

from jigiya.accounts.roles import Role
from jigiya.web.tests.test_access_matrix import OUTSIDE_TEXT, PARAM, ROUTES, _url

MINE = [(name, route) for name, route in ROUTES if name.startswith("indicators:")]


def test_every_page_is_discovered():
    assert len(MINE) == 17  # donor management: the donors app's (jigiya/donors/tests)


def test_anonymous_visitors_are_sent_to_login(cast, client):
    for name, route in MINE:
        response = client.get(_url(route, cast, "a"))
        assert response.status_code == 302, name


@pytest.mark.parametrize("role", list(Role))
def test_inside_pages_open_or_refuse_cleanly_and_outside_ones_never_show(role, cast, client):
    client.force_login(cast.user(role, "a"))
    problems = []
    for name, route in MINE:
        response = client.get(_url(route, cast, "a"))
        if response.status_code not in (200, 403):
            problems.append(f"GET {name} inside → {response.status_code}")
        body = response.content.decode(errors="replace")
        problems += [f"{name} shows {text!r}" for text in OUTSIDE_TEXT if text in body]
        if PARAM.search(route):
            for method in ("get", "post"):
                response = getattr(client, method)(_url(route, cast, "b"), {})
                if response.status_code not in (403, 404, 405):
                    problems.append(f"{method.upper()} {name} outside → {response.status_code}")
    assert problems == []
