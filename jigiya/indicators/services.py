"""Writes of the indicators app: donors, what they fund, and the partner logins that speak for
them. (Indicator values are written only by `engine`.)

Donors are managed by the roles holding `Perm.DONORS_MANAGE` (administrators and program
managers), within their
places: a funding's place must lie in the actor's places, and a partner login may be linked
only if it is assigned within them. Every refusal names its field and changes nothing."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import scope_paths
from jigiya.accounts.roles import Perm, Role
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.indicators.catalog import Program
from jigiya.indicators.models import Donor, DonorUser, Funding
from jigiya.places.models import Place


def donor_manage_paths(user: Any) -> list[str]:
    """The path prefixes under which `user` may manage donors' fundings ("" for everywhere)."""
    return scope_paths(user, Perm.DONORS_MANAGE)


def can_manage_at(user: Any, path: str) -> bool:
    return any(path.startswith(prefix) for prefix in donor_manage_paths(user))


def _check_place(actor: Any, place: Place) -> None:
    if not can_manage_at(actor, place.path):
        raise ValidationError(
            {"place": [_("%(place)s is not in your places.") % {"place": place.name}]}
        )


def _check_program(program: str) -> None:
    if program not in Program.values:
        raise ValidationError(
            {"program": [_("There is no program “%(value)s”.") % {"value": program}]}
        )


def _check_dates(start: datetime.date, end: datetime.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError({"end": [_("The end comes before the start.")]})


@transaction.atomic
def donor_create(*, actor: Any, name: str, code: str) -> Donor:
    """A new donor (codes are unique)."""
    donor = Donor(name=name.strip(), code=code.strip(), created_by=actor)
    donor.full_clean()
    donor.save()
    audit_record(actor=actor, obj=donor)
    return donor


@transaction.atomic
def donor_update(
    *, actor: Any, donor: Donor, name: str, code: str, is_active: bool = True
) -> Donor:
    """Rename a donor, change its code, or deactivate it (donors are never deleted)."""
    before = audit_snapshot(donor)
    donor.name, donor.code, donor.is_active = name.strip(), code.strip(), is_active
    donor.full_clean()
    donor.save(update_fields=["name", "code", "is_active", "updated_at"])
    audit_record(actor=actor, obj=donor, before=before)
    return donor


@transaction.atomic
def funding_add(
    *,
    actor: Any,
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
        donor=donor, program=program, place=place, start=start, end=end, created_by=actor
    )
    funding.full_clean()
    funding.save()
    audit_record(actor=actor, obj=funding)
    return funding


@transaction.atomic
def funding_end(*, actor: Any, funding: Funding, end: datetime.date) -> Funding:
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


def _check_partner(actor: Any, user: Any) -> None:
    paths = list(
        user.assignments.filter(role=Role.PARTNER, place__is_active=True).values_list(
            "place__path", flat=True
        )
    )
    if not paths:
        raise ValidationError({"user": [_("%(user)s is not a partner.") % {"user": user}]})
    if not any(can_manage_at(actor, path) for path in paths):
        raise ValidationError({"user": [_("%(user)s is not in your places.") % {"user": user}]})


@transaction.atomic
def donor_user_link(*, actor: Any, user: Any, donor: Donor) -> DonorUser:
    """Link a partner's login to the donor it speaks for (one donor per login; relinking moves
    it). Refused on `user`: a login that is not a partner, or a partner outside the actor's
    places."""
    _check_partner(actor, user)
    link = DonorUser.objects.filter(user=user).first()
    if link is None:
        link = DonorUser(user=user, donor=donor, created_by=actor)
        link.full_clean()
        link.save()
        audit_record(actor=actor, obj=link)
    elif link.donor_id != donor.pk:
        before = audit_snapshot(link)
        link.donor = donor
        link.save(update_fields=["donor", "updated_at"])
        audit_record(actor=actor, obj=link, before=before)
    return link
