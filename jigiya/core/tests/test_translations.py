"""The catalogues: French complete, every .mo compiled from its .po, placeholders kept.

When one of these fails after new strings were added: run `make messages`, translate the new
French entries in jigiya/locale/fr/LC_MESSAGES/django.po, then `make messages` again.
"""

import gettext
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from jigiya.core.management.commands.compilemessages_py import compile_po, locale_dir, po_files

LANGUAGES = ["fr", "en", "bm"]
HOW_TO_FIX = "run `make messages`, translate, then `make messages` again"

# `%(name)s`, `%s`, `%d`, `%%`… as Python's %-formatting reads them.
PERCENT_FORMAT = re.compile(r"%(?:\(\w+\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
NAMED = re.compile(r"%\(\w+\)")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")

# Msgids looked up below go through names, never as literals in a gettext() call, so that
# `makemessages` never extracts anything from this file.
HOME, AUDIT_TRAIL, LOG_OUT = "Home", "Audit trail", "Log out"
PLACE_COUNT = ("%(counter)s place", "%(counter)s places")

# What a CHW, a savings-group facilitator or a health-center worker sees on a phone.
BAMBARA_FIELD_WORDS = [
    "Home",
    "Places",
    "Your places",
    "Log in",
    "Log out",
    "Username",
    "Password",
    "Language",
    "Change",
    "Hello, %(name)s",
    "Your roles",
    "Programs",
    "Save",
    "Search",
    "Next",
    "Previous",
    "Community health worker",
    "CHW supervisor",
    "Savings group facilitator",
    "Cooperative manager",
    "Health center staff",
    "Country",
    "Region",
    "Commune",
    "Community",
    "Health center",
    "Community health",
    "Health savings groups",
    "Cooperatives",
    "Health-center quality and governance",
    "Female",
    "Male",
]


@pytest.fixture(autouse=True)
def _restore_active_language() -> Iterator[None]:
    """A request through the test client leaves its language active in the thread: put back
    the one we found, so the next test in this worker does not run in English."""
    previous = translation.get_language()
    yield
    translation.activate(previous)


def po_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / "django.po"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)), wrapwidth=0)


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def percent_formats(text: str) -> Counter[str]:
    return Counter(PERCENT_FORMAT.findall(text))


def test_every_language_has_a_catalogue() -> None:
    assert sorted(path.parent.parent.name for path in po_files()) == sorted(LANGUAGES)


@pytest.mark.parametrize(
    ("language", "plural_forms"),
    [
        ("fr", "nplurals=2; plural=(n > 1);"),
        ("en", "nplurals=2; plural=(n != 1);"),
        ("bm", "nplurals=1; plural=0;"),
    ],
)
def test_header(language: str, plural_forms: str) -> None:
    po = catalogue(language)
    assert po.metadata["Language"] == language
    assert po.metadata["Plural-Forms"] == plural_forms
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert not po.metadata_is_fuzzy, f"{language}: remove `#, fuzzy` above the header"


def test_catalogues_hold_the_same_strings() -> None:
    """All three were extracted together, so a string missing from one was not re-extracted."""
    keys = {
        language: {(e.msgctxt, e.msgid, e.msgid_plural) for e in live(catalogue(language))}
        for language in LANGUAGES
    }
    assert keys["en"] == keys["fr"], HOW_TO_FIX
    assert keys["bm"] == keys["fr"], HOW_TO_FIX


def test_french_is_complete() -> None:
    po = catalogue("fr")
    untranslated = [e.msgid for e in live(po) if not e.fuzzy and not e.translated()]
    fuzzy = [e.msgid for e in live(po) if e.fuzzy]
    assert not untranslated, f"French entries to translate ({HOW_TO_FIX}): {untranslated}"
    assert not fuzzy, f"French entries marked fuzzy (check them, remove the flag): {fuzzy}"


def test_no_fuzzy_entry_anywhere() -> None:
    """A fuzzy entry is silently left out of the .mo: better an honest empty msgstr."""
    fuzzy = {
        language: [e.msgid for e in live(catalogue(language)) if e.fuzzy] for language in LANGUAGES
    }
    assert fuzzy == {language: [] for language in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_mo_is_compiled_from_the_current_po(language: str) -> None:
    mo = po_path(language).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: {HOW_TO_FIX}"
    assert mo.read_bytes() == compile_po(po_path(language)), f"{mo} is stale: {HOW_TO_FIX}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_tags_are_kept(language: str) -> None:
    wrong = []
    for entry in live(catalogue(language)):
        if entry.msgid_plural:
            # A form may drop the count ("un lieu"), never add or change a placeholder.
            allowed = set(NAMED.findall(entry.msgid)) | set(NAMED.findall(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                if form and not set(NAMED.findall(form)) <= allowed:
                    wrong.append((entry.msgid, form))
            continue
        if not entry.msgstr:
            continue
        if percent_formats(entry.msgstr) != percent_formats(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
        if Counter(HTML_TAG.findall(entry.msgstr)) != Counter(HTML_TAG.findall(entry.msgid)):
            wrong.append((entry.msgid, entry.msgstr))
    assert not wrong, f"{language}: placeholders or HTML tags changed in translation: {wrong}"


@pytest.mark.parametrize("word", BAMBARA_FIELD_WORDS)
def test_field_facing_words_are_in_bambara(word: str) -> None:
    entries = {e.msgid: e for e in live(catalogue("bm"))}
    assert word in entries, f"“{word}” is no longer extracted; update BAMBARA_FIELD_WORDS"
    assert entries[word].translated(), f"“{word}” has no Bambara translation"


def test_compiled_catalogue_reads_back_with_gettext() -> None:
    """The pure-Python compiler writes what Python's gettext (and so Django) reads."""
    po = catalogue("fr")
    data = compile_po(po_path("fr"))
    assert compile_po(po_path("fr")) == data  # deterministic
    read = gettext.GNUTranslations(io.BytesIO(data))
    singular, plural = PLACE_COUNT
    assert read.gettext(HOME) == "Accueil"
    assert read.ngettext(singular, plural, 1) == "%(counter)s lieu"
    assert read.ngettext(singular, plural, 2) == "%(counter)s lieux"
    expected: dict[Any, str] = {}
    for entry in live(po):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected.update({(key, n): form for n, form in entry.msgstr_plural.items()})
        else:
            expected[key] = entry.msgstr
    catalog = dict(read._catalog)  # type: ignore[attr-defined]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in catalog.pop("")
    assert catalog == expected


def test_fuzzy_and_untranslated_entries_are_left_out(tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    po.append(polib.POEntry(msgid="Yes", msgstr="Oui"))
    po.append(polib.POEntry(msgid="No", msgstr="Non", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Maybe", msgstr=""))
    po.append(polib.POEntry(msgctxt="month", msgid="May", msgstr="Mai"))
    path = tmp_path / "django.po"
    po.save(str(path))
    read = gettext.GNUTranslations(io.BytesIO(compile_po(path)))
    translated, fuzzy, empty, month, may = "Yes", "No", "Maybe", "month", "May"
    assert read.gettext(translated) == "Oui"
    assert read.gettext(fuzzy) == fuzzy
    assert read.gettext(empty) == empty
    assert read.pgettext(month, may) == "Mai"


def test_command_check_passes() -> None:
    call_command("compilemessages_py", check=True, stdout=io.StringIO())


def test_django_falls_back_from_bambara_to_french() -> None:
    with translation.override("bm"):
        assert translation.gettext(HOME) == "So"
        assert translation.gettext(AUDIT_TRAIL) == "Journal d'audit"
    with translation.override("fr"):
        assert translation.gettext(LOG_OUT) == "Déconnexion"
    with translation.override("en"):
        assert translation.gettext(LOG_OUT) == LOG_OUT


def test_login_page_is_french_by_default(client: Client, db: Any) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="fr"' in page
    assert "Connexion" in page
    assert "Mot de passe" in page


def test_login_page_follows_the_language_cookie(client: Client, db: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "Connexion" not in page
