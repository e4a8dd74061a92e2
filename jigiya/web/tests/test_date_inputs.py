"""Every date input of every form holds an ISO value (issue 15): a `<input type="date">` given
`02/12/2026` (the French input format) shows an empty field and the browser refuses to send the
form. The forms are found, not listed: every form class of every Jigiya module the routes import,
and every app's `forms` module, so a new form is covered the day it is written."""

import datetime
import importlib
import importlib.util
import re
from collections.abc import Iterator

import pytest
from django import forms
from django.apps import apps
from django.urls import get_resolver
from django.utils import translation

DAY = datetime.date(2026, 12, 2)
MOMENT = datetime.datetime(2026, 12, 2, 9, 30)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def jigiya_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in Jigiya: the routes import every view (and its forms), and
    every installed app's `forms` module is imported too."""
    get_resolver().url_patterns  # noqa: B018 — imports every view module
    for config in apps.get_app_configs():
        if config.name.startswith("jigiya.") and importlib.util.find_spec(f"{config.name}.forms"):
            importlib.import_module(f"{config.name}.forms")
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("jigiya.") and ".tests" not in cls.__module__
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _temporal(form: type[forms.BaseForm]) -> list[str]:
    return [
        name
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    ]


FORMS = [form for form in jigiya_forms() if _temporal(form)]


def _render(form_class: type[forms.BaseForm], name: str, value: object) -> str:
    """The field as the page renders it, its value given as the views give it (`initial`). The
    form's own `__init__` (which asks for querysets) is skipped: only the fields matter."""
    form = form_class.__new__(form_class)
    forms.BaseForm.__init__(form, initial={name: value})
    return str(form[name])


def test_the_walk_finds_the_date_forms_of_every_app():
    modules = {form.__module__ for form in FORMS}
    assert {
        "jigiya.accounts.forms",
        "jigiya.donors.forms",
        "jigiya.followup.forms",
        "jigiya.places.forms",
        "jigiya.registry.forms",
        "jigiya.savings.forms",
    } <= modules
    assert len(FORMS) >= 20


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__qualname__)
@pytest.mark.parametrize("language", ["fr", "en", "bm"])
def test_every_date_input_renders_an_iso_value(form_class, language):
    for name in _temporal(form_class):
        field = form_class.base_fields[name]
        with translation.override(language):
            if isinstance(field, forms.DateTimeField):
                html = _render(form_class, name, MOMENT)
                expected = ('type="datetime-local"', 'value="2026-12-02T09:30"')
            else:
                html = _render(form_class, name, DAY)
                expected = ('type="date"', 'value="2026-12-02"')
        for part in expected:
            assert part in html, f"{form_class.__qualname__}.{name}: {html}"
        assert not re.search(r"\d\d/\d\d/\d{4}", html)
