"""Every read of the interop app, scoped to the user.

A DHIS2 server reports for one place and everything below it. A user sees a server when their
places overlap it (they hold the permission at, above or below the server's place); the values
they preview are only those of the mapped places they may see. Configuring, pushing and the push
history (whose payloads cover the whole server) need `Perm.DHIS2_PUSH` at the server's place.
"""

from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jigiya.accounts.access import EVERYWHERE, Actor, has_perm_at, scope_paths
from jigiya.accounts.roles import Perm
from jigiya.core.bounds import program_start
from jigiya.core.periods import Month
from jigiya.indicators import catalog
from jigiya.indicators import selectors as indicator_selectors
from jigiya.indicators.areas import Area
from jigiya.indicators.selectors import Point
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


def _overlap_q(user: Actor, perm: Perm) -> Q:
    """Servers whose place is in the user's scope, or above one of the user's places."""
    paths = scope_paths(user, perm)
    if not paths:
        return Q(pk__in=[])
    if EVERYWHERE in paths:
        return Q()
    below = reduce(or_, (Q(place__path__startswith=path) for path in paths))
    above_ids = {part for path in paths for part in path.split("/") if part}
    return below | Q(place_id__in=above_ids)


def server_list(*, user: Actor, perm: Perm = Perm.INDICATORS_VIEW) -> QuerySet[Dhis2Server]:
    """Servers the user's places overlap, with their place."""
    return Dhis2Server.objects.filter(_overlap_q(user, perm)).select_related("place")


def may_manage(user: Actor, server: Dhis2Server) -> bool:
    if user is SYSTEM:
        return True
    return has_perm_at(user, Perm.DHIS2_PUSH, server.place.path)


def server_get(*, user: Actor, server_id: Any, manage: bool = False) -> Dhis2Server:
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


def data_element_mapping_get(*, user: Actor, mapping_id: Any) -> DataElementMapping:
    mapping = _get(DataElementMapping.objects.select_related("server__place"), mapping_id)
    server_get(user=user, server_id=mapping.server_id, manage=True)
    return mapping


def org_unit_mapping_get(*, user: Actor, mapping_id: Any) -> OrgUnitMapping:
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
    """A month that has begun (the current one included) and not before the program's start;
    a future month, or one before the program, is refused."""
    if month.is_future():
        raise ValidationError(
            {"period": _("%(period)s is in the future: nothing to report yet.") % {"period": month}}
        )
    start = Month.of(program_start())
    if month < start:
        raise ValidationError(
            {
                "period": _("%(period)s is before the start of the program (%(start)s).")
                % {"period": month, "start": start}
            }
        )


def parse_period(text: str | None) -> Month:
    """The period asked for (`2026-11` or `202611`), or the last complete month."""
    if not text:
        return Month.current().previous()
    month = Month.parse(text)
    check_period(month)
    return month


def _value_text(indicator: catalog.Indicator, figure: str, point: Point) -> str | None:
    if figure == Figure.NUMERATOR:
        return str(point.numerator)
    if figure == Figure.DENOMINATOR:
        return str(point.denominator or 0)
    if point.value is None:
        return None  # a rate with nothing to divide by is not a zero: leave DHIS2 empty
    if not indicator.is_rate:
        return str(point.numerator)
    return f"{point.value:.2f}".rstrip("0").rstrip(".")


def _area(unit: OrgUnitMapping) -> Area:
    """The figure an org unit receives: its community's, or its health center's area's."""
    where = unit.place if unit.place is not None else unit.health_center
    assert where is not None  # a mapping names one or the other (a database constraint)
    return Area.of(where)


def _data_value(
    server: Dhis2Server, mapping: DataElementMapping, unit: OrgUnitMapping, text: str, period: str
) -> dict[str, str]:
    value = {"dataElement": mapping.data_element, "period": period, "orgUnit": unit.org_unit}
    if mapping.category_option_combo:
        value["categoryOptionCombo"] = mapping.category_option_combo
    if server.attribute_option_combo:
        value["attributeOptionCombo"] = server.attribute_option_combo
    value["value"] = text
    return value


def _source(mapping: DataElementMapping, unit: OrgUnitMapping, point: Point) -> dict[str, Any]:
    return {
        "indicator": mapping.indicator,
        "breakdown": mapping.breakdown,
        "figure": mapping.figure,
        "place": unit.label,
        "numerator": point.numerator,
        "denominator": point.denominator,
    }


def payload_build(
    *, user: Actor, server: Dhis2Server, month: Month, perm: Perm = Perm.INDICATORS_VIEW
) -> DataValueSet:
    """The `dataValueSets` body for `month`: every mapped figure of every mapped place below the
    server's place that `user` may see with `perm` (`user=None`: the system, everything). Counts
    with no stored row are sent as 0; a rate without denominator is left out. Order is stable,
    so the same data gives the same hash.

    The figures are read through `indicators.selectors.whole_area_figures`: a health center's
    figure (the sum over its health area) is included only when `user` may see every community
    of the area. A fixed number of queries: mappings, org units, the health areas, and one per
    kind of place mapped."""
    elements, org_units = mappings(server=server)
    known = catalog.by_code()
    elements = sorted(
        (mapping for mapping in elements if mapping.indicator in known),
        key=lambda m: (m.data_element, m.category_option_combo),
    )
    units = sorted(
        (unit for unit in org_units if _area(unit).path.startswith(server.place.path)),
        key=lambda unit: unit.org_unit,
    )
    figures = indicator_selectors.whole_area_figures(
        user=user,
        areas=[_area(unit) for unit in units],
        indicators=[known[code] for code in sorted({m.indicator for m in elements})],
        month=month.first_day,
        breakdowns={mapping.breakdown for mapping in elements},
        perm=perm,
    )
    period = month.dhis2
    data_values: list[dict[str, str]] = []
    sources: list[dict[str, Any]] = []
    for unit in units:
        seen = figures.get(_area(unit), {})
        for mapping in elements:
            if mapping.indicator not in seen:
                continue  # not seen whole, or a program the user does not see there
            point = seen[mapping.indicator][mapping.breakdown]
            text = _value_text(known[mapping.indicator], mapping.figure, point)
            if text is not None:
                data_values.append(_data_value(server, mapping, unit, text, period))
                sources.append(_source(mapping, unit, point))
    payload: dict[str, Any] = {"dataSet": server.data_set} if server.data_set else {}
    payload["period"] = period
    payload["dataValues"] = data_values
    return DataValueSet(payload=payload, sources=sources)


def push_list(*, user: Actor, server: Dhis2Server | None = None) -> QuerySet[Dhis2Push]:
    """Pushes to the servers the user may push to, newest first (payloads left unread)."""
    servers = server_list(user=user, perm=Perm.DHIS2_PUSH)
    allowed = [s.pk for s in servers if may_manage(user, s)]
    pushes = Dhis2Push.objects.filter(server_id__in=allowed)
    if server is not None:
        pushes = pushes.filter(server=server)
    return pushes.select_related("server", "created_by").defer("payload", "sources", "response")


def push_get(*, user: Actor, push_id: Any) -> Dhis2Push:
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


def places_for_mapping(*, user: Actor, server: Dhis2Server) -> QuerySet[Place]:
    """Communities below the server's place that the user may configure."""
    return Place.objects.filter(
        path__startswith=server.place.path, kind="community", is_active=True
    ).order_by("path")
