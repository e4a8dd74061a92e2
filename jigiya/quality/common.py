"""What every quality service shares: the change sources it declares and the one check that a
record is about a health center in the actor's places."""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, has_perm_at
from jigiya.accounts.models import Assignment
from jigiya.accounts.roles import Perm, Role
from jigiya.core.changes import declare_source
from jigiya.places.models import HealthCenter

SOURCE_ASSESSMENT = declare_source("quality.assessment")
SOURCE_INTERVIEW = declare_source("quality.interview")
SOURCE_REPORTED_RETURN = declare_source("quality.reported_return")
SOURCE_QI = declare_source("quality.qi")


def require_center(actor: Actor, health_center: HealthCenter) -> None:
    """The actor records quality work at `health_center`, or a refusal on `health_center`
    (which does not name it: outside one's places a health center is not shown)."""
    if not has_perm_at(actor, Perm.QUALITY_RECORD, health_center.place.path):
        raise ValidationError(
            {
                "health_center": _(
                    "You may not record quality work for this health center: it is outside "
                    "your places or your role does not allow it."
                )
            }
        )


def coach_ids(health_center: HealthCenter) -> set[uuid.UUID]:
    """The users holding the QI coach role at the health center's place or above it."""
    rows = Assignment.objects.filter(role=Role.QI_COACH, user__is_active=True).values_list(
        "user_id", "place__path"
    )
    return {user_id for user_id, path in rows if health_center.place.path.startswith(path)}
