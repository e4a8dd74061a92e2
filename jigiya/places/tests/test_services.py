import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jigiya.accounts.roles import Role
from jigiya.core.models import AuditEntry
from jigiya.places import services
from jigiya.places.models import GeneralAssembly, Place, PlaceKind


def test_place_create_sets_path_and_audits(cast, admin_user):
    place = services.place_create(
        actor=admin_user,
        kind=PlaceKind.COMMUNITY,
        name=" Sotuba ",
        code="SOT",
        parent=cast.commune_a,
    )
    assert place.name == "Sotuba"
    assert place.path == f"{cast.commune_a.path}{place.pk.hex}/"
    assert place.depth == 4
    entry = AuditEntry.objects.get(object_id=str(place.pk))
    assert entry.actor == admin_user
    assert entry.action == "create"
    assert entry.changes["name"] == [None, "Sotuba"]


def test_place_create_under_wrong_kind_is_refused(cast, admin_user):
    count = Place.objects.count()
    with pytest.raises(ValidationError) as info:
        services.place_create(
            actor=admin_user, kind=PlaceKind.COMMUNITY, name="X", code="X", parent=cast.cercle
        )
    assert info.value.message_dict == {
        "parent": [
            "Un lieu de type «\xa0Quartier / village\xa0» doit être rattaché à un lieu de "
            "type «\xa0Commune\xa0»."
        ]
    }
    assert Place.objects.count() == count


def test_place_create_outside_actor_places_is_refused(cast):
    admin_of_a = cast.user(Role.ADMIN, "a")
    count = Place.objects.count()
    with pytest.raises(PermissionDenied):
        services.place_create(
            actor=admin_of_a, kind=PlaceKind.COMMUNITY, name="X", code="X", parent=cast.commune_b
        )
    assert Place.objects.count() == count


def test_duplicate_name_in_parent_is_refused(cast, admin_user):
    with pytest.raises(ValidationError) as info:
        services.place_create(
            actor=admin_user,
            kind=PlaceKind.COMMUNITY,
            name="Community A",
            code="NEW",
            parent=cast.commune_a,
        )
    assert "__all__" in info.value.message_dict


def test_place_move_rewrites_paths_below(cast, admin_user):
    services.place_move(actor=admin_user, place=cast.community_a, parent=cast.commune_b)
    cast.community_a.refresh_from_db()
    assert cast.community_a.parent == cast.commune_b
    assert cast.community_a.path == f"{cast.commune_b.path}{cast.community_a.pk.hex}/"
    assert cast.community_a.depth == 4


def test_place_move_under_own_descendant_is_refused(cast, admin_user):
    before = Place.objects.values_list("pk", "path", "parent_id").order_by("pk")
    before = list(before)
    with pytest.raises(ValidationError) as info:
        services.place_move(actor=admin_user, place=cast.cercle, parent=cast.commune_a)
    assert info.value.message_dict == {
        "parent": [
            "Un lieu ne peut pas être déplacé dans lui-même ni dans l'un des lieux qui en dépendent."
        ]
    }
    assert list(Place.objects.values_list("pk", "path", "parent_id").order_by("pk")) == before


def test_place_move_a_commune_carries_its_communities(cast, admin_user):
    other_cercle = services.place_create(
        actor=admin_user, kind=PlaceKind.CERCLE, name="Kati", code="KATI", parent=cast.region
    )
    services.place_move(actor=admin_user, place=cast.commune_a, parent=other_cercle)
    cast.community_a.refresh_from_db()
    assert cast.community_a.path.startswith(other_cercle.path)
    assert cast.community_a.depth == 4


def test_assembly_in_the_future_is_refused(cast, admin_user):
    with pytest.raises(ValidationError) as info:
        services.assembly_record(
            actor=admin_user,
            asaco=cast.asaco_a,
            held_on=datetime.date.today() + datetime.timedelta(days=3),
            attendance=10,
            decisions="Budget",
        )
    assert list(info.value.message_dict) == ["held_on"]
    assert GeneralAssembly.objects.count() == 0


def test_assembly_with_more_women_than_attendance_is_refused(cast, admin_user):
    with pytest.raises(ValidationError) as info:
        services.assembly_record(
            actor=admin_user,
            asaco=cast.asaco_a,
            held_on=datetime.date(2025, 1, 1),
            attendance=10,
            women_attending=11,
            decisions="Budget",
        )
    assert list(info.value.message_dict) == ["women_attending"]
    assert GeneralAssembly.objects.count() == 0


def test_two_presidents_at_once_are_refused(cast, admin_user):
    services.board_member_add(
        actor=admin_user,
        asaco=cast.asaco_a,
        full_name="Moussa",
        role="president",
        term_start=datetime.date(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as info:
        services.board_member_add(
            actor=admin_user,
            asaco=cast.asaco_a,
            full_name="Adama",
            role="president",
            term_start=datetime.date(2023, 1, 1),
        )
    assert list(info.value.message_dict) == ["role"]
    assert cast.asaco_a.board.count() == 1


def test_a_qi_coach_manages_the_asaco_of_their_place_only(cast):
    coach = cast.user(Role.QI_COACH, "a")
    services.asaco_save(actor=coach, health_center=cast.center_a, name="ASACO A renamed")
    with pytest.raises(PermissionDenied):
        services.asaco_save(actor=coach, health_center=cast.center_b, name="Hijacked")
    cast.asaco_b.refresh_from_db()
    assert cast.asaco_b.name == "ASACO B"


def test_messages_follow_the_users_language(cast, admin_user):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as info:
        services.place_move(actor=admin_user, place=cast.cercle, parent=cast.commune_a)
    assert info.value.message_dict == {
        "parent": ["A place cannot be moved into itself or one of the places below it."]
    }


def test_a_health_center_stands_in_a_community(cast, admin_user):
    from jigiya.places.models import HealthCenter

    count = HealthCenter.objects.count()
    with pytest.raises(ValidationError) as info:
        services.health_center_create(
            actor=admin_user, name="CSCom C", code="HCC", place=cast.commune_a, health_area="C"
        )
    assert info.value.message_dict == {"place": ["Un CSCom est situé dans un quartier ou village."]}
    assert HealthCenter.objects.count() == count
