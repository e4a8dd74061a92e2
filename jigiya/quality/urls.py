from django.urls import path

from jigiya.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.league, name="league"),
    path("centers/<uuid:health_center_id>/", views.profile, name="profile"),
    path(
        "centers/<uuid:health_center_id>/assessments/new/",
        views.assessment_new,
        name="assessment_new",
    ),
    path(
        "centers/<uuid:health_center_id>/interviews/new/",
        views.interview_new,
        name="interview_new",
    ),
    path(
        "centers/<uuid:health_center_id>/return-to-deliver/new/",
        views.reported_return_new,
        name="reported_return_new",
    ),
    path("centers/<uuid:health_center_id>/handover/", views.handover_new, name="handover_new"),
    path("assessments/<uuid:assessment_id>/", views.assessment_detail, name="assessment"),
    path("projects/<uuid:project_id>/", views.project_detail, name="project"),
    path("scorecard/", views.version_detail, name="version"),
]
