from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from jigiya.api import api, unknown_route
from jigiya.web import offline as web_offline
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
    path("cooperatives/", include("jigiya.cooperatives.urls")),
    path("quality/", include("jigiya.quality.urls")),
    path("care/", include("jigiya.care.urls")),
    path("interop/", include("jigiya.interop.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", unknown_route),  # JSON 404, not the HTML page
    # One login door: the Django admin's own login page would skip the login rate limit.
    path(
        "django-admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("django-admin/", admin.site.urls),
    path("healthz", web_views.healthz, name="healthz"),
    # The field client (web/offline.py): the service worker and manifest at the site root.
    path("sw.js", web_offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", web_offline.manifest, name="web_manifest"),
    path("outbox/", web_offline.outbox, name="outbox"),
]

handler500 = "jigiya.web.views.server_error"
