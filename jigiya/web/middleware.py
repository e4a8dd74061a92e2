from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

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
