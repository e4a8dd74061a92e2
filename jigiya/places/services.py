"""Every write to places, health centers and ASACOs. Each call is one transaction, audited."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    Actor,
    acting_user,
    has_perm_at,
    has_perm_everywhere,
    require_perm_at,
)
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import (
    DECISIONS_LENGTH,
    EARLIEST_BIRTH,
    not_before,
    not_in_future,
    text_within,
    within_program,
)
from jigiya.core.changes import declare_source, places_changed, records_changed
from jigiya.places.models import (
    PARENT_KIND,
    Asaco,
    AssemblyKind,
    BoardMember,
    GeneralAssembly,
    HealthCenter,
    HealthCenterStatus,
    Place,
    PlaceKind,
)

SOURCE_ASSEMBLY = declare_source("places.assembly")


def _check_parent(*, kind: str, parent: Place | None) -> None:
    expected = PARENT_KIND[PlaceKind(kind)]
    if expected is None:
        if parent is not None:
            raise ValidationError({"parent": _("A country has no parent place.")})
        return
    if parent is None or parent.kind != expected:
        raise ValidationError(
            {
                "parent": _(
                    "A place of kind “%(kind)s” must be inside a place of kind “%(parent)s”."
                )
                % {"kind": PlaceKind(kind).label, "parent": expected.label}
            }
        )


def _require_manage(actor: Actor, place: Place | None) -> None:
    if place is None:
        allowed = has_perm_everywhere(actor, Perm.PLACES_MANAGE) and getattr(
            actor, "is_superuser", False
        )
    else:
        allowed = has_perm_at(actor, Perm.PLACES_MANAGE, place.path)
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def place_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    code: str,
    parent: Place | None,
    health_center: HealthCenter | None = None,
) -> Place:
    """Create a place under `parent` (which the actor manages). The new place's path is set."""
    _require_manage(actor, parent)
    _check_parent(kind=kind, parent=parent)
    _check_health_center(kind=kind, health_center=health_center)
    place = Place(
        kind=kind,
        name=name.strip(),
        code=code.strip(),
        parent=parent,
        health_center=health_center,
        created_by=acting_user(actor),
    )
    place.path = "pending"
    place.full_clean(exclude=["path"])
    place.path = f"{parent.path if parent else ''}{place.pk.hex}/"
    place.depth = parent.depth + 1 if parent else 0
    place.save()
    audit_record(actor=actor, obj=place)
    return place


def _check_health_center(*, kind: str, health_center: HealthCenter | None) -> None:
    if health_center is not None and kind != PlaceKind.COMMUNITY:
        raise ValidationError(
            {"health_center": _("Only a community belongs to a health center's area.")}
        )


@transaction.atomic
def place_update(
    *,
    actor: Actor,
    place: Place,
    name: str,
    code: str,
    health_center: HealthCenter | None = None,
    is_active: bool = True,
) -> Place:
    """Rename or recode a place, set its health center, or deactivate it (never delete).

    A change of health center or of active state marks the place's figures (and those above it)
    stale, through `core.changes.places_changed`."""
    _require_manage(actor, place)
    _check_health_center(kind=place.kind, health_center=health_center)
    before = audit_snapshot(place)
    stands_elsewhere = (
        place.health_center_id != (health_center.pk if health_center else None)
        or place.is_active != is_active
    )
    place.name = name.strip()
    place.code = code.strip()
    place.health_center = health_center
    place.is_active = is_active
    place.full_clean()
    place.save(update_fields=["name", "code", "health_center", "is_active", "updated_at"])
    audit_record(actor=actor, obj=place, before=before)
    if stands_elsewhere:
        places_changed(place_ids=[place.pk])
    return place


@transaction.atomic
def place_move(*, actor: Actor, place: Place, parent: Place) -> Place:
    """Move a place and everything below it under `parent`; the actor must manage both ends.

    Refused when `parent` is the place itself or lies below it (the tree would become a loop).
    The figures above the place, on the old side and the new, are marked stale
    (`core.changes.places_changed` before the move, when its parent is the old one, and after).
    """
    _require_manage(actor, place)
    _require_manage(actor, parent)
    if parent.path.startswith(place.path):
        raise ValidationError(
            {"parent": _("A place cannot be moved into itself or one of the places below it.")}
        )
    _check_parent(kind=place.kind, parent=parent)
    if place.parent_id == parent.pk:
        return place
    before = audit_snapshot(place)
    places_changed(place_ids=[place.pk])
    old_path, new_path = place.path, f"{parent.path}{place.pk.hex}/"
    Place.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (parent.depth + 1 - place.depth),
    )
    Place.objects.filter(pk=place.pk).update(parent=parent, updated_at=timezone.now())
    place.refresh_from_db()
    places_changed(place_ids=[place.pk])
    audit_record(actor=actor, obj=place, before=before)
    return place


def _partnership_bounded(since: datetime.date | None, until: datetime.date | None) -> None:
    """A partnership with the program starts and ends within it (a planned end may be ahead)."""
    within_program("partner_since", since, _("The partnership"), future=True)
    within_program("partner_until", until, _("The end of the partnership"), future=True)


def _require_health_center_place(actor: Actor, place: Place) -> None:
    # In a community (the quartier or village where the building stands): what a health center
    # records is counted there, and its health area's totals add up its communities.
    if place.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"place": _("A health center is located in a community.")})
    _require_manage(actor, place)


@transaction.atomic
def health_center_create(
    *,
    actor: Actor,
    name: str,
    code: str,
    place: Place,
    health_area: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    partner_since: datetime.date | None = None,
    partner_until: datetime.date | None = None,
    status: str = HealthCenterStatus.PARTNER,
) -> HealthCenter:
    """Register a CSCom located in `place`."""
    _require_health_center_place(actor, place)
    _partnership_bounded(partner_since, partner_until)
    center = HealthCenter(
        name=name.strip(),
        code=code.strip(),
        place=place,
        health_area=health_area.strip(),
        latitude=latitude,
        longitude=longitude,
        partner_since=partner_since,
        partner_until=partner_until,
        status=status,
        created_by=acting_user(actor),
    )
    return create_audited(center, actor=actor)


@transaction.atomic
def health_center_update(
    *, actor: Actor, health_center: HealthCenter, **fields: Any
) -> HealthCenter:
    """Change a CSCom's details (name, code, health area, location, partnership, status)."""
    _require_manage(actor, health_center.place)
    allowed = {
        "name",
        "code",
        "health_area",
        "latitude",
        "longitude",
        "partner_since",
        "partner_until",
        "status",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in unknown})
    _partnership_bounded(fields.get("partner_since"), fields.get("partner_until"))
    before = audit_snapshot(health_center)
    for field, value in fields.items():
        setattr(health_center, field, value.strip() if isinstance(value, str) else value)
    health_center.full_clean()
    health_center.save(update_fields=[*fields, "updated_at"])
    audit_record(actor=actor, obj=health_center, before=before)
    return health_center


def _require_asaco_manage(actor: Actor, health_center: HealthCenter) -> None:
    require_perm_at(actor, Perm.ASACO_MANAGE, health_center.place)


@transaction.atomic
def asaco_save(
    *,
    actor: Actor,
    health_center: HealthCenter,
    name: str,
    registration_number: str = "",
    registered_on: datetime.date | None = None,
    members_count: int = 0,
) -> Asaco:
    """Create or update the ASACO of a health center."""
    _require_asaco_manage(actor, health_center)
    # An ASACO may be older than the program: only a mistyped year is refused.
    not_before("registered_on", registered_on, EARLIEST_BIRTH, _("The registration"))
    not_in_future("registered_on", registered_on, _("The registration"))
    asaco = Asaco.objects.filter(health_center=health_center).first()
    before = audit_snapshot(asaco) if asaco else None
    if asaco is None:
        asaco = Asaco(health_center=health_center, created_by=acting_user(actor))
    asaco.name = name.strip()
    asaco.registration_number = registration_number.strip()
    asaco.registered_on = registered_on
    asaco.members_count = members_count
    asaco.full_clean()
    asaco.save()
    audit_record(actor=actor, obj=asaco, before=before)
    return asaco


@transaction.atomic
def board_member_add(
    *,
    actor: Actor,
    asaco: Asaco,
    full_name: str,
    role: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    sex: str = "",
    phone: str = "",
) -> BoardMember:
    """Seat a board member. Two people cannot hold the same office (other than member) at once."""
    _require_asaco_manage(actor, asaco.health_center)
    # A board may have been elected before the program: only a mistyped year is refused.
    not_before("term_start", term_start, EARLIEST_BIRTH, _("The term"))
    member = BoardMember(
        asaco=asaco,
        full_name=full_name.strip(),
        role=role,
        term_start=term_start,
        term_end=term_end,
        sex=sex,
        phone=phone.strip(),
        created_by=acting_user(actor),
    )
    if role != "member":
        overlapping = BoardMember.objects.filter(asaco=asaco, role=role).exclude(
            term_end__isnull=False, term_end__lte=term_start
        )
        if term_end is not None:
            overlapping = overlapping.filter(term_start__lt=term_end)
        if overlapping.exists():
            raise ValidationError(
                {"role": _("Someone already holds this office during that term.")}
            )
    return create_audited(member, actor=actor)


@transaction.atomic
def board_member_end_term(
    *, actor: Actor, member: BoardMember, term_end: datetime.date
) -> BoardMember:
    """End a board member's term on `term_end` (the record stays)."""
    _require_asaco_manage(actor, member.asaco.health_center)
    if term_end <= member.term_start:
        raise ValidationError({"term_end": _("The term must end after it started.")})
    before = audit_snapshot(member)
    member.term_end = term_end
    member.save(update_fields=["term_end", "updated_at"])
    audit_record(actor=actor, obj=member, before=before)
    return member


@transaction.atomic
def assembly_record(
    *,
    actor: Actor,
    asaco: Asaco,
    held_on: datetime.date,
    attendance: int,
    decisions: str,
    women_attending: int = 0,
    kind: str = AssemblyKind.ORDINARY,
) -> GeneralAssembly:
    """Record a general assembly that took place (not one in the future)."""
    _require_asaco_manage(actor, asaco.health_center)
    within_program("held_on", held_on, _("The assembly"), future=True)
    text_within("decisions", decisions.strip(), DECISIONS_LENGTH, _("The decisions"))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A general assembly cannot be recorded in advance.")})
    if GeneralAssembly.objects.filter(asaco=asaco, held_on=held_on).exists():
        raise ValidationError({"held_on": _("An assembly is already recorded on this date.")})
    if women_attending > attendance:
        raise ValidationError({"women_attending": _("More women attending than people attending.")})
    assembly = GeneralAssembly(
        asaco=asaco,
        held_on=held_on,
        kind=kind,
        attendance=attendance,
        women_attending=women_attending,
        decisions=decisions.strip(),
        created_by=acting_user(actor),
    )
    create_audited(assembly, actor=actor)
    records_changed(source=SOURCE_ASSEMBLY, cells=[(asaco.health_center.place_id, held_on)])
    return assembly
