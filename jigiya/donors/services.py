"""Writes of the donors app: donors, what they fund, and the partner logins that speak for them.

Donors are managed by the roles holding `Perm.DONORS_MANAGE` (administrators and program
managers), within their places: a funding's place must lie in the actor's places, and a partner
login may be linked only if it is assigned within them. Every refusal names its field and changes
nothing; an actor who manages donors nowhere is refused (403)."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, has_perm_at, require_perm_anywhere
from jigiya.accounts.roles import Perm, Role
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import within_program
from jigiya.core.programs import Program
from jigiya.donors.models import Donor, DonorUser, Funding
from jigiya.places.models import Place

if TYPE_CHECKING:
    from jigiya.accounts.models import User


def _check_place(actor: Actor, place: Place) -> None:
    if not has_perm_at(actor, Perm.DONORS_MANAGE, place.path):
        raise ValidationError(
            {"place": [_("%(place)s is not in your places.") % {"place": place.name}]}
        )


def _check_program(program: str) -> None:
    if program not in Program.values:
        raise ValidationError(
            {"program": [_("There is no program “%(value)s”.") % {"value": program}]}
        )


def _check_dates(start: datetime.date, end: datetime.date | None) -> None:
    # A funding may be signed ahead of its start: the program's start is its only floor.
    within_program("start", start, _("The start"), future=True)
    within_program("end", end, _("The end"), future=True)
    if end is not None and end < start:
        raise ValidationError({"end": [_("The end comes before the start.")]})


@transaction.atomic
def donor_create(*, actor: Actor, name: str, code: str) -> Donor:
    """A new donor (codes are unique). Refused (403) to an actor who manages donors nowhere."""
    require_perm_anywhere(actor, Perm.DONORS_MANAGE)
    donor = Donor(name=name.strip(), code=code.strip(), created_by=acting_user(actor))
    return create_audited(donor, actor=actor)


@transaction.atomic
def donor_update(
    *, actor: Actor, donor: Donor, name: str, code: str, is_active: bool = True
) -> Donor:
    """Rename a donor, change its code, or deactivate it (donors are never deleted). Refused
    (403) to an actor who manages donors nowhere."""
    require_perm_anywhere(actor, Perm.DONORS_MANAGE)
    before = audit_snapshot(donor)
    donor.name, donor.code, donor.is_active = name.strip(), code.strip(), is_active
    donor.full_clean()
    donor.save(update_fields=["name", "code", "is_active", "updated_at"])
    audit_record(actor=actor, obj=donor, before=before)
    return donor


@transaction.atomic
def funding_add(
    *,
    actor: Actor,
    donor: Donor,
    program: str,
    place: Place,
    start: datetime.date,
    end: datetime.date | None = None,
) -> Funding:
    """`donor` funds `program` in `place` and below, from `start` to `end` (open if None).
    Refused on the field: an unknown program, an end before the start, a place outside the
    actor's places."""
    _check_program(program)
    _check_dates(start, end)
    _check_place(actor, place)
    funding = Funding(
        donor=donor,
        program=program,
        place=place,
        start=start,
        end=end,
        created_by=acting_user(actor),
    )
    return create_audited(funding, actor=actor)


@transaction.atomic
def funding_end(*, actor: Actor, funding: Funding, end: datetime.date) -> Funding:
    """Set the last day of a funding (its report stops there). Refused: an end before the start,
    a funding whose place is outside the actor's places."""
    _check_dates(funding.start, end)
    _check_place(actor, funding.place)
    before = audit_snapshot(funding)
    funding.end = end
    funding.full_clean()
    funding.save(update_fields=["end", "updated_at"])
    audit_record(actor=actor, obj=funding, before=before)
    return funding


def _check_partner(actor: Actor, user: "User") -> None:
    paths = list(
        user.assignments.filter(role=Role.PARTNER, place__is_active=True).values_list(
            "place__path", flat=True
        )
    )
    if not paths:
        raise ValidationError({"user": [_("%(user)s is not a partner.") % {"user": user}]})
    if not any(has_perm_at(actor, Perm.DONORS_MANAGE, path) for path in paths):
        raise ValidationError({"user": [_("%(user)s is not in your places.") % {"user": user}]})


@transaction.atomic
def donor_user_link(*, actor: Actor, user: "User", donor: Donor) -> DonorUser:
    """Link a partner's login to the donor it speaks for (one donor per login; relinking moves
    it). Refused on `user`: a login that is not a partner, or a partner outside the actor's
    places."""
    _check_partner(actor, user)
    link = DonorUser.objects.filter(user=user).first()
    if link is None:
        link = create_audited(
            DonorUser(user=user, donor=donor, created_by=acting_user(actor)), actor=actor
        )
    elif link.donor_id != donor.pk:
        before = audit_snapshot(link)
        link.donor = donor
        link.save(update_fields=["donor", "updated_at"])
        audit_record(actor=actor, obj=link, before=before)
    return link
