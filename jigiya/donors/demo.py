"""The demo world's donor: it funds health-center quality in Bamako and community health in
Sotuba; the demo partner login (`partenaire`) speaks for it."""

import datetime

from django.db import transaction

from jigiya.accounts.models import User
from jigiya.core.programs import Program
from jigiya.donors import services
from jigiya.donors.models import Donor, Funding
from jigiya.places.models import Place

DONOR_CODE = "FONDATION-SANTE"
FUNDINGS = [
    (Program.QUALITY, "ML-BKO", datetime.date(2021, 1, 1), None),
    (Program.HEALTH, "BKO-C1-SOT", datetime.date(2022, 7, 1), datetime.date(2027, 6, 30)),
    (Program.COOPERATIVES, "BKO", datetime.date(2020, 4, 1), datetime.date(2021, 12, 31)),
]


@transaction.atomic
def load(*, admin: User) -> None:
    """Create the demo donor, its fundings and the partner's link if missing (idempotent)."""
    donor = Donor.objects.filter(code=DONOR_CODE).first()
    if donor is None:
        donor = services.donor_create(
            actor=admin, name="Fondation Santé pour Tous", code=DONOR_CODE
        )
    places = {
        place.code: place for place in Place.objects.filter(code__in=[f[1] for f in FUNDINGS])
    }
    for program, code, start, end in FUNDINGS:
        if (
            code in places
            and not Funding.objects.filter(
                donor=donor, program=program, place=places[code]
            ).exists()
        ):
            services.funding_add(
                actor=admin, donor=donor, program=program, place=places[code], start=start, end=end
            )
    partner = User.objects.filter(username="partenaire").first()
    if partner is not None:
        services.donor_user_link(actor=admin, user=partner, donor=donor)
