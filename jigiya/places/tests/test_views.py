import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jigiya.accounts.roles import Role
from jigiya.places.models import GeneralAssembly, Place
from jigiya.places.tests.factories import PlaceFactory


def test_home_shows_the_users_places_and_programs(cast, client):
    client.force_login(cast.user(Role.CHW, "a"))
    body = client.get(reverse("web:home")).content.decode()
    assert "Community A" in body
    assert "Community B" not in body
    assert "Santé communautaire" in body  # the CHW's program, in French by default
    assert "Coopératives" not in body  # not a CHW's program


def test_home_costs_the_same_queries_however_many_places(
    cast, client, django_assert_max_num_queries
):
    user = cast.user(Role.PROGRAM_MANAGER, "above")
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:home"))
    for n in range(30):
        PlaceFactory(parent=cast.commune_a, name=f"Extra {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("web:home"))
    assert len(many) == len(few)


def test_place_page_lists_children_with_a_fixed_number_of_queries(cast, client):
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "above"))
    url = reverse("places:detail", args=[cast.cercle.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        PlaceFactory(kind="commune", parent=cast.cercle, name=f"Commune {n}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "Commune 9" in body
    assert len(many) == len(few)


def test_health_center_page_shows_its_asaco_board_and_assemblies(cast, admin_user, client):
    from jigiya.places import services

    services.board_member_add(
        actor=admin_user,
        asaco=cast.asaco_a,
        full_name="Moussa Coulibaly",
        role="president",
        term_start=datetime.date(2022, 1, 15),
    )
    services.assembly_record(
        actor=admin_user,
        asaco=cast.asaco_a,
        held_on=datetime.date(2024, 1, 20),
        attendance=112,
        women_attending=58,
        decisions="Compte rendu public des recettes",
    )
    client.force_login(cast.user(Role.HEALTH_CENTER_STAFF, "a"))
    body = client.get(reverse("places:health_center", args=[cast.center_a.pk])).content.decode()
    assert "ASACO A" in body
    assert "Moussa Coulibaly" in body
    assert "Président" in body
    assert "Compte rendu public des recettes" in body
    assert "112" in body


def test_create_place_form_with_missing_fields_names_them(cast, admin_user, client):
    client.force_login(admin_user)
    count = Place.objects.count()
    response = client.post(
        reverse("places:create", args=[cast.commune_a.pk]), {"kind": "community"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "code"}
    assert Place.objects.count() == count


def test_create_place_of_the_wrong_kind_shows_the_service_message(cast, admin_user, client):
    client.force_login(admin_user)
    count = Place.objects.count()
    response = client.post(
        reverse("places:create", args=[cast.commune_a.pk]),
        {"kind": "region", "name": "Kayes", "code": "KAY"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["__all__"] == [
        "Un lieu de type «\xa0Région\xa0» doit être rattaché à un lieu de type «\xa0Pays\xa0»."
    ]
    assert Place.objects.count() == count


def test_create_place_then_see_it(cast, admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        reverse("places:create", args=[cast.commune_a.pk]),
        {"kind": "community", "name": "Sotuba", "code": "SOT"},
    )
    place = Place.objects.get(code="SOT")
    assert response.status_code == 302
    assert response["Location"] == place.get_absolute_url()
    assert place.parent == cast.commune_a


def test_move_form_refuses_a_descendant(cast, admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        reverse("places:move", args=[cast.cercle.pk]), {"parent": str(cast.commune_a.pk)}
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    cast.cercle.refresh_from_db()
    assert cast.cercle.parent == cast.region


def test_assembly_form_with_malformed_fields_names_them(cast, admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        reverse("places:assembly_add", args=[cast.center_a.pk]),
        {"held_on": "31/02/2024", "kind": "ordinary", "attendance": "-3", "decisions": ""},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"held_on", "attendance", "decisions"}
    assert GeneralAssembly.objects.count() == 0


def test_an_unknown_place_id_is_a_404_page(cast, admin_user, client):
    client.force_login(admin_user)
    response = client.get("/places/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_board_lists_sitting_members_president_first_then_past_terms(cast, admin_user, client):
    from jigiya.places import services

    for name, role, start, end in [
        ("Sékou", "auditor", datetime.date(2022, 1, 15), None),
        ("Moussa", "president", datetime.date(2022, 1, 15), None),
        ("Ancien", "president", datetime.date(2018, 1, 15), datetime.date(2022, 1, 14)),
        ("Rokia", "treasurer", datetime.date(2022, 1, 15), None),
    ]:
        services.board_member_add(
            actor=admin_user,
            asaco=cast.asaco_a,
            full_name=name,
            role=role,
            term_start=start,
            term_end=end,
        )
    client.force_login(admin_user)
    response = client.get(reverse("places:health_center", args=[cast.center_a.pk]))
    names = [m.full_name for m in response.context["center"].asaco.board.all()]
    assert names == ["Moussa", "Rokia", "Sékou", "Ancien"]
