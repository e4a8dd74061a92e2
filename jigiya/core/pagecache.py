"""Short-lived caches of the costliest page fragments (the CHW worklist, a dashboard's cards),
for the moments when many people open them at once.

A fragment is cached under everything it depends on — the user and her access (roles and
places), the language, the parameters, the day — for `JIGIYA_PAGE_CACHE_SECONDS` (20 s by
default; 0 turns caching off). A change reaches it one of two ways:

- a *version* that writes bump: the follow-up bumps a community's version whenever a service
  says the records of that community changed (`core.changes`), and the worklist's key holds the
  versions of the user's communities, so a CHW sees her own visit at once;
- the expiry, for what no write announces (a household renamed, figures the worker refreshed):
  the fragment is at most that many seconds late.

Versions live in the default cache, which every server process shares (the database cache in
`settings.py`). Only HTML without a CSRF token or a CSP nonce may be cached: both belong to one
request.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

PREFIX = "jigiya:page"


def _seconds() -> int:
    return int(getattr(settings, "JIGIYA_PAGE_CACHE_SECONDS", 0))


def fragment(parts: Iterable[Any], render: Callable[[], str]) -> SafeString:
    """The HTML `render()` makes, from the cache when a fragment with the same `parts` was
    made less than JIGIYA_PAGE_CACHE_SECONDS ago. `parts` must name everything the HTML
    depends on; `render` is called only on a miss."""
    seconds = _seconds()
    if seconds <= 0:
        return mark_safe(render())  # noqa: S308 - rendered by a template, escaped there
    key = f"{PREFIX}:{hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 - rendered by a template, escaped there


def _version_keys(scope: str, ids: Iterable[Any]) -> list[str]:
    return [f"{PREFIX}:v:{scope}:{pk}" for pk in sorted({str(pk) for pk in ids})]


def versions(scope: str, ids: Iterable[Any]) -> tuple[int, ...]:
    """The current versions of these ids (0 for one never bumped): part of a fragment's key."""
    keys = _version_keys(scope, ids)
    found = cache.get_many(keys) if _seconds() > 0 else {}
    return tuple(int(found.get(key, 0)) for key in keys)


def bump(scope: str, ids: Iterable[Any]) -> None:
    """Move these ids to a new version now and again once the transaction commits: the second
    bump retires any fragment made, between the two, from what was not yet committed."""
    keys = _version_keys(scope, ids)
    if not keys or _seconds() <= 0:
        return

    def move() -> None:
        for key in keys:
            if not cache.add(key, 1, timeout=None):
                try:
                    cache.incr(key)
                except ValueError:  # expired or culled between the two calls
                    cache.add(key, 1, timeout=None)

    move()
    transaction.on_commit(move)
