"""The union of cooperatives, the trainings of members and the equipment log: creating a
union, a cooperative joining it (once, with its dues), recording a training with who attended
and who was certified, logging maintenance of an item and disposing of it."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives.common import SOURCE_MEMBERS, changed
from jigiya.cooperatives.models import (
    Condition,
    Cooperative,
    Equipment,
    Maintenance,
    Participant,
    Training,
    TrainingTopic,
    Union,
    UnionMember,
)
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, text_within, within_program
from jigiya.core.retries import replay
from jigiya.places.models import Place


@transaction.atomic
def union_create(
    *, actor: Actor, place: Place, name: str, formed_on: datetime.date, id: uuid.UUID | None = None
) -> Union:
    """A union of the cooperatives of `place`, forming."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, place)
    name = name.strip()
    again = replay(Union, id, {"name": name, "place": place})
    if again is not None:
        return again
    within_program("formed_on", formed_on)
    if Union.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("A union of this name already exists.")]})
    union = Union(name=name, place=place, formed_on=formed_on, created_by=acting_user(actor))
    return create_audited(union, actor=actor, id=id)


@transaction.atomic
def union_join(
    *,
    actor: Actor,
    union: Union,
    cooperative: Cooperative,
    joined_on: datetime.date,
    yearly_dues: int = 0,
    board_role: str = "",
) -> UnionMember:
    """A cooperative of the union's area joins it (once), with its yearly dues."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    if not cooperative.community.path.startswith(union.place.path):
        raise ValidationError({"union": [_("This cooperative is outside the union's area.")]})
    if union.members.filter(cooperative=cooperative).exists():
        raise ValidationError(
            {"cooperative": [_("%(coop)s is already in the union.") % {"coop": cooperative}]}
        )
    within_program("joined_on", joined_on)
    not_before("joined_on", joined_on, union.formed_on, floor_label=_("the union's formation"))
    if type(yearly_dues) is not int or yearly_dues < 0:
        raise ValidationError({"yearly_dues": [_("Dues are whole FCFA, ≥ 0.")]})
    member = UnionMember(
        union=union, cooperative=cooperative, joined_on=joined_on, yearly_dues=yearly_dues,
        board_role=board_role.strip(), created_by=acting_user(actor),
    )  # fmt: skip
    return create_audited(member, actor=actor)


@transaction.atomic
def training_record(
    *,
    actor: Actor,
    cooperative: Cooperative,
    title: str,
    topic: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    attended: list[uuid.UUID],
    certified: list[uuid.UUID] | None = None,
    partner: str = "",
    id: uuid.UUID | None = None,
) -> Training:
    """A training with the members who attended (and those certified, among them)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(Training, id, {"cooperative": cooperative, "title": title.strip()})
    if again is not None:
        return again
    if topic not in TrainingTopic.values:
        raise ValidationError({"topic": [_("Choose the training's topic.")]})
    within_program("starts_on", starts_on)
    within_program("ends_on", ends_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The end comes before the start.")]})
    text_within("title", title, 160)
    members = {m.pk: m for m in cooperative.members.filter(pk__in=attended, joined_on__lte=ends_on)}
    if not attended or len(members) != len(set(attended)):
        raise ValidationError(
            {"attended": [_("Name the members who attended (members of this cooperative).")]}
        )
    certified_ids = set(certified or [])
    if not certified_ids <= set(members):
        raise ValidationError({"certified": [_("Only a member who attended is certified.")]})
    training = Training(
        cooperative=cooperative, title=title.strip(), topic=topic, partner=partner.strip(),
        starts_on=starts_on, ends_on=ends_on, created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(training, actor=actor, id=id)
    Participant.objects.bulk_create(
        Participant(training=training, member=m, certified=m.pk in certified_ids)
        for m in members.values()
    )
    changed(cooperative.community_id, ends_on, source=SOURCE_MEMBERS, lasting=False)
    return training


@transaction.atomic
def equipment_maintain(
    *,
    actor: Actor,
    equipment: Equipment,
    on: datetime.date,
    description: str,
    condition: str,
    cost: int = 0,
    id: uuid.UUID | None = None,
) -> Maintenance:
    """Log a repair or a check of an item and its condition after; a cost is paid from the
    cash (an expense)."""
    from jigiya.cooperatives import cash
    from jigiya.cooperatives.stock import lock_cooperative

    coop = equipment.cooperative
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, coop.community)
    again = replay(Maintenance, id, {"equipment": equipment, "on": on, "cost": cost})
    if again is not None:
        return again
    lock_cooperative(coop.pk)
    equipment = Equipment.objects.get(pk=equipment.pk)
    if equipment.disposed_on is not None:
        raise ValidationError({"equipment": [_("This item was disposed of.")]})
    if condition not in Condition.values:
        raise ValidationError({"condition": [_("Choose the item's condition.")]})
    within_program("on", on)
    not_before("on", on, equipment.acquired_on, floor_label=_("its acquisition"))
    if not description.strip():
        raise ValidationError({"description": [_("Say what was done.")]})
    if type(cost) is not int or cost < 0:
        raise ValidationError(
            {"cost": [_("The cost is whole FCFA, ≥ 0 (got %(v)s).") % {"v": cost}]}
        )
    if cost:
        cash.check_open(coop.pk, on, "on")
        cash.post(cooperative=coop, kind="expense", on=on, amount=cost,
                  memo=f"{equipment.item}: {description.strip()}", field_name="cost")  # fmt: skip
    log = Maintenance(
        equipment=equipment, on=on, description=description.strip(), cost=cost,
        condition=condition, created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(log, actor=actor, id=id)
    before = audit_snapshot(equipment)
    equipment.condition = condition
    equipment.save(update_fields=["condition", "updated_at"])
    audit_record(actor=actor, obj=equipment, before=before)
    changed(coop.community_id, on, source=SOURCE_MEMBERS, lasting=True)
    return log


@transaction.atomic
def equipment_dispose(
    *, actor: Actor, equipment: Equipment, on: datetime.date, reason: str
) -> Equipment:
    """An item leaves the register (sold, scrapped, stolen): kept, marked disposed of, with why.
    Sent again with the same day and reason: the same answer."""
    coop = equipment.cooperative
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, coop.community)
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    if equipment.disposed_on is not None:
        if (equipment.disposed_on, equipment.disposal_reason) == (on, reason.strip()):
            return equipment
        raise ValidationError({"on": [_("This item was already disposed of.")]})
    within_program("on", on)
    not_before("on", on, equipment.acquired_on, floor_label=_("its acquisition"))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the item leaves the register.")]})
    before = audit_snapshot(equipment)
    equipment.disposed_on, equipment.disposal_reason = on, reason.strip()[:200]
    equipment.save(update_fields=["disposed_on", "disposal_reason", "updated_at"])
    audit_record(actor=actor, obj=equipment, before=before)
    changed(coop.community_id, on, source=SOURCE_MEMBERS, lasting=True)
    return equipment
