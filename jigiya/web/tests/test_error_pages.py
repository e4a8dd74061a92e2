"""Every error page is Jigiya's own, in the user's language, whatever DEBUG says: 400, 403,
404 (no route, or a view's), 405, 413, 500 and a form without its CSRF token."""

import uuid

import pytest
from django.conf import settings
from django.test import Client

from jigiya.accounts.roles import Role

DJANGO_DEBUG_PAGE = "DEBUG = True"  # Django's technical pages say so

# status → (English heading, French heading); None where the French catalogue is the lead's
HEADINGS = {
    400: ("Bad request", "Requête incorrecte"),
    403: ("Not allowed", "Non autorisé"),
    404: ("Not found", "Page introuvable"),
    405: ("Not possible this way", None),
    413: ("Too much sent", "Envoi trop volumineux"),
    500: ("Server error", None),
    "csrf": ("Form expired", "Formulaire expiré"),
}


def _client(cast, language, **kwargs):
    client = Client(**kwargs)
    client.force_login(cast.user(Role.CHW, "a"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _responses(cast, language, monkeypatch):
    client = _client(cast, language)
    yield 400, client.get("/followup/?day=nonsense")
    yield 403, client.get("/accounts/audit/")
    yield 404, client.get("/nowhere/")
    yield 404, client.get(f"/registry/households/{uuid.uuid4()}/")
    yield 405, client.get("/accounts/logout/")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    yield 413, client.post("/followup/", "x" * (limit + 1), content_type="text/plain")
    failing = _client(cast, language, raise_request_exception=False)
    monkeypatch.setattr(
        "jigiya.web.views.assignment_list", lambda **_kw: (_ for _ in ()).throw(RuntimeError)
    )
    yield 500, failing.get("/")
    csrf = _client(cast, language, enforce_csrf_checks=True)
    yield "csrf", csrf.post("/accounts/me/", {"language": "fr"})


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_error_page_is_jigiyas_in_the_users_language(
    cast, settings, monkeypatch, debug, language
):
    settings.DEBUG = debug
    seen = []
    for kind, response in _responses(cast, language, monkeypatch):
        status = 403 if kind == "csrf" else kind
        body = response.content.decode()
        english, french = HEADINGS[kind]
        heading = english if language == "en" else french
        seen.append(kind)
        assert response.status_code == status, kind
        assert f'<html lang="{language}">' in body, kind
        assert DJANGO_DEBUG_PAGE not in body and "Traceback" not in body, kind
        assert 'class="brand"' in body, kind  # Jigiya's layout
        if heading:
            assert f"<h1>{heading}</h1>" in body, kind
    assert seen == [400, 403, 404, 404, 405, 413, 500, "csrf"]
