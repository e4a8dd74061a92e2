from django.urls import path

from jigiya.registry import views

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
    path("people/<uuid:person_id>/enroll/", views.person_enroll, name="person_enroll"),
    path("people/<uuid:person_id>/pregnancy/", views.pregnancy_create, name="pregnancy_create"),
    path("enrollments/<uuid:enrollment_id>/end/", views.enrollment_end, name="enrollment_end"),
    path("pregnancies/<uuid:pregnancy_id>/anc/", views.anc_contact_add, name="anc_contact_add"),
    path(
        "pregnancies/<uuid:pregnancy_id>/outcome/",
        views.pregnancy_outcome,
        name="pregnancy_outcome",
    ),
    path("pregnancies/<uuid:pregnancy_id>/newborn/", views.newborn_create, name="newborn_create"),
]
