"""Every write to the registry: households, people, least-access assessments. Each call is
one transaction, audited.

Records a device can create take the device's UUID (`id`): the same call again returns the
record unchanged (`was_replayed(record)` is True), the same id with other content is a
`Conflict`. The registry knows no program: a correction or a deactivation asks the programs
registered in `registry.plugins` (follow-up, …) for their checks and consequences.
"""

import datetime
import difflib
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, has_perm_at, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before_birth, not_in_future, within_program
from jigiya.core.models import AuditAction
from jigiya.core.retries import mark_replayed, replay
from jigiya.places.models import Place, PlaceKind
from jigiya.registry import plugins
from jigiya.registry.models import (
    FREE_CARE_SCORE,
    LEAST_ACCESS_CRITERIA,
    SUBSIDIZED_CARE_SCORE,
    ExitReason,
    Household,
    LeastAccessAssessment,
    LeastAccessDecision,
    Person,
    Pregnancy,
    Relationship,
    Sex,
    name_key,
)

if TYPE_CHECKING:
    from jigiya.accounts.models import User

# Given names and family names both more alike than this (0-1, difflib's ratio on the
# normalised names: "Diarra"/"Diara" 0.91, "Issa"/"Drissa" 0.8) may be the same person.
SIMILAR_NAMES = 0.8
DUPLICATE_BIRTH_DAYS = 365


# --- households ---------------------------------------------------------------------------


@transaction.atomic
def household_create(
    *,
    actor: Actor,
    community: Place,
    name: str,
    id: uuid.UUID | None = None,  # the device's id
    made_at: datetime.datetime | None = None,  # when the device says it was made
    landmark: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    phone: str = "",
    chw: "User | None" = None,
) -> Household:
    """Register a household in a community the actor records in; its CHW (if given) must
    work there."""
    require_perm_at(actor, Perm.HEALTH_RECORD, community)
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": _("A household belongs to a community.")})
    if not community.is_active:
        raise ValidationError(
            {"community": _("%(place)s is no longer active.") % {"place": community}}
        )
    _check_location(latitude, longitude)
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
    household = Household(created_by=acting_user(actor), **fields)
    create_audited(household, actor=actor, id=id, made_at=made_at)
    return household


@transaction.atomic
def household_update(*, actor: Actor, household: Household, **fields: Any) -> Household:
    """Change a household's details (name, landmark, location, phone, CHW, head, active)."""
    require_perm_at(actor, Perm.HEALTH_RECORD, household.community)
    allowed = {"name", "landmark", "latitude", "longitude", "phone", "chw", "head", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in unknown})
    if fields.get("chw") is not None and not has_perm_at(
        fields["chw"], Perm.HEALTH_RECORD, household.community.path
    ):
        raise ValidationError({"chw": _("This CHW does not work in this community.")})
    head = fields.get("head")
    if head is not None and (head.household_id != household.pk or not head.is_active):
        raise ValidationError({"head": _("The head must be a member of the household.")})
    _check_location(fields.get("latitude"), fields.get("longitude"))
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


def _check_location(latitude: Decimal | None, longitude: Decimal | None) -> None:
    """A latitude within ±90°, a longitude within ±180° (when given)."""
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValidationError(
            {"latitude": _("A latitude of %(value)s is not possible.") % {"value": latitude}}
        )
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValidationError(
            {"longitude": _("A longitude of %(value)s is not possible.") % {"value": longitude}}
        )


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


def _birth_date_of(birth_date: datetime.date | None, age_years: int | None) -> datetime.date | None:
    """The date of birth given, or estimated from an age (1 July of that year); checked."""
    if birth_date is None and age_years is not None:
        if not 0 <= age_years <= 120:
            raise ValidationError(
                {"age_years": _("An age of %(age)s years is not possible.") % {"age": age_years}}
            )
        birth_date = datetime.date(timezone.localdate().year - age_years, 7, 1)
    not_in_future("birth_date", birth_date, _("The date of birth"))
    if birth_date is not None and birth_date.year < 1900:
        raise ValidationError(
            {"birth_date": _("The date of birth %(day)s is too far back.") % {"day": birth_date}}
        )
    return birth_date


@transaction.atomic
def person_register(
    *,
    actor: Actor,
    household: Household,
    given_name: str,
    family_name: str,
    sex: str,
    relationship: str,
    id: uuid.UUID | None = None,  # the device's id
    made_at: datetime.datetime | None = None,  # when the device says it was made
    birth_date: datetime.date | None = None,
    age_years: int | None = None,
    phone: str = "",
    confirm_duplicate: bool = False,
) -> Person:
    """Register a member of a household. With `age_years` instead of a date of birth, the date
    is estimated (1 July of that year). People alike in the same community (see
    `duplicate_candidates`) stop the registration with `PossibleDuplicate` unless confirmed."""
    require_perm_at(actor, Perm.HEALTH_RECORD, household.community)
    estimated = birth_date is None and age_years is not None
    birth_date = _birth_date_of(birth_date, age_years)
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
        _refuse_duplicates(household.community, fields)
    person = Person(birth_date_estimated=estimated, created_by=acting_user(actor), **fields)
    person.name_key = name_key(person.given_name, person.family_name)
    create_audited(person, actor=actor, id=id, made_at=made_at)
    if relationship == Relationship.HEAD and household.head_id is None:
        Household.objects.filter(pk=household.pk).update(head=person)
        household.head = person
    return person


PERSON_DETAILS = ("given_name", "family_name", "sex", "birth_date", "relationship", "phone")


@transaction.atomic
def person_update(
    *,
    actor: Actor,
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

    Sending the same details again changes nothing (no audit entry). A change of sex or date
    of birth is checked by every program registered in `registry.plugins` (the follow-up
    refuses a man with an open pregnancy, a child enrolled at five or more, a visit before
    birth, and recomputes the child's stored ages and z-scores once saved). A new name, sex or
    date of birth is checked for duplicates like a registration."""
    community = person.household.community
    require_perm_at(actor, Perm.HEALTH_RECORD, community)
    if not person.is_active:
        raise ValidationError({"person": _("%(person)s is no longer active.") % {"person": person}})
    new, estimated = _corrected_details(
        person,
        given_name=given_name,
        family_name=family_name,
        sex=sex,
        relationship=relationship,
        birth_date=birth_date,
        age_years=age_years,
        phone=phone,
    )
    changed = {field for field, value in new.items() if getattr(person, field) != value}
    if estimated != person.birth_date_estimated:
        changed.add("birth_date_estimated")
    if not changed:
        return person
    after_save = plugins.correction_checked(
        person,
        plugins.Correction(sex=sex, birth_date=new["birth_date"], changed=frozenset(changed)),
    )
    if not confirm_duplicate and changed & {"given_name", "family_name", "sex", "birth_date"}:
        _refuse_duplicates(community, new, exclude=person.pk)
    before = audit_snapshot(person)
    for field, value in new.items():
        setattr(person, field, value)
    person.birth_date_estimated = estimated
    person.name_key = name_key(person.given_name, person.family_name)
    person.full_clean()
    person.save(update_fields=[*PERSON_DETAILS, "birth_date_estimated", "name_key", "updated_at"])
    audit_record(actor=actor, obj=person, before=before)
    for finish in after_save:
        finish()
    return person


def _corrected_details(
    person: Person,
    *,
    given_name: str,
    family_name: str,
    sex: str,
    relationship: str,
    birth_date: datetime.date | None,
    age_years: int | None,
    phone: str,
) -> tuple[dict[str, Any], bool]:
    """The details as corrected (checked), and whether the date of birth is an estimate: an
    age gives an estimate unless it gives back the date already stored."""
    estimated = person.birth_date_estimated
    if birth_date is None and age_years is not None:
        birth_date = _birth_date_of(None, age_years)
        estimated = birth_date != person.birth_date or person.birth_date_estimated
    else:
        birth_date = _birth_date_of(birth_date, None)
        if birth_date != person.birth_date:
            estimated = False
    if sex not in Sex.values:
        raise ValidationError({"sex": _("Choose a sex.")})
    if relationship not in Relationship.values:
        raise ValidationError({"relationship": _("Choose a relationship.")})
    new = {
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "sex": sex,
        "birth_date": birth_date,
        "relationship": relationship,
        "phone": phone.strip(),
    }
    return new, estimated


def _refuse_duplicates(
    community: Place, details: dict[str, Any], exclude: uuid.UUID | None = None
) -> None:
    candidates = duplicate_candidates(
        community=community,
        given_name=details["given_name"],
        family_name=details["family_name"],
        sex=details["sex"],
        birth_date=details["birth_date"],
        exclude=exclude,
    )
    if candidates:
        raise PossibleDuplicate(candidates)


@transaction.atomic
def person_deactivate(
    *, actor: Actor, person: Person, reason: str, day: datetime.date | None = None
) -> Person:
    """A person moved, died or left: deactivated (never deleted), after every program
    registered in `registry.plugins` ended its follow-up (the follow-up ends her enrollments
    with that reason and cancels her open tasks, so she leaves the worklist). Deactivating
    someone already inactive changes nothing (`was_replayed`)."""
    require_perm_at(actor, Perm.HEALTH_RECORD, person.household.community)
    if reason not in (ExitReason.MOVED, ExitReason.DIED, ExitReason.LEFT):
        raise ValidationError({"reason": _("Choose moved, died or left.")})
    day = day or timezone.localdate()
    within_program("day", day, _("The day"))
    not_before_birth("day", day, person, _("The day"))
    if not person.is_active:
        mark_replayed(person)
        return person
    plugins.deactivated(actor=actor, person=person, day=day, reason=reason)
    before = audit_snapshot(person)
    person.is_active = False
    person.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, obj=person, before=before, action=AuditAction.DEACTIVATE)
    return person


@transaction.atomic
def newborn_add(
    *,
    actor: Actor,
    pregnancy: Pregnancy,
    sex: str,
    id: uuid.UUID | None = None,  # the device's id
    given_name: str = "",
    family_name: str = "",
) -> Person:
    """The baby of a recorded live birth, as a member of the mother's household: born on the
    delivery day, a child (or grandchild) of the household, named "Baby" until named, of the
    head's family name unless given. No duplicate check: a newborn is new. The same id again
    returns the baby (`was_replayed`). The follow-up's `newborn_register` calls this and
    enrolls the baby."""
    woman = pregnancy.woman
    household = woman.household
    require_perm_at(actor, Perm.HEALTH_RECORD, household.community)
    assert pregnancy.outcome_date is not None
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
        created_by=acting_user(actor),
        **fields,
    )
    person.name_key = name_key(person.given_name, person.family_name)
    create_audited(person, actor=actor, id=id)
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
    actor: Actor,
    household: Household,
    assessed_on: datetime.date,
    criteria: list[str],
    id: uuid.UUID | None = None,  # the device's id
) -> LeastAccessAssessment:
    """Assess a household's access to care; the score and decision follow from the criteria."""
    require_perm_at(actor, Perm.HEALTH_RECORD, household.community)
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
    within_program("assessed_on", assessed_on, _("The assessment"))
    score, decision = least_access_decision(criteria)
    assessment = LeastAccessAssessment(
        household=household,
        assessed_on=assessed_on,
        criteria=criteria,
        score=score,
        decision=decision,
        created_by=acting_user(actor),
    )
    create_audited(assessment, actor=actor, id=id)
    return assessment
