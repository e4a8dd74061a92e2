"""The edge's guard: input no view should see is refused here, in the one error shape.

- A body larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` (Django's 2.5 MB) answers 413 before it is
  read (Django itself would answer 400, or 500 inside an API view).
- A NUL character in the path, a query parameter, a form field or a JSON string answers 422 on
  the API and 400 on a page, naming the parameter or field: PostgreSQL refuses NUL in text, so
  it used to answer 500 there (and store it on SQLite).
- A `ValidationError` that escapes a page view (a bad query parameter) answers 400 with
  Jigiya's error page naming the field, instead of 500.
- With `DEBUG=false`, an error the API did not expect still answers in the API's JSON shape
  (500, code `server_error`), logged as Django logs it.

The API answers `{"error": {"code", "message", "fields"}}` (`core.errors`); pages get Jigiya's
own `400.html` / `413.html` with the same message and fields.
"""

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jigiya.core.errors import error_body, validation_fields

API_PREFIX = "/api/"
NUL = "\x00"
logger = logging.getLogger("django.request")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def refusal(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]]
) -> HttpResponse:
    """The API's JSON error body, or Jigiya's error page for `status` with the same words."""
    if is_api(request):
        return JsonResponse(error_body(code, message, fields), status=status)
    context = {"message": message, "fields": fields}
    return render(request, f"{status}.html", context, status=status)


def no_api_operation(request: HttpRequest) -> HttpResponse:
    """The JSON 404 of an /api/v1/ address that no operation answers."""
    return refusal(request, 404, "not_found", _("No API operation at this address."), {})


def _too_big(request: HttpRequest) -> HttpResponse | None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # Django reads such a body as empty
    if limit is None or length <= limit:
        return None
    message = _("The request is too large: at most %(limit)s bytes may be sent.") % {"limit": limit}
    return refusal(request, 413, "too_large", message, {})


def _nul_paths(value: Any, path: str) -> Iterator[str]:
    """Where a JSON document holds a NUL character, as the API names fields (`a.0.b`)."""
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            yield from ([name] if NUL in str(key) else _nul_paths(item, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}.{index}" if path else str(index))


def _json_nul_fields(request: HttpRequest) -> list[str]:
    body = request.body
    if b"\\u0000" not in body:  # JSON can only carry a NUL escaped
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []  # the view answers 422 for a body that is not JSON
    return list(_nul_paths(document, ""))


def _nul_fields(request: HttpRequest) -> list[str]:
    """The parameters and fields of the request that hold a NUL character."""
    if NUL in request.path:
        return ["path"]
    fields = [key for key, values in request.GET.lists() if NUL in key + "".join(values)]
    if request.method in ("POST", "PUT", "PATCH"):
        if is_api(request):
            fields += _json_nul_fields(request)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields += [key for key, values in request.POST.lists() if NUL in key + "".join(values)]
    return fields


def _nul(request: HttpRequest) -> HttpResponse | None:
    fields = _nul_fields(request)
    if not fields:
        return None
    message = _("Null characters are not allowed.")
    status = 422 if is_api(request) else 400
    return refusal(request, status, "invalid", message, {field: [message] for field in fields})


class BadInputMiddleware:
    """Refuses what no view should see (see the module's docstring); after the authentication
    and language middleware, so that an error page knows the user and speaks their language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = _too_big(request) or _nul(request)
        if refused is not None:
            return refused
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return _too_big(request) or refusal(request, 413, "too_large", str(exception), {})
        if isinstance(exception, ValidationError) and not is_api(request):
            fields = validation_fields(exception)
            first = next(iter(fields.values()), [""])[0]
            return refusal(request, 400, "invalid", first, fields)
        if is_api(request) and isinstance(exception, Http404):
            # Outside an operation (the API's root): the JSON 404, not a server error.
            return no_api_operation(request)
        if is_api(request) and not settings.DEBUG:
            # What Django does for an unexpected error (the signal lets the test client raise
            # it), with the API's body instead of the HTML page.
            signals.got_request_exception.send(sender=None, request=request)
            logger.error("Internal Server Error: %s", request.path, exc_info=exception)
            body = error_body("server_error", _("Something went wrong on our side: try again."))
            return JsonResponse(body, status=500)
        return None
