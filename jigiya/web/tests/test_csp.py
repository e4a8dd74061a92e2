"""The Content-Security-Policy: on every page, strict, and nothing inline that it would block."""

import re
from pathlib import Path

import pytest
from django.test import Client

from jigiya.accounts.roles import Role

JIGIYA = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(JIGIYA.glob("*/templates/**/*.html"))
# Python that writes HTML (charts, widgets): everything but tests and migrations.
HTML_WRITERS = sorted(
    path
    for path in JIGIYA.glob("**/*.py")
    if "tests" not in path.parts and "migrations" not in path.parts
)

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE = re.compile(r"<style\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
NONCE = 'nonce="{{ request.csp_nonce }}"'


def _policy(response):
    """Directive → its sources, as one string."""
    directives = response["Content-Security-Policy"].split("; ")
    return {name: sources for name, _space, sources in (d.partition(" ") for d in directives)}


def test_pages_carry_a_strict_policy(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no nonce asked for: no inline script on the page
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_the_api_and_error_pages_carry_it_too(db):
    assert "Content-Security-Policy" in Client().get("/api/v1/me")
    assert "Content-Security-Policy" in Client().get("/accounts/no-such-page/")


def test_an_inline_style_carries_the_nonce_of_its_response(cast):
    client = Client()
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "above"))
    response = client.get("/indicators/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["style-src"]).group(1)
    styles = STYLE.findall(response.content.decode())
    assert styles == [f' nonce="{nonce}"']


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(JIGIYA)))
def test_no_template_has_an_inline_script_handler_or_style_attribute(path):
    text = path.read_text()
    for attributes in SCRIPT.findall(text):
        # JSON data blocks are not run; anything else comes from a file or carries the nonce.
        assert "src=" in attributes or NONCE in attributes or "application/json" in attributes
    for attributes in STYLE.findall(text):
        assert NONCE in attributes
    assert not HANDLER.search(text), "an on…= handler: bind it in a static script"
    assert not STYLE_ATTRIBUTE.search(text), "a style= attribute: use a class in jigiya.css"


def test_no_python_writes_inline_scripts_or_styles():
    offenders = [
        str(path.relative_to(JIGIYA))
        for path in HTML_WRITERS
        if re.search(r"<script\b(?![^>]*\bsrc=)|<style\b|\sstyle=\\?[\"']", path.read_text())
    ]
    assert offenders == []
