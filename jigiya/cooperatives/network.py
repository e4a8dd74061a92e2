"""The union of cooperatives, the trainings of members and the equipment log: creating a
union, a cooperative joining it (once, with its dues), recording a training with who attended
(per day) and who was certified (when present the days needed), logging maintenance of an item
and disposing of it."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives.common import SOURCE_MEMBERS, changed
from jigiya.cooperatives.models import (
    Attendance,
    Condition,
    Cooperative,
    Equipment,
    Maintenance,
    Participant,
    Training,
    TrainingDay,
    TrainingTopic,
    Union,
    UnionMember,
)
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, text_within, within_program
from jigiya.core.errors import Conflict
from jigiya.core.retries import mark_replayed, replay
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


def _check_training(
    title: str, topic: str, starts_on: datetime.date, ends_on: datetime.date, min_days: int | None
) -> None:
    if topic not in TrainingTopic.values:
        raise ValidationError({"topic": [_("Choose the training's topic.")]})
    within_program("starts_on", starts_on)
    within_program("ends_on", ends_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The end comes before the start.")]})
    text_within("title", title, 160)
    count = (ends_on - starts_on).days + 1
    if min_days is not None and (type(min_days) is not int or not 1 <= min_days <= count):
        raise ValidationError(
            {
                "min_days": [
                    _("The days needed are 1 to the %(count)s days of the training.")
                    % {"count": count}
                ]
            }
        )


def _check_days(
    training: Training, days: dict[datetime.date, list[uuid.UUID]], enrolled: set
) -> None:
    for day, present in days.items():
        if not training.starts_on <= day <= training.ends_on:
            raise ValidationError(
                {
                    "days": [
                        _("%(day)s is not a day of the training (%(start)s to %(end)s).")
                        % {"day": day, "start": training.starts_on, "end": training.ends_on}
                    ]
                }
            )
        if not set(present) <= enrolled:
            raise ValidationError(
                {
                    "days": [
                        _("Only a participant of the training is present on %(day)s.")
                        % {"day": day}
                    ]
                }
            )


def _check_certified(training: Training, certified: set, attended: dict) -> None:
    """Each member certified attended the days the certificate needs."""
    needed = training.days_needed
    for member_id in certified:
        if member_id not in attended:
            raise ValidationError({"certified": [_("Only a member who attended is certified.")]})
        member, count = attended[member_id]
        if count < needed:
            raise ValidationError(
                {
                    "certified": [
                        _("%(name)s was present %(count)s of %(days)s days; %(needed)s needed.")
                        % {
                            "name": member.person,
                            "count": count,
                            "days": len(training.days),
                            "needed": needed,
                        }
                    ]
                }
            )


def _attended(training: Training) -> dict:
    """member id → (member, days present)."""
    rows = training.participants.select_related("member__person").annotate(n=Count("attendance"))
    return {p.member_id: (p.member, p.n) for p in rows}


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
    min_days: int | None = None,
    days: dict[datetime.date, list[uuid.UUID]] | None = None,
    id: uuid.UUID | None = None,
) -> Training:
    """A training with its participants (`attended`) and, per day, who was present: `days`, or
    when not given every participant on every day. A member is certified only when she was
    present the days the certificate needs (`min_days`, or every day)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, cooperative.community)
    again = replay(Training, id, {"cooperative": cooperative, "title": title.strip()})
    if again is not None:
        return again
    _check_training(title, topic, starts_on, ends_on, min_days)
    members = {m.pk: m for m in cooperative.members.filter(pk__in=attended, joined_on__lte=ends_on)}
    if not attended or len(members) != len(set(attended)):
        raise ValidationError(
            {"attended": [_("Name the members who attended (members of this cooperative).")]}
        )
    training = Training(
        cooperative=cooperative, title=title.strip(), topic=topic, partner=partner.strip(),
        starts_on=starts_on, ends_on=ends_on, min_days=min_days, created_by=acting_user(actor),
    )  # fmt: skip
    if days is None:
        days = {day: list(members) for day in training.days}
    _check_days(training, days, set(members))
    create_audited(training, actor=actor, id=id)
    parts = {
        p.member_id: p
        for p in Participant.objects.bulk_create(
            Participant(training=training, member=m) for m in members.values()
        )
    }  # fmt: skip
    Attendance.objects.bulk_create(
        Attendance(participant=parts[m], day=day)
        for day, present in days.items()
        for m in set(present)
    )
    if certified:
        training_certify(actor=actor, training=training, members=certified)
    changed(cooperative.community_id, ends_on, source=SOURCE_MEMBERS, lasting=False)
    return training


def _day_replayed(
    training: Training, day: datetime.date, present: list[uuid.UUID], id: uuid.UUID | None
) -> TrainingDay | None:
    """The day already sent under `id` (the same training, day and women), or a Conflict."""
    existing = TrainingDay.objects.filter(pk=id).first() if id is not None else None
    if existing is None:
        return None
    sent = (existing.training_id, existing.day, existing.present())
    if sent != (training.pk, day, sorted(set(present))):
        raise Conflict(_("A different attendance of a day was already sent with this id."))
    mark_replayed(existing)
    return existing


@transaction.atomic
def training_day(
    *,
    actor: Actor,
    training: Training,
    day: datetime.date,
    present: list[uuid.UUID],
    id: uuid.UUID | None = None,
) -> TrainingDay:
    """Who was present on one day of the training, recorded once (a `TrainingDay` under the
    device's id and the day's `Attendance`). The same id again with the same day and women: the
    same record; with other content: a Conflict. A day already recorded (here or with the
    training): the same women again answer the same and write nothing, other women are
    refused."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, training.cooperative.community)
    training = Training.objects.select_for_update().get(pk=training.pk)
    again = _day_replayed(training, day, present, id)
    if again is not None:
        return again
    parts = {p.member_id: p for p in training.participants.all()}
    _check_days(training, {day: present}, set(parts))
    recorded = set(
        Attendance.objects.filter(participant__training=training, day=day).values_list(
            "participant__member_id", flat=True
        )
    )
    if recorded:
        if recorded != set(present):
            raise ValidationError(
                {"day": [_("The attendance of %(day)s was already recorded.") % {"day": day}]}
            )
        same = training.recorded_days.filter(day=day).first() or TrainingDay(
            id=id or uuid.uuid4(), training=training, day=day
        )
        mark_replayed(same)
        return same
    if not present:
        raise ValidationError({"present": [_("Name who was present.")]})
    Attendance.objects.bulk_create(Attendance(participant=parts[m], day=day) for m in set(present))
    record = TrainingDay(
        id=id or uuid.uuid4(), training=training, day=day, created_by=acting_user(actor)
    )
    record.save(force_insert=True)
    return record


@transaction.atomic
def training_certify(*, actor: Actor, training: Training, members: list[uuid.UUID]) -> int:
    """Certify members who attended the days the certificate needs (all refused if one did not);
    the number newly certified. Sent again, the same members are certified already: 0, nothing
    written (safe to retry without an id)."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, training.cooperative.community)
    training = Training.objects.select_for_update().get(pk=training.pk)
    _check_certified(training, set(members), _attended(training))
    newly = list(training.participants.filter(member_id__in=members, certified=False))
    for participant in newly:
        before = audit_snapshot(participant)
        participant.certified = True
        participant.save(update_fields=["certified"])
        audit_record(actor=actor, obj=participant, before=before)
    count = len(newly)
    if count:
        changed(
            training.cooperative.community_id,
            training.ends_on,
            source=SOURCE_MEMBERS,
            lasting=False,
        )
    return count


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
