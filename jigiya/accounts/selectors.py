"""Every read of users, assignments and tokens, scoped to what the acting user may see."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, get_in_scope, has_perm_everywhere, scope_q
from jigiya.accounts.models import ApiToken, Assignment, User
from jigiya.accounts.roles import Perm
from jigiya.core import auditread
from jigiya.core.models import AuditAction, AuditEntry
from jigiya.places.models import Place


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


@dataclass
class AuditFilters:
    """What the audit page narrows to; every one optional."""

    model: str = ""  # a record kind, `app.model`
    object_id: str = ""
    who: str = ""  # part of a username or name
    place: Place | None = None  # records there or below
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_list(*, actor: Actor, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The whole audit trail, newest first, narrowed by `filters`. Only administrators of the
    whole country read it: entries name records of every place, so a narrower scope could not
    be kept."""
    if not has_perm_everywhere(actor, Perm.AUDIT_VIEW):
        raise PermissionDenied
    filters = filters or AuditFilters()
    entries: QuerySet[AuditEntry] = AuditEntry.objects.select_related("actor")
    if filters.model:
        entries = entries.filter(model=filters.model)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.who:
        entries = entries.filter(
            Q(actor__username__icontains=filters.who)
            | Q(actor__first_name__icontains=filters.who)
            | Q(actor__last_name__icontains=filters.who)
        )
    entries = entries.filter(auditread.day_bounds(filters.since, filters.until))
    if filters.place is not None:
        entries = auditread.in_place(entries, filters.place.path)
    return entries


def audit_kinds() -> list[tuple[str, str]]:
    """The kinds of record the trail holds, as (label, name) sorted by name."""
    labels = AuditEntry.objects.order_by().values_list("model", flat=True).distinct()
    kinds = []
    for label in labels:
        model = auditread.model_of(label)
        kinds.append((label, str(model._meta.verbose_name) if model else label))
    return sorted(kinds, key=lambda kind: kind[1])


def audit_sentences(entries: list[AuditEntry]) -> list[tuple[AuditEntry, str, list[str]]]:
    """Each entry as a sentence with names: who did what to which record, where, when
    ("Awa Coulibaly recorded visit “Famille Cissé” (Sotuba) on 3 Dec 2026"), and its changes
    one line per field with labels ("Sex: Female"). One query per kind of record on the page
    and per kind its changed keys lead to."""
    described = auditread.describe(entries)
    lines = auditread.change_lines(entries)
    return [
        (entry, _sentence(entry, described.get((entry.model, entry.object_id))), lines[entry.pk])
        for entry in entries
    ]


def _sentence(entry: AuditEntry, described: auditread.Described | None) -> str:
    model = auditread.model_of(entry.model)
    values = {
        "who": _actor_name(entry.actor),
        "kind": str(model._meta.verbose_name) if model else entry.model,
        "record": described.record if described else entry.object_repr,
        "place": f" ({described.place})" if described and described.place else "",
        "day": date_format(timezone.localtime(entry.at), "DATE_FORMAT"),
        "fields": ", ".join(_field_name(model, name) for name in entry.changes),
    }
    templates: dict[str, str] = {
        AuditAction.CREATE: _("%(who)s recorded %(kind)s “%(record)s”%(place)s on %(day)s"),
        AuditAction.UPDATE: _(
            "%(who)s changed %(fields)s of %(kind)s “%(record)s”%(place)s on %(day)s"
        ),
        AuditAction.DEACTIVATE: _("%(who)s deactivated %(kind)s “%(record)s”%(place)s on %(day)s"),
        AuditAction.DELETE: _("%(who)s deleted %(kind)s “%(record)s”%(place)s on %(day)s"),
        AuditAction.CHECKPOINT: _("%(who)s noted %(kind)s “%(record)s”%(place)s on %(day)s"),
    }
    return templates.get(entry.action, templates[AuditAction.UPDATE]) % values


def _actor_name(actor: User | None) -> str:
    if actor is None:
        return _("Jigiya")  # the nightly work, the demo loader
    return actor.get_full_name() or actor.username


def _field_name(model: Any, name: str) -> str:
    if model is None:
        return name
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return str(field.verbose_name)
    return name
