"""Every write of the follow-up: home visits (with child checks, pregnancy checks, education
and the outcome of earlier referrals), referrals and their outcome. One transaction each,
audited; the tasks the visit answers are resolved in the same transaction.
"""

import datetime
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jigiya.accounts.access import has_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.changes import declare_source, records_changed
from jigiya.core.errors import Conflict
from jigiya.followup import engine, growth, schedules
from jigiya.followup.models import (
    BirthPlan,
    ChildAssessment,
    ClosedVia,
    EducationSession,
    EducationTopic,
    PregnancyCheck,
    Referral,
    ReferralStatus,
    Urgency,
    Visit,
)
from jigiya.followup.signs import CHILD_DANGER_SIGNS, PREGNANCY_DANGER_SIGNS, REFERRAL_REASONS
from jigiya.places.models import HealthCenter
from jigiya.registry.models import Household, Person, Pregnancy
from jigiya.registry.services import require_record

SOURCE_VISIT = declare_source("followup.visit")
SOURCE_REFERRAL = declare_source("followup.referral")

# Measurements no child under five can have: refused, whatever the z-score says.
WEIGHT_RANGE_KG = (0.5, 40.0)
HEIGHT_RANGE_CM = (38.0, 130.0)
MUAC_RANGE_MM = (50, 300)


@dataclass
class ChildCheckIn:
    person_id: uuid.UUID
    weight_kg: Decimal | None = None
    height_cm: Decimal | None = None
    measured_lying: bool = True
    muac_mm: int | None = None
    oedema: bool = False
    danger_signs: list[str] = field(default_factory=list)
    vaccines: list[str] = field(default_factory=list)


@dataclass
class PregnancyCheckIn:
    pregnancy_id: uuid.UUID
    anc_since_last_visit: bool = False
    danger_signs: list[str] = field(default_factory=list)
    birth_plan: str = BirthPlan.UNDECIDED


@dataclass
class EducationIn:
    topic: str
    attendee_ids: list[uuid.UUID] = field(default_factory=list)
    detail: str = ""


@dataclass
class ReferralOutcomeIn:
    referral_id: uuid.UUID
    seen: bool
    seen_by: str = ""
    action_taken: str = ""
    seen_on: datetime.date | None = None


def _fingerprint(**content: Any) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, uuid.UUID | datetime.date | Decimal):
            return str(value)
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value))

    text = json.dumps(content, default=plain, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _field_error(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: [message]})


def _check_child(check: ChildCheckIn, person: Person, day: datetime.date, index: int) -> None:
    """Impossible measurements are refused, each message naming the value."""
    where = f"children.{index}"
    low, high = WEIGHT_RANGE_KG
    if check.weight_kg is not None and not low <= float(check.weight_kg) <= high:
        raise _field_error(
            f"{where}.weight_kg",
            _("A weight of %(value)s kg is impossible for a child under five.")
            % {"value": check.weight_kg},
        )
    low, high = HEIGHT_RANGE_CM
    if check.height_cm is not None and not low <= float(check.height_cm) <= high:
        raise _field_error(
            f"{where}.height_cm",
            _("A length or height of %(value)s cm is impossible for a child under five.")
            % {"value": check.height_cm},
        )
    low_mm, high_mm = MUAC_RANGE_MM
    if check.muac_mm is not None and not low_mm <= check.muac_mm <= high_mm:
        raise _field_error(
            f"{where}.muac_mm",
            _("A MUAC of %(value)s mm is impossible (50 to 300 mm).") % {"value": check.muac_mm},
        )
    unknown = sorted(set(check.danger_signs) - set(CHILD_DANGER_SIGNS))
    if unknown:
        raise _field_error(
            f"{where}.danger_signs", _("Unknown danger signs: %(codes)s.") % {"codes": unknown}
        )
    unknown = sorted(set(check.vaccines) - set(schedules.VACCINE_CODES))
    if unknown:
        raise _field_error(
            f"{where}.vaccines", _("Unknown vaccines: %(codes)s.") % {"codes": unknown}
        )
    age = person.age_days(day)
    if age is not None and age < 0:
        raise _field_error(
            f"{where}.person_id", _("%(person)s was not born yet on that day.") % {"person": person}
        )
    if age is not None and age > schedules.CHILD_DAYS:
        raise _field_error(
            f"{where}.person_id",
            _(
                "%(person)s is %(age)s old on %(day)s: a child check is for children under five "
                "(up to five years and a month)."
            )
            % {"person": person, "age": _age_text(person.birth_date, day), "day": day},
        )


def _age_text(birth: Any, day: datetime.date) -> str:
    """An age in whole years and months, the way people say it ("5 years 2 months")."""
    months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
    years, months = divmod(months, 12)
    text = ngettext("%(n)s year", "%(n)s years", years) % {"n": years}
    if months:
        text += " " + ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    return text


def _z_scores(check: ChildCheckIn, person: Person, day: datetime.date, index: int) -> Any:
    scores = growth.z_scores(
        sex=person.sex,
        age_days=person.age_days(day),
        weight_kg=float(check.weight_kg) if check.weight_kg is not None else None,
        height_cm=float(check.height_cm) if check.height_cm is not None else None,
        measured_lying=check.measured_lying,
        oedema=check.oedema,
    )
    implausible = scores.implausible()
    if implausible:
        name, value = implausible[0]
        source = "height_cm" if name == "haz" else "weight_kg"
        raise _field_error(
            f"children.{index}.{source}",
            _(
                "The %(indicator)s z-score would be %(value)s, outside WHO's plausible range: "
                "check the measurement."
            )
            % {"indicator": name.upper(), "value": f"{value:.2f}"},
        )
    return scores


def _suggested_child_referral(check: ChildCheckIn, band: str) -> list[str]:
    reasons = [f"child:{code}" for code in check.danger_signs]
    if band == "red":
        reasons.append("muac_red")
    if check.oedema:
        reasons.append("oedema")
    return reasons


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    household: Household,
    date: datetime.date,
    people: list[uuid.UUID],
    id: uuid.UUID | None = None,  # the device's id
    children: list[ChildCheckIn] | None = None,
    pregnancies: list[PregnancyCheckIn] | None = None,
    education: list[EducationIn] | None = None,
    referral_outcomes: list[ReferralOutcomeIn] | None = None,
    notes: str = "",
    refer: bool = True,
) -> Visit:
    """Record a home visit by the actor (a CHW of the household's community).

    Every person seen, checked or taught must be a member of the household. Each child's
    z-scores, MUAC band and missing vaccines are computed; a danger sign, a red MUAC or oedema
    refers the person to the community's CSCom (unless `refer=False`). The tasks the visit
    answers are done; each child's next visit is scheduled. Refused whole, with a message
    naming the value, on an impossible measurement."""
    require_record(actor, household.community)
    children = children or []
    pregnancies = pregnancies or []
    education = education or []
    referral_outcomes = referral_outcomes or []
    fingerprint = _fingerprint(
        household=household.pk,
        date=date,
        people=sorted(str(p) for p in people),
        children=[asdict(c) for c in children],
        pregnancies=[asdict(p) for p in pregnancies],
        education=[asdict(e) for e in education],
        referral_outcomes=[asdict(r) for r in referral_outcomes],
        notes=notes,
    )
    if id is not None:
        existing = Visit.objects.filter(pk=id).first()
        if existing is not None:
            if existing.fingerprint != fingerprint:
                raise Conflict(_("A different visit was already sent with this id."))
            existing._replayed = True  # type: ignore[attr-defined]
            return existing
    if date > timezone.localdate():
        raise _field_error("date", _("The visit date %(day)s is in the future.") % {"day": date})
    seen_ids = set(people) | {c.person_id for c in children}
    seen_ids |= {a for e in education for a in e.attendee_ids}
    members = {
        person.pk: person
        for person in Person.objects.filter(pk__in=seen_ids, household=household, is_active=True)
    }
    strangers = sorted(str(pk) for pk in seen_ids - set(members))
    if strangers:
        raise _field_error(
            "people",
            _("Not active members of this household (or outside your places): %(ids)s.")
            % {"ids": ", ".join(strangers)},
        )
    open_pregnancies = {
        pregnancy.pk: pregnancy
        for pregnancy in Pregnancy.objects.filter(
            pk__in=[p.pregnancy_id for p in pregnancies], woman__household=household
        ).select_related("woman")
    }
    for index, pregnancy_in in enumerate(pregnancies):
        pregnancy = open_pregnancies.get(pregnancy_in.pregnancy_id)
        if pregnancy is None or not pregnancy.is_active:
            raise _field_error(
                f"pregnancies.{index}.pregnancy_id",
                _("No pregnancy %(id)s in this household.") % {"id": pregnancy_in.pregnancy_id},
            )
        if pregnancy.outcome_date is not None and pregnancy.outcome_date <= date:
            raise _field_error(
                f"pregnancies.{index}.pregnancy_id",
                _("The pregnancy of %(woman)s ended on %(day)s: no pregnancy check after that day.")
                % {"woman": pregnancy.woman, "day": pregnancy.outcome_date},
            )
        unknown = sorted(set(pregnancy_in.danger_signs) - set(PREGNANCY_DANGER_SIGNS))
        if unknown:
            raise _field_error(
                f"pregnancies.{index}.danger_signs",
                _("Unknown danger signs: %(codes)s.") % {"codes": unknown},
            )
    seen_ids |= {pregnancy.woman_id for pregnancy in open_pregnancies.values()}
    for index, lesson in enumerate(education):
        if lesson.topic not in EducationTopic.values:
            raise _field_error(
                f"education.{index}.topic",
                _("Unknown topic “%(topic)s”.") % {"topic": lesson.topic},
            )
    scores = []
    for index, check in enumerate(children):
        person = members[check.person_id]
        _check_child(check, person, date, index)
        scores.append(_z_scores(check, person, date, index))

    visit = Visit(
        household=household,
        chw=actor,
        date=date,
        notes=notes.strip(),
        fingerprint=fingerprint,
        created_by=actor,
    )
    if id is not None:
        visit.id = id
    visit.full_clean()
    visit.save(force_insert=True)
    visit.people.set(list(seen_ids))  # type: ignore[arg-type]
    audit_record(actor=actor, obj=visit)

    suggestions: list[tuple[Person, list[str]]] = []
    received = _vaccines_received([c.person_id for c in children])
    for check, score in zip(children, scores, strict=True):
        person = members[check.person_id]
        band = growth.muac_band(check.muac_mm)
        vaccines = sorted(set(check.vaccines) | received.get(person.pk, set()))
        assessment = ChildAssessment(
            visit=visit,
            person=person,
            age_days=person.age_days(date),
            weight_kg=check.weight_kg,
            height_cm=check.height_cm,
            measured_lying=check.measured_lying,
            muac_mm=check.muac_mm,
            muac_band=band,
            oedema=check.oedema,
            waz=growth.as_decimal(score.waz),
            haz=growth.as_decimal(score.haz),
            whz=growth.as_decimal(score.whz),
            danger_signs=sorted(set(check.danger_signs)),
            vaccines=sorted(set(check.vaccines)),
            vaccines_missing=schedules.vaccines_missing(person.age_days(date), set(vaccines)),
            created_by=actor,
        )
        assessment.full_clean()
        assessment.save(force_insert=True)
        reasons = _suggested_child_referral(check, band)
        if reasons:
            suggestions.append((person, reasons))
    for pregnancy_in in pregnancies:
        pregnancy = open_pregnancies[pregnancy_in.pregnancy_id]
        PregnancyCheck(
            visit=visit,
            pregnancy=pregnancy,
            gestational_weeks=max(0, pregnancy.gestational_weeks(date)),
            anc_since_last_visit=pregnancy_in.anc_since_last_visit,
            danger_signs=sorted(set(pregnancy_in.danger_signs)),
            birth_plan=pregnancy_in.birth_plan,
            created_by=actor,
        ).save(force_insert=True)
        if pregnancy_in.danger_signs:
            suggestions.append(
                (pregnancy.woman, [f"pregnancy:{code}" for code in pregnancy_in.danger_signs])
            )
    for lesson in education:
        session = EducationSession(
            visit=visit, topic=lesson.topic, detail=lesson.detail.strip(), created_by=actor
        )
        session.save(force_insert=True)
        session.attendees.set(lesson.attendee_ids)  # type: ignore[arg-type]
    for outcome in referral_outcomes:
        referral = Referral.objects.filter(
            pk=outcome.referral_id, person__household=household
        ).first()
        if referral is None:
            raise _field_error(
                "referral_outcomes",
                _("No referral %(id)s in this household.") % {"id": outcome.referral_id},
            )
        if referral.status == ReferralStatus.OPEN:
            _close(
                actor=actor,
                referral=referral,
                seen=outcome.seen,
                seen_by=outcome.seen_by,
                action_taken=outcome.action_taken,
                seen_on=outcome.seen_on,
                closed_on=date,
                via=ClosedVia.FOLLOWUP_VISIT,
            )
    engine.resolve_by_visit(visit, actor=actor)
    if refer:
        center = household.community.health_center
        for person, reasons in suggestions:
            if center is None:
                break
            if Referral.objects.filter(person=person, status=ReferralStatus.OPEN).exists():
                continue
            referral_create(
                actor=actor,
                person=person,
                health_center=center,
                referred_on=date,
                reasons=reasons,
                urgency=Urgency.URGENT,
                visit=visit,
            )
    records_changed(source=SOURCE_VISIT, cells=[(household.community_id, date)])
    return visit


def _vaccines_received(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """Every vaccine recorded at earlier visits, per child (one query)."""
    received: dict[uuid.UUID, set[str]] = {}
    for person_id, vaccines in ChildAssessment.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "vaccines"
    ):
        received.setdefault(person_id, set()).update(vaccines or [])
    return received


def suggested_referral_reasons(
    *, danger_signs: list[str], muac_mm: int | None, oedema: bool, pregnancy: bool = False
) -> list[str]:
    """What a form shows before saving: the reasons that will refer this person."""
    prefix = "pregnancy" if pregnancy else "child"
    reasons = [f"{prefix}:{code}" for code in danger_signs]
    if growth.muac_band(muac_mm) == "red":
        reasons.append("muac_red")
    if oedema:
        reasons.append("oedema")
    return reasons


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    person: Person,
    health_center: HealthCenter,
    referred_on: datetime.date,
    reasons: list[str],
    urgency: str,
    reason_text: str = "",
    visit: Visit | None = None,
    id: uuid.UUID | None = None,  # the device's id
) -> Referral:
    """Refer a person to a health center; the follow-up visit is scheduled 3 days later."""
    require_record(actor, person.household.community)
    from jigiya.core.retries import replay

    existing = replay(
        Referral,
        id,
        {
            "person": person,
            "health_center": health_center,
            "referred_on": referred_on,
            "urgency": urgency,
        },
    )
    if existing is not None:
        return existing
    if referred_on > timezone.localdate():
        raise _field_error(
            "referred_on", _("The referral date %(day)s is in the future.") % {"day": referred_on}
        )
    unknown = sorted(set(reasons) - set(REFERRAL_REASONS))
    if unknown or not (reasons or reason_text.strip()):
        raise _field_error("reasons", _("Give the reason for the referral."))
    referral = Referral(
        person=person,
        visit=visit,
        health_center=health_center,
        referred_on=referred_on,
        reasons=reasons,
        reason_text=reason_text.strip(),
        urgency=urgency,
        created_by=actor,
    )
    if id is not None:
        referral.id = id
    referral.full_clean()
    referral.save(force_insert=True)
    audit_record(actor=actor, obj=referral)
    engine.schedule_referral_followup(referral, actor=actor)
    records_changed(source=SOURCE_REFERRAL, cells=[(person.household.community_id, referred_on)])
    return referral


def can_close_referral(actor: Any, referral: Referral) -> bool:
    """The CHW's side (in the person's community) or the staff of the health center referred to."""
    return has_perm_at(
        actor, Perm.REFERRAL_CLOSE, referral.person.household.community.path
    ) or has_perm_at(actor, Perm.REFERRAL_CLOSE, referral.health_center.place.path)


def _close(
    *,
    actor: Any,
    referral: Referral,
    seen: bool,
    seen_by: str,
    action_taken: str,
    seen_on: datetime.date | None,
    closed_on: datetime.date,
    via: str,
) -> Referral:
    if closed_on < referral.referred_on:
        raise _field_error("closed_on", _("The outcome is dated before the referral."))
    if seen_on is not None and (seen_on < referral.referred_on or seen_on > closed_on):
        raise _field_error(
            "seen_on", _("Seen on %(day)s: not between the referral and today.") % {"day": seen_on}
        )
    before = audit_snapshot(referral)
    referral.status = ReferralStatus.SEEN if seen else ReferralStatus.NOT_SEEN
    referral.seen_on = (seen_on or closed_on) if seen else None
    referral.seen_by = seen_by.strip()
    referral.action_taken = action_taken.strip()
    referral.closed_on = closed_on
    referral.closed_via = via
    referral.full_clean()
    referral.save(
        update_fields=[
            "status",
            "seen_on",
            "seen_by",
            "action_taken",
            "closed_on",
            "closed_via",
            "updated_at",
        ]
    )
    audit_record(actor=actor, obj=referral, before=before)
    records_changed(
        source=SOURCE_REFERRAL,
        cells=[(referral.person.household.community_id, referral.referred_on)],
    )
    return referral


@transaction.atomic
def referral_close(
    *,
    actor: Any,
    referral: Referral,
    seen: bool,
    seen_by: str = "",
    action_taken: str = "",
    seen_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
) -> Referral:
    """Close the loop of a referral: seen or not, by whom, what was done. By the health
    center's staff, or the CHW. Closing twice with the same outcome changes nothing."""
    if not can_close_referral(actor, referral):
        raise PermissionDenied
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise _field_error(
            "closed_on", _("The date %(day)s is in the future.") % {"day": closed_on}
        )
    if referral.status != ReferralStatus.OPEN:
        same = referral.status == (ReferralStatus.SEEN if seen else ReferralStatus.NOT_SEEN)
        if same and referral.seen_by == seen_by.strip():
            return referral
        raise Conflict(_("This referral's outcome is already recorded."))
    via = (
        ClosedVia.FOLLOWUP_VISIT
        if has_perm_at(actor, Perm.HEALTH_RECORD, referral.person.household.community.path)
        else ClosedVia.HEALTH_CENTER
    )
    return _close(
        actor=actor,
        referral=referral,
        seen=seen,
        seen_by=seen_by,
        action_taken=action_taken,
        seen_on=seen_on,
        closed_on=closed_on,
        via=via,
    )


def tasks_sweep(*, today: datetime.date | None = None) -> int:
    """The nightly sweep (daily, by the worker): first end the follow-up of the children who
    turned five (`registry.services.enrollments_close_at_five`) and cancel the open child
    visits of every ended enrollment; then mark missed every open task whose window has
    closed, scheduling a missed child's next visit only while the child is followed and under
    five. Returns how many tasks were marked missed."""
    from jigiya.registry.services import enrollments_close_at_five

    today = today or timezone.localdate()
    enrollments_close_at_five(today=today)
    with transaction.atomic():
        engine.cancel_for_ended_enrollments(today=today)
        return engine.sweep(today=today)
