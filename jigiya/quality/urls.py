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
    path("centers/<uuid:health_center_id>/coach/", views.coach_assign, name="coach"),
    path("centers/<uuid:health_center_id>/team/new/", views.team_member_new, name="team_new"),
    path("centers/<uuid:health_center_id>/sessions/new/", views.session_new, name="session_new"),
    path("centers/<uuid:health_center_id>/projects/new/", views.project_new, name="project_new"),
    path("projects/<uuid:project_id>/pdsa/new/", views.pdsa_new, name="pdsa_new"),
    path("projects/<uuid:project_id>/scores/new/", views.score_new, name="score_new"),
    path("centers/<uuid:health_center_id>/actions/new/", views.action_new, name="action_new"),
    path("actions/<uuid:item_id>/", views.action_status, name="action_status"),
    path("assessments/<uuid:assessment_id>/", views.assessment_detail, name="assessment"),
    path("projects/<uuid:project_id>/", views.project_detail, name="project"),
    path("scorecard/", views.version_detail, name="version"),
]
