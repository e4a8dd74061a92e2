"""The JSON API at /api/v1/: one NinjaAPI, each app adds its router.

Authentication: a bearer token (`Authorization: Bearer jgy_…`) for devices and integrations,
or the browser session (with its CSRF token for writes). Every error has one shape, see
`jigiya.core.errors`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from jigiya.accounts.services import token_authenticate
from jigiya.accounts.throttling import ApiThrottle
from jigiya.core import openapi
from jigiya.core.errors import Conflict, error_body, validation_body
from jigiya.core.middleware import no_api_operation


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Key: jgy_…` for clients that cannot set an Authorization header."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = token_authenticate(key=key or "")
        if user is not None:
            request.user = user
        return user


class JigiyaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's document, with every error status declared and no dangling `$ref`."""
        return openapi.complete(super().get_openapi_schema(**kwargs))


api = JigiyaAPI(
    title="Jigiya API",
    version="1",
    description="Places, users and the four programs, scoped to the caller's places.",
    auth=[TokenAuth(), TokenHeaderAuth(), django_auth],
    # Calls per user at settings.API_RATE_LIMIT; over it, 429 with Retry-After.
    throttle=[ApiThrottle()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _field_name(loc: list[Any]) -> str:
    """Ninja says where a value was, e.g. ("body", "payload", "name"); people need "name"."""
    parts = [str(part) for part in loc[1:] if part not in ("payload", "filters")]
    return ".".join(parts) if parts else "__all__"  # the whole body, e.g. an empty PATCH


@api.exception_handler(SchemaError)
def schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(list(error.get("loc", []))), []).append(
            str(error.get("msg", _("Invalid value.")))
        )
    body = error_body("invalid", _("The request does not match the expected format."), fields)
    return api.create_response(request, body, status=422)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_body(exc), status=400)


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return api.create_response(request, error_body("conflict", exc.message), status=409)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    body = error_body("forbidden", _("Your role does not allow this here."))
    return api.create_response(request, body, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    body = error_body("not_found", _("Not found, or outside your places."))
    return api.create_response(request, body, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body("unauthenticated", _("Log in, or send a valid API token."))
    return api.create_response(request, body, status=401)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # Ninja adds Retry-After (seconds) to this response.
    body = error_body("throttled", _("Too many requests. Wait a moment, then try again."))
    return api.create_response(request, body, status=429)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "invalid" if exc.status_code == 400 else "error"
    return api.create_response(request, error_body(code, str(exc)), status=exc.status_code)


api.add_router("/", "jigiya.accounts.api.router")
api.add_router("/", "jigiya.places.api.router")
api.add_router("/", "jigiya.indicators.api.router")
api.add_router("/", "jigiya.registry.api.router")
api.add_router("/", "jigiya.followup.api.router")
api.add_router("/", "jigiya.savings.api.router")
api.add_router("/", "jigiya.cooperatives.api.router")
api.add_router("/", "jigiya.quality.api.router")
api.add_router("/", "jigiya.care.api.router")
api.add_router("/", "jigiya.interop.api.router")


def unknown_route(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any /api/v1/ address no operation answers: the API's JSON 404, never the HTML page
    (routed after `api.urls` in jigiya/urls.py)."""
    return no_api_operation(request)
