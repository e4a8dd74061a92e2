"""Every page in French, as every role (issue 15): no English word, no untranslated string,
French typography.

The routes are discovered as the access matrix discovers them, and their objects made by each
app's `tests/access.py` (one object per path parameter), so a page added later is walked without
anyone remembering to. A visit with a measured child is added, so the values a page shows from
the data (a MUAC band, a danger sign, a missing vaccine) are walked too, not only its labels. The
world's names are made Malian first: "Household a" would read as English. Every role opens every
page it may; a page refused to it is skipped here (the access matrix checks refusals). A page
fails on:

- a known English word in its visible text (`ENGLISH`: text nodes, and the attributes a person
  reads: placeholder, title, aria-label, alt, a button's value);
- a msgid of the French catalogue whose translation differs, shown as is (`untranslated`);
- a colon glued to the word before it ("Nom:"), where French puts a space ("Nom :").
"""

import datetime
import functools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.core.management.commands.compilemessages_py import locale_dir
from jigiya.followup.models import ChildAssessment, MuacBand, Visit
from jigiya.registry.models import Person
from jigiya.registry.tests.access import household
from jigiya.web.tests.test_access_matrix import OBJECTS, PARAM, ROUTES

# Pages that are not HTML for a person, or that end the session.
NOT_WALKED = {"accounts:logout", "healthz"}

# English a French page must never show, matched as whole words, case-sensitively (a name such
# as "Grace Miller" or a code such as "WAZ" is not in the list).
ENGLISH = [
    *("green", "yellow", "red", "Green", "Yellow", "Red", "orange dashes"),
    *("MUAC", "median", "Median", "None", "True", "False", "null", "N/A"),
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
WORD = r"(?<![\w'\u2019.-])({})(?![\w'\u2019-]|\.\w)"
ENGLISH_WORD = re.compile(WORD.format("|".join(map(re.escape, ENGLISH))))
# A colon right after a letter, then a space or the end: "Nom:" (not "10:30", not "https:").
GLUED_COLON = re.compile(r"[^\W\d_]{2,}:(?=\s|$)")
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]|\{[^}]*\}|<[^>]+>")
READABLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
HIDDEN_ELEMENTS = {"script", "style", "template", "code", "pre"}


class VisibleText(HTMLParser):
    """The text a person reads: text nodes outside scripts, styles and code, and the readable
    attributes. An SVG's <text> labels are read too (they are printed on charts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
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


@functools.cache
def untranslated_msgids() -> tuple[str, ...]:
    """The French catalogue's source strings that French changes: each msgid whole, or for a
    msgid with placeholders, its longest piece of three words or more."""
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
    return tuple(sorted(pieces))


def untranslated_in(text: str) -> list[str]:
    """The msgids shown as is in `text`, whole words only, a msgid inside a longer one found
    there counted once. A plain substring test first: a regex of 2 500 alternatives per page
    would cost seconds."""
    found = [
        piece
        for piece in untranslated_msgids()
        if piece in text and re.search(WORD.format(re.escape(piece)), text)
    ]
    return [
        piece for piece in found if not any(piece != other and piece in other for other in found)
    ]


# Single English msgids that are also French words a page may rightly show ("Menu principal",
# "en service", "Score de progrès", "Note", "sur place"), and the language switcher's "English".
FRENCH_TOO = {"principal", "service", "score", "correct", "note", "place", "english"}


def _problems(url: str, html: str) -> list[str]:
    text = visible_text(html)
    english = sorted(set(ENGLISH_WORD.findall(text)))
    found = [f"{url}: English {word!r}" for word in english]
    found += [f"{url}: untranslated {m!r}" for m in untranslated_in(text) if m not in english]
    found += [
        f"{url}: no space before ':' in {m!r}" for m in sorted(set(GLUED_COLON.findall(text)))
    ]
    return found


NAMES = {"name", "full_name"}


def _malian_names() -> None:
    """The access objects are named for the tests' English readers ("Household a", "Community
    A"): give each a Malian name, so that only the pages' own words are judged."""
    for number, model in enumerate(apps.get_models()):
        if not model.__module__.startswith("jigiya.") or model._meta.proxy:
            continue
        for field in model._meta.fields:
            if field.name not in NAMES or not isinstance(field, models.CharField) or field.choices:
                continue
            for row, pk in enumerate(model.objects.values_list("pk", flat=True)):
                model.objects.filter(pk=pk).update(**{field.name: f"Kalaban {number}-{row}"})
    Person.objects.update(given_name="Awa", family_name="Diarra")


def _measured_child(visit: Visit, cast: Any) -> None:
    """A child seen at the visit: a yellow MUAC, a danger sign and a vaccine missing."""
    child = Person.objects.create(
        household=household(cast, "a"),
        given_name="Fanta",
        family_name="Diarra",
        sex="F",
        relationship="child",
        birth_date=visit.date - datetime.timedelta(days=400),
        name_key="fanta diarra",
    )
    ChildAssessment.objects.create(
        visit=visit,
        person=child,
        weight_kg=8.4,
        height_cm=74.0,
        muac_mm=120,
        muac_band=MuacBand.YELLOW,
        danger_signs=["long_cough"],
        vaccines_missing=["mr1"],
    )


@pytest.fixture
def world(cast: Any) -> dict[str, str]:
    """The access matrix's objects of Community A, one id per path parameter, named in Malian."""
    objects = {param: str(make(cast, "a")) for param, make in OBJECTS.items()}
    _measured_child(Visit.objects.get(pk=objects["visit_id"]), cast)
    _malian_names()
    return objects


def _walk(client: Client, objects: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(url, html) of every page this client may open."""
    for name, route in ROUTES:
        if name in NOT_WALKED:
            continue
        url = "/" + PARAM.sub(lambda match: objects[match.group(1)], route)
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            yield url, response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_every_page_is_in_french(role: Role, cast: Any, world: dict[str, str]) -> None:
    client = Client()
    client.force_login(cast.user(role, "a"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    problems: list[str] = []
    walked = 0
    try:
        for url, html in _walk(client, world):
            walked += 1
            problems += _problems(url, html)
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert walked >= 5, f"{role} opened only {walked} pages"
    assert not problems, "\n".join(problems)


def test_the_walk_sees_english_and_untranslated_strings() -> None:
    """The checks themselves: a page with an English band, a msgid left as is and "Nom:"."""
    html = (
        '<p>PB 118 mm <span class="badge">yellow</span></p><script>var open = 1;</script>'
        '<input placeholder="Household name"><p>Nom: Awa</p><p>Grace Miller · 10:30</p>'
        "<p>health.visits · Menu principal · 3 juil. 2026</p>"
    )
    assert _problems("/x", html) == [
        "/x: English 'yellow'",
        "/x: untranslated 'Household name'",
        "/x: no space before ':' in 'Nom:'",
    ]
