"""Rate limits: API calls per user, login attempts per address.

Both count in Django's cache (the `default` cache, shared by every server process: see
settings.CACHES), over a sliding window, with the rate read from settings on each request so
an operator (or a test) changes it without a restart of the code. An empty rate turns the limit
off (the test suite's default, so the API fuzzer is never throttled).

Failed logins have their own, longer lockout (`lockout.py`); this limit only stops one address
from hammering the login page, right or wrong passwords alike.
"""

import math
import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from jigiya.accounts.lockout import client_ip


class _PerThread:
    """An attribute kept per thread: Ninja shares one throttle object between all requests and
    stores each request's state on it, which threads (the development server) would mix up."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        return getattr(obj._state, self.name, None)

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(obj._state, self.name, value)


class SettingRateThrottle(SimpleRateThrottle):
    """A sliding-window limit whose rate ("600/min") is the setting named `setting`."""

    setting = ""
    key = _PerThread()
    history = _PerThread()
    now = _PerThread()
    num_requests = _PerThread()
    duration = _PerThread()

    def __init__(self) -> None:
        # The rate is read per request (allow_request), not once at import.
        self._state = threading.local()
        self.rate = None

    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request)

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting, "")
        if not rate:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def retry_after(self) -> int:
        """Whole seconds until the oldest counted request leaves the window."""
        if not self.history or self.duration is None:
            return int(self.duration or 1)
        return max(1, math.ceil(self.duration - (self.now - self.history[-1])))

    def wait(self) -> float | None:
        # Ninja spreads the wait over the requests left; a client needs the time until one
        # more request is allowed, which is when the oldest one leaves the window.
        return float(self.retry_after())


class ApiThrottle(SettingRateThrottle):
    """API calls per signed-in user (token or session), at settings.API_RATE_LIMIT.

    Authentication runs first, so an unauthenticated call is answered 401 before it is
    counted; those cost one indexed lookup of a random 256-bit key's hash."""

    setting = "API_RATE_LIMIT"
    scope = "api"

    def get_cache_key(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        ident: Any = user.pk if user is not None and user.is_authenticated else None
        return f"throttle_api_{ident or self.get_ident(request)}"


class LoginThrottle(SettingRateThrottle):
    """Login attempts (POSTs of the login form) per address, at settings.LOGIN_RATE_LIMIT."""

    setting = "LOGIN_RATE_LIMIT"
    scope = "login"

    def get_cache_key(self, request: HttpRequest) -> str:
        return f"throttle_login_{self.get_ident(request)}"
