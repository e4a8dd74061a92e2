"""Failed logins: who is locked out, from where, and what they are told.

django-axes records every failed login (username, address) and answers 429 while a lockout
holds. Jigiya locks three ways at once, each with its own limit (settings.LOGIN_LOCKOUTS):

- one username from one address (a person mistyping: the lowest limit);
- one username from any address (guessing one account's password from many machines);
- one address for any username (trying one common password on many accounts).

axes compares one count with one limit; `LockoutHandler` scales each combination's count onto
that limit so each combination is held to its own. Nothing here depends on whether the
username exists: an unknown name is counted and locked exactly like a known one.
"""

import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The address of the person, not of our own reverse proxy.

    With TRUSTED_PROXY_COUNT = n (0 in development), the address is the n-th from the right in
    X-Forwarded-For: each trusted proxy appends the address it received the request from, so
    anything further left was written by the client and cannot be believed. With 0 the header
    is ignored and REMOTE_ADDR is used.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def lockout_limits() -> list[int]:
    """The limit of each lockout combination, in the order of AXES_LOCKOUT_PARAMETERS."""
    return [limit for _parameters, limit in settings.LOGIN_LOCKOUTS]


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per lockout combination."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The failures of the combination nearest its own limit, scaled onto axes' one limit
        (AXES_FAILURE_LIMIT): the scaled count reaches that limit exactly when some
        combination's own count reaches its own limit."""
        base = settings.AXES_FAILURE_LIMIT
        worst = 0
        attempts_list = self.get_user_attempts(request, credentials)
        for attempts, limit in zip(attempts_list, lockout_limits(), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, count * base // limit)
        return worst

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login, forget the failures against that account only.

        axes would also forget every failure from the address; then an attacker with one
        account of their own could clear the address's count by logging in between guesses.
        """
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The same page for every lockout (known user or not, account or address), 429, with
    Retry-After so a client knows when to come back."""
    seconds = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds())
    return too_many_attempts(request, retry_after=seconds)


def too_many_attempts(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    """429 for a lockout or the login rate limit: one page, whatever the username (it never
    says whether that user exists), with Retry-After in seconds."""
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
