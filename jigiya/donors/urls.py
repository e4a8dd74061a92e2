"""Donor management, under `/indicators/` beside the donor reports (`jigiya/urls.py` includes
both there, so the addresses people know stay)."""

from django.urls import path

from jigiya.donors import views

app_name = "donors"
urlpatterns = [
    path("donors/manage/", views.donor_manage_list, name="donor_manage_list"),
    path("donors/manage/new/", views.donor_create, name="donor_create"),
    path("donors/<uuid:donor_id>/manage/", views.donor_manage, name="donor_manage"),
    path("donors/<uuid:donor_id>/edit/", views.donor_edit, name="donor_edit"),
    path("donors/<uuid:donor_id>/fundings/new/", views.funding_create, name="funding_create"),
    path("donors/<uuid:donor_id>/users/new/", views.donor_user_link, name="donor_user_link"),
    path("fundings/<uuid:funding_id>/end/", views.funding_end, name="funding_end"),
]
