"""The pipeline of women's groups preparing a new cooperative, stage by stage: interest shown,
informed, trained, statutes drafted, constitutive assembly, registration filed, cooperative
formed (linked to the cooperative it became) — or dropped out. Every stage reached is kept.

Stages go forward only (a group may skip one: a group already trained elsewhere); "dropped" can
come at any stage before "formed", and a dropped group can take up again at any stage.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives.models import (
    Activity,
    Cooperative,
    PipelineStage,
    PreparingGroup,
    PreparingStage,
)
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, within_program
from jigiya.core.retries import replay
from jigiya.places.models import Place, PlaceKind

ORDER = [s for s in PipelineStage.values if s != PipelineStage.DROPPED]


@transaction.atomic
def preparing_group_create(
    *,
    actor: Actor,
    community: Place,
    name: str,
    activity: str,
    women: int,
    stage: str,
    since: datetime.date,
    origin: str = "",
    contact: str = "",
    id: uuid.UUID | None = None,
) -> PreparingGroup:
    """A women's group preparing a cooperative, at its stage now. Refused: a community outside
    the actor's places or not active, a name already used there, no woman, an unknown stage or
    "formed" (a group becomes a cooperative through `preparing_group_advance`)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, community)
    name = name.strip()
    again = replay(PreparingGroup, id, {"community": community, "name": name})
    if again is not None:
        return again
    if community.kind != PlaceKind.COMMUNITY or not community.is_active:
        raise ValidationError({"community": [_("A group belongs to an active community.")]})
    if activity not in Activity.values:
        raise ValidationError({"activity": [_("Choose the planned activity.")]})
    if type(women) is not int or women <= 0:
        raise ValidationError(
            {"women": [_("The number of women is whole, above zero (got %(v)s).") % {"v": women}]}
        )
    if stage not in ORDER or stage == PipelineStage.FORMED:
        raise ValidationError({"stage": [_("Choose a stage before the cooperative is formed.")]})
    within_program("since", since)
    if PreparingGroup.objects.filter(community=community, name__iexact=name).exists():
        raise ValidationError({"name": [_("This community already has a group of this name.")]})
    group = PreparingGroup(
        name=name, community=community, activity=activity, women=women, stage=stage,
        stage_since=since, origin=origin.strip(), contact=contact.strip(),
        created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(group, actor=actor, id=id)
    PreparingStage.objects.create(group=group, stage=stage, on=since, created_by=acting_user(actor))
    return group


def _check_move(group: PreparingGroup, stage: str, cooperative: Cooperative | None) -> None:
    if stage not in PipelineStage.values:
        raise ValidationError({"stage": [_("Choose a stage.")]})
    if group.stage == PipelineStage.FORMED:
        raise ValidationError({"stage": [_("This group is already a cooperative.")]})
    backwards = (
        stage != PipelineStage.DROPPED
        and group.stage != PipelineStage.DROPPED
        and ORDER.index(stage) <= ORDER.index(group.stage)
    )
    if backwards or stage == group.stage:
        raise ValidationError(
            {
                "stage": [
                    _("The group is at “%(now)s”: choose a later stage.")
                    % {"now": PipelineStage(group.stage).label}
                ]
            }
        )
    if stage == PipelineStage.FORMED:
        if cooperative is None or cooperative.community_id != group.community_id:
            raise ValidationError(
                {"cooperative": [_("Choose the cooperative it became, in its community.")]}
            )
        if PreparingGroup.objects.filter(cooperative=cooperative).exists():
            raise ValidationError(
                {"cooperative": [_("Another group already became this cooperative.")]}
            )


@transaction.atomic
def preparing_group_advance(
    *,
    actor: Actor,
    group: PreparingGroup,
    stage: str,
    on: datetime.date,
    note: str = "",
    cooperative: Cooperative | None = None,
) -> PreparingGroup:
    """Move a group to a later stage (or "dropped") from a day; to "formed" with the cooperative
    it became. Refused, nothing written: an earlier or the same stage, a day before its stage
    now, "formed" without a cooperative of its community or one another group became."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, group.community)
    group = PreparingGroup.objects.select_for_update().select_related("community").get(pk=group.pk)
    _check_move(group, stage, cooperative)
    within_program("on", on)
    not_before("on", on, group.stage_since, floor_label=_("its stage now"))
    before = audit_snapshot(group)
    group.stage, group.stage_since = stage, on
    group.cooperative = cooperative if stage == PipelineStage.FORMED else None
    group.save(update_fields=["stage", "stage_since", "cooperative", "updated_at"])
    audit_record(actor=actor, obj=group, before=before)
    PreparingStage.objects.create(
        group=group, stage=stage, on=on, note=note.strip()[:200], created_by=acting_user(actor)
    )
    return group
