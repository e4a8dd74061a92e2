"""Every read of users, assignments and tokens, scoped to what the acting user may see."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from jigiya.accounts.access import Actor, acting_user, get_in_scope, has_perm_everywhere, scope_q
from jigiya.accounts.models import ApiToken, Assignment, User
from jigiya.accounts.roles import Perm
from jigiya.core.models import AuditEntry


def user_list(*, actor: Actor, search: str = "", role: str = "") -> QuerySet[User]:
    """Users with at least one assignment in the actor's places (for USERS_VIEW roles)."""
    visible = Assignment.objects.filter(scope_q(actor, Perm.USERS_VIEW, "place__path"))
    users = User.objects.filter(pk__in=visible.values("user_id"))
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(phone__icontains=search)
        )
    if role:
        users = users.filter(assignments__role=role).distinct()
    return users.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("place"))
    ).order_by("username")


def user_get(*, actor: Actor, user_id: Any) -> User:
    """One user the actor may see, or 404. The actor may always see themselves."""
    me = acting_user(actor)
    if me is not None and str(user_id) == str(me.pk):
        return User.objects.get(pk=me.pk)
    visible = Assignment.objects.filter(scope_q(actor, Perm.USERS_VIEW, "place__path"))
    try:
        return User.objects.filter(pk__in=visible.values("user_id")).get(pk=user_id)
    except (User.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def assignment_list(*, user: Actor) -> QuerySet[Assignment]:
    """A signed-in user's roles and places (none for anyone else)."""
    me = acting_user(user)
    if me is None:
        return Assignment.objects.none()
    return me.assignments.select_related("place").order_by("place__path", "role")


def assignment_get(*, actor: Actor, assignment_id: Any) -> Assignment:
    return get_in_scope(
        Assignment.objects.select_related("user", "place"),
        actor,
        Perm.USERS_VIEW,
        "place__path",
        pk=assignment_id,
    )


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def token_get(*, actor: Actor, token_id: Any) -> ApiToken:
    """A token of the actor's own, or of a user the actor may see, or 404."""
    try:
        token = ApiToken.objects.select_related("user").get(pk=token_id)
    except (ApiToken.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    if token.user_id != getattr(actor, "pk", None):
        user_get(actor=actor, user_id=token.user_id)  # 404 unless the actor may see the owner
    return token


def audit_list(*, actor: Actor, model: str = "", object_id: str = "") -> QuerySet[AuditEntry]:
    """The whole audit trail, newest first. Only administrators of the whole country read it:
    entries name records of every place, so a narrower scope could not be kept."""
    if not has_perm_everywhere(actor, Perm.AUDIT_VIEW):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor")
    if model:
        entries = entries.filter(model=model)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries
