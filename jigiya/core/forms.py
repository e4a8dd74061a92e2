"""Form widgets every app's forms use, so a rule about inputs is kept in one place.

A date input (`<input type="date">`) holds only ISO values (`2026-12-02`): given the French
input format (`02/12/2026`) the browser shows an empty field and refuses to send the form.
Django renders a date with the language's first input format unless the widget names one, so
every date (and date-time) field of Jigiya names its widget here; `core/tests/test_forms.py`
walks every form of every app and fails on a date field that renders anything else."""

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """`<input type="date">` with its value in ISO whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` with its value as the browser needs it."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)


class DateField(forms.DateField):
    """A date field whose widget is the ISO date input (what a new form should use)."""

    widget = DateInput


class DateTimeField(forms.DateTimeField):
    """A date-time field whose widget is the ISO `datetime-local` input."""

    widget = DateTimeInput


# The widget the existing forms name (`widget=DATE`).
DATE = DateInput()


class MadeAtField(forms.Field):
    """The time a record was made on the phone (ISO 8601, set by the field client, web/field.js
    when the form is submitted or queued offline): hidden, optional, and never a reason to refuse
    a form. A value that is not a time gives None; one ahead of the server's clock (a phone set
    wrong) gives now (`core.retries.made_on_phone`)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> Any:
        from jigiya.core.retries import made_on_phone

        text = str(value or "").strip()
        return made_on_phone(text) if 0 < len(text) <= 40 else None
