import datetime
from typing import Any

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth

from jigiya.accounts.access import scope_q
from jigiya.accounts.roles import Perm
from jigiya.indicators import catalog, engine
from jigiya.indicators.catalog import Fact, Indicator, Program, RecordColumn, Unit
from jigiya.places import services
from jigiya.places.models import BoardMember

JAN = datetime.date(2025, 1, 1)
FEB = datetime.date(2025, 2, 1)
BOARD = "test.board_terms"


@pytest.fixture
def assemblies(cast: Any, admin_user: Any) -> None:
    """January 2025: A 100 attending (40 women), B 60 (20); February: A 50 (30). Refreshed."""
    for asaco, day, attendance, women in [
        (cast.asaco_a, datetime.date(2025, 1, 18), 100, 40),
        (cast.asaco_b, datetime.date(2025, 1, 20), 60, 20),
        (cast.asaco_a, datetime.date(2025, 2, 8), 50, 30),
    ]:
        services.assembly_record(
            actor=admin_user,
            asaco=asaco,
            held_on=day,
            attendance=attendance,
            women_attending=women,
            decisions="Budget",
        )
    engine.refresh()


def _board_terms(cells: catalog.Cells) -> list[Fact]:
    rows = BoardMember.objects.filter(term_start__gte=cells.first, term_start__lt=cells.end)
    if cells.place_ids is not None:
        rows = rows.filter(asaco__health_center__place_id__in=cells.place_ids)
    return [
        Fact(row["asaco__health_center__place_id"], row["month"], row["n"])
        for row in rows.annotate(month=TruncMonth("term_start"))
        .values("asaco__health_center__place_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    ]


def _board_records(user: Any, place: Any, month: datetime.date) -> Any:
    end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (
        BoardMember.objects.filter(
            scope_q(user, Perm.QUALITY_VIEW, "asaco__health_center__place__path"),
            asaco__health_center__place__path__startswith=place.path,
            term_start__gte=month,
            term_start__lt=end,
        )
        .select_related("asaco")
        .order_by("full_name")
    )


@pytest.fixture
def board_indicator(monkeypatch: Any, cast: Any) -> Indicator:
    """A count with a records hook (board terms started in the month), registered for one test,
    with two board members in Community A and one in B, all in January 2025."""
    indicator = Indicator(
        code=BOARD,
        name="Board terms started",
        definition="Board members whose term started in the month.",
        program=Program.QUALITY,
        unit=Unit.COUNT,
        sources=("test.board",),
        compute=_board_terms,
        records=_board_records,
        record_columns=(
            RecordColumn("full_name", "Name", personal=True),
            RecordColumn("phone", "Phone", personal=True),
            RecordColumn("role", "Role"),
            RecordColumn("asaco__name", "ASACO"),
            RecordColumn("term_start", "Start"),
        ),
    )
    monkeypatch.setitem(catalog._CATALOG, BOARD, indicator)
    for asaco, name, phone in [
        (cast.asaco_a, "Awa Traoré", "+223 70 00 00 01"),
        (cast.asaco_a, "Moussa Keïta", "+223 70 00 00 02"),
        (cast.asaco_b, "Fanta Diarra", "+223 70 00 00 03"),
    ]:
        BoardMember.objects.create(
            asaco=asaco,
            full_name=name,
            phone=phone,
            role="member",
            term_start=datetime.date(2025, 1, 15),
        )
    engine.rebuild([indicator])
    return indicator


@pytest.fixture
def women_without_records(monkeypatch: Any) -> Indicator:
    """The women's-share indicator as a program without a records hook would declare it."""
    import dataclasses

    code = "quality.asaco_assembly_women"
    plain = dataclasses.replace(catalog._CATALOG[code], records=None, record_columns=())
    monkeypatch.setitem(catalog._CATALOG, code, plain)
    return plain
