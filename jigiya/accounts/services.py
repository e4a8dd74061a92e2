"""Every write to users, assignments and API tokens. Each call is one transaction, audited."""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    Actor,
    acting_user,
    forget_assignments,
    has_perm_at,
    require_perm_at,
)
from jigiya.accounts.models import ApiToken, Assignment, User
from jigiya.accounts.roles import Perm, Role
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.models import AuditAction
from jigiya.places.models import Place


def _require_manage_user(actor: Actor, user: User) -> None:
    """The actor manages `user` when every place the user is assigned to is in the actor's scope."""
    if getattr(actor, "is_superuser", False):
        return
    paths = list(user.assignments.values_list("place__path", flat=True))
    if not paths or not all(has_perm_at(actor, Perm.USERS_MANAGE, path) for path in paths):
        raise PermissionDenied


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    place: Place,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    language: str = "fr",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    """Create a user with a first assignment (a user without a place could see nothing).

    The administrator chose the password, so by default the person must replace it at their
    first login (the demo world passes False: its logins are printed on the login page)."""
    require_perm_at(actor, Perm.USERS_MANAGE, place)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone.strip(),
        language=language,
        email=email.strip(),
        must_change_password=must_change_password,
        created_by=acting_user(actor),
    )
    _check_password(password, user)
    user.set_password(password)
    create_audited(user, actor=actor)
    assignment_add(actor=actor, user=user, role=role, place=place)
    return user


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user: User,
    first_name: str,
    last_name: str,
    phone: str = "",
    language: str = "fr",
    email: str = "",
    is_active: bool = True,
) -> User:
    """Change a user's details, or deactivate them (users are never deleted)."""
    _require_manage_user(actor, user)
    if user.pk == getattr(actor, "pk", None) and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    before = audit_snapshot(user)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone.strip()
    user.language = language
    user.email = email.strip()
    user.is_active = is_active
    user.full_clean()
    user.save(
        update_fields=[
            "first_name",
            "last_name",
            "phone",
            "language",
            "email",
            "is_active",
            "updated_at",
        ]
    )
    if not is_active:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    audit_record(
        actor=actor,
        obj=user,
        before=before,
        action=AuditAction.DEACTIVATE if before["is_active"] and not is_active else None,
    )
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> User:
    """An administrator sets a new password for someone they manage; that person must choose
    their own at their next login (not when the administrator resets their own)."""
    _require_manage_user(actor, user)
    _check_password(password, user)
    before = audit_snapshot(user)
    user.set_password(password)
    user.must_change_password = user.pk != getattr(actor, "pk", None)
    user.save(update_fields=["password", "must_change_password", "updated_at"])
    audit_record(actor=actor, obj=user, before=before)
    return user


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """A person replaces their own password (the caller has checked the current one). Refused
    when the new one is weak or is the current one; clears `must_change_password`."""
    _check_password(password, user)
    before = audit_snapshot(user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password", "updated_at"])
    audit_record(actor=user, obj=user, before=before)
    return user


@transaction.atomic
def assignment_add(*, actor: Actor, user: User, role: str, place: Place) -> Assignment:
    """Give `user` a role at `place`. The actor must manage users at that place."""
    require_perm_at(actor, Perm.USERS_MANAGE, place)
    if role not in Role.values:
        raise ValidationError({"role": _("“%(value)s” is not a role.") % {"value": role}})
    if not place.is_active:
        raise ValidationError({"place": _("This place is no longer active.")})
    if Assignment.objects.filter(user=user, role=role, place=place).exists():
        raise ValidationError({"place": _("This user already has this role at this place.")})
    assignment = Assignment(user=user, role=role, place=place, created_by=acting_user(actor))
    create_audited(assignment, actor=actor)
    forget_assignments(user)
    return assignment


@transaction.atomic
def assignment_remove(*, actor: Actor, assignment: Assignment) -> None:
    """Take a role at a place away. The user keeps their other assignments."""
    require_perm_at(actor, Perm.USERS_MANAGE, assignment.place)
    if assignment.user_id == getattr(actor, "pk", None) and assignment.role == Role.ADMIN:
        raise ValidationError({"role": _("You cannot remove your own administrator role.")})
    audit_record(actor=actor, obj=assignment, action=AuditAction.DELETE)
    assignment.delete()
    forget_assignments(assignment.user)


@transaction.atomic
def token_create(
    *, actor: Actor, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Make an API token for a device or an integration; the key is returned once, never stored."""
    if getattr(actor, "pk", None) != user.pk:
        _require_manage_user(actor, user)
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name (the device or integration).")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    key = ApiToken.new_key()
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_hash=ApiToken.hash_key(key),
        hint=key[:10],
        expires_at=expires_at,
        created_by=acting_user(actor),
    )
    return create_audited(token, actor=actor), key


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once; requests carrying it are refused from now on."""
    if getattr(actor, "pk", None) != token.user_id:
        _require_manage_user(actor, token.user)
    if token.revoked_at is None:
        before = audit_snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, obj=token, before=before)
    return token


def token_authenticate(*, key: str) -> User | None:
    """The active user behind a valid, unrevoked, unexpired key, or None."""
    if not key.startswith(ApiToken.PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    # Record use at most once a minute, so busy devices do not write on every request.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
