"""The demo world's free and subsidized care, Sotuba first: a free-care scheme for Sotuba
(the donor's community-health funding there), a subsidized scheme (50 %) for the other partner
health centers of Bamako (a funding the donor adds for the cercle), the families with the least
access assessed and their children under five and pregnant women covered, budgets per year,
and 18 months of claims: each month's care lines recorded by the health center, verified,
approved and paid (Orange Money, Moov Money, bank in turn); the last month paid waits, this
month's claim is open. Everything goes through the services. Idempotent: a scheme already
there is left as it is."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jigiya.accounts.models import User
from jigiya.care import services
from jigiya.care.coverage import who_is_eligible
from jigiya.care.models import Claim, ClaimStatus, OverBudget, Scheme
from jigiya.core.periods import Month
from jigiya.core.programs import Program
from jigiya.donors import services as donor_services
from jigiya.donors.models import Donor, Funding
from jigiya.places.models import HealthCenter, Place
from jigiya.registry import services as registry_services
from jigiya.registry.models import Household, Person

D = datetime.date
MONTHS = 18
SEED = 14
START = D(2025, 6, 1)
# (scheme name, level, percent, ceiling, place code, health center codes, free criteria?)
SCHEMES = [
    ("Soins gratuits Sotuba", "free", 100, 25_000, "BKO-C1-SOT", ["CSCOM-SOT"]),
    ("Soins subventionnés Bamako", "subsidized", 50, 15_000, "BKO", ["CSCOM-BAN", "CSCOM-YIR"]),
]
SERVICES = ["consultation", "medicines", "tests", "delivery", "antenatal", "transport"]
CRITERIA = {
    "free": ["no_regular_income", "could_not_pay_care", "food_insecure"],
    "subsidized": ["no_regular_income", "female_headed"],
}
# Typical amounts (FCFA) by service.
AMOUNTS = {
    "consultation": (1000, 3000), "medicines": (1500, 9000), "tests": (2000, 6000),
    "delivery": (8000, 15000), "antenatal": (1000, 2500), "transport": (2000, 5000),
}  # fmt: skip
METHODS = [("orange_money", "OM"), ("moov_money", "MM"), ("bank", "BDM")]


def load(*, admin: User) -> None:
    """The schemes, coverage, budgets and claims (idempotent, a scheme at a time)."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    for name, level, percent, ceiling, place_code, center_codes in SCHEMES:
        if Scheme.objects.filter(name=name).exists():
            continue
        place = Place.objects.filter(code=place_code).first()
        centers = list(HealthCenter.objects.filter(code__in=center_codes).order_by("code"))
        if place is None or not centers:
            continue
        with transaction.atomic():
            scheme = services.scheme_create(
                actor=admin, name=name, place=place, level=level, services=SERVICES,
                health_centers=centers, valid_from=START, funding=_funding(admin, place),
                percent=percent, ceiling=ceiling,
            )  # fmt: skip
            people = _cover(admin, scheme, centers, rng)
            for center in sorted(centers, key=lambda c: c.code != "CSCOM-SOT"):
                _budgets(admin, scheme, center)
                _claims(admin, scheme, center, people.get(center.pk, []), rng)


def _funding(admin: User, place: Place) -> Funding:
    """The donor's community-health funding over the place (added for the cercle)."""
    donor = Donor.objects.order_by("created_at").first()
    if donor is None:
        donor = donor_services.donor_create(actor=admin, name="Fondation Santé", code="FS-CARE")
    for funding in Funding.objects.filter(donor=donor, program=Program.HEALTH):
        if place.path.startswith(funding.place.path):
            return funding
    return donor_services.funding_add(
        actor=admin, donor=donor, program=Program.HEALTH, place=place, start=D(2025, 1, 1),
        end=D(2027, 12, 31),
    )  # fmt: skip


def _cover(
    admin: User, scheme: Scheme, centers: list[HealthCenter], rng: random.Random
) -> dict[object, list[Person]]:
    """Assess the first households of each center's communities and cover who is eligible."""
    covered: dict[object, list[Person]] = {}
    for center in centers:
        households = Household.objects.filter(
            community__health_center=center, is_active=True
        ).order_by("name")[: 14 if center.code == "CSCOM-SOT" else 8]
        for household in households:
            registry_services.least_access_assess(
                actor=admin, household=household, assessed_on=START - datetime.timedelta(days=15),
                criteria=CRITERIA[scheme.level],
            )  # fmt: skip
            for person in household.members.filter(is_active=True):
                start = _first_eligible(person, scheme)
                if start is None:
                    continue
                services.coverage_decide(
                    actor=admin, person=person, scheme=scheme, start=start,
                    reason="Évaluation moindre accès : " + scheme.get_level_display(),
                )  # fmt: skip
                covered.setdefault(center.pk, []).append(person)
    return covered


def _first_eligible(person: Person, scheme: Scheme) -> datetime.date | None:
    today = timezone.localdate()
    day = START
    while day <= today:
        if who_is_eligible(person, scheme, day):
            return day
        day += datetime.timedelta(days=30)
    return None


def _budgets(admin: User, scheme: Scheme, center: HealthCenter) -> None:
    # Sotuba's 2026 budget is tight: its alerts at 80 % (and maybe 100 %) show in the demo.
    amounts = {"CSCOM-SOT": (100_000, 300_000)}.get(center.code, (200_000, 300_000))
    for year, amount in zip((2025, 2026), amounts, strict=True):
        services.budget_set(
            actor=admin, health_center=center, scheme=scheme, start=D(year, 1, 1),
            end=D(year, 12, 31), amount=amount, over_budget=OverBudget.SECOND_APPROVAL,
        )  # fmt: skip


def _claims(
    admin: User, scheme: Scheme, center: HealthCenter, people: list[Person], rng: random.Random
) -> None:
    """18 months of lines; every month's claim verified, approved and paid but the last two."""
    staff = User.objects.filter(username="cscom.sotuba").first()
    recorder = staff if staff is not None and center.code == "CSCOM-SOT" else admin
    this_month = Month.current()
    for offset in range(MONTHS - 1, -1, -1):
        month = this_month.shift(-offset)
        _month_lines(recorder, center, people, month, rng)
        claim = Claim.objects.filter(health_center=center, month=month.first_day).first()
        if claim is None or offset == 0:
            continue
        services.claim_verify(actor=admin, claim=claim)
        approved_on = min(month.next().first_day + datetime.timedelta(days=5), timezone.localdate())
        claim = services.claim_approve(actor=admin, claim=claim, on=approved_on)
        if offset == 1 or claim.status != ClaimStatus.APPROVED:
            continue
        method, prefix = METHODS[offset % len(METHODS)]
        services.claim_pay(
            actor=admin, claim=claim, paid_on=approved_on, amount=claim.approved_amount,
            method=method, reference=f"{prefix}-{center.code[-3:]}-{month.first_day:%Y%m}",
        )  # fmt: skip
        if offset > 3:
            services.claim_close(actor=admin, claim=claim)


def _month_lines(
    actor: User, center: HealthCenter, people: list[Person], month: Month, rng: random.Random
) -> None:
    today = timezone.localdate()
    for person in people:
        for _visit in range(rng.choice((0, 1, 1, 2))):
            day = month.first_day + datetime.timedelta(days=rng.randrange(28))
            if day > today:
                continue
            service = rng.choice(SERVICES[:3] if person.birth_date and person.birth_date.year > 2019
                                 else SERVICES)  # fmt: skip
            low, high = AMOUNTS[service]
            try:
                services.care_line_record(
                    actor=actor, health_center=center, person=person, day=day,
                    service=service, amount=rng.randrange(low, high, 100),
                )  # fmt: skip
            except ValidationError:
                continue  # not eligible that day, or a duplicate: as a health center would be told
