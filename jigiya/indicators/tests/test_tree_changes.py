"""Figures follow the place tree: a move, a (de)activation or a new health center marks the
figures above the place stale — its parent's, before the change and after — and the refresh
leaves every stored value equal to a recomputation from the records.

The `assemblies` fixture (conftest): January 2025 — Community A 100 attending (40 women),
Community B 60 (20); February — A 50 (30). Counted where each CSCom stands (A, B).
"""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from jigiya.accounts import services as account_services
from jigiya.indicators import engine
from jigiya.indicators.models import IndicatorValue, StaleCell
from jigiya.places import services
from jigiya.places.models import Place, PlaceKind
from jigiya.places.tests.factories import PlaceFactory

HELD = "quality.asaco_assemblies"
WOMEN = "quality.asaco_assembly_women"
JAN = datetime.date(2025, 1, 1)
FEB = datetime.date(2025, 2, 1)


def _value(code: str, place: Place, month: datetime.date = JAN) -> Any:
    row = IndicatorValue.objects.filter(indicator=code, place=place, month=month, breakdown="")
    return row.values_list("numerator", "denominator").first()


def _stored() -> dict[tuple[Any, ...], tuple[int, int | None]]:
    return {
        (code, place_id, month, breakdown): (numerator, denominator)
        for code, place_id, month, breakdown, numerator, denominator in (
            IndicatorValue.objects.values_list(
                "indicator", "place_id", "month", "breakdown", "numerator", "denominator"
            )
        )
    }


def _equals_a_recomputation() -> None:
    """Every stored value (every place, month, breakdown) is what a full rebuild writes."""
    stored = _stored()
    engine.rebuild()
    assert stored == _stored()


def _marks() -> set[tuple[str, Any, datetime.date]]:
    return set(StaleCell.objects.values_list("source", "place_id", "month"))


# The worker closes old connections as it wakes, which a test inside a transaction cannot survive
# on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_a_community_moved_through_the_api_takes_its_figures_to_its_new_commune(
    cast, assemblies, admin_user, django_capture_on_commit_callbacks
):
    _token, key = account_services.token_create(actor=admin_user, user=admin_user, name="t")
    assert _value(WOMEN, cast.commune_a) == (40, 100)
    assert _value(WOMEN, cast.commune_b) == (20, 60)

    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").patch(
            f"/api/v1/places/{cast.community_a.pk}",
            {"parent_id": str(cast.commune_b.pk)},
            content_type="application/json",
        )
    assert response.status_code == 200
    # The old parent and the new one, in each month with data under the community.
    assert _marks() == {
        (engine.PLACES, place.pk, month)
        for place in (cast.commune_a, cast.commune_b)
        for month in (JAN, FEB)
    }
    call_command("worker", batch=True, verbosity=0)  # the refresh queued after the commit

    assert StaleCell.objects.count() == 0
    for code in (HELD, WOMEN):
        for month in (JAN, FEB):
            assert _value(code, cast.commune_a, month) is None
    assert _value(WOMEN, cast.commune_b) == (60, 160)
    assert _value(HELD, cast.commune_b) == (2, None)
    assert _value(WOMEN, cast.commune_b, FEB) == (30, 50)
    assert _value(WOMEN, cast.cercle) == (60, 160)  # above both sides: unchanged
    assert _value(WOMEN, cast.community_a) == (40, 100)
    assert engine.check() == []
    _equals_a_recomputation()


def test_a_commune_moved_to_another_cercle_through_the_page(cast, assemblies, admin_user, client):
    other = PlaceFactory(kind=PlaceKind.CERCLE, name="Kati", code="KT", parent=cast.region)
    client.force_login(admin_user)

    response = client.post(f"/places/{cast.commune_a.pk}/move/", {"parent": str(other.pk)})
    assert response.status_code == 302
    engine.refresh()

    assert _value(WOMEN, cast.cercle) == (20, 60)
    assert _value(WOMEN, cast.cercle, FEB) is None
    assert _value(WOMEN, other) == (40, 100)
    assert _value(WOMEN, other, FEB) == (30, 50)
    assert _value(WOMEN, cast.commune_a) == (40, 100)  # its own sums do not change
    assert _value(WOMEN, cast.region) == (60, 160)
    assert _value(WOMEN, cast.country, FEB) == (30, 50)
    assert engine.check() == []
    _equals_a_recomputation()


def test_a_move_across_regions_fixes_every_level_on_both_sides(cast, assemblies, admin_user):
    region = PlaceFactory(kind=PlaceKind.REGION, name="Sikasso", code="SK", parent=cast.country)
    cercle = PlaceFactory(kind=PlaceKind.CERCLE, name="Sikasso", code="SKC", parent=region)
    commune = PlaceFactory(kind=PlaceKind.COMMUNE, name="Wayerma", code="WY", parent=cercle)

    services.place_move(actor=admin_user, place=cast.community_b, parent=commune)
    engine.refresh()

    for place in (commune, cercle, region):
        assert _value(WOMEN, place) == (20, 60)
        assert _value(WOMEN, place, FEB) is None
    assert _value(WOMEN, cast.commune_b) is None
    assert _value(WOMEN, cast.region) == (40, 100)
    assert _value(WOMEN, cast.cercle) == (40, 100)
    assert _value(WOMEN, cast.country) == (60, 160)
    _equals_a_recomputation()


def test_moving_a_place_without_data_marks_nothing(cast, admin_user):
    empty = PlaceFactory(
        kind=PlaceKind.COMMUNITY, name="Sabalibougou", code="SB", parent=cast.commune_a
    )
    services.place_move(actor=admin_user, place=empty, parent=cast.commune_b)
    assert StaleCell.objects.count() == 0


def test_a_move_while_a_record_waits_for_its_refresh(cast, assemblies, admin_user):
    """A community moved before the refresh of its March assembly: March lands on the new side."""
    services.assembly_record(
        actor=admin_user,
        asaco=cast.asaco_a,
        held_on=datetime.date(2025, 3, 4),
        attendance=10,
        women_attending=5,
        decisions="Budget",
    )
    services.place_move(actor=admin_user, place=cast.community_a, parent=cast.commune_b)
    engine.refresh()

    mar = datetime.date(2025, 3, 1)
    assert _value(WOMEN, cast.commune_b, mar) == (5, 10)
    assert _value(WOMEN, cast.commune_a, mar) is None
    _equals_a_recomputation()


@pytest.mark.parametrize("change", ["deactivate", "health_center"])
def test_a_community_deactivated_or_given_another_center_marks_the_figures_above_it(
    change, cast, assemblies, admin_user
):
    StaleCell.objects.all().delete()
    fields: dict[str, Any] = {"name": "Community A", "code": "A"}
    if change == "deactivate":
        fields.update(health_center=cast.center_a, is_active=False)
    else:
        fields.update(health_center=cast.center_b)

    services.place_update(actor=admin_user, place=cast.community_a, **fields)

    assert _marks() == {(engine.PLACES, cast.commune_a.pk, month) for month in (JAN, FEB)}
    engine.refresh()
    assert _value(WOMEN, cast.community_a) == (40, 100)
    assert _value(WOMEN, cast.commune_a, FEB) == (30, 50)
    _equals_a_recomputation()


def test_a_rename_marks_nothing(cast, assemblies, admin_user):
    StaleCell.objects.all().delete()
    services.place_update(
        actor=admin_user,
        place=cast.community_a,
        name="Sotuba",
        code="A",
        health_center=cast.center_a,
    )
    assert StaleCell.objects.count() == 0


def test_reactivating_marks_the_place_again(cast, assemblies, admin_user):
    fields = {"name": "Commune A", "code": "CA"}
    services.place_update(actor=admin_user, place=cast.commune_a, is_active=False, **fields)
    engine.refresh()

    services.place_update(actor=admin_user, place=cast.commune_a, is_active=True, **fields)

    assert _marks() == {(engine.PLACES, cast.cercle.pk, month) for month in (JAN, FEB)}
    engine.refresh()
    assert _value(WOMEN, cast.commune_a) == (40, 100)
    assert _value(WOMEN, cast.cercle) == (60, 160)
    _equals_a_recomputation()


def test_the_freshness_page_counts_the_marks_of_a_move_for_every_indicator(
    cast, assemblies, admin_user
):
    from jigiya.indicators import selectors

    services.place_move(actor=admin_user, place=cast.community_a, parent=cast.commune_b)

    freshness = selectors.freshness(user=admin_user)
    assert freshness.stale_cells == 4  # commune A, commune B x January, February
    assert {row.stale for row in freshness.indicators} == {4}
