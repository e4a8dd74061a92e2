"""Coverage schemes and coverage decisions: who is covered, for what, from when to when.

A person is eligible for a scheme on a day when the household's least-access assessment in force
qualifies it (`Level`) and she is a child under five that day (the scheme covering children) or
pregnant, or delivered at most 42 days before (the scheme covering pregnancies). A decision is
refused for a person who is not eligible on its start; the care lines check the day of care.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.care.bulk import Entry, insert_audit
from jigiya.care.common import SOURCE_COVERAGE
from jigiya.care.facts import DATABASE, Facts
from jigiya.care.models import (
    CHILD_YEARS,
    POSTPARTUM_DAYS,
    CareLine,
    Coverage,
    ExitReason,
    Level,
    LineStatus,
    Scheme,
    Service,
)
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, text_within, within_program
from jigiya.core.changes import records_changed
from jigiya.core.models import AuditAction
from jigiya.core.periods import Month, month_range
from jigiya.core.retries import replay
from jigiya.donors.models import Funding
from jigiya.places.models import HealthCenter, Place
from jigiya.registry.models import LeastAccessAssessment, LeastAccessDecision, Person, Sex

QUALIFYING = {
    Level.FREE: {LeastAccessDecision.FREE},
    Level.SUBSIDIZED: {LeastAccessDecision.FREE, LeastAccessDecision.SUBSIDIZED},
}


@transaction.atomic
def scheme_create(
    *,
    actor: Actor,
    name: str,
    place: Place,
    level: str,
    services: list[str],
    health_centers: list[HealthCenter],
    valid_from: datetime.date,
    funding: Funding,
    percent: int = 100,
    ceiling: int | None = None,
    valid_until: datetime.date | None = None,
    covers_children: bool = True,
    covers_pregnancies: bool = True,
    id: uuid.UUID | None = None,
) -> Scheme:
    """A scheme over `place`, at health centers inside it, funded by a funding of the
    community-health program that covers the place."""
    require_perm_at(actor, Perm.CARE_PAY, place)
    unknown = sorted(set(services) - set(Service.values))
    if unknown or not services:
        raise ValidationError(
            {"services": _("Choose the services covered (unknown: %(codes)s).")
            % {"codes": ", ".join(unknown) or "—"}}
        )  # fmt: skip
    outside = [str(c) for c in health_centers if not c.place.path.startswith(place.path)]
    if outside or not health_centers:
        raise ValidationError(
            {"health_centers": _("Choose health centers inside %(place)s (not: %(names)s).")
            % {"place": place, "names": ", ".join(outside) or "—"}}
        )  # fmt: skip
    if funding.program != "health" or not place.path.startswith(funding.place.path):
        raise ValidationError(
            {"funding": _("This funding does not pay for community health in %(place)s.")
            % {"place": place}}
        )  # fmt: skip
    if ceiling is not None and ceiling <= 0:
        raise ValidationError({"ceiling": _("The ceiling must be a positive number of FCFA.")})
    scheme = Scheme(
        name=name.strip(), place=place, level=level, services=sorted(set(services)),
        percent=percent, ceiling=ceiling, valid_from=valid_from, valid_until=valid_until,
        funding=funding, covers_children=covers_children,
        covers_pregnancies=covers_pregnancies, created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(scheme, actor=actor, id=id)
    scheme.health_centers.set(health_centers)
    return scheme


def fifth_birthday(birth_date: datetime.date) -> datetime.date:
    """The day a child born on `birth_date` turns five (28 February for 29 February)."""
    try:
        return birth_date.replace(year=birth_date.year + CHILD_YEARS)
    except ValueError:  # born on 29 February
        return birth_date.replace(year=birth_date.year + CHILD_YEARS, day=28)


def who_is_eligible(
    person: Person, scheme: Scheme, day: datetime.date, facts: Facts = DATABASE
) -> str | None:
    """Why `person` is eligible on `day` ("child", "pregnancy"), or None."""
    birth = person.birth_date
    if scheme.covers_children and birth is not None and birth <= day < fifth_birthday(birth):
        return "child"
    if scheme.covers_pregnancies and person.sex == Sex.FEMALE:
        for pregnancy in facts.pregnancies(person):
            if pregnancy.start <= day and (
                pregnancy.outcome_date is None
                or day <= pregnancy.outcome_date + datetime.timedelta(days=POSTPARTUM_DAYS)
            ):
                return "pregnancy"
    return None


def check_eligible(
    person: Person,
    scheme: Scheme,
    day: datetime.date,
    field: str = "start",
    facts: Facts = DATABASE,
) -> tuple[LeastAccessAssessment, str]:
    """The assessment that qualifies `person` for `scheme` on `day` and why she is eligible
    ("child", "pregnancy"), or the reason she is not, as a `ValidationError` on `field`."""
    if not scheme.valid_from <= day <= (scheme.valid_until or day):
        raise ValidationError(
            {field: _("%(scheme)s is valid from %(start)s to %(end)s, not on %(day)s.")
            % {"scheme": scheme, "start": scheme.valid_from,
               "end": scheme.valid_until or "—", "day": day}}
        )  # fmt: skip
    assessment = facts.assessment(person, day)
    if assessment is None or assessment.decision not in QUALIFYING[Level(scheme.level)]:
        raise ValidationError(
            {field: _("The household of %(person)s is not assessed for %(level)s on %(day)s.")
            % {"person": person, "level": Level(scheme.level).label, "day": day}}
        )  # fmt: skip
    eligible_as = who_is_eligible(person, scheme, day, facts)
    if eligible_as is None:
        raise ValidationError(
            {field: _("%(person)s is neither a child under five nor pregnant or within 42 "
                      "days of a delivery on %(day)s.") % {"person": person, "day": day}}
        )  # fmt: skip
    return assessment, eligible_as


@transaction.atomic
def coverage_decide(
    *,
    actor: Actor,
    person: Person,
    scheme: Scheme,
    start: datetime.date,
    reason: str,
    end: datetime.date | None = None,
    renews: Coverage | None = None,
    id: uuid.UUID | None = None,
) -> Coverage:
    """Decide that `person` is covered by `scheme` from `start` (to `end`), for `reason`.
    Under the scheme's lock, so a decision and the scheme's closing never cross (a decision
    made then would outlive the scheme); in a scheme that ends, the decision ends with it."""
    require_perm_at(actor, Perm.CARE_DECIDE, person.household.community)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    existing = replay(Coverage, id, {"person": person, "scheme": scheme, "start": start})
    if existing is not None:
        return existing
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    text_within("reason", reason.strip(), 300, _("The reason"))
    within_program("start", start, _("The start"), future=True)
    not_before("end", end, start, _("The end"), _("the start"))
    if not person.household.community.path.startswith(scheme.place.path):
        raise ValidationError(
            {"scheme": _("%(scheme)s does not cover %(place)s.")
            % {"scheme": scheme, "place": person.household.community}}
        )  # fmt: skip
    if Coverage.objects.filter(person=person, scheme=scheme, end__isnull=True).exists():
        raise ValidationError(
            {"scheme": _("%(person)s is already covered by %(scheme)s: end that decision or "
                         "renew it.") % {"person": person, "scheme": scheme}}
        )  # fmt: skip
    assessment, _eligible_as = check_eligible(person, scheme, start)
    exit_reason = ""
    if scheme.valid_until is not None and (end is None or end > scheme.valid_until):
        end, exit_reason = scheme.valid_until, ExitReason.SCHEME_ENDED
    coverage = Coverage(
        person=person, scheme=scheme, assessment=assessment, reason=reason.strip(),
        start=start, end=end, exit_reason=exit_reason, renews=renews,
        created_by=acting_user(actor),
    )  # fmt: skip
    create_audited(coverage, actor=actor, id=id)
    records_changed(
        source=SOURCE_COVERAGE, cells=covered_cells([person.household.community_id], start, end)
    )
    return coverage


def covered_cells(
    community_ids: Iterable[uuid.UUID], first: datetime.date, last: datetime.date | None
) -> list[tuple[uuid.UUID, datetime.date]]:
    """The community-months whose people covered change when coverage changes from `first` to
    `last` (open: to today): the figure counts who is covered on each month's last day, so
    every month between changes, not only the first (`care.people_covered`)."""
    today = timezone.localdate()
    last = today if last is None else min(last, today)
    months = month_range(Month.of(first), Month.of(last)) or [Month.of(first)]
    return [(community, month.first_day) for community in community_ids for month in months]


@transaction.atomic
def coverage_end(
    *, actor: Actor, coverage: Coverage, end: datetime.date, exit_reason: str
) -> Coverage:
    """End a coverage on `end` (the last day covered), for `exit_reason`."""
    require_perm_at(actor, Perm.CARE_DECIDE, coverage.person.household.community)
    coverage = Coverage.objects.select_for_update().get(pk=coverage.pk)
    if exit_reason not in ExitReason.values:
        raise ValidationError({"exit_reason": _("Choose why the coverage ends.")})
    if coverage.end is not None and coverage.end < end:
        raise ValidationError(
            {"end": _("This coverage already ended on %(day)s.") % {"day": coverage.end}}
        )
    not_before("end", end, coverage.start, _("The end"), _("the start"))
    last_line = coverage.lines.exclude(status="rejected").order_by("-day").first()
    if last_line is not None and last_line.day > end:
        raise ValidationError(
            {"end": _("Care on %(day)s was claimed under this coverage: end it on or after it.")
            % {"day": last_line.day}}
        )  # fmt: skip
    before = audit_snapshot(coverage)
    old_end = coverage.end
    coverage.end, coverage.exit_reason = end, exit_reason
    coverage.full_clean()
    coverage.save(update_fields=["end", "exit_reason", "updated_at"])
    audit_record(actor=actor, obj=coverage, before=before)
    community = coverage.person.household.community_id
    records_changed(source=SOURCE_COVERAGE, cells=covered_cells([community], end, old_end))
    return coverage


@transaction.atomic
def coverage_renew(
    *,
    actor: Actor,
    coverage: Coverage,
    start: datetime.date,
    end: datetime.date | None,
    reason: str,
    id: uuid.UUID | None = None,
) -> Coverage:
    """A new decision for the same person and scheme following `coverage` (ended the day
    before `start` if still open); eligibility is checked again."""
    if coverage.end is None or coverage.end >= start:
        coverage_end(
            actor=actor,
            coverage=coverage,
            end=start - datetime.timedelta(days=1),
            exit_reason=ExitReason.OTHER,
        )
    return coverage_decide(
        actor=actor, person=coverage.person, scheme=coverage.scheme, start=start, end=end,
        reason=reason, renews=coverage, id=id,
    )  # fmt: skip


@transaction.atomic
def scheme_close(
    *, actor: Actor, scheme: Scheme, valid_until: datetime.date, reason: str
) -> Scheme:
    """Close a scheme on `valid_until` (its last day), for `reason`: the scheme and the
    coverage decisions still open after that day end then ("Scheme ended"), each audited; no
    line of care after it may be claimed. Refused when care after that day is already claimed,
    or when the scheme already ended earlier."""
    require_perm_at(actor, Perm.CARE_PAY, scheme.place)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the scheme.")})
    text_within("reason", reason.strip(), 300, _("The reason"))
    not_before("valid_until", valid_until, scheme.valid_from, _("The end"), _("the start"))
    if scheme.valid_until is not None and scheme.valid_until <= valid_until:
        raise ValidationError(
            {"valid_until": _("%(scheme)s already ends on %(day)s.")
            % {"scheme": scheme, "day": scheme.valid_until}}
        )  # fmt: skip
    last = (
        CareLine.objects.filter(coverage__scheme=scheme, day__gt=valid_until)
        .exclude(status=LineStatus.REJECTED)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    if last is not None:
        raise ValidationError(
            {"valid_until": _("Care on %(day)s was claimed under this scheme: close it on or "
                              "after that day.") % {"day": last}}
        )  # fmt: skip
    before = audit_snapshot(scheme)
    scheme.valid_until, scheme.closed_reason = valid_until, reason.strip()
    scheme.full_clean()
    scheme.save(update_fields=["valid_until", "closed_reason", "updated_at"])
    audit_record(actor=actor, obj=scheme, before=before)
    _end_coverages(actor, scheme, valid_until)
    return scheme


# Decisions ended per statement when a scheme closes (keyset chunks: memory bounded).
CLOSE_CHUNK = 2_000


def _end_coverages(actor: Actor, scheme: Scheme, day: datetime.date) -> None:
    """End every decision of `scheme` still in force after `day` on that day (one starting
    after it ends on its own start: the day it was to begin), each audited as `audit_record`
    would. Set-based: per chunk of `CLOSE_CHUNK` decisions, one read (rows locked), one UPDATE
    and one insert of the audit entries; the communities' figures are marked stale once, from
    the month of `day` to this one."""
    who, communities, after = acting_user(actor), set(), None
    while True:
        rows = _open_after(scheme, day, after)
        if not rows:
            break
        Coverage.objects.filter(pk__in=[row[0] for row in rows]).update(
            end=Greatest(Value(day), F("start")),
            exit_reason=ExitReason.SCHEME_ENDED,
            updated_at=timezone.now(),
        )
        insert_audit(who, AuditAction.UPDATE, Coverage._meta.label_lower, _ended(rows, scheme, day))
        communities |= {row[-1] for row in rows}
        after = rows[-1][0]
    if communities:
        records_changed(source=SOURCE_COVERAGE, cells=covered_cells(sorted(communities), day, None))


def _open_after(scheme: Scheme, day: datetime.date, after: uuid.UUID | None) -> list[tuple]:
    """The next chunk of the scheme's decisions in force after `day`, by id, locked."""
    rows = Coverage.objects.filter(scheme=scheme).filter(Q(end__isnull=True) | Q(end__gt=day))
    if after is not None:
        rows = rows.filter(pk__gt=after)
    return list(
        rows.select_for_update(of=("self",))
        .order_by("pk")
        .values_list(
            "pk", "start", "end", "exit_reason", "person__given_name", "person__family_name",
            "person__household__community_id",
        )[:CLOSE_CHUNK]
    )  # fmt: skip


def _ended(rows: list[tuple], scheme: Scheme, day: datetime.date) -> list[Entry]:
    """The audit entries of these decisions ended on `day`: the fields that changed, before and
    after (none when nothing did, as `audit_record`)."""
    entries: list[Entry] = []
    reason = ExitReason.SCHEME_ENDED.value
    for pk, start, end, exit_reason, given, family, _community in rows:
        changes: dict[str, list] = {}
        new_end = max(day, start)
        if end != new_end:
            changes["end"] = [end and end.isoformat(), new_end.isoformat()]
        if exit_reason != reason:
            changes["exit_reason"] = [exit_reason, reason]
        if changes:
            entries.append((str(pk), f"{given} {family} · {scheme}", changes))
    return entries
