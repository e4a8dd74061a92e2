from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from jigiya.accounts.access import has_perm_anywhere, has_perm_everywhere
from jigiya.accounts.roles import Perm
from jigiya.care.selectors import unread_badge


def jigiya(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: the menu entries this user may open."""
    user = getattr(request, "user", None)
    can = {
        "manage_users": has_perm_anywhere(user, Perm.USERS_VIEW),
        "view_audit": has_perm_everywhere(user, Perm.AUDIT_VIEW),
        "manage_places": has_perm_anywhere(user, Perm.PLACES_MANAGE),
        # Budget alerts reach who pays care claims on every page (`/care/alerts/`).
        "care_alerts": has_perm_anywhere(user, Perm.CARE_PAY),
    }
    # The header's count of unread budget alerts: one indexed COUNT, made only when a page shows
    # the header to who sees the alerts (lazy), none for anyone else.
    unread = SimpleLazyObject(lambda: unread_badge(user)) if can["care_alerts"] else ""
    return {"can": can, "care_unread": unread, "demo_mode": settings.DEMO_MODE}
