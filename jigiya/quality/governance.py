"""Indicators of ASACO governance that the places app's own records give (its general
assemblies): the quality program's, declared here since `places` stands below `indicators` and
must not import it. `quality/indicators.py` imports this module, so the catalog's discovery of
each app's `indicators.py` registers them; their codes and values are those they always had."""

import datetime
from collections.abc import Iterable

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.access import Actor, scope_q
from jigiya.accounts.roles import Perm
from jigiya.core.periods import Month
from jigiya.indicators.catalog import (
    Cells,
    Fact,
    Indicator,
    Program,
    RecordColumn,
    Target,
    Unit,
    register,
)
from jigiya.places.models import GeneralAssembly, Place
from jigiya.places.services import SOURCE_ASSEMBLY as SOURCE


def assembly_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[GeneralAssembly]:
    """The general assemblies behind a figure: in `place` and below, in that month."""
    return (
        GeneralAssembly.objects.filter(
            scope_q(user, Perm.QUALITY_VIEW, "asaco__health_center__place__path"),
            asaco__health_center__place__path__startswith=place.path,
            held_on__gte=month,
            held_on__lt=Month.of(month).next().first_day,
        )
        .select_related("asaco")
        .order_by("held_on")
    )


ASSEMBLY_COLUMNS = (
    RecordColumn("held_on", _("date")),
    RecordColumn("asaco__name", _("ASACO")),
    RecordColumn("attendance", _("attendance")),
    RecordColumn("women_attending", _("women attending")),
)


def _assemblies(cells: Cells) -> Iterable[dict]:
    rows = GeneralAssembly.objects.filter(held_on__gte=cells.first, held_on__lt=cells.end)
    if cells.place_ids is not None:
        rows = rows.filter(asaco__health_center__place_id__in=cells.place_ids)
    return (
        rows.annotate(month=TruncMonth("held_on"))
        .values("asaco__health_center__place_id", "month")
        .annotate(held=Count("id"), people=Sum("attendance"), women=Sum("women_attending"))
        .order_by()
    )


def assemblies_held(cells: Cells) -> Iterable[Fact]:
    for row in _assemblies(cells):
        yield Fact(row["asaco__health_center__place_id"], row["month"], row["held"])


def assembly_women_share(cells: Cells) -> Iterable[Fact]:
    for row in _assemblies(cells):
        yield Fact(row["asaco__health_center__place_id"], row["month"], row["women"], row["people"])


register(
    Indicator(
        code="quality.asaco_assemblies",
        name=_("ASACO general assemblies held"),
        definition=_("General assemblies the ASACO of the health center held in the month."),
        program=Program.QUALITY,
        unit=Unit.COUNT,
        sources=(SOURCE,),
        compute=assemblies_held,
        numerator_label=_("general assemblies"),
        records=assembly_records,
        record_columns=ASSEMBLY_COLUMNS,
    )
)

register(
    Indicator(
        code="quality.asaco_assembly_women",
        name=_("Women's share of general assembly attendance"),
        definition=_(
            "Women attending the ASACO's general assemblies in the month, out of everyone "
            "attending."
        ),
        program=Program.QUALITY,
        unit=Unit.PERCENT,
        sources=(SOURCE,),
        compute=assembly_women_share,
        numerator_label=_("women attending"),
        denominator_label=_("people attending"),
        target=Target(50),
        records=assembly_records,
        record_columns=ASSEMBLY_COLUMNS,
    )
)
