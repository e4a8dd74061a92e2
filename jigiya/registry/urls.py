from django.urls import path

from jigiya.registry import plugins, views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="households"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<uuid:household_id>/", views.household_detail, name="household"),
    path("households/<uuid:household_id>/people/new/", views.person_create, name="person_create"),
    path("households/<uuid:household_id>/assess/", views.household_assess, name="household_assess"),
    path("households/<uuid:household_id>/edit/", views.household_edit, name="household_edit"),
    path("people/<uuid:person_id>/", views.person_detail, name="person"),
    path("people/<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:person_id>/deactivate/", views.person_deactivate, name="person_deactivate"),
    # Pages of the programs about a person or household (enrollments, pregnancies…), kept
    # under the registry's paths and names: registered in `plugins` by each program.
    *plugins.registered_routes(),
]
