"""Every read of the care app, scoped to the user's places (`CARE_VIEW`): schemes, coverage,
claims and their lines, budgets and their use, payments. Each page costs a fixed number of
queries."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from jigiya.accounts.access import Actor, acting_user, get_in_scope, has_perm_at, scope_q
from jigiya.accounts.roles import Perm
from jigiya.care import budgets
from jigiya.care.models import (
    Budget,
    BudgetAlert,
    BudgetNotice,
    BudgetRevision,
    CareLine,
    Claim,
    ClaimStatus,
    Coverage,
    LineStatus,
    PaymentEntry,
    Scheme,
)
from jigiya.donors.models import Funding
from jigiya.places.models import HealthCenter
from jigiya.registry.models import Person


def scheme_list(*, user: Actor) -> QuerySet[Scheme]:
    """Schemes over the user's places, or paying a health center in them."""
    q = scope_q(user, Perm.CARE_VIEW, "place__path") | scope_q(
        user, Perm.CARE_VIEW, "health_centers__place__path"
    )
    ids = Scheme.objects.filter(q).values("pk")
    return Scheme.objects.filter(pk__in=ids).select_related("funding__donor", "place")


def scheme_get(*, user: Actor, scheme_id: Any) -> Scheme:
    try:
        return scheme_list(user=user).prefetch_related("health_centers").get(pk=scheme_id)
    except (Scheme.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def schemes_for(*, person: Person) -> QuerySet[Scheme]:
    """Schemes over the person's community (what a decision may choose)."""
    path = person.household.community.path
    return Scheme.objects.filter(place__path__in=_prefixes(path)).order_by("name")


def _prefixes(path: str) -> list[str]:
    """Every ancestor path of `path` ("/a/b/c/" → "/a/", "/a/b/", "/a/b/c/")."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def health_center_get(
    *, user: Actor, health_center_id: Any, perm: Perm = Perm.CARE_VIEW
) -> HealthCenter:
    return get_in_scope(
        HealthCenter.objects.select_related("place"), user, perm, "place__path", pk=health_center_id
    )


def health_centers(*, user: Actor) -> QuerySet[HealthCenter]:
    """Health centers in the user's places that a scheme pays."""
    paid = Scheme.health_centers.through.objects.values("healthcenter_id")
    return HealthCenter.objects.filter(
        scope_q(user, Perm.CARE_VIEW, "place__path"), pk__in=paid
    ).select_related("place")


def person_get(*, user: Actor, person_id: Any) -> Person:
    """A person whose coverage the user may see (her community in the user's places)."""
    return get_in_scope(
        Person.objects.select_related("household__community"),
        user,
        Perm.CARE_VIEW,
        "household__community__path",
        pk=person_id,
    )


def coverages_of(*, person: Person) -> list[Coverage]:
    return list(
        Coverage.objects.filter(person=person)
        .select_related("scheme", "renews")
        .order_by("-start", "-created_at")
    )


def coverage_get(*, user: Actor, coverage_id: Any) -> Coverage:
    return get_in_scope(
        Coverage.objects.select_related("person__household__community", "scheme"),
        user,
        Perm.CARE_VIEW,
        "person__household__community__path",
        pk=coverage_id,
    )


def care_history(*, person: Person) -> list[CareLine]:
    return list(
        CareLine.objects.filter(person=person)
        .select_related("claim__health_center", "coverage__scheme")
        .order_by("-day", "-created_at")[:200]
    )


def covered_people(*, people: Any, day: datetime.date) -> dict[Any, list[Coverage]]:
    """person id → her coverages in force on `day` (one query)."""
    rows = (
        Coverage.objects.filter(person_id__in=people, start__lte=day)
        .exclude(end__lt=day)
        .select_related("scheme")
    )
    found: dict[Any, list[Coverage]] = {}
    for coverage in rows:
        found.setdefault(coverage.person_id, []).append(coverage)
    return found


def beneficiaries(*, center: HealthCenter, day: datetime.date) -> QuerySet[Person]:
    """People of the health center's area covered on `day` by a scheme that pays it."""
    covered = (
        Coverage.objects.filter(scheme__health_centers=center, start__lte=day)
        .exclude(end__lt=day)
        .values("person_id")
    )
    return (
        Person.objects.filter(pk__in=covered, household__community__health_center=center)
        .select_related("household")
        .order_by("family_name", "given_name")
    )


def claim_list(*, user: Actor, center: HealthCenter | None = None) -> QuerySet[Claim]:
    claims = Claim.objects.filter(scope_q(user, Perm.CARE_VIEW, "health_center__place__path"))
    if center is not None:
        claims = claims.filter(health_center=center)
    return claims.select_related("health_center").annotate(
        lines_count=Count("lines"),
        pending=Count("lines", filter=Q(lines__status=LineStatus.PENDING)),
        claimed=Sum("lines__amount"),
    )


def claim_get(*, user: Actor, claim_id: Any) -> Claim:
    return get_in_scope(
        Claim.objects.select_related("health_center__place", "approved_by", "second_approval_by"),
        user,
        Perm.CARE_VIEW,
        "health_center__place__path",
        pk=claim_id,
    )


def claim_lines(*, claim: Claim) -> list[CareLine]:
    return list(
        claim.lines.select_related("person__household", "coverage__scheme", "referral").order_by(
            "day", "created_at"
        )
    )


def claim_totals(*, claim: Claim) -> dict[str, int]:
    rows = claim.lines.values("status").annotate(n=Count("pk"), a=Sum("amount"), c=Sum("covered"))
    totals = {"lines": 0, "amount": 0, "approved": 0, "rejected": 0, "pending": 0}
    for row in rows:
        totals["lines"] += row["n"]
        totals["amount"] += row["a"] or 0
        totals[row["status"]] = row["c"] or 0 if row["status"] == LineStatus.APPROVED else row["n"]
    return totals


def line_get(*, user: Actor, line_id: Any) -> CareLine:
    return get_in_scope(
        CareLine.objects.select_related("claim__health_center__place", "person"),
        user,
        Perm.CARE_VIEW,
        "claim__health_center__place__path",
        pk=line_id,
    )


def payments_of(*, claim: Claim) -> list[PaymentEntry]:
    return list(claim.payments.select_related("reverses").order_by("seq"))


def payment_get(*, user: Actor, payment_id: Any) -> PaymentEntry:
    return get_in_scope(
        PaymentEntry.objects.select_related("claim__health_center__place"),
        user,
        Perm.CARE_VIEW,
        "health_center__place__path",
        pk=payment_id,
    )


def budget_uses(
    *, user: Actor, center: HealthCenter | None = None, scheme: Scheme | None = None
) -> list[budgets.BudgetUse]:
    """Each budget in the user's places with what is consumed and committed now."""
    rows = Budget.objects.filter(scope_q(user, Perm.CARE_VIEW, "health_center__place__path"))
    if center is not None:
        rows = rows.filter(health_center=center)
    if scheme is not None:
        rows = rows.filter(scheme=scheme)
    return [budgets.budget_use(b) for b in rows.select_related("scheme", "health_center")[:50]]


def alerts(*, user: Actor) -> QuerySet[BudgetAlert]:
    return (
        BudgetAlert.objects.filter(
            scope_q(user, Perm.CARE_PAY, "budget__health_center__place__path"),
            cleared_by=None,  # in force: not re-armed by a budget change since
        )
        .select_related("budget__scheme", "budget__health_center", "claim")
        .order_by("-created_at")[:20]
    )


def can(user: Actor, perm: Perm, center: HealthCenter) -> bool:
    return has_perm_at(user, perm, center.place.path)


def open_statuses() -> tuple[str, ...]:
    return (ClaimStatus.OPEN, ClaimStatus.HELD, ClaimStatus.APPROVED)


def claim_page(*, user: Actor, claim: Claim) -> dict[str, Any]:
    """Everything the claim page and the printable statement show, and what the user may do."""
    center = claim.health_center
    return {
        "claim": claim,
        "lines": claim_lines(claim=claim),
        "totals": claim_totals(claim=claim),
        "payments": payments_of(claim=claim),
        "can_verify": claim.status == ClaimStatus.OPEN and can(user, Perm.CARE_VERIFY, center),
        "can_pay": can(user, Perm.CARE_PAY, center),
        "can_claim": claim.status == ClaimStatus.OPEN and can(user, Perm.CARE_CLAIM, center),
    }


STATEMENT_COLUMNS = (
    "row", "date", "beneficiary", "beneficiary_id", "service", "scheme", "amount_fcfa",
    "covered_fcfa", "status", "reason",
)  # fmt: skip


def statement_rows(*, claim: Claim) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The monthly claim statement as spreadsheet rows (one a line, then the totals)."""
    lines = claim_lines(claim=claim)
    rows: list[list[Any]] = [_statement_row(line) for line in lines]
    totals = claim_totals(claim=claim)
    rows.append([None, None, "TOTAL", None, None, None, totals["amount"], totals["approved"]])
    return STATEMENT_COLUMNS, rows


def _statement_row(line: CareLine) -> list[Any]:
    approved = line.status == LineStatus.APPROVED
    return [
        line.row, line.day.isoformat(), str(line.person), str(line.person_id),
        line.get_service_display(), str(line.coverage.scheme), line.amount,
        line.covered if approved else 0, line.get_status_display(), line.reason,
    ]  # fmt: skip


def person_for_line(*, person_id: Any) -> Person:
    """The beneficiary a health center names on a care line, or 404. Not scoped to the staff's
    places (a health area spans several communities): the line's checks refuse anyone who is
    not the health center's patient, without telling who they are."""
    try:
        return Person.objects.select_related("household__community").get(pk=person_id)
    except (Person.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def scheme_centers(*, user: Actor, scheme: Scheme, perm: Perm) -> QuerySet[HealthCenter]:
    """The scheme's health centers where the user holds `perm` (budgets are set there)."""
    return scheme.health_centers.filter(scope_q(user, perm, "place__path")).order_by("name")


def scheme_choices(*, user: Actor) -> dict[str, Any]:
    """What the new-scheme form offers: the places where the user may set schemes, their
    health centers, and the community-health fundings (the service checks they fit)."""
    from jigiya.places.models import Place

    return {
        "places": Place.objects.filter(scope_q(user, Perm.CARE_PAY), is_active=True)
        .exclude(kind="community")
        .order_by("path"),
        "centers": HealthCenter.objects.filter(scope_q(user, Perm.CARE_PAY, "place__path")),
        "fundings": Funding.objects.filter(program="health").select_related("donor", "place"),
    }


def budget_get(*, user: Actor, budget_id: Any, perm: Perm = Perm.CARE_VIEW) -> Budget:
    """A budget at a health center where the user holds `perm` (404 otherwise)."""
    return get_in_scope(
        Budget.objects.select_related("scheme", "health_center__place"),
        user,
        perm,
        "health_center__place__path",
        pk=budget_id,
    )


def budget_revisions(*, scheme: Scheme, budgets: list[Budget]) -> QuerySet[BudgetRevision]:
    """The history of the budgets shown (newest first)."""
    return (
        BudgetRevision.objects.filter(budget__in=budgets, budget__scheme=scheme)
        .select_related("budget__health_center", "created_by")
        .prefetch_related("cleared")
        .order_by("-created_at")
    )


def unread_badge(user: Actor) -> str:
    """The header's badge: how many of the user's budget alert notices are unread ("" for none,
    "99+" past 99), in one COUNT over the (user, read_at) index, of at most 100 rows."""
    unread = BudgetNotice.objects.filter(user=acting_user(user), read_at=None).order_by()
    count = unread[:100].count()
    return "" if not count else "99+" if count > 99 else str(count)


def notices(*, user: Actor) -> QuerySet[BudgetNotice]:
    """The user's own budget alert notices, unread first, then newest."""
    return (
        BudgetNotice.objects.filter(user=acting_user(user))
        .select_related(
            "alert__budget__scheme",
            "alert__budget__health_center",
            "alert__claim",
            "alert__lowered_by",
            "alert__cleared_by",
        )
        .order_by(F("read_at").asc(nulls_first=True), "-created_at")[:100]
    )
