from django.urls import path

from jigiya.places import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("<uuid:place_id>/", views.place_detail, name="detail"),
    path("<uuid:place_id>/new/", views.place_create, name="create"),
    path("<uuid:place_id>/edit/", views.place_edit, name="edit"),
    path("<uuid:place_id>/move/", views.place_move, name="move"),
    path(
        "<uuid:place_id>/health-centers/new/",
        views.health_center_create,
        name="health_center_create",
    ),
    path(
        "health-centers/<uuid:health_center_id>/", views.health_center_detail, name="health_center"
    ),
    path(
        "health-centers/<uuid:health_center_id>/edit/",
        views.health_center_edit,
        name="health_center_edit",
    ),
    path("health-centers/<uuid:health_center_id>/asaco/", views.asaco_edit, name="asaco_edit"),
    path(
        "health-centers/<uuid:health_center_id>/board/new/",
        views.board_member_add,
        name="board_member_add",
    ),
    path("board/<uuid:member_id>/end/", views.board_member_end, name="board_member_end"),
    path(
        "health-centers/<uuid:health_center_id>/assemblies/new/",
        views.assembly_add,
        name="assembly_add",
    ),
]
