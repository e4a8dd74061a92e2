import logging
from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render, resolve_url
from django.urls import Resolver404, resolve
from django.utils import translation

logger = logging.getLogger("django.request")

HEALTHZ = "/healthz"


class HealthCheckMiddleware:
    """`/healthz` answers 200 "ok" first, before the host check, the HTTPS redirect and the
    session: a load balancer probes each app server over plain HTTP at its own address (a Host
    header that is not in ALLOWED_HOSTS), and must get 200 without a header set for Django's
    sake. It proves the process answers; it reads nothing. First in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ and request.method in {"GET", "HEAD"}:
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)


class LanguageMiddleware:
    """Choose the language: the one in the language cookie (set by the switcher, or from the
    account's language at login), else French. Pages ignore the browser's Accept-Language on
    purpose: shared phones and cyber-café browsers are often set to English while their users read
    French. API clients may still ask with Accept-Language. No database query: this runs on every
    request, static files and health checks included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response

    @staticmethod
    def _choose(request: HttpRequest) -> str:
        available = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in available:
            return chosen
        if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
            from_header = translation.get_language_from_request(request)
            if from_header in available:
                return from_header
        return str(settings.LANGUAGE_CODE)


class ErrorPageMiddleware:
    """Jigiya's own error pages in the user's language, whatever `DEBUG` says: with `DEBUG`
    Django would show its yellow technical pages for a 404, a 400 or a server error, and an
    empty body for a 405. The API keeps its JSON errors (core.middleware). After the language
    middleware (the page speaks the user's language) and CommonMiddleware (a missing slash is
    still redirected first); before BadInputMiddleware, whose refusals (400 naming a field,
    413) answer first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG and not request.path_info.startswith("/api/"):
            try:  # an address no route answers: Django's technical 404 comes before any view
                resolve(request.path_info)
            except Resolver404:
                return error_page(request, 404)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not _api(request):
            page = error_page(request, 405)
            if "Allow" in response.headers:
                page.headers["Allow"] = response.headers["Allow"]
            return page
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if _api(request):
            return None
        if isinstance(exception, Http404):
            return error_page(request, 404)
        if isinstance(exception, PermissionDenied):
            return error_page(request, 403)
        if isinstance(exception, BadRequest | SuspiciousOperation | MultiPartParserError):
            return error_page(request, 400)
        # What Django does for an unexpected error (the signal lets the test client raise it;
        # the log keeps the traceback), with Jigiya's page even under DEBUG.
        signals.got_request_exception.send(sender=None, request=request)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return error_page(request, 500)


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The page `<status>.html` in the request's language; a server error whose page cannot
    be drawn falls back on the plain bilingual text."""
    try:
        return render(request, f"{status}.html", status=status)
    except Exception:  # the error page itself must never fail
        if status != 500:
            raise
        logger.exception("The server error page could not be drawn")
        return HttpResponse(FALLBACK_500, status=500)


FALLBACK_500 = (
    "<!doctype html><title>Jigiya</title><h1>Erreur du serveur / Server error</h1>"
    "<p>Rien n'a été enregistré ; réessayez dans un instant.</p>"
    "<p>Nothing was saved; try again in a moment.</p>"
)


class OfflineUserMiddleware:
    """Names the logged-in user on every HTML page (`X-Jigiya-User`): the service worker keeps
    a page in that user's own cache only, so on a shared phone nobody reads another's pages
    offline (web/offline.py, issue 16)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["X-Jigiya-User"] = quote(user.get_username())
        return response


class OutboxAnswerMiddleware:
    """A form sent by the phone's outbox (`X-Jigiya-Outbox: 1`, web/static/web/outbox.js) and
    saved by its view answers 204 with the redirect's target in `X-Jigiya-Saved`, instead of
    the redirect: the outbox would otherwise download the page it leads to for every entry
    (50 queued visits, 50 worklists on a costly network). The view's "saved" message is
    consumed with it. A redirect to the login page stays a redirect (the outbox asks her to
    log in again). Inside MessageMiddleware, so the consumed messages are dropped.

    Each entry names the user who typed it (`X-Jigiya-User`, URL-encoded). On a shared phone
    the outbox may read who is logged in, then send, while she logs out and another logs in:
    an entry that reaches the server under another account is refused before its view runs
    (409 with `X-Jigiya-Other-User`), and the outbox keeps it for its author."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        outbox = request.method == "POST" and request.headers.get("X-Jigiya-Outbox") == "1"
        if outbox and self._sent_as_another(request):
            refused = HttpResponse(status=409)
            refused.headers["X-Jigiya-Other-User"] = "1"
            return refused
        response = self.get_response(request)
        if not outbox or response.status_code not in {301, 302, 303}:
            return response
        target = response.headers.get("Location", "")
        if urlsplit(target).path == resolve_url(settings.LOGIN_URL):
            return response
        for _message in messages.get_messages(request):
            pass  # read: MessageMiddleware drops it
        answer = HttpResponse(status=204)
        answer.headers["X-Jigiya-Saved"] = target
        return answer

    @staticmethod
    def _sent_as_another(request: HttpRequest) -> bool:
        author = request.headers.get("X-Jigiya-User")
        if author is None or not request.user.is_authenticated:
            return False  # no name (an older page) or logged out: the view's own answer
        return unquote(author) != request.user.get_username()
