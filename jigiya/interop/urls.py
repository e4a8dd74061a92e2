from django.urls import path

from jigiya.interop import views

app_name = "interop"
urlpatterns = [
    path("dhis2/", views.server_list, name="servers"),
    path("dhis2/new/", views.server_create, name="server_create"),
    path("dhis2/<uuid:dhis2_server_id>/", views.server_detail, name="server"),
    path("dhis2/<uuid:dhis2_server_id>/edit/", views.server_edit, name="server_edit"),
    path(
        "dhis2/<uuid:dhis2_server_id>/data-elements/new/",
        views.data_element_add,
        name="data_element_add",
    ),
    path("dhis2/<uuid:dhis2_server_id>/org-units/new/", views.org_unit_add, name="org_unit_add"),
    path(
        "dhis2/data-elements/<uuid:dhis2_element_id>/remove/",
        views.data_element_delete,
        name="data_element_delete",
    ),
    path(
        "dhis2/org-units/<uuid:dhis2_org_unit_id>/remove/",
        views.org_unit_delete,
        name="org_unit_delete",
    ),
    path("dhis2/<uuid:dhis2_server_id>/preview/", views.preview, name="preview"),
    path("dhis2/<uuid:dhis2_server_id>/adx/", views.adx_download, name="adx"),
    path("dhis2/<uuid:dhis2_server_id>/push/", views.push, name="push"),
    path("dhis2/<uuid:dhis2_server_id>/history/", views.history, name="history"),
    path("dhis2/pushes/<uuid:dhis2_push_id>/", views.push_detail, name="push_detail"),
]
