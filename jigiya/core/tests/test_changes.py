"""Services tell `core.changes` what changed; the indicator engine marks those cells stale."""

import datetime

import pytest

from jigiya.core.changes import declared_sources, records_changed
from jigiya.indicators.catalog import Indicator, Program, Unit, register
from jigiya.indicators.models import StaleCell
from jigiya.places.models import Place, PlaceKind


@pytest.mark.django_db
def test_a_declared_source_marks_its_cells_stale_through_the_engine() -> None:
    community = Place.objects.create(kind=PlaceKind.COUNTRY, name="Mali", code="ML")

    records_changed(source="followup.visit", cells=[(community.pk, datetime.date(2026, 3, 14))])

    assert list(StaleCell.objects.values_list("source", "place_id", "month")) == [
        ("followup.visit", community.pk, datetime.date(2026, 3, 1))
    ]


@pytest.mark.django_db
def test_a_misspelt_source_is_refused_and_marks_nothing() -> None:
    community = Place.objects.create(kind=PlaceKind.COUNTRY, name="Mali", code="ML")

    with pytest.raises(ValueError, match=r"followup\.vist"):
        records_changed(source="followup.vist", cells=[(community.pk, datetime.date(2026, 3, 14))])

    assert StaleCell.objects.count() == 0


def test_every_program_declares_the_sources_its_indicators_read() -> None:
    assert {
        "places.assembly",
        "registry.enrollment",
        "registry.pregnancy",
        "followup.visit",
        "followup.referral",
        "savings.membership",
        "savings.meeting",
        "savings.ledger",
        "savings.share_out",
    } <= declared_sources()


def test_an_indicator_reading_an_undeclared_source_is_refused() -> None:
    indicator = Indicator(
        code="test.typo", name="Typo", definition="A source misspelt.", program=Program.QUALITY,
        unit=Unit.COUNT, sources=("savings.meetnig",), compute=lambda cells: [],
    )  # fmt: skip

    with pytest.raises(ValueError, match=r"savings\.meetnig"):
        register(indicator)
