"""Every write to the registry: households, people, pregnancies, enrollments, least-access
assessments. Each call is one transaction, audited, and keeps the CHW's tasks in step.

Records a device can create take the device's UUID (`id`): the same call again returns the
record unchanged (`record._replayed` is True), the same id with other content is a `Conflict`.
"""

import datetime
import difflib
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import has_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.changes import declare_source, records_changed
from jigiya.core.models import AuditAction
from jigiya.core.periods import Month, month_range
from jigiya.core.retries import replay
from jigiya.places.models import HealthCenter, Place, PlaceKind
from jigiya.registry.models import (
    FREE_CARE_SCORE,
    LEAST_ACCESS_CRITERIA,
    LONGEST_PREGNANCY_DAYS,
    PREGNANCY_DAYS,
    SUBSIDIZED_CARE_SCORE,
    AncContact,
    BirthOutcome,
    DeliveryPlace,
    Enrollment,
    ExitReason,
    FollowupProgram,
    Household,
    LeastAccessAssessment,
    LeastAccessDecision,
    Person,
    Pregnancy,
    Relationship,
    Sex,
    name_key,
)

SOURCE_ENROLLMENT = declare_source("registry.enrollment")
SOURCE_PREGNANCY = declare_source("registry.pregnancy")

# An EDD earlier than this after the LMP is impossible (24 weeks: viability).
SHORTEST_EDD_DAYS = 24 * 7

# Given names and family names both more alike than this (0-1, difflib's ratio on the
# normalised names: "Diarra"/"Diara" 0.91, "Issa"/"Drissa" 0.8) may be the same person.
SIMILAR_NAMES = 0.8
DUPLICATE_BIRTH_DAYS = 365


def require_record(actor: Any, community: Place) -> None:
    """The actor records health data in this community, or PermissionDenied."""
    if not has_perm_at(actor, Perm.HEALTH_RECORD, community.path):
        raise PermissionDenied


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _not_future(field: str, day: datetime.date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            {field: _("%(label)s %(day)s is in the future.") % {"label": label, "day": day}}
        )


# --- households ---------------------------------------------------------------------------


@transaction.atomic
def household_create(
    *,
    actor: Any,
    community: Place,
    name: str,
    id: uuid.UUID | None = None,  # the device's id
    landmark: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    phone: str = "",
    chw: Any = None,
) -> Household:
    """Register a household in a community the actor records in; its CHW (if given) must
    work there."""
    require_record(actor, community)
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": _("A household belongs to a community.")})
    fields = {
        "community": community,
        "name": name.strip(),
        "landmark": landmark.strip(),
        "latitude": latitude,
        "longitude": longitude,
        "phone": phone.strip(),
        "chw": chw,
    }
    existing = replay(Household, id, fields)
    if existing is not None:
        return existing
    if chw is not None and not has_perm_at(chw, Perm.HEALTH_RECORD, community.path):
        raise ValidationError({"chw": _("This CHW does not work in this community.")})
    household = Household(created_by=_actor(actor), **fields)
    if id is not None:
        household.id = id
    household.full_clean()
    household.save(force_insert=True)
    audit_record(actor=actor, obj=household)
    return household


@transaction.atomic
def household_update(*, actor: Any, household: Household, **fields: Any) -> Household:
    """Change a household's details (name, landmark, location, phone, CHW, head, active)."""
    require_record(actor, household.community)
    allowed = {"name", "landmark", "latitude", "longitude", "phone", "chw", "head", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in unknown})
    if fields.get("chw") is not None and not has_perm_at(
        fields["chw"], Perm.HEALTH_RECORD, household.community.path
    ):
        raise ValidationError({"chw": _("This CHW does not work in this community.")})
    head = fields.get("head")
    if head is not None and head.household_id != household.pk:
        raise ValidationError({"head": _("The head must be a member of the household.")})
    if (
        fields.get("is_active") is False
        and household.is_active
        and Person.objects.filter(household=household, is_active=True).exists()
    ):
        raise ValidationError(
            {
                "is_active": _(
                    "Deactivate its members first (moved, died or left): the household still "
                    "has active members."
                )
            }
        )
    before = audit_snapshot(household)
    for field, value in fields.items():
        setattr(household, field, value.strip() if isinstance(value, str) else value)
    household.full_clean()
    household.save(update_fields=[*fields, "updated_at"])
    audit_record(actor=actor, obj=household, before=before)
    return household


# --- people -------------------------------------------------------------------------------


def duplicate_candidates(
    *,
    community: Place,
    given_name: str,
    family_name: str,
    sex: str,
    birth_date: datetime.date | None,
    exclude: uuid.UUID | None = None,
) -> list[Person]:
    """People of the same community and sex, born within a year (or of unknown birth date),
    whose names are alike once accents and case are put aside: perhaps the same person."""
    given, family = name_key(given_name, ""), name_key(family_name, "")
    people = Person.objects.filter(
        household__community=community, sex=sex, is_active=True
    ).select_related("household")
    if birth_date is not None:
        window = datetime.timedelta(days=DUPLICATE_BIRTH_DAYS)
        people = people.filter(
            birth_date__gte=birth_date - window, birth_date__lte=birth_date + window
        ) | people.filter(birth_date__isnull=True)
    if exclude is not None:
        people = people.exclude(pk=exclude)

    def alike(first: str, second: str) -> bool:
        return difflib.SequenceMatcher(None, first, second).ratio() > SIMILAR_NAMES

    found = []
    for person in people.order_by("name_key")[:500]:
        other_given = name_key(person.given_name, "")
        other_family = name_key(person.family_name, "")
        if (alike(given, other_given) and alike(family, other_family)) or (
            alike(given, other_family) and alike(family, other_given)
        ):
            found.append(person)
    return found


class PossibleDuplicate(ValidationError):
    """Raised by `person_register` when people alike already exist; `candidates` lists them.
    Send again with `confirm_duplicate=True` to register anyway."""

    def __init__(self, candidates: list[Person]) -> None:
        names = ", ".join(
            f"{person} ({person.birth_date or '?'}, {person.household})" for person in candidates
        )
        super().__init__(
            {
                "confirm_duplicate": [
                    _("This person may already be registered: %(names)s. Check, then confirm.")
                    % {"names": names}
                ]
            }
        )
        self.candidates = candidates


def _check_birth(birth_date: datetime.date | None) -> None:
    _not_future("birth_date", birth_date, _("The date of birth"))
    if birth_date is not None and birth_date.year < 1900:
        raise ValidationError(
            {"birth_date": _("The date of birth %(day)s is too far back.") % {"day": birth_date}}
        )


@transaction.atomic
def person_register(
    *,
    actor: Any,
    household: Household,
    given_name: str,
    family_name: str,
    sex: str,
    relationship: str,
    id: uuid.UUID | None = None,  # the device's id
    birth_date: datetime.date | None = None,
    age_years: int | None = None,
    phone: str = "",
    confirm_duplicate: bool = False,
) -> Person:
    """Register a member of a household. With `age_years` instead of a date of birth, the date
    is estimated (1 July of that year). People alike in the same community (see
    `duplicate_candidates`) stop the registration with `PossibleDuplicate` unless confirmed."""
    require_record(actor, household.community)
    if birth_date is None and age_years is not None:
        if not 0 <= age_years <= 120:
            raise ValidationError(
                {"age_years": _("An age of %(age)s years is not possible.") % {"age": age_years}}
            )
        birth_date = datetime.date(timezone.localdate().year - age_years, 7, 1)
        estimated = True
    else:
        estimated = False
    _check_birth(birth_date)
    fields = {
        "household": household,
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "sex": sex,
        "relationship": relationship,
        "birth_date": birth_date,
        "phone": phone.strip(),
    }
    existing = replay(Person, id, fields)
    if existing is not None:
        return existing
    if not confirm_duplicate:
        candidates = duplicate_candidates(
            community=household.community,
            given_name=given_name,
            family_name=family_name,
            sex=sex,
            birth_date=birth_date,
        )
        if candidates:
            raise PossibleDuplicate(candidates)
    person = Person(birth_date_estimated=estimated, created_by=_actor(actor), **fields)
    person.name_key = name_key(person.given_name, person.family_name)
    if id is not None:
        person.id = id
    person.full_clean()
    person.save(force_insert=True)
    audit_record(actor=actor, obj=person)
    if relationship == Relationship.HEAD and household.head_id is None:
        Household.objects.filter(pk=household.pk).update(head=person)
        household.head = person
    return person


PERSON_DETAILS = ("given_name", "family_name", "sex", "birth_date", "relationship", "phone")


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    given_name: str,
    family_name: str,
    sex: str,
    relationship: str,
    birth_date: datetime.date | None = None,
    age_years: int | None = None,
    phone: str = "",
    confirm_duplicate: bool = False,
) -> Person:
    """Correct a person's details (names, sex, date of birth or age, relationship, phone).

    Sending the same details again changes nothing (no audit entry). A new name, sex or date of
    birth is checked for duplicates like a registration. A change of sex or date of birth that
    would contradict the follow-up is refused (a man with an open pregnancy, a child enrolled
    at five or more, a visit before birth); otherwise the child's stored ages and z-scores are
    recomputed and the indicator cells of their visits and enrollments marked stale."""
    community = person.household.community
    require_record(actor, community)
    if not person.is_active:
        raise ValidationError({"person": _("%(person)s is no longer active.") % {"person": person}})
    estimated = person.birth_date_estimated
    if birth_date is None and age_years is not None:
        if not 0 <= age_years <= 120:
            raise ValidationError(
                {"age_years": _("An age of %(age)s years is not possible.") % {"age": age_years}}
            )
        birth_date = datetime.date(timezone.localdate().year - age_years, 7, 1)
        estimated = birth_date != person.birth_date or person.birth_date_estimated
    elif birth_date != person.birth_date:
        estimated = False
    _check_birth(birth_date)
    if sex not in Sex.values:
        raise ValidationError({"sex": _("Choose a sex.")})
    if relationship not in Relationship.values:
        raise ValidationError({"relationship": _("Choose a relationship.")})
    new: dict[str, Any] = {
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "sex": sex,
        "birth_date": birth_date,
        "relationship": relationship,
        "phone": phone.strip(),
    }
    changed = {field for field, value in new.items() if getattr(person, field) != value}
    if estimated != person.birth_date_estimated:
        changed.add("birth_date_estimated")
    if not changed:
        return person
    from jigiya.followup.models import ChildAssessment, Visit

    if (
        "sex" in changed
        and sex != Sex.FEMALE
        and Pregnancy.objects.filter(
            woman=person, outcome_date__isnull=True, is_active=True
        ).exists()
    ):
        raise ValidationError({"sex": _("%(person)s has an open pregnancy.") % {"person": person}})
    if "birth_date" in changed:
        first_visit = (
            Visit.objects.filter(people=person).order_by("date").values_list("date", flat=True)
        ).first()
        if first_visit is not None and (birth_date is None or birth_date > first_visit):
            raise ValidationError(
                {
                    "birth_date": _(
                        "%(person)s was seen on %(visit)s: the date of birth %(day)s cannot "
                        "be after it."
                    )
                    % {"person": person, "visit": first_visit, "day": birth_date or "?"}
                }
            )
        first_start = (
            Enrollment.objects.filter(person=person)
            .order_by("start")
            .values_list("start", flat=True)
            .first()
        )
        if first_start is not None and birth_date is not None and birth_date > first_start:
            raise ValidationError(
                {
                    "birth_date": _(
                        "%(person)s was enrolled on %(start)s: the date of birth %(day)s "
                        "cannot be after it."
                    )
                    % {"person": person, "start": first_start, "day": birth_date}
                }
            )
        child = Enrollment.objects.filter(
            person=person, program=FollowupProgram.CHILD, end__isnull=True
        ).first()
        if child is not None and (birth_date is None or (child.start - birth_date).days >= 1826):
            raise ValidationError(
                {
                    "birth_date": _(
                        "With the date of birth %(day)s, %(person)s was not under five when "
                        "enrolled on %(start)s."
                    )
                    % {"day": birth_date or "?", "person": person, "start": child.start}
                }
            )
    if not confirm_duplicate and changed & {"given_name", "family_name", "sex", "birth_date"}:
        candidates = duplicate_candidates(
            community=community,
            given_name=new["given_name"],
            family_name=new["family_name"],
            sex=sex,
            birth_date=birth_date,
            exclude=person.pk,
        )
        if candidates:
            raise PossibleDuplicate(candidates)
    checks = (
        _rescored_checks(
            person,
            ChildAssessment,
            sex=sex,
            birth_date=birth_date,
            field="birth_date" if "birth_date" in changed else "sex",
        )
        if changed & {"sex", "birth_date"}
        else None
    )
    before = audit_snapshot(person)
    for field, value in new.items():
        setattr(person, field, value)
    person.birth_date_estimated = estimated
    person.name_key = name_key(person.given_name, person.family_name)
    person.full_clean()
    person.save(update_fields=[*PERSON_DETAILS, "birth_date_estimated", "name_key", "updated_at"])
    audit_record(actor=actor, obj=person, before=before)
    if checks is not None:
        _rescore_child(person, ChildAssessment, checks)
    return person


def _rescored_checks(
    person: Person,
    assessment_model: Any,
    *,
    sex: str,
    birth_date: datetime.date | None,
    field: str,
) -> list[Any]:
    """The child's stored assessments with ages, z-scores and missing vaccines recomputed for
    this sex and date of birth (not saved). A z-score outside WHO's plausibility limits refuses
    the correction, as it refuses a visit, naming the visit and the value."""
    from jigiya.followup import growth, schedules

    checks = list(
        assessment_model.objects.filter(person=person)
        .select_related("visit")
        .order_by("visit__date", "created_at")
    )
    for check in checks:
        age = (check.visit.date - birth_date).days if birth_date is not None else None
        scores = growth.z_scores(
            sex=sex,
            age_days=age,
            weight_kg=float(check.weight_kg) if check.weight_kg is not None else None,
            height_cm=float(check.height_cm) if check.height_cm is not None else None,
            measured_lying=check.measured_lying,
            oedema=check.oedema,
        )
        implausible = scores.implausible()
        if implausible:
            name, value = implausible[0]
            raise ValidationError(
                {
                    field: _(
                        "With this correction, the %(indicator)s z-score of the visit of "
                        "%(visit)s would be %(value)s, outside WHO's plausible range: check "
                        "the correction."
                    )
                    % {
                        "indicator": name.upper(),
                        "visit": check.visit.date,
                        "value": f"{value:.2f}",
                    }
                }
            )
        check.age_days = age
        check.waz = growth.as_decimal(scores.waz)
        check.haz = growth.as_decimal(scores.haz)
        check.whz = growth.as_decimal(scores.whz)
        check.vaccines_missing = schedules.vaccines_missing(age, set(check.vaccines))
    return checks


def _rescore_child(person: Person, assessment_model: Any, checks: list[Any]) -> None:
    """After a correction of sex or date of birth: the child's stored ages, z-scores and
    missing vaccines (from `_rescored_checks`) are saved, and the indicator cells of the
    visits and enrollments are stale."""
    from jigiya.followup.services import SOURCE_VISIT

    if checks:
        assessment_model.objects.bulk_update(
            checks, ["age_days", "waz", "haz", "whz", "vaccines_missing"]
        )
    community = person.household.community_id
    records_changed(source=SOURCE_VISIT, cells=[(community, check.visit.date) for check in checks])
    records_changed(
        source=SOURCE_ENROLLMENT,
        cells=[
            (community, enrollment.start) for enrollment in Enrollment.objects.filter(person=person)
        ],
    )


@transaction.atomic
def person_deactivate(
    *, actor: Any, person: Person, reason: str, day: datetime.date | None = None
) -> Person:
    """A person moved, died or left: deactivated (never deleted), every open enrollment ended
    with that reason, every open task cancelled (with its history), so they leave the
    worklist. Deactivating someone already inactive changes nothing (`_replayed`)."""
    require_record(actor, person.household.community)
    if reason not in (ExitReason.MOVED, ExitReason.DIED, ExitReason.LEFT):
        raise ValidationError({"reason": _("Choose moved, died or left.")})
    day = day or timezone.localdate()
    _not_future("day", day, _("The day"))
    if not person.is_active:
        person._replayed = True  # type: ignore[attr-defined]
        return person
    starts = Enrollment.objects.filter(person=person, end__isnull=True).values_list(
        "start", flat=True
    )
    if any(day < start for start in starts):
        raise ValidationError(
            {"day": _("%(day)s is before the start of a follow-up.") % {"day": day}}
        )
    for enrollment in Enrollment.objects.filter(person=person, end__isnull=True):
        enrollment_end(actor=actor, enrollment=enrollment, end=day, reason=reason)
    from jigiya.followup import engine
    from jigiya.followup.models import Task

    engine.cancel(Task.objects.filter(person=person), day=day, actor=actor, note=reason)
    before = audit_snapshot(person)
    person.is_active = False
    person.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, obj=person, before=before, action=AuditAction.DEACTIVATE)
    return person


# --- enrollments --------------------------------------------------------------------------


@transaction.atomic
def enrollment_start(
    *,
    actor: Any,
    person: Person,
    program: str,
    start: datetime.date,
    id: uuid.UUID | None = None,  # the device's id
) -> Enrollment:
    """Enroll a person in the child or pregnancy follow-up. A second open enrollment in the
    same program is refused. A child's first visit is due on the start day."""
    require_record(actor, person.household.community)
    existing = replay(Enrollment, id, {"person": person, "program": program, "start": start})
    if existing is not None:
        return existing
    _not_future("start", start, _("The start"))
    if not person.is_active:
        raise ValidationError({"person": _("%(person)s is no longer active.") % {"person": person}})
    if person.birth_date is not None and start < person.birth_date:
        raise ValidationError(
            {
                "start": _("The start %(start)s is before the date of birth %(birth)s.")
                % {"start": start, "birth": person.birth_date}
            }
        )
    if Enrollment.objects.filter(person=person, program=program, end__isnull=True).exists():
        raise ValidationError(
            {
                "program": _("%(person)s is already enrolled in the %(program)s follow-up.")
                % {"person": person, "program": FollowupProgram(program).label}
            }
        )
    if program == FollowupProgram.CHILD:
        age = person.age_days(start)
        if age is None or age >= 1826:
            raise ValidationError(
                {"person": _("Only a child under five (with a date of birth) can be enrolled.")}
            )
    if program == FollowupProgram.PREGNANCY and person.sex != Sex.FEMALE:
        raise ValidationError({"person": _("Only a woman can be followed for a pregnancy.")})
    enrollment = Enrollment(person=person, program=program, start=start, created_by=_actor(actor))
    if id is not None:
        enrollment.id = id
    enrollment.full_clean()
    enrollment.save(force_insert=True)
    audit_record(actor=actor, obj=enrollment)
    _mark_enrollment_months(person.household.community_id, start, None)
    if program == FollowupProgram.CHILD:
        from jigiya.followup import engine

        engine.schedule_child(enrollment, anchor=start, first=True, actor=actor)
    return enrollment


@transaction.atomic
def enrollment_end(
    *, actor: Any, enrollment: Enrollment, end: datetime.date, reason: str
) -> Enrollment:
    """End an enrollment (reached five, moved, died, left, completed); its open tasks are
    cancelled. "Reached five" ends only a child's follow-up, on or after her fifth birthday."""
    require_record(actor, enrollment.person.household.community)
    return _enrollment_end(actor=actor, enrollment=enrollment, end=end, reason=reason)


def _enrollment_end(
    *, actor: Any, enrollment: Enrollment, end: datetime.date, reason: str
) -> Enrollment:
    if enrollment.end is not None:
        raise ValidationError({"end": _("This enrollment has already ended.")})
    if reason not in ExitReason.values:
        raise ValidationError({"reason": _("Choose an exit reason.")})
    if end < enrollment.start:
        raise ValidationError(
            {
                "end": _("The end %(end)s is before the start %(start)s.")
                % {"end": end, "start": enrollment.start}
            }
        )
    _not_future("end", end, _("The end"))
    if reason == ExitReason.REACHED_FIVE:
        person = enrollment.person
        if enrollment.program != FollowupProgram.CHILD:
            raise ValidationError(
                {"reason": _("Only a child's follow-up ends because the child reached five.")}
            )
        birthday = fifth_birthday(person.birth_date) if person.birth_date else None
        if birthday is None or end < birthday:
            raise ValidationError(
                {
                    "reason": _("%(person)s turns five on %(birthday)s, after the end %(end)s.")
                    % {"person": person, "birthday": birthday or "?", "end": end}
                }
            )
    before = audit_snapshot(enrollment)
    enrollment.end = end
    enrollment.exit_reason = reason
    enrollment.save(update_fields=["end", "exit_reason", "updated_at"])
    audit_record(actor=actor, obj=enrollment, before=before)
    from jigiya.followup import engine

    engine.cancel_for_enrollment(enrollment, actor=actor)
    # Open, it counted up to the current month; ended, up to its end month.
    _mark_enrollment_months(enrollment.person.household.community_id, end, None)
    return enrollment


def _mark_enrollment_months(
    community_id: uuid.UUID, first: datetime.date, last: datetime.date | None
) -> None:
    """An enrollment counts in every month it covers (health.children_two_contacts): each
    month from `first` to `last` (or to the current month when None), and never beyond the
    current month, is stale."""
    current = Month.current()
    until = min(Month.of(last), current) if last is not None else current
    records_changed(
        source=SOURCE_ENROLLMENT,
        cells=[(community_id, month.first_day) for month in month_range(Month.of(first), until)],
    )


def fifth_birthday(birth_date: datetime.date) -> datetime.date:
    """The day a child turns five (1 March for a child born on 29 February)."""
    try:
        return birth_date.replace(year=birth_date.year + 5)
    except ValueError:
        return datetime.date(birth_date.year + 5, 3, 1)


@transaction.atomic
def enrollments_close_at_five(*, today: datetime.date | None = None) -> int:
    """End every open child enrollment whose child turned five on or before `today` (default:
    today), on the fifth birthday, with the reason "child reached five"; returns how many.
    Each goes through `enrollment_end`'s path (audit, open tasks cancelled, indicator cells
    stale). Run again, it finds nothing more to end (0). For the nightly sweep: no actor."""
    today = today or timezone.localdate()
    # Born on or before this day: five by `today` (29 February turns five on 1 March).
    latest_birth = (
        today.replace(year=today.year - 5)
        if not (today.month == 2 and today.day == 29)
        else datetime.date(today.year - 5, 2, 28)
    )
    enrollments = (
        Enrollment.objects.filter(
            program=FollowupProgram.CHILD,
            end__isnull=True,
            person__birth_date__lte=latest_birth,
        )
        .select_related("person__household")
        .order_by("pk")
    )
    count = 0
    for enrollment in enrollments:
        assert enrollment.person.birth_date is not None
        end = max(fifth_birthday(enrollment.person.birth_date), enrollment.start)
        _enrollment_end(actor=None, enrollment=enrollment, end=end, reason=ExitReason.REACHED_FIVE)
        count += 1
    return count


# --- pregnancies --------------------------------------------------------------------------


@transaction.atomic
def pregnancy_register(
    *,
    actor: Any,
    woman: Person,
    lmp: datetime.date | None = None,
    edd: datetime.date | None = None,
    id: uuid.UUID | None = None,  # the device's id
    today: datetime.date | None = None,
) -> Pregnancy:
    """Register a pregnancy from the LMP or the EDD (one is needed; with both, the EDD must
    fall 24 to 44 weeks after the LMP). The LMP (given, or the one the EDD implies) is neither
    in the future nor more than 44 weeks back. The woman is enrolled in the pregnancy
    follow-up and her contacts are scheduled."""
    require_record(actor, woman.household.community)
    today = today or timezone.localdate()
    if lmp is None and edd is None:
        raise ValidationError({"lmp": _("Give the last menstrual period or the expected date.")})
    _not_future("lmp", lmp, _("The last menstrual period"))
    if (
        lmp is not None
        and edd is not None
        and not SHORTEST_EDD_DAYS <= (edd - lmp).days <= LONGEST_PREGNANCY_DAYS
    ):
        raise ValidationError(
            {
                "edd": _(
                    "The expected delivery date %(edd)s is %(weeks)s weeks after the last "
                    "menstrual period %(lmp)s: it must be 24 to 44 weeks after it."
                )
                % {"edd": edd, "lmp": lmp, "weeks": (edd - lmp).days // 7}
            }
        )
    if lmp is None:
        assert edd is not None
        implied = edd - datetime.timedelta(days=PREGNANCY_DAYS)
        if implied > today:
            raise ValidationError(
                {
                    "edd": _(
                        "The expected delivery date %(edd)s is more than 40 weeks ahead: the "
                        "last menstrual period it implies, %(lmp)s, is in the future."
                    )
                    % {"edd": edd, "lmp": implied}
                }
            )
    if edd is None:
        assert lmp is not None
        edd = lmp + datetime.timedelta(days=PREGNANCY_DAYS)
    existing = replay(Pregnancy, id, {"woman": woman, "lmp": lmp, "edd": edd})
    if existing is not None:
        return existing
    start = lmp or edd - datetime.timedelta(days=PREGNANCY_DAYS)
    if (today - start).days > LONGEST_PREGNANCY_DAYS:
        raise ValidationError(
            {
                "lmp" if lmp is not None else "edd": _(
                    "A pregnancy from %(lmp)s (the last menstrual period) would already be over "
                    "44 weeks on %(today)s."
                )
                % {"lmp": start, "today": today}
            }
        )
    if woman.sex != Sex.FEMALE:
        raise ValidationError({"woman": _("Only a woman can be pregnant.")})
    if Pregnancy.objects.filter(woman=woman, outcome_date__isnull=True, is_active=True).exists():
        raise ValidationError(
            {"woman": _("%(woman)s already has an open pregnancy.") % {"woman": woman}}
        )
    pregnancy = Pregnancy(woman=woman, lmp=lmp, edd=edd, created_by=_actor(actor))
    if id is not None:
        pregnancy.id = id
    pregnancy.full_clean()
    pregnancy.save(force_insert=True)
    audit_record(actor=actor, obj=pregnancy)
    if not Enrollment.objects.filter(
        person=woman, program=FollowupProgram.PREGNANCY, end__isnull=True
    ).exists():
        enrollment_start(
            actor=actor, person=woman, program=FollowupProgram.PREGNANCY, start=min(today, edd)
        )
    records_changed(source=SOURCE_PREGNANCY, cells=[(woman.household.community_id, edd)])
    from jigiya.followup import engine

    engine.schedule_pregnancy(pregnancy, today=today, actor=actor)
    return pregnancy


@transaction.atomic
def anc_contact_record(
    *,
    actor: Any,
    pregnancy: Pregnancy,
    date: datetime.date,
    place: str,
    health_center: HealthCenter | None = None,
    id: uuid.UUID | None = None,  # the device's id
) -> AncContact:
    """An antenatal care contact she had (at her CSCom or another facility)."""
    require_record(actor, pregnancy.woman.household.community)
    fields = {"pregnancy": pregnancy, "date": date, "place": place}
    existing = replay(AncContact, id, fields)
    if existing is not None:
        return existing
    _not_future("date", date, _("The ANC contact"))
    if date < pregnancy.start:
        raise ValidationError(
            {"date": _("The ANC contact %(day)s is before the pregnancy.") % {"day": date}}
        )
    if pregnancy.outcome_date is not None and date > pregnancy.outcome_date:
        raise ValidationError(
            {
                "date": _("The ANC contact %(day)s is after the delivery %(outcome)s.")
                % {"day": date, "outcome": pregnancy.outcome_date}
            }
        )
    if place == DeliveryPlace.THIS_CSCOM:
        health_center = pregnancy.woman.household.community.health_center
        if health_center is None:
            raise ValidationError({"place": _("This community has no CSCom recorded.")})
    if AncContact.objects.filter(pregnancy=pregnancy, date=date).exists():
        raise ValidationError(
            {"date": _("An ANC contact is already recorded on %(day)s.") % {"day": date}}
        )
    contact = AncContact(
        pregnancy=pregnancy,
        date=date,
        place=place,
        health_center=health_center,
        created_by=_actor(actor),
    )
    if id is not None:
        contact.id = id
    contact.full_clean()
    contact.save(force_insert=True)
    audit_record(actor=actor, obj=contact)
    records_changed(
        source=SOURCE_PREGNANCY,
        cells=[(pregnancy.woman.household.community_id, day) for day in (date, pregnancy.edd)],
    )
    return contact


@transaction.atomic
def pregnancy_outcome_record(
    *,
    actor: Any,
    pregnancy: Pregnancy,
    outcome_date: datetime.date,
    birth_outcome: str,
    outcome_place: str,
    health_center: HealthCenter | None = None,
    register_newborn: bool = False,
    newborn_id: uuid.UUID | None = None,  # the device's id for the newborn
    newborn_sex: str = "",
    newborn_given_name: str = "",
) -> Pregnancy:
    """How the pregnancy ended: date, place (this CSCom, another facility, home), outcome.
    The pregnancy follow-up ends; the postnatal visits are scheduled. With `register_newborn`
    (a live birth only), the baby is registered in the household in the same transaction
    (`newborn_register`); nothing is recorded when either is refused."""
    require_record(actor, pregnancy.woman.household.community)
    if register_newborn and birth_outcome != BirthOutcome.LIVE_BIRTH:
        raise ValidationError({"register_newborn": _("Only a live birth registers a newborn.")})
    if register_newborn and newborn_sex not in Sex.values:
        raise ValidationError({"newborn_sex": _("Give the newborn's sex.")})
    if pregnancy.outcome_date is not None:
        raise ValidationError({"outcome_date": _("This pregnancy's outcome is already recorded.")})
    _not_future("outcome_date", outcome_date, _("The delivery"))
    if outcome_date < pregnancy.start:
        raise ValidationError(
            {
                "outcome_date": _("The delivery %(day)s is before the pregnancy.")
                % {"day": outcome_date}
            }
        )
    if (outcome_date - pregnancy.start).days > LONGEST_PREGNANCY_DAYS:
        raise ValidationError(
            {
                "outcome_date": _(
                    "The delivery %(day)s is %(weeks)s weeks after the last menstrual period "
                    "%(lmp)s: a pregnancy lasts at most 44 weeks."
                )
                % {
                    "day": outcome_date,
                    "weeks": (outcome_date - pregnancy.start).days // 7,
                    "lmp": pregnancy.start,
                }
            }
        )
    last_contact = (
        AncContact.objects.filter(pregnancy=pregnancy)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if last_contact is not None and outcome_date < last_contact:
        raise ValidationError(
            {
                "outcome_date": _("The delivery %(day)s is before the ANC contact of %(anc)s.")
                % {"day": outcome_date, "anc": last_contact}
            }
        )
    if birth_outcome not in BirthOutcome.values:
        raise ValidationError({"birth_outcome": _("Choose an outcome.")})
    if outcome_place not in DeliveryPlace.values:
        raise ValidationError({"outcome_place": _("Choose a place of delivery.")})
    if outcome_place == DeliveryPlace.THIS_CSCOM:
        health_center = pregnancy.woman.household.community.health_center
    elif outcome_place == DeliveryPlace.HOME:
        health_center = None
    before = audit_snapshot(pregnancy)
    pregnancy.outcome_date = outcome_date
    pregnancy.birth_outcome = birth_outcome
    pregnancy.outcome_place = outcome_place
    pregnancy.outcome_health_center = health_center
    pregnancy.full_clean()
    pregnancy.save(
        update_fields=[
            "outcome_date",
            "birth_outcome",
            "outcome_place",
            "outcome_health_center",
            "updated_at",
        ]
    )
    audit_record(actor=actor, obj=pregnancy, before=before)
    community = pregnancy.woman.household.community_id
    records_changed(
        source=SOURCE_PREGNANCY, cells=[(community, outcome_date), (community, pregnancy.edd)]
    )
    for enrollment in Enrollment.objects.filter(
        person=pregnancy.woman, program=FollowupProgram.PREGNANCY, end__isnull=True
    ):
        # Ending the enrollment would cancel the postnatal visits: end it first.
        enrollment_end(
            actor=actor,
            enrollment=enrollment,
            end=max(outcome_date, enrollment.start),
            reason=ExitReason.COMPLETED,
        )
    from jigiya.followup import engine

    engine.schedule_postnatal(pregnancy, actor=actor)
    if register_newborn:
        newborn_register(
            actor=actor,
            pregnancy=pregnancy,
            id=newborn_id,
            sex=newborn_sex,
            given_name=newborn_given_name,
        )
    return pregnancy


@transaction.atomic
def newborn_register(
    *,
    actor: Any,
    pregnancy: Pregnancy,
    sex: str,
    id: uuid.UUID | None = None,  # the device's id
    given_name: str = "",
    family_name: str = "",
) -> Person:
    """Register the baby of a live birth in the mother's household: born on the delivery
    day, a child of the household, enrolled in the child follow-up from that day (first
    visit due then, beside the mother's postnatal visits). The same id again returns the
    baby (`_replayed`); twins are two calls with two ids. No duplicate check: a newborn is
    new, and babies are often registered before they are named (given name "Baby" then)."""
    woman = pregnancy.woman
    household = woman.household
    require_record(actor, household.community)
    if pregnancy.birth_outcome != BirthOutcome.LIVE_BIRTH or pregnancy.outcome_date is None:
        raise ValidationError(
            {"pregnancy": _("Record a live birth before registering the newborn.")}
        )
    if sex not in Sex.values:
        raise ValidationError({"sex": _("Give the newborn's sex.")})
    head = household.head
    fields = {
        "household": household,
        "given_name": given_name.strip() or str(_("Baby")),
        "family_name": family_name.strip()
        or (head.family_name if head is not None else woman.family_name),
        "sex": sex,
        "birth_date": pregnancy.outcome_date,
        "born_of": pregnancy,
    }
    existing = replay(Person, id, fields)
    if existing is not None:
        return existing
    person = Person(
        relationship=Relationship.GRANDCHILD
        if woman.relationship in (Relationship.CHILD, Relationship.GRANDCHILD)
        else Relationship.CHILD,
        created_by=_actor(actor),
        **fields,
    )
    person.name_key = name_key(person.given_name, person.family_name)
    if id is not None:
        person.id = id
    person.full_clean()
    person.save(force_insert=True)
    audit_record(actor=actor, obj=person)
    enrollment_start(
        actor=actor, person=person, program=FollowupProgram.CHILD, start=pregnancy.outcome_date
    )
    return person


# --- least access -------------------------------------------------------------------------


def least_access_decision(criteria: list[str]) -> tuple[int, str]:
    """(score, decision) for the criteria met: the weights of `LEAST_ACCESS_CRITERIA` added up;
    free care from `FREE_CARE_SCORE`, subsidized from `SUBSIDIZED_CARE_SCORE`."""
    score = sum(LEAST_ACCESS_CRITERIA[code][1] for code in set(criteria))
    if score >= FREE_CARE_SCORE:
        return score, LeastAccessDecision.FREE
    if score >= SUBSIDIZED_CARE_SCORE:
        return score, LeastAccessDecision.SUBSIDIZED
    return score, LeastAccessDecision.NOT_ELIGIBLE


@transaction.atomic
def least_access_assess(
    *,
    actor: Any,
    household: Household,
    assessed_on: datetime.date,
    criteria: list[str],
    id: uuid.UUID | None = None,  # the device's id
) -> LeastAccessAssessment:
    """Assess a household's access to care; the score and decision follow from the criteria."""
    require_record(actor, household.community)
    unknown = sorted(set(criteria) - set(LEAST_ACCESS_CRITERIA))
    if unknown:
        raise ValidationError(
            {"criteria": _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    criteria = sorted(set(criteria))
    existing = replay(
        LeastAccessAssessment,
        id,
        {"household": household, "assessed_on": assessed_on, "criteria": criteria},
    )
    if existing is not None:
        return existing
    _not_future("assessed_on", assessed_on, _("The assessment"))
    score, decision = least_access_decision(criteria)
    assessment = LeastAccessAssessment(
        household=household,
        assessed_on=assessed_on,
        criteria=criteria,
        score=score,
        decision=decision,
        created_by=_actor(actor),
    )
    if id is not None:
        assessment.id = id
    assessment.full_clean()
    assessment.save(force_insert=True)
    audit_record(actor=actor, obj=assessment)
    return assessment
