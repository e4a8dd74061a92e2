"""Referrals: a person sent to a health center (by hand, or by a visit's danger signs) and the
outcome that closes the loop (by the CHW at a follow-up visit, or by the center's staff). One
transaction each, audited; the follow-up visit is scheduled 3 days after the referral.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, has_perm_at, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before_birth, within_program
from jigiya.core.changes import declare_source, records_changed
from jigiya.core.errors import Conflict
from jigiya.core.retries import replay
from jigiya.followup import engine, selectors
from jigiya.followup.models import ClosedVia, Referral, ReferralStatus, Visit
from jigiya.followup.signs import REFERRAL_REASONS
from jigiya.places.models import HealthCenter
from jigiya.registry.models import Person

SOURCE_REFERRAL = declare_source("followup.referral")


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    person: Person,
    health_center: HealthCenter,
    referred_on: datetime.date,
    reasons: list[str],
    urgency: str,
    reason_text: str = "",
    visit: Visit | None = None,
    id: uuid.UUID | None = None,  # the device's id
    made_at: datetime.datetime | None = None,  # when the device says it was made
) -> Referral:
    """Refer an active person to a health center; the follow-up visit is scheduled 3 days
    later."""
    require_perm_at(actor, Perm.HEALTH_RECORD, person.household.community)
    expected = {
        "person": person,
        "health_center": health_center,
        "referred_on": referred_on,
        "urgency": urgency,
    }
    existing = replay(Referral, id, expected)
    if existing is not None:
        return existing
    if not person.is_active:
        raise ValidationError({"person": _("%(person)s is no longer active.") % {"person": person}})
    within_program("referred_on", referred_on, _("The referral date"))
    not_before_birth("referred_on", referred_on, person, _("The referral date"))
    unknown = sorted(set(reasons) - set(REFERRAL_REASONS))
    if unknown or not (reasons or reason_text.strip()):
        raise ValidationError({"reasons": [_("Give the reason for the referral.")]})
    referral = Referral(
        person=person,
        visit=visit,
        health_center=health_center,
        referred_on=referred_on,
        reasons=reasons,
        reason_text=reason_text.strip(),
        urgency=urgency,
        created_by=acting_user(actor),
    )
    create_audited(referral, actor=actor, id=id, made_at=made_at)
    engine.schedule_referral_followup(referral, actor=actor)
    records_changed(source=SOURCE_REFERRAL, cells=[(person.household.community_id, referred_on)])
    return referral


@transaction.atomic
def referral_close(
    *,
    actor: Actor,
    referral: Referral,
    seen: bool,
    seen_by: str = "",
    action_taken: str = "",
    seen_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
) -> Referral:
    """Close the loop of a referral: seen or not, by whom, what was done. By the health
    center's staff, or the CHW. Closing twice with the same outcome changes nothing."""
    if not selectors.can_close_referral(actor, referral):
        raise PermissionDenied
    closed_on = closed_on or timezone.localdate()
    within_program("closed_on", closed_on, _("The outcome"))
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
    return referral_close_by_visit(
        actor=actor,
        referral=referral,
        seen=seen,
        seen_by=seen_by,
        action_taken=action_taken,
        seen_on=seen_on,
        closed_on=closed_on,
        via=via,
    )


def referral_close_by_visit(
    *,
    actor: Actor,
    referral: Referral,
    seen: bool,
    seen_by: str,
    action_taken: str,
    seen_on: datetime.date | None,
    closed_on: datetime.date,
    via: str,
) -> Referral:
    """The outcome written (inside the caller's transaction, the caller having checked who
    closes): `referral_close`, or a visit that asked about the referral."""
    if closed_on < referral.referred_on:
        raise ValidationError({"closed_on": [_("The outcome is dated before the referral.")]})
    if seen_on is not None and (seen_on < referral.referred_on or seen_on > closed_on):
        raise ValidationError(
            {
                "seen_on": [
                    _("Seen on %(day)s: not between the referral and today.") % {"day": seen_on}
                ]
            }
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
