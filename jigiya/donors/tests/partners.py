"""Partner logins for tests: a partner sees what its donor funds."""

import datetime
from typing import Any

JAN = datetime.date(2025, 1, 1)


def funded_partner(cast: Any, where: str, program: str, funded_at: Any) -> Any:
    """A partner login at `where` whose donor funds `program` at the place `funded_at` (a
    partner sees aggregates of what its donor funds only)."""
    from jigiya.accounts.roles import Role
    from jigiya.donors.models import Donor, DonorUser, Funding

    partner = cast.user(Role.PARTNER, where)
    donor = Donor.objects.create(name=f"Donor {program}", code=f"D-{program}-{funded_at.code}")
    Funding.objects.create(donor=donor, program=program, place=funded_at, start=JAN)
    DonorUser.objects.create(user=partner, donor=donor)
    return partner
