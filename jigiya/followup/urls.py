from django.urls import path

from jigiya.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("month/", views.month, name="month"),
    path("supervision/", views.supervision, name="supervision"),
    path("people/<uuid:person_id>/visit/", views.visit_person, name="visit_person"),
    path("people/<uuid:person_id>/refer/", views.referral_create, name="referral_create"),
    path("households/<uuid:household_id>/visit/", views.visit_household, name="visit_household"),
    path("visits/<uuid:visit_id>/", views.visit_detail, name="visit"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<uuid:referral_id>/close/", views.referral_close, name="referral_close"),
]

# Served under `registry/` with names in the `registry` namespace (the paths and names these
# pages had when the registry served them): registered by `FollowupConfig.ready`.
registry_urlpatterns = [
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
