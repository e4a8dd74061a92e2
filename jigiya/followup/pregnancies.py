"""Pregnancies and what follows them: registration (with the pregnancy follow-up and its
contacts), antenatal contacts, the outcome (with the postnatal visits) and the newborns, each
in one transaction, audited, the indicator cells of the days they touch marked stale.

The models (`Pregnancy`, `AncContact`) live in the registry (no model moves); the workflows
live here. The source keeps its name "registry.pregnancy" so stored stale cells stay valid.
"""

import contextlib
import datetime
import uuid
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before_birth, within_program
from jigiya.core.changes import declare_source, records_changed
from jigiya.core.retries import replay, was_replayed
from jigiya.followup import engine, selectors
from jigiya.followup.enrollments import enrollment_close, enrollment_start
from jigiya.places.models import HealthCenter
from jigiya.registry import services as registry
from jigiya.registry.models import (
    LONGEST_PREGNANCY_DAYS,
    PREGNANCY_DAYS,
    AncContact,
    BirthOutcome,
    DeliveryPlace,
    ExitReason,
    FollowupProgram,
    Person,
    Pregnancy,
    Sex,
)

SOURCE_PREGNANCY = declare_source("registry.pregnancy")

# An EDD earlier than this after the LMP is impossible (24 weeks: viability).
SHORTEST_EDD_DAYS = 24 * 7
# "N months pregnant" when she knows neither her last period nor the expected date: the LMP
# is estimated N mean months (30.4375 days) back, and stored as estimated. 1 to 10 months:
# ten months (304 days) is still under the longest pregnancy (44 weeks, 308 days).
MONTH_DAYS = 30.4375
MOST_MONTHS_PREGNANT = 10


def lmp_from_months(months: int, today: datetime.date) -> datetime.date:
    """The LMP estimated from the months of pregnancy she told: `months` mean months back."""
    return today - datetime.timedelta(days=round(months * MONTH_DAYS))


@transaction.atomic
def pregnancy_register(
    *,
    actor: Actor,
    woman: Person,
    lmp: datetime.date | None = None,
    edd: datetime.date | None = None,
    months_pregnant: int | None = None,
    id: uuid.UUID | None = None,  # the device's id
    today: datetime.date | None = None,
    made_at: datetime.datetime | None = None,  # when the device says it was made
) -> Pregnancy:
    """Register a pregnancy from the LMP or the EDD (one is needed; with both, the EDD must
    fall 24 to 44 weeks after the LMP), or, when she knows neither, from the months she has
    been pregnant (1 to 10: the LMP is estimated, `lmp_from_months`, and stored as estimated).
    The LMP (given, or the one the EDD implies) is neither in the future nor more than 44
    weeks back. The woman is enrolled in the pregnancy follow-up and her contacts are
    scheduled."""
    require_perm_at(actor, Perm.HEALTH_RECORD, woman.household.community)
    today = today or timezone.localdate()
    if months_pregnant is not None:
        with _errors_on("months_pregnant"):
            return _pregnancy_from_months(
                actor, woman, months_pregnant, lmp, edd, id, today, made_at
            )
    return _pregnancy_create(
        actor, woman, lmp=lmp, edd=edd, estimated=False, id=id, today=today, made_at=made_at
    )


@contextlib.contextmanager
def _errors_on(field: str) -> Iterator[None]:
    """The refusals about the LMP worked out from the months are about the months told."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        messages = {
            (field if name in ("lmp", "edd") else name): errors
            for name, errors in exc.error_dict.items()
        }
        raise ValidationError(messages) from exc


def _pregnancy_from_months(
    actor: Actor,
    woman: Person,
    months: int,
    lmp: datetime.date | None,
    edd: datetime.date | None,
    id: uuid.UUID | None,
    today: datetime.date,
    made_at: datetime.datetime | None,
) -> Pregnancy:
    if lmp is not None or edd is not None:
        raise ValidationError(
            {"months_pregnant": _("Give the months of pregnancy only when neither date is known.")}
        )
    if not 1 <= months <= MOST_MONTHS_PREGNANT:
        raise ValidationError(
            {
                "months_pregnant": _(
                    "%(months)s months of pregnancy is not possible: give 1 to %(most)s."
                )
                % {"months": months, "most": MOST_MONTHS_PREGNANT}
            }
        )
    lmp = lmp_from_months(months, today)
    return _pregnancy_create(
        actor, woman, lmp=lmp, edd=None, estimated=True, id=id, today=today, made_at=made_at
    )


def _pregnancy_create(
    actor: Actor,
    woman: Person,
    *,
    lmp: datetime.date | None,
    edd: datetime.date | None,
    estimated: bool,
    id: uuid.UUID | None,
    today: datetime.date,
    made_at: datetime.datetime | None = None,
) -> Pregnancy:
    edd = _expected_date(lmp, edd, today)
    existing = replay(
        Pregnancy, id, {"woman": woman, "lmp": lmp, "edd": edd, "lmp_estimated": estimated}
    )
    if existing is not None:
        return existing
    start = lmp or edd - datetime.timedelta(days=PREGNANCY_DAYS)
    _check_can_be_pregnant(woman, start=start, today=today, field="lmp" if lmp else "edd")
    pregnancy = Pregnancy(
        woman=woman, lmp=lmp, lmp_estimated=estimated, edd=edd, created_by=acting_user(actor)
    )
    create_audited(pregnancy, actor=actor, id=id, made_at=made_at)
    if not selectors.open_enrollments(person=woman, program=FollowupProgram.PREGNANCY).exists():
        enrollment_start(
            actor=actor, person=woman, program=FollowupProgram.PREGNANCY, start=min(today, edd)
        )
    records_changed(source=SOURCE_PREGNANCY, cells=[(woman.household.community_id, edd)])
    engine.schedule_pregnancy(pregnancy, today=today, actor=actor)
    return pregnancy


def _expected_date(
    lmp: datetime.date | None, edd: datetime.date | None, today: datetime.date
) -> datetime.date:
    """The EDD given or implied by the LMP, once the dates agree with each other."""
    if lmp is None and edd is None:
        raise ValidationError({"lmp": _("Give the last menstrual period or the expected date.")})
    within_program("lmp", lmp, _("The last menstrual period"))
    within_program("edd", edd, _("The expected delivery date"), future=True)
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
    if edd is None:
        assert lmp is not None
        return lmp + datetime.timedelta(days=PREGNANCY_DAYS)
    implied = edd - datetime.timedelta(days=PREGNANCY_DAYS)
    if lmp is None and implied > today:
        raise ValidationError(
            {
                "edd": _(
                    "The expected delivery date %(edd)s is more than 40 weeks ahead: the "
                    "last menstrual period it implies, %(lmp)s, is in the future."
                )
                % {"edd": edd, "lmp": implied}
            }
        )
    return edd


def _check_can_be_pregnant(
    woman: Person, *, start: datetime.date, today: datetime.date, field: str
) -> None:
    """A pregnancy from `start` is not already over, and she is a woman without one open."""
    if (today - start).days > LONGEST_PREGNANCY_DAYS:
        raise ValidationError(
            {
                field: _(
                    "A pregnancy from %(lmp)s (the last menstrual period) would already be over "
                    "44 weeks on %(today)s."
                )
                % {"lmp": start, "today": today}
            }
        )
    if woman.sex != Sex.FEMALE:
        raise ValidationError({"woman": _("Only a woman can be pregnant.")})
    not_before_birth(field, start, woman, _("The pregnancy (from its last menstrual period)"))
    if selectors.open_pregnancy(person=woman) is not None:
        raise ValidationError(
            {"woman": _("%(woman)s already has an open pregnancy.") % {"woman": woman}}
        )


@transaction.atomic
def anc_contact_record(
    *,
    actor: Actor,
    pregnancy: Pregnancy,
    date: datetime.date,
    place: str,
    health_center: HealthCenter | None = None,
    id: uuid.UUID | None = None,  # the device's id
) -> AncContact:
    """An antenatal care contact she had (at her CSCom or another facility)."""
    require_perm_at(actor, Perm.HEALTH_RECORD, pregnancy.woman.household.community)
    fields = {"pregnancy": pregnancy, "date": date, "place": place}
    existing = replay(AncContact, id, fields)
    if existing is not None:
        return existing
    within_program("date", date, _("The ANC contact"))
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
    if place == DeliveryPlace.HOME:
        raise ValidationError({"place": _("An ANC contact takes place at a health facility.")})
    if place == DeliveryPlace.THIS_CSCOM:
        health_center = pregnancy.woman.household.community.health_center
        if health_center is None:
            raise ValidationError({"place": _("This community has no CSCom recorded.")})
    if selectors.anc_contact_on(pregnancy=pregnancy, day=date):
        raise ValidationError(
            {"date": _("An ANC contact is already recorded on %(day)s.") % {"day": date}}
        )
    contact = AncContact(
        pregnancy=pregnancy,
        date=date,
        place=place,
        health_center=health_center,
        created_by=acting_user(actor),
    )
    create_audited(contact, actor=actor, id=id)
    records_changed(
        source=SOURCE_PREGNANCY,
        cells=[(pregnancy.woman.household.community_id, day) for day in (date, pregnancy.edd)],
    )
    return contact


@transaction.atomic
def pregnancy_outcome_record(
    *,
    actor: Actor,
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
    require_perm_at(actor, Perm.HEALTH_RECORD, pregnancy.woman.household.community)
    if register_newborn and birth_outcome != BirthOutcome.LIVE_BIRTH:
        raise ValidationError({"register_newborn": _("Only a live birth registers a newborn.")})
    if register_newborn and newborn_sex not in Sex.values:
        raise ValidationError({"newborn_sex": _("Give the newborn's sex.")})
    _check_outcome(pregnancy, outcome_date, birth_outcome, outcome_place)
    if outcome_place == DeliveryPlace.THIS_CSCOM:
        health_center = pregnancy.woman.household.community.health_center
    elif outcome_place == DeliveryPlace.HOME:
        health_center = None
    _save_outcome(actor, pregnancy, outcome_date, birth_outcome, outcome_place, health_center)
    _end_pregnancy_followup(actor, pregnancy)
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


def _check_outcome(
    pregnancy: Pregnancy, outcome_date: datetime.date, birth_outcome: str, outcome_place: str
) -> None:
    """The outcome is not recorded yet, falls within the pregnancy (after its last ANC
    contact, at most 44 weeks after the LMP) and names a known outcome and place."""
    if pregnancy.outcome_date is not None:
        raise ValidationError({"outcome_date": _("This pregnancy's outcome is already recorded.")})
    within_program("outcome_date", outcome_date, _("The delivery"))
    if outcome_date < pregnancy.start:
        raise ValidationError(
            {
                "outcome_date": _("The delivery %(day)s is before the pregnancy.")
                % {"day": outcome_date}
            }
        )
    weeks = (outcome_date - pregnancy.start).days // 7
    if (outcome_date - pregnancy.start).days > LONGEST_PREGNANCY_DAYS:
        raise ValidationError(
            {
                "outcome_date": _(
                    "The delivery %(day)s is %(weeks)s weeks after the last menstrual period "
                    "%(lmp)s: a pregnancy lasts at most 44 weeks."
                )
                % {"day": outcome_date, "weeks": weeks, "lmp": pregnancy.start}
            }
        )
    last_contact = selectors.last_anc_contact_date(pregnancy=pregnancy)
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


def _save_outcome(
    actor: Actor,
    pregnancy: Pregnancy,
    outcome_date: datetime.date,
    birth_outcome: str,
    outcome_place: str,
    health_center: HealthCenter | None,
) -> None:
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


def _end_pregnancy_followup(actor: Actor, pregnancy: Pregnancy) -> None:
    """Her pregnancy follow-up is completed on the delivery day (before the postnatal visits
    are scheduled: ending it cancels the open tasks of the enrollment)."""
    assert pregnancy.outcome_date is not None
    for enrollment in selectors.open_enrollments(
        person=pregnancy.woman, program=FollowupProgram.PREGNANCY
    ):
        enrollment_close(
            actor=actor,
            enrollment=enrollment,
            end=max(pregnancy.outcome_date, enrollment.start),
            reason=ExitReason.COMPLETED,
        )


@transaction.atomic
def newborn_register(
    *,
    actor: Actor,
    pregnancy: Pregnancy,
    sex: str,
    id: uuid.UUID | None = None,  # the device's id
    given_name: str = "",
    family_name: str = "",
) -> Person:
    """Register the baby of a live birth in the mother's household (`registry.services.
    newborn_add`) and enroll it in the child follow-up from the delivery day (first visit due
    then, beside the mother's postnatal visits). The same id again returns the baby
    (`was_replayed`); twins are two calls with two ids."""
    require_perm_at(actor, Perm.HEALTH_RECORD, pregnancy.woman.household.community)
    if pregnancy.birth_outcome != BirthOutcome.LIVE_BIRTH or pregnancy.outcome_date is None:
        raise ValidationError(
            {"pregnancy": _("Record a live birth before registering the newborn.")}
        )
    baby = registry.newborn_add(
        actor=actor,
        pregnancy=pregnancy,
        sex=sex,
        id=id,
        given_name=given_name,
        family_name=family_name,
    )
    if not was_replayed(baby):
        enrollment_start(
            actor=actor, person=baby, program=FollowupProgram.CHILD, start=pregnancy.outcome_date
        )
    return baby
