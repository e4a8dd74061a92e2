"""Every read of the interop app, scoped to the user.

A DHIS2 server reports for one place and everything below it. A user sees a server when their
places overlap it (they hold the permission at, above or below the server's place); the values
they preview are only those of the mapped places they may see. Configuring, pushing and the push
history (whose payloads cover the whole server) need `Perm.DHIS2_PUSH` at the server's place.
"""

from collections import defaultdict
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from jigiya.accounts.access import EVERYWHERE, has_perm_at, scope_paths
from jigiya.accounts.roles import Perm
from jigiya.core.periods import Month
from jigiya.indicators import catalog
from jigiya.indicators import selectors as indicator_selectors
from jigiya.indicators.models import IndicatorValue
from jigiya.interop.dhis2 import DataValueSet
from jigiya.interop.models import (
    DataElementMapping,
    Dhis2Push,
    Dhis2Server,
    Figure,
    OrgUnitMapping,
)
from jigiya.places.models import Place

SYSTEM = None  # the actor of the `dhis2_push` command: sees and sends everything


def _overlap_q(user: Any, perm: Perm) -> Q:
    """Servers whose place is in the user's scope, or above one of the user's places."""
    paths = scope_paths(user, perm)
    if not paths:
        return Q(pk__in=[])
    if EVERYWHERE in paths:
        return Q()
    below = reduce(or_, (Q(place__path__startswith=path) for path in paths))
    above_ids = {part for path in paths for part in path.split("/") if part}
    return below | Q(place_id__in=above_ids)


def server_list(*, user: Any, perm: Perm = Perm.INDICATORS_VIEW) -> QuerySet[Dhis2Server]:
    """Servers the user's places overlap, with their place."""
    return Dhis2Server.objects.filter(_overlap_q(user, perm)).select_related("place")


def may_manage(user: Any, server: Dhis2Server) -> bool:
    if user is SYSTEM:
        return True
    return has_perm_at(user, Perm.DHIS2_PUSH, server.place.path)


def server_get(*, user: Any, server_id: Any, manage: bool = False) -> Dhis2Server:
    """A server the user may see (404 otherwise); with `manage`, one they may configure and push
    to (403 when their role or place does not allow it)."""
    try:
        server = server_list(user=user).get(pk=server_id)
    except (Dhis2Server.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
    if manage and not may_manage(user, server):
        raise PermissionDenied
    return server


def mappings(*, server: Dhis2Server) -> tuple[list[DataElementMapping], list[OrgUnitMapping]]:
    elements = list(server.data_elements.all())
    org_units = list(server.org_units.select_related("place", "health_center__place"))
    return elements, org_units


def data_element_mapping_get(*, user: Any, mapping_id: Any) -> DataElementMapping:
    mapping = _get(DataElementMapping.objects.select_related("server__place"), mapping_id)
    server_get(user=user, server_id=mapping.server_id, manage=True)
    return mapping


def org_unit_mapping_get(*, user: Any, mapping_id: Any) -> OrgUnitMapping:
    mapping = _get(
        OrgUnitMapping.objects.select_related("server__place", "place", "health_center"),
        mapping_id,
    )
    server_get(user=user, server_id=mapping.server_id, manage=True)
    return mapping


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def check_period(month: Month) -> None:
    """A month that has begun (the current one included); a future month is refused."""
    if month.is_future():
        raise ValidationError(
            {"period": _("%(period)s is in the future: nothing to report yet.") % {"period": month}}
        )


def parse_period(text: str | None) -> Month:
    """The period asked for (`2026-11` or `202611`), or the last complete month."""
    if not text:
        return Month.current().previous()
    month = Month.parse(text)
    check_period(month)
    return month


def _value_text(indicator: catalog.Indicator, figure: str, n: int, d: int | None) -> str | None:
    if figure == Figure.NUMERATOR:
        return str(n)
    if figure == Figure.DENOMINATOR:
        return str(d or 0)
    value = indicator.value(n, d)
    if value is None:
        return None  # a rate with nothing to divide by is not a zero: leave DHIS2 empty
    if not indicator.is_rate:
        return str(n)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _visible(user: Any, perm: Perm, path: str) -> bool:
    return user is SYSTEM or has_perm_at(user, perm, path)


def _sees_program(user: Any, program: str, paths: list[str]) -> bool:
    """A partner sees a program's figures only where its donor funds it (every path given)."""
    if user is SYSTEM:
        return True
    allowed = indicator_selectors.program_paths(user, program)
    return all(any(path.startswith(prefix) for prefix in allowed) for path in paths)


def payload_build(
    *, user: Any, server: Dhis2Server, month: Month, perm: Perm = Perm.INDICATORS_VIEW
) -> DataValueSet:
    """The `dataValueSets` body for `month`: every mapped figure of every mapped place below the
    server's place that `user` may see with `perm`. Counts with no stored row are sent as 0; a rate
    without denominator is left out. Order is stable, so the same data gives the same hash.

    A health center's figure (the sum over its health area) is included only when `user` may see
    every community of the area.

    Costs a fixed number of queries: mappings, org units, the health areas, and one per kind of
    place mapped."""
    elements, org_units = mappings(server=server)
    period = month.dhis2
    known = catalog.by_code()
    elements = [mapping for mapping in elements if mapping.indicator in known]
    codes = {mapping.indicator for mapping in elements}
    breakdowns = {mapping.breakdown for mapping in elements}
    places: list[OrgUnitMapping] = []
    centers: list[OrgUnitMapping] = []
    for unit in org_units:
        where: Place = unit.place if unit.place else unit.health_center.place  # type: ignore[union-attr]
        if not where.path.startswith(server.place.path) or not _visible(user, perm, where.path):
            continue
        (places if unit.place_id else centers).append(unit)
    area_paths: dict[Any, list[str]] = defaultdict(list)
    if centers:
        # A health center's figure is the sum over its health area: shown only to a user who may
        # see every community of it (a partial sum would be a wrong figure, a full one a leak).
        for center_id, path in Place.objects.filter(
            health_center_id__in=[unit.health_center_id for unit in centers]
        ).values_list("health_center_id", "path"):
            area_paths[center_id].append(path)
        centers = [
            unit
            for unit in centers
            if all(_visible(user, perm, path) for path in area_paths[unit.health_center_id])
        ]
    stored: dict[tuple[str, str, str, str], tuple[int, int | None]] = {}
    if places and codes:
        rows = IndicatorValue.objects.filter(
            indicator__in=codes,
            breakdown__in=breakdowns,
            month=month.first_day,
            place_id__in=[unit.place_id for unit in places],
        ).values_list("indicator", "breakdown", "place_id", "numerator", "denominator")
        for code, breakdown, place_id, n, d in rows:
            stored[("p", str(place_id), code, breakdown)] = (n, d)
    if centers and codes:
        sums = (
            IndicatorValue.objects.filter(
                indicator__in=codes,
                breakdown__in=breakdowns,
                month=month.first_day,
                place__health_center_id__in=[unit.health_center_id for unit in centers],
            )
            .values("indicator", "breakdown", "place__health_center_id")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
            .order_by()
        )
        for row in sums:
            key = ("c", str(row["place__health_center_id"]), row["indicator"], row["breakdown"])
            stored[key] = (row["n"], row["d"])
    data_values: list[dict[str, str]] = []
    sources: list[dict[str, Any]] = []
    units = sorted(places + centers, key=lambda unit: unit.org_unit)
    elements.sort(key=lambda m: (m.data_element, m.category_option_combo))
    for unit in units:
        kind = "p" if unit.place_id else "c"
        key_id = str(unit.place_id or unit.health_center_id)
        unit_paths = [unit.place.path] if unit.place else area_paths[unit.health_center_id]
        for mapping in elements:
            if not _sees_program(user, known[mapping.indicator].program, unit_paths):
                continue
            n, d = stored.get((kind, key_id, mapping.indicator, mapping.breakdown), (0, None))
            text = _value_text(known[mapping.indicator], mapping.figure, n, d)
            if text is None:
                continue
            value = {
                "dataElement": mapping.data_element,
                "period": period,
                "orgUnit": unit.org_unit,
            }
            if mapping.category_option_combo:
                value["categoryOptionCombo"] = mapping.category_option_combo
            if server.attribute_option_combo:
                value["attributeOptionCombo"] = server.attribute_option_combo
            value["value"] = text
            data_values.append(value)
            sources.append(
                {
                    "indicator": mapping.indicator,
                    "breakdown": mapping.breakdown,
                    "figure": mapping.figure,
                    "place": unit.label,
                    "numerator": n,
                    "denominator": d,
                }
            )
    payload: dict[str, Any] = {}
    if server.data_set:
        payload["dataSet"] = server.data_set
    payload["period"] = period
    payload["dataValues"] = data_values
    return DataValueSet(payload=payload, sources=sources)


def push_list(*, user: Any, server: Dhis2Server | None = None) -> QuerySet[Dhis2Push]:
    """Pushes to the servers the user may push to, newest first (payloads left unread)."""
    servers = server_list(user=user, perm=Perm.DHIS2_PUSH)
    allowed = [s.pk for s in servers if may_manage(user, s)]
    pushes = Dhis2Push.objects.filter(server_id__in=allowed)
    if server is not None:
        pushes = pushes.filter(server=server)
    return pushes.select_related("server", "created_by").defer("payload", "sources", "response")


def push_get(*, user: Any, push_id: Any) -> Dhis2Push:
    """One push with its conflicts: 404 outside the user's places, 403 without `DHIS2_PUSH`."""
    push = _get(Dhis2Push.objects.select_related("server__place", "created_by"), push_id)
    server_get(user=user, server_id=push.server_id, manage=True)
    return push


def conflicts_of(push: Dhis2Push) -> list[Any]:
    return list(push.conflicts.all())


def last_pushes(*, server: Dhis2Server, limit: int = 10) -> list[Dhis2Push]:
    return list(
        server.pushes.select_related("created_by").defer("payload", "sources", "response")[:limit]
    )


def places_for_mapping(*, user: Any, server: Dhis2Server) -> QuerySet[Place]:
    """Communities below the server's place that the user may configure."""
    return Place.objects.filter(
        path__startswith=server.place.path, kind="community", is_active=True
    ).order_by("path")
