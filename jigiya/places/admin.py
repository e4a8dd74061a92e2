from django.contrib import admin

from jigiya.core.admin import ReadOnlyAdmin
from jigiya.places.models import Asaco, BoardMember, GeneralAssembly, HealthCenter, Place

# Read-only in Django's admin: every change goes through the services (paths, audit trail),
# which the Jigiya pages call. The admin is kept for inspection by superusers.


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(HealthCenter)
class HealthCenterAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "health_area", "status", "partner_since"]
    search_fields = ["name", "code"]


admin.site.register(Asaco, ReadOnlyAdmin)
admin.site.register(BoardMember, ReadOnlyAdmin)
admin.site.register(GeneralAssembly, ReadOnlyAdmin)
