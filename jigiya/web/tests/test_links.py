"""A user never meets a link that leads to a page they may not open: for every role, every
link on every page the role opens (the access matrix's routes, in Community A) answers
something other than 403 to that role."""

import re
from html import unescape

import pytest

from jigiya.accounts.roles import Role
from jigiya.web.tests.test_access_matrix import PUBLIC, ROUTES, _url

HREF = re.compile(r'<a\s[^>]*href="([^"#]*)"')
NOT_PAGES = ("/static/", "/i18n/", "/accounts/logout/", "/api/")


def _links(body: str) -> set[str]:
    return {
        unescape(href)
        for href in HREF.findall(body)
        if href.startswith("/") and not href.startswith("//") and not href.startswith(NOT_PAGES)
    }


@pytest.mark.parametrize("role", list(Role))
def test_every_link_on_a_page_the_role_opens_opens_for_it(role, cast, client):
    client.force_login(cast.user(role, "a"))
    links: dict[str, str] = {}  # link → the page it was found on
    for name, route in ROUTES:
        if name in PUBLIC:
            continue
        page = _url(route, cast, "a")
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            links.setdefault(link, page)
    refused = sorted(
        f"{page} → {link}" for link, page in links.items() if client.get(link).status_code == 403
    )
    assert len(links) >= 3  # every role opens the home page and finds its links
    assert refused == [], "\n".join(refused)
