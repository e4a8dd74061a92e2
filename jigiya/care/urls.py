from django.urls import path

from jigiya.care import views

app_name = "care"
urlpatterns = [
    path("", views.home, name="home"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<uuid:scheme_id>/", views.scheme_detail, name="scheme"),
    path("schemes/<uuid:scheme_id>/budgets/new/", views.budget_new, name="budget_new"),
    path("schemes/<uuid:scheme_id>/close/", views.scheme_close, name="scheme_close"),
    path("budgets/<uuid:budget_id>/edit/", views.budget_edit, name="budget_edit"),
    path("alerts/", views.alert_list, name="alerts"),
    path("people/<uuid:person_id>/", views.person_detail, name="person"),
    path("people/<uuid:person_id>/cover/", views.coverage_new, name="coverage_new"),
    path("coverages/<uuid:coverage_id>/end/", views.coverage_end, name="coverage_end"),
    path("centers/<uuid:health_center_id>/", views.center_detail, name="center"),
    path("centers/<uuid:health_center_id>/lines/new/", views.line_new, name="line_new"),
    path("centers/<uuid:health_center_id>/upload/", views.upload, name="upload"),
    path("centers/<uuid:health_center_id>/template.xlsx", views.template, name="template"),
    path("claims/<uuid:claim_id>/", views.claim_detail, name="claim"),
    path("claims/<uuid:claim_id>/verify/", views.claim_verify, name="claim_verify"),
    path("claims/<uuid:claim_id>/approve/", views.claim_approve, name="claim_approve"),
    path("claims/<uuid:claim_id>/second/", views.claim_second, name="claim_second"),
    path("claims/<uuid:claim_id>/close/", views.claim_close, name="claim_close"),
    path("claims/<uuid:claim_id>/pay/", views.claim_pay, name="claim_pay"),
    path("claims/<uuid:claim_id>/statement/", views.statement, name="statement"),
    path("claims/<uuid:claim_id>/statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
    path("lines/<uuid:line_id>/reject/", views.line_reject, name="line_reject"),
    path("payments/<uuid:payment_id>/reverse/", views.payment_reverse, name="payment_reverse"),
]
