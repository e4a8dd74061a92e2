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
    # Donor management is the donors app's (`jigiya.donors.urls`, included at this prefix).
    path("freshness/", views.freshness, name="freshness"),
]
