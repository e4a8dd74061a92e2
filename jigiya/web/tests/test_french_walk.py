"""Every page in French, as every demo login, over the demo world (issue 15): no English word, no
untranslated string, French typography.

The routes are discovered as the access matrix discovers them, so a page added later is walked
without anyone remembering to. One object per path parameter (`MODELS`), taken from the demo
world; the administrator opens every page, the other logins every page they may open (a page
refused to them is skipped here, the access matrix checks refusals). A page fails on:

- a known English word in its visible text (`ENGLISH`: text nodes, and the attributes a person
  reads: placeholder, title, aria-label, alt, a button's value);
- a msgid of the French catalogue whose translation differs, shown as is (`untranslated`);
- a colon glued to the word before it ("Nom:"), where French puts a space ("Nom :").
"""

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from jigiya.accounts.demo import DEMO_USERS
from jigiya.accounts.models import User
from jigiya.core.management.commands.compilemessages_py import locale_dir
from jigiya.web.tests.test_access_matrix import PARAM, ROUTES

# Path parameter → the model whose first demo object stands for it.
MODELS = {
    "approval_id": "savings.Approval",
    "assessment_id": "quality.Assessment",
    "assignment_id": "accounts.Assignment",
    "claim_id": "care.Claim",
    "close_id": "cooperatives.PeriodClose",
    "cooperative_id": "cooperatives.Cooperative",
    "coverage_id": "care.Coverage",
    "cycle_id": "savings.Cycle",
    "delivery_id": "cooperatives.Delivery",
    "dhis2_element_id": "interop.DataElementMapping",
    "dhis2_org_unit_id": "interop.OrgUnitMapping",
    "dhis2_push_id": "interop.Dhis2Push",
    "dhis2_server_id": "interop.Dhis2Server",
    "donor_id": "donors.Donor",
    "enrollment_id": "registry.Enrollment",
    "entry_id": "savings.Entry",
    "funding_id": "donors.Funding",
    "group_id": "savings.Group",
    "health_center_id": "places.HealthCenter",
    "household_id": "registry.Household",
    "item_id": "quality.ActionItem",
    "line_id": "care.CareLine",
    "loan_id": "savings.Loan",
    "meeting_id": "savings.Meeting",
    "member_id": "places.BoardMember",
    "membership_id": "savings.Membership",
    "order_id": "cooperatives.Order",
    "payment_id": "care.PaymentEntry",
    "person_id": "registry.Person",
    "place_id": "places.Place",
    "pregnancy_id": "registry.Pregnancy",
    "project_id": "quality.Project",
    "referral_id": "followup.Referral",
    "sale_id": "cooperatives.Sale",
    "scheme_id": "care.Scheme",
    "token_id": "accounts.ApiToken",
    "user_id": "accounts.User",
    "visit_id": "followup.Visit",
}
# Pages that are not HTML for a person, or that end the session.
NOT_WALKED = {"accounts:logout", "healthz"}

# English a French page must never show, matched as whole words, case-sensitively (a name such
# as "Grace Miller" or a code such as "WAZ" is not in the list).
ENGLISH = [
    *("green", "yellow", "red", "Green", "Yellow", "Red", "orange dashes"),
    *("median", "Median", "None", "True", "False", "null", "N/A"),
    *("January", "February", "March", "April", "June", "July", "August"),
    *("September", "October", "November", "December"),
    *("Jan", "Feb", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Dec", "Jui", "jui"),
    *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    *("the", "The", "and", "with", "from", "of", "for", "this", "This", "Yes", "yes"),
    *("Save", "Cancel", "Back", "Next", "Previous", "Search", "Delete", "Edit", "Submit"),
    *("Close", "Open", "open", "closed", "overdue", "due", "days", "months", "years", "ago"),
    *("child", "children", "visit", "visits", "referral", "referrals", "weight", "height"),
    *("female", "male", "Female", "Male", "unknown", "Unknown", "other", "Other"),
    *("pending", "approved", "rejected", "active", "inactive", "draft", "sent", "failed"),
]
# Whole words, not a piece of a code ("health.visits", "jigiya-demo") or of a name.
WORD = r"(?<![\w'’.-])({})(?![\w'’-]|\.\w)"
ENGLISH_WORD = re.compile(WORD.format("|".join(map(re.escape, ENGLISH))))
# A colon right after a letter, then a space or the end: "Nom:" (not "10:30", not "https:").
GLUED_COLON = re.compile(r"[^\W\d_]{2,}:(?=\s|$)")
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]|\{[^}]*\}|<[^>]+>")
READABLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
HIDDEN_ELEMENTS = {"script", "style", "template", "code", "pre", "svg"}


class VisibleText(HTMLParser):
    """The text a person reads: text nodes outside scripts, styles and code, and the readable
    attributes. An SVG's <text> labels are read too (they are printed on charts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS and tag != "svg":
            self.hidden.append(tag)
        if tag == "text":  # an SVG label
            self.hidden.append("")
        values = dict(attrs)
        self.parts += [v for k, v in attrs if k in READABLE_ATTRIBUTES and v]
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and (tag in HIDDEN_ELEMENTS or tag == "text"):
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden or self.hidden[-1] == "":
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(part.strip() for part in parser.parts if part.strip())


def untranslated_msgids() -> re.Pattern[str]:
    """The French catalogue's source strings that French changes, as one pattern: each msgid
    whole, or for a msgid with placeholders, its longest piece of three words or more."""
    pieces = set()
    po = polib.pofile(str(locale_dir() / "fr" / "LC_MESSAGES" / "django.po"), wrapwidth=0)
    for entry in po:
        if entry.obsolete or entry.msgid_plural or not entry.msgstr:
            continue
        longest = max(PLACEHOLDER.split(entry.msgid), key=len).strip(" .,:;()")
        placeholders = PLACEHOLDER.search(entry.msgid) is not None
        if placeholders and len(longest.split()) < 3:
            continue
        if longest in entry.msgstr or len(longest) < 4 or not re.search(r"[a-z]", longest):
            continue
        if len(longest.split()) == 1 and longest.lower() in FRENCH_TOO:
            continue
        pieces.add(longest)
    ordered = sorted(pieces, key=len, reverse=True)
    return re.compile(WORD.format("|".join(map(re.escape, ordered))))


# Single English msgids that are also French words a page may rightly show ("Menu principal",
# "en service", "Score de progrès"), and the language switcher's "English".
FRENCH_TOO = {"principal", "service", "score", "correct", "english"}


def _problems(url: str, html: str, msgids: re.Pattern[str]) -> list[str]:
    text = visible_text(html)
    found = [f"{url}: English {word!r}" for word in sorted(set(ENGLISH_WORD.findall(text)))]
    found += [f"{url}: untranslated {m!r}" for m in sorted(set(msgids.findall(text)))]
    found += [f"{url}: no space before ':' in {m!r}" for m in sorted(set(GLUED_COLON.findall(text)))]
    return found


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """The demo world, rolled back after the module, and one object id per path parameter."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            objects = {}
            for param, label in MODELS.items():
                first = apps.get_model(label).objects.order_by("pk").first()
                objects[param] = str(first.pk) if first else ""
            yield objects
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _walk(client: Client, objects: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(url, html) of every page this client may open."""
    for name, route in ROUTES:
        params = PARAM.findall(route)
        if name in NOT_WALKED or any(not objects[p] for p in params):
            continue
        url = "/" + PARAM.sub(lambda match: objects[match.group(1)], route)
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            yield url, response.content.decode()


def test_every_path_parameter_has_a_demo_model() -> None:
    assert {p for _name, route in ROUTES for p in PARAM.findall(route)} <= set(MODELS)


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_page_is_in_french(username: str, demo_world: dict[str, str], db: Any) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    msgids = untranslated_msgids()
    problems: list[str] = []
    walked = 0
    try:
        for url, html in _walk(client, demo_world):
            walked += 1
            problems += _problems(url, html, msgids)
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert walked >= 10, f"{username} opened only {walked} pages"
    assert problems == []


def test_the_walk_sees_english_and_untranslated_strings() -> None:
    """The checks themselves: a page with an English band, a msgid left as is and "Nom:"."""
    msgids = untranslated_msgids()
    html = (
        '<p>PB 118 mm <span class="badge">yellow</span></p><script>var open = 1;</script>'
        '<input placeholder="Search by name"><p>Nom: Awa</p><p>Grace Miller · 10:30</p>'
    )
    assert _problems("/x", html, msgids) == [
        "/x: English 'yellow'",
        "/x: untranslated 'Search by name'",
        "/x: no space before ':' in 'Nom:'",
    ]
