from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from jigiya.accounts.access import has_perm_everywhere
from jigiya.accounts.roles import Perm
from jigiya.core.models import AuditEntry


def audit_list(*, actor: Any, model: str = "", object_id: str = "") -> QuerySet[AuditEntry]:
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
