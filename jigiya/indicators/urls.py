from django.urls import path

from jigiya.indicators import views
from jigiya.indicators.catalog import Program

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("catalog/", views.catalog_page, name="catalog"),
    # One page per program, without a path parameter (the program is part of the route).
    *[
        path(
            f"programs/{program.value}/",
            views.program_dashboard,
            {"program": program.value},
            name=f"program_{program.value}",
        )
        for program in Program
    ],
    path("places/<uuid:place_id>/", views.place_dashboard, name="place"),
    path("places/<uuid:place_id>/report/", views.community_report, name="community_report"),
    path(
        "health-centers/<uuid:health_center_id>/",
        views.health_center_dashboard,
        name="health_center",
    ),
    path("run-chart/", views.run_chart, name="run_chart"),
    path("drill/", views.drill, name="drill"),
    path("export/table.csv", views.table_export, {"fmt": "csv"}, name="table_csv"),
    path("export/table.xlsx", views.table_export, {"fmt": "xlsx"}, name="table_xlsx"),
    path("export/records/", views.records_export, name="records_export"),
    path("donors/", views.donor_list, name="donors"),
    path("donors/<uuid:donor_id>/", views.donor_report, name="donor_report"),
    path("donors/manage/", views.donor_manage_list, name="donor_manage_list"),
    path("donors/manage/new/", views.donor_create, name="donor_create"),
    path("donors/<uuid:donor_id>/manage/", views.donor_manage, name="donor_manage"),
    path("donors/<uuid:donor_id>/edit/", views.donor_edit, name="donor_edit"),
    path("donors/<uuid:donor_id>/fundings/new/", views.funding_create, name="funding_create"),
    path("donors/<uuid:donor_id>/users/new/", views.donor_user_link, name="donor_user_link"),
    path("fundings/<uuid:funding_id>/end/", views.funding_end, name="funding_end"),
    path("freshness/", views.freshness, name="freshness"),
]
