"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b".

Each place gets its own scheme paying its CSCom, a covered child of a household assessed
*free*, and a claim with one line, verified, approved and paid (so every page has something)."""

import datetime
from typing import Any

from jigiya.accounts.roles import Role
from jigiya.care import services
from jigiya.care.models import Budget, CareLine, Claim, Coverage, PaymentEntry, Scheme
from jigiya.donors.models import Donor, Funding
from jigiya.registry.models import Household, LeastAccessAssessment, Person

D = datetime.date


def _world(cast: Any, where: str) -> Claim:
    center = cast.center_a if where == "a" else cast.center_b
    claim = Claim.objects.filter(health_center=center).first()
    if claim is not None:
        return claim
    manager = cast.user(Role.ADMIN, "above")
    donor = Donor.objects.create(name=f"Donateur {where.upper()}", code=f"DC{where}")
    funding = Funding.objects.create(
        donor=donor, program="health", place=cast.region, start=D(2025, 1, 1)
    )
    scheme = services.scheme_create(
        actor=manager, name=f"Soins {where.upper()}", place=cast.region, level="free",
        services=["consultation"], health_centers=[center], valid_from=D(2025, 1, 1),
        funding=funding,
    )  # fmt: skip
    services.budget_set(
        actor=manager, health_center=center, scheme=scheme, start=D(2025, 1, 1),
        end=D(2025, 12, 31), amount=1_000_000,
    )  # fmt: skip
    household = Household.objects.create(community=cast.place(where), name=f"Foyer {where}")
    LeastAccessAssessment.objects.create(
        household=household, assessed_on=D(2025, 1, 1), criteria=[], score=6, decision="free"
    )
    child = Person.objects.create(
        household=household, given_name=f"Enfant{where}", family_name="Soins", sex="M",
        relationship="child", birth_date=D(2024, 1, 1),
    )  # fmt: skip
    services.coverage_decide(
        actor=manager, person=child, scheme=scheme, start=D(2025, 2, 1), reason="Free care"
    )
    line = services.care_line_record(
        actor=manager, health_center=center, person=child, day=D(2025, 3, 3),
        service="consultation", amount=1500,
    )  # fmt: skip
    services.claim_verify(actor=manager, claim=line.claim)
    claim = services.claim_approve(actor=manager, claim=line.claim)
    services.claim_pay(
        actor=manager, claim=claim, paid_on=claim.approved_on, amount=1500, method="cash"
    )
    return claim


OBJECTS = {
    "scheme_id": lambda cast, where: (
        Scheme.objects.get(coverages__lines__claim=_world(cast, where)).pk
    ),
    "coverage_id": lambda cast, where: Coverage.objects.get(lines__claim=_world(cast, where)).pk,
    "claim_id": lambda cast, where: _world(cast, where).pk,
    "line_id": lambda cast, where: CareLine.objects.get(claim=_world(cast, where)).pk,
    "budget_id": lambda cast, where: (
        Budget.objects.get(health_center=_world(cast, where).health_center).pk
    ),
    "payment_id": lambda cast, where: PaymentEntry.objects.get(claim=_world(cast, where)).pk,
}
# Text that must never appear on a page shown to a user of the other place.
OUTSIDE_TEXT = {"b": ["Soins B", "EnfantB", "Enfantb"]}
