"""Home visits: what the CHW saw (people, child checks, pregnancy checks, education, the
outcome of earlier referrals), recorded in one transaction, audited; the tasks the visit
answers are done and danger signs refer the person in the same transaction.

A visit spans several tables, so its retry safety is a `fingerprint` of what was sent
(`core.retries`): the same id and content again returns the visit (`was_replayed`), other
content is a `Conflict`.
"""

import datetime
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jigiya.accounts.access import Actor, require_perm_at
from jigiya.accounts.models import User
from jigiya.accounts.roles import Perm
from jigiya.core.audit import create_audited
from jigiya.core.bounds import NOTES_LENGTH, not_before_birth, text_within, within_program
from jigiya.core.changes import declare_source, records_changed
from jigiya.core.retries import fingerprint, replay
from jigiya.followup import engine, growth, plausibility, schedules, selectors
from jigiya.followup.models import (
    BirthPlan,
    ChildAssessment,
    ClosedVia,
    EducationSession,
    EducationTopic,
    PregnancyCheck,
    ReferralStatus,
    Urgency,
    Visit,
)
from jigiya.followup.referrals import referral_close_by_visit, referral_create
from jigiya.followup.signs import CHILD_DANGER_SIGNS, PREGNANCY_DANGER_SIGNS
from jigiya.registry.models import Household, Person, Pregnancy

SOURCE_VISIT = declare_source("followup.visit")

# Measurements no child under five can have: refused, whatever the z-score says.
WEIGHT_RANGE_KG = (0.5, 40.0)
HEIGHT_RANGE_CM = (38.0, 130.0)
MUAC_RANGE_MM = (50, 300)
# An education session's detail (`EducationSession.detail`'s max_length), saved without
# full_clean(): checked here.
DETAIL_LENGTH = 200


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
    # "I measured again, the value is right": records a change `plausibility` finds
    # implausible, flagged for the supervisor (refused without it).
    confirmed: bool = False


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


def _age_text(birth: datetime.date | None, day: datetime.date) -> str:
    """An age in whole years and months, the way people say it ("5 years 2 months")."""
    assert birth is not None
    months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
    years, months = divmod(months, 12)
    text = ngettext("%(n)s year", "%(n)s years", years) % {"n": years}
    if months:
        text += " " + ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    return text


def _z_scores(
    check: ChildCheckIn, person: Person, day: datetime.date, index: int
) -> growth.ZScores:
    scores = growth.z_scores_of(check, sex=person.sex, age_days=person.age_days(day))
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


@dataclass
class _Checked:
    """What a visit's checks found: the members seen (by id), the pregnancies checked (by id),
    everyone the visit saw, and each child's z-scores (in the order of the child checks)."""

    members: dict[uuid.UUID, Person]
    pregnancies: dict[uuid.UUID, Pregnancy]
    seen: set[uuid.UUID]
    scores: list[growth.ZScores]
    flags: list[str]  # each child's confirmed implausible change ("" when none)


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
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
    made_at: datetime.datetime | None = None,  # when the device says it was made
) -> Visit:
    """Record a home visit by the actor (a CHW of the household's community).

    Every person seen, checked or taught must be a member of the household. Each child's
    z-scores, MUAC band and missing vaccines are computed; a danger sign, a red MUAC or oedema
    refers the person to the community's CSCom (unless `refer=False`). The tasks the visit
    answers are done; each child's next visit is scheduled. Refused whole, with a message
    naming the value, on an impossible measurement."""
    chw = require_perm_at(actor, Perm.HEALTH_RECORD, household.community)
    children, pregnancies = children or [], pregnancies or []
    education, referral_outcomes = education or [], referral_outcomes or []
    sent = fingerprint(
        household=household.pk,
        date=date,
        people=sorted(str(p) for p in people),
        children=[_sent(c) for c in children],
        pregnancies=[asdict(p) for p in pregnancies],
        education=[asdict(e) for e in education],
        referral_outcomes=[asdict(r) for r in referral_outcomes],
        notes=notes,
    )
    existing = replay(Visit, id, {"fingerprint": sent})
    if existing is not None:
        return existing
    within_program("date", date, _("The visit date"))
    text_within("notes", notes.strip(), NOTES_LENGTH, _("The notes"))
    checked = _checked(household, date, people, children, pregnancies, education)
    visit = Visit(household=household, chw=chw, date=date, notes=notes.strip())
    visit.fingerprint, visit.created_by = sent, chw
    create_audited(visit, actor=chw, id=id, made_at=made_at)
    visit.people.set(list(checked.seen))  # type: ignore[arg-type]
    suggestions = _save_child_checks(visit, children, checked)
    suggestions += _save_pregnancy_checks(visit, pregnancies, checked)
    _save_education(visit, education)
    _close_referrals(chw, visit, referral_outcomes)
    engine.resolve_by_visit(visit, actor=chw)
    if refer:
        _refer(chw, visit, suggestions)
    records_changed(source=SOURCE_VISIT, cells=[(household.community_id, date)])
    return visit


def _checked(
    household: Household,
    date: datetime.date,
    people: list[uuid.UUID],
    children: list[ChildCheckIn],
    pregnancies: list[PregnancyCheckIn],
    education: list[EducationIn],
) -> _Checked:
    """Everyone seen is an active member; the pregnancies checked are the household's and
    open on the day; every code is known; every measurement possible."""
    seen = set(people) | {c.person_id for c in children}
    seen |= {a for e in education for a in e.attendee_ids}
    members = selectors.active_members_among(household=household, person_ids=seen)
    strangers = sorted(str(pk) for pk in seen - set(members))
    if strangers:
        raise _field_error(
            "people",
            _("Not active members of this household (or outside your places): %(ids)s.")
            % {"ids": ", ".join(strangers)},
        )
    for member in members.values():
        not_before_birth("people", date, member, _("The visit date"))
    checked = selectors.household_pregnancies_among(
        household=household, pregnancy_ids=[p.pregnancy_id for p in pregnancies]
    )
    for index, pregnancy_in in enumerate(pregnancies):
        _check_pregnancy(pregnancy_in, checked.get(pregnancy_in.pregnancy_id), date, index)
    seen |= {pregnancy.woman_id for pregnancy in checked.values()}
    if not seen:
        raise _field_error("people", _("Tick at least one person seen."))
    for index, lesson in enumerate(education):
        if lesson.topic not in EducationTopic.values:
            raise _field_error(
                f"education.{index}.topic",
                _("Unknown topic “%(topic)s”.") % {"topic": lesson.topic},
            )
        text_within(
            f"education.{index}.detail", lesson.detail.strip(), DETAIL_LENGTH, _("The detail")
        )
    scores = []
    for index, check in enumerate(children):
        person = members[check.person_id]
        _check_child(check, person, date, index)
        scores.append(_z_scores(check, person, date, index))
    flags = _implausible_changes(children, date)
    return _Checked(members=members, pregnancies=checked, seen=seen, scores=scores, flags=flags)


def _sent(check: ChildCheckIn) -> dict:
    """A child check as fingerprinted: without `confirmed` when not ticked, so a visit sent
    before the field existed replays."""
    sent = asdict(check)
    if not check.confirmed:
        del sent["confirmed"]
    return sent


def _implausible_changes(children: list[ChildCheckIn], date: datetime.date) -> list[str]:
    """Each child's change against the last measurement that `plausibility` finds
    implausible: refused unless confirmed (the message states both values and dates); once
    confirmed, the message is the check's flag."""
    last = selectors.last_measures(person_ids=[c.person_id for c in children], before=date)
    flags = []
    for index, check in enumerate(children):
        before = last.get(check.person_id, selectors.LastMeasures())
        found = {
            "weight_kg": plausibility.weight_change(before.weight, check.weight_kg, date),
            "height_cm": plausibility.height_change(
                before.height, check.height_cm, check.measured_lying, date
            ),
        }
        found = {name: text for name, text in found.items() if text}
        if found and not check.confirmed:
            ask = _("Measure again; if the value is right, tick “%(label)s”.") % {
                "label": _("I measured again, the value is right")
            }
            raise ValidationError(
                {
                    f"children.{index}.{name}": [
                        ValidationError(f"{text} {ask}", code="implausible")
                    ]
                    for name, text in found.items()
                }
            )
        flags.append(" ".join(found.values())[:400])
    return flags


def _check_pregnancy(
    pregnancy_in: PregnancyCheckIn,
    pregnancy: Pregnancy | None,
    date: datetime.date,
    index: int,
) -> None:
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


Suggestions = list[tuple[Person, list[str]]]


def _save_child_checks(
    visit: Visit, children: list[ChildCheckIn], checked: _Checked
) -> Suggestions:
    """Each child's assessment (z-scores, MUAC band, vaccines missing counting those given at
    earlier visits); the referral reasons it suggests."""
    suggestions: Suggestions = []
    received = selectors.vaccines_received(person_ids=[c.person_id for c in children])
    for check, score, flag in zip(children, checked.scores, checked.flags, strict=True):
        person = checked.members[check.person_id]
        band = growth.muac_band(check.muac_mm)
        vaccines = sorted(set(check.vaccines) | received.get(person.pk, set()))
        age = person.age_days(visit.date)
        assessment = ChildAssessment(
            visit=visit,
            person=person,
            age_days=age,
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
            vaccines_missing=schedules.vaccines_missing(age, set(vaccines)),
            flag=flag,
            created_by=visit.created_by,
        )
        assessment.full_clean()
        assessment.save(force_insert=True)
        reasons = _suggested_child_referral(check, band)
        if reasons:
            suggestions.append((person, reasons))
    return suggestions


def _save_pregnancy_checks(
    visit: Visit, pregnancies: list[PregnancyCheckIn], checked: _Checked
) -> Suggestions:
    suggestions: Suggestions = []
    for pregnancy_in in pregnancies:
        pregnancy = checked.pregnancies[pregnancy_in.pregnancy_id]
        check = PregnancyCheck(
            visit=visit,
            pregnancy=pregnancy,
            gestational_weeks=max(0, pregnancy.gestational_weeks(visit.date)),
            anc_since_last_visit=pregnancy_in.anc_since_last_visit,
            danger_signs=sorted(set(pregnancy_in.danger_signs)),
            birth_plan=pregnancy_in.birth_plan,
            created_by=visit.created_by,
        )
        check.full_clean()
        check.save(force_insert=True)
        if pregnancy_in.danger_signs:
            suggestions.append(
                (pregnancy.woman, [f"pregnancy:{code}" for code in pregnancy_in.danger_signs])
            )
    return suggestions


def _save_education(visit: Visit, education: list[EducationIn]) -> None:
    for lesson in education:
        session = EducationSession(
            visit=visit,
            topic=lesson.topic,
            detail=lesson.detail.strip(),
            created_by=visit.created_by,
        )
        session.save(force_insert=True)
        session.attendees.set(lesson.attendee_ids)  # type: ignore[arg-type]


def _close_referrals(chw: User, visit: Visit, outcomes: list[ReferralOutcomeIn]) -> None:
    """The outcomes of the household's referrals the CHW asked about (the open ones close)."""
    for outcome in outcomes:
        referral = selectors.household_referral(
            household=visit.household, referral_id=outcome.referral_id
        )
        if referral is None:
            raise _field_error(
                "referral_outcomes",
                _("No referral %(id)s in this household.") % {"id": outcome.referral_id},
            )
        if referral.status == ReferralStatus.OPEN:
            referral_close_by_visit(
                actor=chw,
                referral=referral,
                seen=outcome.seen,
                seen_by=outcome.seen_by,
                action_taken=outcome.action_taken,
                seen_on=outcome.seen_on,
                closed_on=visit.date,
                via=ClosedVia.FOLLOWUP_VISIT,
            )


def _refer(chw: User, visit: Visit, suggestions: Suggestions) -> None:
    """Each person with a danger sign is referred (urgent) to the community's CSCom, unless
    already referred and not back yet."""
    center = visit.household.community.health_center
    if center is None:
        return
    for person, reasons in suggestions:
        if not person.is_active or selectors.has_open_referral(person=person):
            continue
        referral_create(
            actor=chw,
            person=person,
            health_center=center,
            referred_on=visit.date,
            reasons=reasons,
            urgency=Urgency.URGENT,
            visit=visit,
        )
