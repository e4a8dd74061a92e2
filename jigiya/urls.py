from django.contrib import admin
from django.urls import include, path

from jigiya.api import api
from jigiya.web import views as web_views

urlpatterns = [
    path("", include("jigiya.web.urls")),
    path("accounts/", include("jigiya.accounts.urls")),
    path("places/", include("jigiya.places.urls")),
    path("indicators/", include("jigiya.indicators.urls")),
    path("indicators/", include("jigiya.donors.urls")),  # donor management
    path("registry/", include("jigiya.registry.urls")),
    path("followup/", include("jigiya.followup.urls")),
    path("savings/", include("jigiya.savings.urls")),
    path("interop/", include("jigiya.interop.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("healthz", web_views.healthz, name="healthz"),
]
