"""Generated free care for benchmarks: one free-care scheme over the country paying every
generated health center (funded by a generated donor), one generated household in three
assessed *free*, its children under five covered, and a care line every other month or so per
child over the last 18 months, in one claim per health center and month: verified, approved
and paid (hash-chained entries computed here, as `ledger.post` would), the last two months
approved and open. Rows go in with `bulk_create`, never through the services (too slow at
national scale); everything is marked `GEN-` (scheme, donor) for `reset` and `count`.

| scale    | covered children (≈) | care lines (≈) |
|----------|---------------------:|---------------:|
| tiny     |                  ~10 |            ~60 |
| national |              ~60 000 |       ~500 000 |
"""

import datetime
import random
import uuid
from collections import defaultdict
from typing import Any

from django.db import router
from django.utils import timezone

from jigiya.care import ledger
from jigiya.care.coverage import fifth_birthday
from jigiya.care.models import (
    CareLine,
    Claim,
    ClaimStatus,
    Coverage,
    EntryKind,
    LineStatus,
    Method,
    PaymentEntry,
    Scheme,
)
from jigiya.core import appendonly
from jigiya.core.generate import (
    CODE_PREFIX,
    Counts,
    Progress,
    Scale,
    Step,
    bulk_insert,
    new_id,
    register_step,
)
from jigiya.core.periods import Month
from jigiya.donors.models import Donor, Funding
from jigiya.followup.generate import PREFIX as FAMILIES
from jigiya.places.models import HealthCenter, Place, PlaceKind
from jigiya.registry.models import Household, LeastAccessAssessment, Person

NAME = f"{CODE_PREFIX}Soins gratuits"
MONTHS = 18
ONE_IN = 3  # households assessed free
SERVICES = ("consultation", "medicines", "tests")


def size(scale: Scale) -> int:
    return scale.communities * 300  # rows, roughly, for the progress bar


def generate(scale: Scale, rng: random.Random, progress: Progress) -> Counts:
    """The scheme, coverage and claims; nothing when they are already there."""
    if Scheme.objects.filter(name=NAME).exists():
        return {}
    centers = list(HealthCenter.objects.filter(code__startswith=CODE_PREFIX).order_by("code"))
    country = Place.objects.filter(kind=PlaceKind.COUNTRY).order_by("code").first()
    if not centers or country is None:
        return {}
    progress.set_description("care: coverage and claims")
    today = timezone.localdate()
    start = Month.current().shift(-(MONTHS - 1)).first_day
    scheme = _scheme(country, centers, start)
    children = _cover(scheme, start, today, rng, progress)
    lines, claims = _lines(children, start, today, rng)
    for claim in claims.values():
        claim.approved_amount = sum(line.covered for line in claim.lines_made)  # type: ignore[attr-defined]
    entries = _payments(claims, today)  # sets each claim's status and approval first
    bulk_insert(Claim, list(claims.values()), progress)
    bulk_insert(CareLine, lines, progress)
    bulk_insert(PaymentEntry, entries, progress)
    return {"covered people": len(children), "care lines": len(lines), "claims": len(claims),
            "payments": len(entries)}  # fmt: skip


def _scheme(country: Place, centers: list[HealthCenter], start: datetime.date) -> Scheme:
    donor = Donor.objects.create(name=f"{CODE_PREFIX}Donateur soins", code=f"{CODE_PREFIX}CARE")
    funding = Funding.objects.create(donor=donor, program="health", place=country, start=start)
    scheme = Scheme.objects.create(
        name=NAME, place=country, level="free", services=list(SERVICES), ceiling=10_000,
        valid_from=start, funding=funding,
    )  # fmt: skip
    scheme.health_centers.set(centers)
    return scheme


def _cover(
    scheme: Scheme, start: datetime.date, today: datetime.date, rng: random.Random, progress: Any
) -> list[tuple[Person, Coverage, Any]]:
    """One generated household in three assessed free; its children under five covered from
    the start (or their birth)."""
    households = list(
        Household.objects.filter(name__startswith=FAMILIES, community__health_center__isnull=False)
        .order_by("pk")
        .values_list("pk", "community__health_center_id")
    )[::ONE_IN]
    center_of = dict(households)
    assessments = {
        pk: LeastAccessAssessment(
            id=new_id(rng),
            household_id=pk,
            assessed_on=start - datetime.timedelta(days=10),
            criteria=["no_regular_income", "could_not_pay_care", "food_insecure"],
            score=6,
            decision="free",
        )
        for pk in center_of
    }
    bulk_insert(LeastAccessAssessment, list(assessments.values()), progress)
    five_years_ago = today - datetime.timedelta(days=5 * 365)
    people = Person.objects.filter(
        household_id__in=list(center_of), birth_date__gt=five_years_ago, is_active=True
    ).order_by("pk")
    children = []
    for person in people.iterator(chunk_size=5000):
        coverage = Coverage(
            id=new_id(rng), person_id=person.pk, scheme=scheme,
            assessment=assessments[person.household_id], reason="Généré : moindre accès",
            start=max(start, person.birth_date or start),
        )  # fmt: skip
        children.append((person, coverage, center_of[person.household_id]))
    bulk_insert(Coverage, [c for _p, c, _h in children], progress)
    return children


def _lines(
    children: list[tuple[Person, Coverage, Any]],
    start: datetime.date,
    today: datetime.date,
    rng: random.Random,
) -> tuple[list[CareLine], dict[tuple[Any, datetime.date], Claim]]:
    claims: dict[tuple[Any, datetime.date], Claim] = {}
    lines = []
    for person, coverage, center_id in children:
        day = coverage.start + datetime.timedelta(days=rng.randrange(1, 60))
        last_day = min(today, fifth_birthday(person.birth_date)) if person.birth_date else today
        while day < last_day:
            month = day.replace(day=1)
            claim = claims.get((center_id, month))
            if claim is None:
                claim = claims[(center_id, month)] = Claim(
                    id=new_id(rng), health_center_id=center_id, month=month,
                    status=ClaimStatus.CLOSED,
                )  # fmt: skip
                claim.lines_made = []  # type: ignore[attr-defined]
            amount = rng.randrange(1000, 9000, 100)
            line = CareLine(
                id=new_id(rng), claim=claim, person_id=person.pk, coverage=coverage, day=day,
                eligible_as="child", service=rng.choice(SERVICES), amount=amount,
                covered=amount, status=LineStatus.APPROVED,
            )  # fmt: skip
            lines.append(line)
            claim.lines_made.append(line)  # type: ignore[attr-defined]
            day += datetime.timedelta(days=rng.randrange(40, 80))
    return lines, claims


def _payments(
    claims: dict[tuple[Any, datetime.date], Claim], today: datetime.date
) -> list[PaymentEntry]:
    """Every claim but the last two months' paid (closed), each center's chain computed here."""
    recent = Month.current().shift(-1).first_day
    entries = []
    by_center: dict[Any, list[Claim]] = defaultdict(list)
    for (center_id, _month), claim in sorted(
        claims.items(), key=lambda item: (str(item[0][0]), item[0][1])
    ):
        by_center[center_id].append(claim)
    for center_id, rows in by_center.items():
        previous, seq = ledger.GENESIS, 0
        for claim in rows:
            paid_on = min(
                Month.of(claim.month).next().first_day + datetime.timedelta(days=9), today
            )
            claim.approved_on = paid_on
            if claim.month >= recent:
                claim.status = ClaimStatus.APPROVED
                continue
            seq += 1
            entry = PaymentEntry(
                id=uuid.uuid5(claim.pk, "payment"), health_center_id=center_id, seq=seq,
                kind=EntryKind.PAYMENT, claim=claim, on=paid_on, amount=claim.approved_amount,
                method=Method.ORANGE_MONEY, reference=f"OM-{claim.pk.hex[:10]}", prev_hash=previous,
            )  # fmt: skip
            entry.hash = previous = ledger.chain_hash(previous, ledger.canonical(entry))
            entries.append(entry)
    return entries


def _generated() -> dict[str, Any]:
    return {"name": NAME}


def reset() -> Counts:
    """Delete the generated scheme and everything under it (the payments ledger's guards are
    bypassed on purpose: this is synthetic data)."""
    schemes = Scheme.objects.filter(**_generated())
    claims = Claim.objects.filter(lines__coverage__scheme__in=schemes).distinct()
    claim_ids = list(claims.values_list("pk", flat=True))
    using = router.db_for_write(PaymentEntry)
    with appendonly.suspended("care_paymententry", using=using):
        payments = PaymentEntry.objects.filter(claim_id__in=claim_ids)._raw_delete(using)
    lines = CareLine.objects.filter(coverage__scheme__in=schemes)._raw_delete(using)
    claims_deleted = Claim.objects.filter(pk__in=claim_ids)._raw_delete(using)
    coverages = Coverage.objects.filter(scheme__in=schemes)
    deleted = {
        "payments": payments,
        "care lines": lines,
        "claims": claims_deleted,
        "coverages": coverages._raw_delete(using),
    }
    # The generated families' assessments are this step's (the follow-up makes none).
    LeastAccessAssessment.objects.filter(household__name__startswith=FAMILIES).delete()
    funding_ids = list(schemes.values_list("funding_id", flat=True))
    for scheme in schemes:
        scheme.health_centers.clear()
    schemes.delete()
    Funding.objects.filter(pk__in=funding_ids).delete()
    Donor.objects.filter(code=f"{CODE_PREFIX}CARE").delete()
    return deleted


def count() -> Counts:
    schemes = Scheme.objects.filter(**_generated())
    return {
        "covered people": Coverage.objects.filter(scheme__in=schemes).count(),
        "care lines": CareLine.objects.filter(coverage__scheme__in=schemes).count(),
    }


STEP = register_step(Step(name="care", generate=generate, size=size, reset=reset, count=count))
