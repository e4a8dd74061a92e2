"""One error convention for pages and the API.

Services raise Django's `ValidationError` with field-named messages (`{"field": [message]}`),
`PermissionDenied`, `Http404` (through the access helpers) or `Conflict`. Pages turn a
validation error into form errors; the API turns every one of them into this JSON body::

    {"error": {"code": "invalid", "message": "…", "fields": {"name": ["…"]}}}
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


class Conflict(Exception):
    """The same identifier arrived with different content (HTTP 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validation_fields(exc: ValidationError) -> dict[str, list[str]]:
    """Field name → messages; errors that belong to no field go under `__all__`."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(message) for error in errors for message in error.messages]
            for field, errors in exc.error_dict.items()
        }
    return {NON_FIELD_ERRORS: [str(message) for message in exc.messages]}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def validation_body(exc: ValidationError) -> dict[str, Any]:
    fields = validation_fields(exc)
    first = next(iter(fields.values()), [""])[0]
    return error_body("invalid", first or _("The data sent is not valid."), fields)


def add_to_form(form: Any, exc: ValidationError) -> None:
    """Show a service's validation error on a Django form, on the fields it names."""
    for field, messages in validation_fields(exc).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
