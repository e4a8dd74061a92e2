"""Every read of places, health centers and ASACOs, scoped to what the user may see."""

from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from jigiya.accounts.access import Actor, get_in_scope, scope_paths, scope_q
from jigiya.accounts.roles import Perm
from jigiya.places.models import BoardMember, BoardRole, GeneralAssembly, HealthCenter, Place


def place_list(
    *,
    user: Actor,
    kind: str | None = None,
    parent: Place | None = None,
    search: str = "",
    perm: Perm = Perm.PLACES_VIEW,
) -> QuerySet[Place]:
    """Places where the user holds `perm` (their assigned places and below), optionally filtered."""
    places = Place.objects.filter(scope_q(user, perm)).select_related("parent", "health_center")
    if kind:
        places = places.filter(kind=kind)
    if parent is not None:
        places = places.filter(parent=parent)
    if search:
        places = places.filter(Q(name__icontains=search) | Q(code__iexact=search))
    return places


def place_roots(*, user: Actor) -> QuerySet[Place]:
    """The highest places the user may see: where their view scope starts."""
    paths = scope_paths(user, Perm.PLACES_VIEW)
    if "" in paths:
        return Place.objects.filter(parent__isnull=True)
    return Place.objects.filter(path__in=paths).select_related("parent")


def place_get(*, user: Actor, place_id: Any) -> Place:
    """One place the user may see, or 404."""
    return get_in_scope(
        Place.objects.select_related("parent", "health_center"),
        user,
        Perm.PLACES_VIEW,
        "path",
        pk=place_id,
    )


def place_children(*, user: Actor, place: Place) -> QuerySet[Place]:
    return (
        place_list(user=user, parent=place)
        .annotate(children_count=Count("children", distinct=True))
        .order_by("name")
    )


def place_ancestors(*, place: Place) -> QuerySet[Place]:
    """The places above `place`, root first (names for breadcrumbs; links only where in scope)."""
    ids = place.ancestor_ids()[:-1]
    return Place.objects.filter(pk__in=ids).order_by("depth")


def health_center_list(*, user: Actor, within: Place | None = None) -> QuerySet[HealthCenter]:
    """CSComs located in places the user may see (or within one of them)."""
    centers = HealthCenter.objects.filter(scope_q(user, Perm.PLACES_VIEW, "place__path"))
    if within is not None:
        centers = centers.filter(place__path__startswith=within.path)
    return centers.select_related("place", "asaco")


def _board_in_office_order() -> QuerySet[BoardMember]:
    """Sitting members first, the president at the top, then past terms."""
    rank = Case(
        *[When(role=role, then=Value(index)) for index, role in enumerate(BoardRole.values)],
        output_field=IntegerField(),
    )
    return BoardMember.objects.annotate(rank=rank).order_by(
        F("term_end").desc(nulls_first=True), "rank", "full_name"
    )


def health_center_get(*, user: Actor, health_center_id: Any) -> HealthCenter:
    """One CSCom with its ASACO, board and assemblies, or 404."""
    return get_in_scope(
        HealthCenter.objects.select_related("place", "asaco").prefetch_related(
            "communities",
            Prefetch("asaco__board", queryset=_board_in_office_order()),
            Prefetch("asaco__assemblies", queryset=GeneralAssembly.objects.all()),
        ),
        user,
        Perm.PLACES_VIEW,
        "place__path",
        pk=health_center_id,
    )


def board_member_get(*, user: Actor, member_id: Any) -> BoardMember:
    return get_in_scope(
        BoardMember.objects.select_related("asaco__health_center__place"),
        user,
        Perm.PLACES_VIEW,
        "asaco__health_center__place__path",
        pk=member_id,
    )


def place_tree_problems() -> list[str]:
    """Every place whose path, depth or kind disagrees with its parent (empty when the tree is
    sound). A system check, not scoped to a user: run by `jigiya verify-places` and the worker."""
    from jigiya.places.models import PARENT_KIND, PlaceKind

    problems = []
    for place in Place.objects.select_related("parent").only(
        "id", "name", "kind", "path", "depth", "parent__path", "parent__depth", "parent__kind"
    ):
        parent = place.parent
        expected_path = f"{parent.path if parent else ''}{place.pk.hex}/"
        if place.path != expected_path:
            problems.append(f"{place.name} ({place.pk}): path {place.path!r} ≠ {expected_path!r}")
        if place.depth != (parent.depth + 1 if parent else 0):
            problems.append(f"{place.name} ({place.pk}): depth {place.depth}")
        expected_kind = PARENT_KIND[PlaceKind(place.kind)]
        if (parent.kind if parent else None) != expected_kind:
            problems.append(f"{place.name} ({place.pk}): a {place.kind} under {parent}")
    return problems
