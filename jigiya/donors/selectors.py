"""Reads of the donors app, scoped to the user.

Partner scope (DESIGN: a partner "sees aggregate results for what they fund"): `program_paths`
and its predicates say where a partner sees a program's figures; the indicators (dashboards,
exports, the API, DHIS2) and every program built later read them from here. Then which donors'
reports a user may open, and what a donor manager may change."""

import uuid
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404

from jigiya.accounts.access import (
    EVERYWHERE,
    Actor,
    get_in_scope,
    has_perm_anywhere,
    require_perm_anywhere,
    role_paths,
    scope_paths,
    scope_q,
    user_memo,
)
from jigiya.accounts.models import Assignment, User
from jigiya.accounts.roles import Perm, Role
from jigiya.donors.models import Donor, DonorUser, Funding
from jigiya.places.models import Place

M = TypeVar("M", bound=Model)


# --- What a partner sees -------------------------------------------------------------------


def _linked_donor_id(user: Actor) -> uuid.UUID | None:
    if user is None or not user.is_authenticated:
        return None
    link = DonorUser.objects.filter(user=user).first()
    return link.donor_id if link else None


def _funded_paths(partner: list[str], funded: list[str]) -> set[str]:
    """Where a partner assigned at `partner` sees what is funded at `funded`: a funded place
    inside its places, or its own place inside a funded one — never the place around."""
    paths = set()
    for funded_path in funded:
        for scope in partner:
            if scope.startswith(funded_path):
                paths.add(scope)
            elif funded_path.startswith(scope):
                paths.add(funded_path)
    return paths


def program_paths(user: Actor, program: str) -> list[str]:
    """The path prefixes under which `user` sees the aggregates of `program`: wherever a role
    other than partner lets them see indicators; and, as a partner (DESIGN: "sees aggregate
    results for what they fund"), where their donor funds the program, within their places —
    a funding at a commune shows that commune and below, not the region around it. Read once
    per request."""
    cache: dict[str, list[str]] = user_memo(user).setdefault("program_paths", {})
    if program not in cache:
        paths = set(scope_paths(user, Perm.INDICATORS_VIEW, except_role=Role.PARTNER))
        partner = role_paths(user, Role.PARTNER)
        donor = _linked_donor_id(user) if partner else None
        if donor is not None:
            funded = Funding.objects.filter(
                donor_id=donor, donor__is_active=True, program=program, place__is_active=True
            ).values_list("place__path", flat=True)
            paths |= _funded_paths(partner, list(funded))
        cache[program] = sorted(paths)
    return cache[program]


def program_home_place(user: Actor, program: str) -> Place | None:
    """The highest place where the user sees `program` (a partner whose donor funds it in one
    commune: that commune), or None."""
    paths = sorted(program_paths(user, program), key=len)
    if not paths or paths[0] == EVERYWHERE:
        return None
    return Place.objects.filter(path=paths[0], is_active=True).first()


def sees_program(user: Actor, program: str, place: Place) -> bool:
    return any(place.path.startswith(path) for path in program_paths(user, program))


def require_program(user: Actor, program: str, place: Place) -> None:
    """Refuse (403) the figures of `program` at `place` to a partner whose donor does not fund
    it there."""
    if not sees_program(user, program, place):
        raise PermissionDenied


# --- Whose report a user may open --------------------------------------------------------


def donor_list(*, user: Actor) -> QuerySet[Donor]:
    """The active donors whose report the user may open. As a partner, the donor its login
    speaks for and no other: a partner login linked to no donor opens none (being a partner
    somewhere is no reason to see who funds what there). Through any other role that sees
    indicators, the donors funding something in the user's places."""
    funded_here = Funding.objects.filter(
        scope_q(user, Perm.INDICATORS_VIEW, "place__path", except_role=Role.PARTNER)
    )
    rows = Q(pk__in=funded_here.values("donor_id"))
    linked = _linked_donor_id(user) if role_paths(user, Role.PARTNER) else None
    if linked is not None:
        rows |= Q(pk=linked)
    return Donor.objects.filter(rows, is_active=True).order_by("name")


def _get_or_404(rows: QuerySet[M], pk: object) -> M:
    """One row of `rows` by primary key, or 404 (also for a malformed id)."""
    try:
        return rows.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def donor_get(*, user: Actor, donor_id: object) -> Donor:
    """One donor from `donor_list`, or 404 (also for a malformed id)."""
    return _get_or_404(donor_list(user=user), donor_id)


def donor_fundings(*, user: Actor, donor: Donor) -> QuerySet[Funding]:
    """The donor's fundings in the user's places, by program, place and start (a donor report
    shows these and nothing else). The places a user holds as a partner count for its own
    donor only: another donor's fundings show through the user's other roles."""
    own = donor.pk == _linked_donor_id(user)
    scope = scope_q(
        user, Perm.INDICATORS_VIEW, "place__path", except_role=None if own else Role.PARTNER
    )
    return (
        Funding.objects.filter(scope, donor=donor)
        .select_related("place")
        .order_by("program", "place__name", "start")
    )


# --- Donor management --------------------------------------------------------------------


def can_manage_donors(user: Actor) -> bool:
    """Administrators and program managers, somewhere."""
    return has_perm_anywhere(user, Perm.DONORS_MANAGE)


def _managed(user: Actor) -> Q:
    """Rows (fundings, assignments) whose place lies where the user manages donors."""
    return scope_q(user, Perm.DONORS_MANAGE, "place__path")


def donor_manage_list(*, user: Actor) -> QuerySet[Donor]:
    """Donors a manager may change: those funding something in the manager's places, and those
    funding nothing yet (just created). 403 for anyone else. Two queries with the counts."""
    require_perm_anywhere(user, Perm.DONORS_MANAGE)
    funded_here = Funding.objects.filter(_managed(user)).values("donor_id")
    return (
        Donor.objects.filter(Q(pk__in=funded_here) | Q(fundings__isnull=True))
        .annotate(funding_count=Count("fundings", distinct=True))
        .order_by("name")
    )


def donor_manage_get(*, user: Actor, donor_id: object) -> Donor:
    """One donor from `donor_manage_list` (403 for a non-manager), or 404."""
    return _get_or_404(donor_manage_list(user=user), donor_id)


def donor_manage_fundings(*, user: Actor, donor: Donor) -> QuerySet[Funding]:
    """The donor's fundings in the manager's places (others stay hidden)."""
    return (
        Funding.objects.filter(_managed(user), donor=donor)
        .select_related("place")
        .order_by("program", "place__name", "start")
    )


def donor_manage_users(*, user: Actor, donor: Donor) -> QuerySet[DonorUser]:
    """The partner logins linked to the donor that the manager may see (assigned in their
    places)."""
    visible = partner_choices(user=user).values("pk")
    return (
        DonorUser.objects.filter(donor=donor, user__in=visible)
        .select_related("user")
        .order_by("user__username")
    )


def funding_manage_get(*, user: Actor, funding_id: object) -> Funding:
    """A funding whose place lies in the manager's places (403 for a non-manager), or 404."""
    require_perm_anywhere(user, Perm.DONORS_MANAGE)
    fundings = Funding.objects.select_related("donor", "place")
    return get_in_scope(fundings, user, Perm.DONORS_MANAGE, "place__path", pk=funding_id)


def partner_choices(*, user: Actor) -> QuerySet[User]:
    """Active partner logins assigned within the manager's places."""
    partners = Assignment.objects.filter(
        _managed(user), role=Role.PARTNER, place__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=partners, is_active=True).order_by("username")


def funding_place_by_code(*, code: str) -> Place | None:
    """The active place with this code (the service then checks it is in the actor's places)."""
    return Place.objects.filter(code=code.strip(), is_active=True).first()
