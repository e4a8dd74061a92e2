"""Access by place: what a user may see and change.

Every selector and service goes through these helpers. A permission held at a place holds for
that place and everything below it (the place's `path` starts with the assigned place's path).
Outside a user's places a record does not exist for them (404); inside, an action their role
does not allow is refused (403).
"""

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

from jigiya.accounts.roles import GRANTS, Perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from jigiya.accounts.models import User

M = TypeVar("M", bound=models.Model)

# Who calls a service: a signed-in user (a page's `request.user`, an API token's user), an
# anonymous visitor (refused by the permission check), or None for the system's own sweeps.
Actor: TypeAlias = "User | AnonymousUser | None"


class Placed(Protocol):
    """Anything with a place path: a `Place`, or a record that carries its place's path."""

    @property
    def path(self) -> str: ...


_CACHE = "_jigiya_assignments"
_MEMO = "_jigiya_memo"  # reads derived from the assignments, by other apps
EVERYWHERE = ""  # the path prefix that every place starts with


def _assignments(user: Actor) -> list[tuple[str, str]]:
    """(role, place path) pairs of an active user, read once per request."""
    me = acting_user(user)
    if me is None or not me.is_active:
        return []
    cached = getattr(me, _CACHE, None)
    if cached is None:
        cached = list(
            me.assignments.filter(place__is_active=True).values_list("role", "place__path")
        )
        setattr(me, _CACHE, cached)
    return cached


def access_key(user: Actor) -> tuple[Any, ...]:
    """Who the user is and what she may see (her roles and places): part of the key of
    anything cached for her, so a role given or taken changes the key at once."""
    me = acting_user(user)
    return (getattr(me, "pk", None), tuple(sorted(_assignments(user))))


def role_paths(user: Actor, role: str) -> list[str]:
    """The paths of the places where an active user holds `role`."""
    return sorted({path for held, path in _assignments(user) if held == role})


def user_memo(user: Actor) -> dict[str, Any]:
    """A per-request dict on the user for what other apps derive from its assignments (the
    programs a partner sees, say); `forget_assignments` empties it with them."""
    memo = getattr(user, _MEMO, None)
    if memo is None:
        memo = {}
        setattr(user, _MEMO, memo)
    return memo


def forget_assignments(user: Actor) -> None:
    """Drop the per-request caches after the user's assignments changed: theirs and
    `user_memo`."""
    for cache in (_CACHE, _MEMO):
        if hasattr(user, cache):
            delattr(user, cache)


def scope_paths(user: Actor, perm: Perm, *, except_role: str | None = None) -> list[str]:
    """The path prefixes under which `user` holds `perm` (the shortest ones only), through any
    role but `except_role` when it is given."""
    me = acting_user(user)
    if me is not None and me.is_superuser and me.is_active:
        return [EVERYWHERE]
    roles = {role for role in GRANTS[perm] if role != except_role}
    paths = sorted({path for role, path in _assignments(user) if role in roles})
    kept: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


def scope_q(
    user: Actor, perm: Perm, path_field: str = "path", *, except_role: str | None = None
) -> Q:
    """A filter for rows whose place (reached by `path_field`) lies in the user's scope
    (through any role but `except_role` when it is given)."""
    paths = scope_paths(user, perm, except_role=except_role)
    if not paths:
        return Q(pk__in=[])
    if EVERYWHERE in paths:
        return Q()
    return reduce(or_, (Q(**{f"{path_field}__startswith": path}) for path in paths))


def has_perm_anywhere(user: Actor, perm: Perm) -> bool:
    return bool(scope_paths(user, perm))


def has_perm_at(user: Actor, perm: Perm, path: str) -> bool:
    return any(path.startswith(prefix) for prefix in scope_paths(user, perm))


def has_perm_everywhere(user: Actor, perm: Perm) -> bool:
    return EVERYWHERE in scope_paths(user, perm) or _holds_at_root(user, perm)


def _holds_at_root(user: Actor, perm: Perm) -> bool:
    return any(path.count("/") == 1 for path in scope_paths(user, perm))


def require_perm_at(user: Actor, perm: Perm, place: "Placed | str") -> "User":
    """The one permission check of services and views: `user` holds `perm` at `place` (a place
    or its path), or PermissionDenied (403). Returns the user, known then to be signed in."""
    path = place if isinstance(place, str) else place.path
    if not has_perm_at(user, perm, path):
        raise PermissionDenied
    return cast("User", user)


def require_perm_anywhere(user: Actor, perm: Perm) -> "User":
    """For a page that lists what lies in the user's places (a worklist, a list of groups): the
    user holds `perm` somewhere, or PermissionDenied (403). Returns the signed-in user."""
    if not has_perm_anywhere(user, perm):
        raise PermissionDenied
    return cast("User", user)


def acting_user(actor: Actor) -> "User | None":
    """The user to record as `created_by`: the actor when signed in, None for the system."""
    if actor is None or not actor.is_authenticated:
        return None
    return cast("User", actor)


def get_in_scope(
    queryset: "models.QuerySet[M]", user: Actor, perm: Perm, path_field: str, **lookup: Any
) -> M:
    """Fetch one row the user may see with `perm`, or 404 (also for a malformed id)."""
    try:
        return queryset.filter(scope_q(user, perm, path_field)).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc  # ValidationError, ValueError: a malformed id
