"""What the eligibility and care-line rules read, behind one interface, so that the rules are
written once (`coverage.check_eligible`, `claims.line_check`) and read either

- from the database, a query each (`Facts`, for one line or one decision), or
- from memory (`Preloaded`), loaded in a fixed number of queries for a batch of rows of an
  upload: the people's coverages with their schemes' health centers, the households'
  assessments, the women's pregnancies, the referrals and the lines already claimed over the
  batch's days. Lines accepted earlier in the batch count as claimed (`claim`).
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from jigiya.care.models import REFERRAL_WINDOW_DAYS, CareLine, Coverage, LineStatus, Scheme
from jigiya.followup.models import Referral
from jigiya.registry.models import LeastAccessAssessment, Person, Pregnancy

WINDOW = datetime.timedelta(days=REFERRAL_WINDOW_DAYS)


class Facts:
    """The rules' reads, straight from the database."""

    def coverages(self, person: Person, day: datetime.date) -> list[Coverage]:
        """The person's coverages in force on `day`, with their schemes."""
        return list(
            Coverage.objects.filter(person_id=person.pk, start__lte=day)
            .exclude(end__lt=day)
            .select_related("scheme")
        )

    def center_ids(self, scheme: Scheme) -> set[uuid.UUID]:
        return set(scheme.health_centers.values_list("pk", flat=True))

    def referral(self, person: Person, center_id: Any, day: datetime.date) -> Referral | None:
        """The latest referral of `person` to the health center in the days before the care."""
        return (
            Referral.objects.filter(
                person_id=person.pk,
                health_center_id=center_id,
                referred_on__lte=day,
                referred_on__gte=day - WINDOW,
            )
            .order_by("-referred_on")
            .first()
        )

    def assessment(self, person: Person, day: datetime.date) -> LeastAccessAssessment | None:
        """The household's latest least-access assessment made on or before `day`."""
        return (
            LeastAccessAssessment.objects.filter(
                household_id=person.household_id, assessed_on__lte=day
            )
            .order_by("-assessed_on", "-created_at")
            .first()
        )

    def pregnancies(self, person: Person) -> list[Pregnancy]:
        return list(Pregnancy.objects.filter(woman_id=person.pk, is_active=True))

    def claimed_by(
        self, person: Person, day: datetime.date, service: str, line_id: uuid.UUID | None
    ) -> str | None:
        """The health center that already claimed this person, day and service, if any."""
        lines = CareLine.objects.filter(person_id=person.pk, day=day, service=service).exclude(
            status=LineStatus.REJECTED
        )
        if line_id is not None:
            lines = lines.exclude(pk=line_id)
        same = lines.select_related("claim__health_center").first()
        return None if same is None else str(same.claim.health_center)


DATABASE = Facts()


class Lasting:
    """What does not change while a file is checked, read once per person over the whole file
    (not once per chunk she appears in): her coverages (all of them, each scheme read once, with
    its health centers), her household's assessments, her pregnancies. Bounded by the people of
    the file (at most one per row)."""

    def __init__(self) -> None:
        self.coverages: dict[Any, list[Coverage]] = defaultdict(list)
        self.centers: dict[Any, set[uuid.UUID]] = defaultdict(set)
        self.assessments: dict[Any, list[LeastAccessAssessment]] = defaultdict(list)
        self.pregnancies: dict[Any, list[Pregnancy]] = defaultdict(list)
        self._people: set[Any] = set()
        self._households: set[Any] = set()
        self._schemes: dict[Any, Scheme] = {}

    def load(self, people: Iterable[Person]) -> None:
        """Read what is not read yet for `people` (a fixed number of queries)."""
        people = list(people)
        ids = {p.pk for p in people} - self._people
        households = {p.household_id for p in people} - self._households
        self._people |= ids
        self._households |= households
        coverages = list(Coverage.objects.filter(person_id__in=ids))
        self._load_schemes({c.scheme_id for c in coverages} - self._schemes.keys())
        for coverage in coverages:
            # Each scheme shared by its coverages (not one copy per coverage).
            Coverage.scheme.field.set_cached_value(coverage, self._schemes[coverage.scheme_id])
            self.coverages[coverage.person_id].append(coverage)
        for assessment in LeastAccessAssessment.objects.filter(
            household_id__in=households
        ).order_by("assessed_on", "created_at"):
            self.assessments[assessment.household_id].append(assessment)
        for pregnancy in Pregnancy.objects.filter(woman_id__in=ids, is_active=True):
            self.pregnancies[pregnancy.woman_id].append(pregnancy)

    def _load_schemes(self, ids: set[Any]) -> None:
        if not ids:
            return
        self._schemes.update(Scheme.objects.in_bulk(ids))
        through = Scheme.health_centers.through.objects.filter(scheme_id__in=ids)
        for scheme_id, center_id in through.values_list("scheme_id", "healthcenter_id"):
            self.centers[scheme_id].add(center_id)


class Preloaded(Facts):
    """The same reads, from memory, for these people over these days (a fixed number of
    queries whatever their number); what lasts comes from `lasting` when given (an upload
    shares one over its chunks)."""

    def __init__(
        self,
        people: Iterable[Person],
        first: datetime.date,
        last: datetime.date,
        lasting: Lasting | None = None,
    ):
        people = list(people)
        ids = {p.pk for p in people}
        self._lasting = lasting or Lasting()
        self._lasting.load(people)
        self._coverages = self._lasting.coverages
        self._centers = self._lasting.centers
        self._assessments = self._lasting.assessments
        self._pregnancies = self._lasting.pregnancies
        self._referrals: dict[Any, list[Referral]] = defaultdict(list)
        for referral in Referral.objects.filter(
            person_id__in=ids, referred_on__lte=last, referred_on__gte=first - WINDOW
        ).order_by("referred_on"):
            self._referrals[referral.person_id].append(referral)
        self._claimed: dict[tuple[Any, datetime.date, str], str] = {}
        lines = CareLine.objects.filter(person_id__in=ids, day__gte=first, day__lte=last).exclude(
            status=LineStatus.REJECTED
        )
        for person_id, day, service, center in lines.values_list(
            "person_id", "day", "service", "claim__health_center__name"
        ):
            self._claimed[(person_id, day, service)] = center

    def coverages(self, person: Person, day: datetime.date) -> list[Coverage]:
        return [c for c in self._coverages[person.pk] if c.covers(day)]

    def center_ids(self, scheme: Scheme) -> set[uuid.UUID]:
        return self._centers[scheme.pk]

    def referral(self, person: Person, center_id: Any, day: datetime.date) -> Referral | None:
        found = [
            r
            for r in self._referrals[person.pk]
            if r.health_center_id == center_id and day - WINDOW <= r.referred_on <= day
        ]
        return found[-1] if found else None

    def assessment(self, person: Person, day: datetime.date) -> LeastAccessAssessment | None:
        found = [a for a in self._assessments[person.household_id] if a.assessed_on <= day]
        return found[-1] if found else None

    def pregnancies(self, person: Person) -> list[Pregnancy]:
        return self._pregnancies[person.pk]

    def claimed_by(
        self, person: Person, day: datetime.date, service: str, line_id: uuid.UUID | None
    ) -> str | None:
        return self._claimed.get((person.pk, day, service))

    def claim(self, person: Person, day: datetime.date, service: str, center: str) -> None:
        """A line accepted in this batch: a later row for the same care is a duplicate."""
        self._claimed[(person.pk, day, service)] = center
