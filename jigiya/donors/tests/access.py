"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b"."""

import datetime
from typing import Any

from jigiya.accounts.roles import Role
from jigiya.donors.models import Donor, DonorUser, Funding


def _donor(cast: Any, where: str) -> Any:
    """The donor funding quality in the place; the place's partner login speaks for it (a
    partner opens its own donor's report only, and none without a donor)."""
    donor, _created = Donor.objects.get_or_create(
        code=f"DONOR-{where.upper()}", defaults={"name": f"Donor {where.upper()}"}
    )
    Funding.objects.get_or_create(
        donor=donor,
        program="quality",
        place=cast.place(where),
        defaults={"start": datetime.date(2020, 1, 1)},
    )
    DonorUser.objects.get_or_create(user=cast.user(Role.PARTNER, where), defaults={"donor": donor})
    return donor.pk


def _funding(cast: Any, where: str) -> Any:
    _donor(cast, where)
    return Funding.objects.get(donor__code=f"DONOR-{where.upper()}", place=cast.place(where)).pk


OBJECTS = {"donor_id": _donor, "funding_id": _funding}
# Text that must never appear on a page shown to a user of the other place.
OUTSIDE_TEXT = {"b": ["Donor B"]}
