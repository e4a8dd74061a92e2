"""Care lines and claims: a health center records what care it gave (one line at a time or a
month's upload), verification approves or rejects each line with its reason, the claim is
approved within the budgets (`budgets.py`), then paid (`payments.py`) and closed.

Each line is checked when recorded and again when verified (a coverage may have ended since):
the person is the health center's patient, covered that day, at that health center, for that
service, eligible that day, within the scheme's ceiling, and not claimed before (by anyone).
One line a person, day and service is also a database constraint.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.care import budgets
from jigiya.care.common import SOURCE_LINES
from jigiya.care.coverage import check_eligible
from jigiya.care.facts import DATABASE, Facts
from jigiya.care.models import (
    CareLine,
    Claim,
    ClaimStatus,
    Coverage,
    LineStatus,
    Service,
)
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import not_before, text_within, within_program
from jigiya.core.changes import records_changed
from jigiya.core.money import format_fcfa
from jigiya.core.periods import Month
from jigiya.core.retries import replay
from jigiya.followup import referrals as followup_referrals
from jigiya.followup.models import ClosedVia, Referral, ReferralStatus
from jigiya.places.models import HealthCenter
from jigiya.registry.models import Person

REASON_LENGTH = 300


@dataclass(frozen=True)
class Checked:
    """What the checks found for a line: the coverage it falls under, the part covered, the
    referral it follows (if any)."""

    coverage: Coverage
    covered: int
    referral: Referral | None
    eligible_as: str


def line_check(
    *,
    center: HealthCenter,
    person: Person,
    day: datetime.date,
    service: str,
    amount: int,
    line_id: uuid.UUID | None = None,
    facts: Facts = DATABASE,
) -> Checked:
    """Every rule a care line must meet, or the first it breaks as a `ValidationError` naming
    the field (nothing is written here). `facts`: where the rules read (`facts.py`)."""
    within_program("day", day, _("The date of care"))
    if service not in Service.values:
        raise ValidationError({"service": _("Unknown service “%(code)s”.") % {"code": service}})
    if type(amount) is not int or amount <= 0:
        raise ValidationError({"amount": _("Enter a whole, positive number of FCFA.")})
    referral = facts.referral(person, center.pk, day)
    if person.household.community.health_center_id != center.pk and referral is None:
        raise ValidationError(
            {"person": _("This person is not a patient of %(center)s (another health center's "
                         "area, and no referral to it).") % {"center": center}}
        )  # fmt: skip
    coverages = facts.coverages(person, day)
    if not coverages:
        raise ValidationError(
            {"day": _("%(person)s was not covered on %(day)s.") % {"person": person, "day": day}}
        )
    here = [c for c in coverages if center.pk in facts.center_ids(c.scheme)]
    if not here:
        raise ValidationError(
            {"person": _("The coverage of %(person)s does not include %(center)s.")
            % {"person": person, "center": center}}
        )  # fmt: skip
    covering = [c for c in here if service in c.scheme.services]
    if not covering:
        raise ValidationError(
            {"service": _("%(service)s is not covered by %(schemes)s.")
            % {"service": Service(service).label,
               "schemes": ", ".join(str(c.scheme) for c in here)}}
        )  # fmt: skip
    coverage = covering[0]
    scheme = coverage.scheme
    _assessment, eligible_as = check_eligible(person, scheme, day, "day", facts)
    if scheme.ceiling is not None and amount > scheme.ceiling:
        raise ValidationError(
            {"amount": _("%(amount)s is above the ceiling of %(ceiling)s per episode of "
                         "%(scheme)s.") % {"amount": format_fcfa(amount),
                                           "ceiling": format_fcfa(scheme.ceiling),
                                           "scheme": scheme}}
        )  # fmt: skip
    _not_duplicate(person, day, service, facts.claimed_by(person, day, service, line_id))
    covered = amount * scheme.percent // 100
    return Checked(coverage=coverage, covered=covered, referral=referral, eligible_as=eligible_as)


def _not_duplicate(person: Person, day: datetime.date, service: str, center: str | None) -> None:
    if center is not None:
        raise ValidationError(
            {"day": _("A duplicate: %(service)s for %(person)s on %(day)s is already claimed by "
                      "%(center)s.") % {"service": Service(service).label, "person": person,
                                        "day": day, "center": center}}
        )  # fmt: skip


def claim_for(center: HealthCenter, day: datetime.date) -> Claim:
    """The health center's claim for the month of `day`, locked, made when missing; refused
    once it is no longer open."""
    month = Month.of(day).first_day
    claim = Claim.objects.select_for_update().filter(health_center=center, month=month).first()
    if claim is None:
        claim = Claim(health_center=center, month=month)
        claim.full_clean()
        claim.save(force_insert=True)
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.OPEN:
        raise ValidationError(
            {"day": _("The claim of %(center)s for %(month)s is %(status)s: no line can be added.")
            % {"center": center, "month": f"{month:%Y-%m}", "status": claim.get_status_display()}}
        )  # fmt: skip
    return claim


@transaction.atomic
def care_line_record(
    *,
    actor: Actor,
    health_center: HealthCenter,
    person: Person,
    day: datetime.date,
    service: str,
    amount: int,
    row: int | None = None,
    id: uuid.UUID | None = None,
) -> CareLine:
    """Record one care line in the health center's claim of that month (checked at once; the
    verification checks it again). A line that follows a referral closes its loop."""
    require_perm_at(actor, Perm.CARE_CLAIM, health_center.place)
    expected = {"person": person, "day": day, "service": service, "amount": amount}
    existing = replay(CareLine, id, expected)
    if existing is not None:
        return existing
    checked = line_check(
        center=health_center, person=person, day=day, service=service, amount=amount
    )
    claim = claim_for(health_center, day)
    line = CareLine(
        claim=claim, person=person, coverage=checked.coverage, referral=checked.referral,
        day=day, service=service, amount=amount, covered=checked.covered, row=row,
        eligible_as=checked.eligible_as,
        created_by=acting_user(actor),
    )  # fmt: skip
    try:
        with transaction.atomic():
            create_audited(line, actor=actor, id=id)
    except IntegrityError as exc:  # the same line recorded at the same moment elsewhere
        _not_duplicate(person, day, service, DATABASE.claimed_by(person, day, service, line.pk))
        raise ValidationError({"day": _("This line is already claimed.")}) from exc
    if checked.referral is not None and checked.referral.status == ReferralStatus.OPEN:
        close_referral(actor, checked.referral, line)
    records_changed(source=SOURCE_LINES, cells=[(person.household.community_id, day)])
    return line


def close_referral(actor: Actor, referral: Referral, line: CareLine) -> None:
    """The referral's loop closed by the care line: seen at the health center that day."""
    followup_referrals.referral_close_by_visit(
        actor=actor,
        referral=referral,
        seen=True,
        seen_by=str(line.claim.health_center)[:120],
        action_taken=_("Care covered: %(service)s, %(covered)s of %(amount)s (care line).")
        % {
            "service": line.get_service_display(),
            "covered": format_fcfa(line.covered),
            "amount": format_fcfa(line.amount),
        },
        seen_on=line.day,
        closed_on=max(line.day, timezone.localdate()),
        via=ClosedVia.HEALTH_CENTER,
    )


def _open_claim(actor: Actor, claim: Claim, perm: Perm) -> Claim:
    require_perm_at(actor, perm, claim.health_center.place)
    claim = Claim.objects.select_for_update().select_related("health_center").get(pk=claim.pk)
    if claim.status != ClaimStatus.OPEN:
        raise ValidationError(
            {"__all__": _("This claim is %(status)s.") % {"status": claim.get_status_display()}}
        )
    return claim


def _decide(actor: Actor, line: CareLine, status: str, reason: str) -> None:
    before = audit_snapshot(line)
    line.status, line.reason = status, reason[:REASON_LENGTH]
    line.save(update_fields=["status", "reason", "updated_at"])
    audit_record(actor=actor, obj=line, before=before)


@transaction.atomic
def claim_verify(*, actor: Actor, claim: Claim) -> dict[str, int]:
    """Check every line still waiting: approved, or rejected with the rule it breaks.
    Returns how many of each."""
    claim = _open_claim(actor, claim, Perm.CARE_VERIFY)
    counts = {LineStatus.APPROVED: 0, LineStatus.REJECTED: 0}
    pending = claim.lines.filter(status=LineStatus.PENDING).select_related(
        "person__household__community"
    )
    for line in pending:
        try:
            checked = line_check(
                center=claim.health_center, person=line.person, day=line.day,
                service=line.service, amount=line.amount, line_id=line.pk,
            )  # fmt: skip
        except ValidationError as exc:
            _decide(actor, line, LineStatus.REJECTED, "; ".join(exc.messages))
            counts[LineStatus.REJECTED] += 1
            continue
        if checked.covered != line.covered or checked.coverage.pk != line.coverage_id:
            line.covered, line.coverage = checked.covered, checked.coverage
            line.save(update_fields=["covered", "coverage", "updated_at"])
        _decide(actor, line, LineStatus.APPROVED, "")
        counts[LineStatus.APPROVED] += 1
    if pending:
        records_changed(source=SOURCE_LINES, cells=_cells(claim))
    return {str(key): value for key, value in counts.items()}


@transaction.atomic
def line_reject(*, actor: Actor, line: CareLine, reason: str) -> CareLine:
    """A verifier rejects a line (waiting or approved) of an open claim, with the reason."""
    _open_claim(actor, line.claim, Perm.CARE_VERIFY)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    text_within("reason", reason, REASON_LENGTH, _("The reason"))
    line = CareLine.objects.get(pk=line.pk)
    if line.status == LineStatus.REJECTED:
        return line
    _decide(actor, line, LineStatus.REJECTED, reason)
    records_changed(source=SOURCE_LINES, cells=[(line.person.household.community_id, line.day)])
    return line


def _cells(claim: Claim) -> list[tuple[uuid.UUID, datetime.date]]:
    rows = claim.lines.values_list("person__household__community_id", "day").distinct()
    return [(community, day) for community, day in rows]


@transaction.atomic
def claim_approve(*, actor: Actor, claim: Claim, on: datetime.date | None = None) -> Claim:
    """Approve a verified claim (on `on`, default today) for the sum its approved lines cover,
    within the budgets: above one, refused or held for a second approval (the budget's
    setting)."""
    claim = _open_claim(actor, claim, Perm.CARE_VERIFY)
    on = on or timezone.localdate()
    within_program("on", on, _("The approval date"))
    last_line = claim.lines.order_by("-day").values_list("day", flat=True).first()
    not_before("on", on, last_line, _("The approval date"), _("the last care line"))
    waiting = claim.lines.filter(status=LineStatus.PENDING).count()
    if waiting:
        raise ValidationError(
            {"__all__": _("%(count)s lines wait for verification: verify the claim first.")
            % {"count": waiting}}
        )  # fmt: skip
    over = budgets.check_claim(actor=actor, claim=claim)
    before = audit_snapshot(claim)
    claim.approved_amount = budgets.claim_total(claim)
    claim.status = ClaimStatus.HELD if over else ClaimStatus.APPROVED
    claim.approved_on = on
    claim.approved_by = acting_user(actor)
    claim.full_clean()
    claim.save()
    audit_record(actor=actor, obj=claim, before=before)
    records_changed(source=SOURCE_LINES, cells=_cells(claim))
    return claim


@transaction.atomic
def claim_second_approve(*, actor: Actor, claim: Claim) -> Claim:
    """A second officer (not the first) approves a claim held above its budget."""
    require_perm_at(actor, Perm.CARE_PAY, claim.health_center.place)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.HELD:
        raise ValidationError({"__all__": _("This claim is not waiting for a second approval.")})
    if claim.approved_by_id == getattr(actor, "pk", None):
        raise ValidationError({"__all__": _("The second approval must come from another officer.")})
    before = audit_snapshot(claim)
    claim.status = ClaimStatus.APPROVED
    claim.second_approval_by = acting_user(actor)
    claim.save(update_fields=["status", "second_approval_by", "updated_at"])
    audit_record(actor=actor, obj=claim, before=before)
    return claim


@transaction.atomic
def claim_close(*, actor: Actor, claim: Claim) -> Claim:
    """Close a paid claim: nothing more happens to it."""
    require_perm_at(actor, Perm.CARE_PAY, claim.health_center.place)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status == ClaimStatus.CLOSED:
        return claim
    if claim.status != ClaimStatus.PAID:
        raise ValidationError({"__all__": _("Only a paid claim can be closed.")})
    before = audit_snapshot(claim)
    claim.status, claim.closed_on = ClaimStatus.CLOSED, timezone.localdate()
    claim.save(update_fields=["status", "closed_on", "updated_at"])
    audit_record(actor=actor, obj=claim, before=before)
    return claim
