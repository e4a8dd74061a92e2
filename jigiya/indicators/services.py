"""Writes of the indicators app: donors, what they fund, and the partner logins that speak for
them. (Indicator values are written only by `engine`.)"""

import datetime
from typing import Any

from django.db import transaction

from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.indicators.models import Donor, DonorUser, Funding
from jigiya.places.models import Place


@transaction.atomic
def donor_create(*, actor: Any, name: str, code: str) -> Donor:
    """A new donor (codes are unique)."""
    donor = Donor(name=name, code=code, created_by=actor)
    donor.full_clean()
    donor.save()
    audit_record(actor=actor, obj=donor)
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
    """`donor` funds `program` in `place` and below, from `start` to `end` (open if None)."""
    funding = Funding(
        donor=donor, program=program, place=place, start=start, end=end, created_by=actor
    )
    funding.full_clean()
    funding.save()
    audit_record(actor=actor, obj=funding)
    return funding


@transaction.atomic
def donor_user_link(*, actor: Any, user: Any, donor: Donor) -> DonorUser:
    """Link a partner's login to the donor it speaks for (one donor per login; relinking moves
    it)."""
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
