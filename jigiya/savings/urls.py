from django.urls import path

from jigiya.savings import views

app_name = "savings"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="group_create"),
    path("<uuid:group_id>/", views.group_detail, name="group"),
    path("<uuid:group_id>/status/", views.group_status, name="group_status"),
    path("<uuid:group_id>/cycles/new/", views.cycle_start, name="cycle_start"),
    path("<uuid:group_id>/members/new/", views.member_add, name="member_add"),
    path("<uuid:group_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path("members/<uuid:membership_id>/", views.passbook, name="passbook"),
    path("members/<uuid:membership_id>/role/", views.member_role, name="member_role"),
    path("members/<uuid:membership_id>/leave/", views.member_leave, name="member_leave"),
    path(
        "members/<uuid:membership_id>/leave/cancel/",
        views.member_leave_cancel,
        name="member_leave_cancel",
    ),
    path("cycles/<uuid:cycle_id>/", views.cycle_detail, name="cycle"),
    path("cycles/<uuid:cycle_id>/share-out/", views.share_out, name="share_out"),
    path("loans/<uuid:loan_id>/", views.loan_detail, name="loan"),
    path("entries/<uuid:entry_id>/correct/", views.entry_correct, name="entry_correct"),
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<uuid:approval_id>/", views.approval_detail, name="approval"),
]
