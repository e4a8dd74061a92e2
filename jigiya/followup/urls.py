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
