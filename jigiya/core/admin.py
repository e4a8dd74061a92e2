from django.contrib import admin

from jigiya.core.models import AuditEntry
from jigiya.places.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_id", "object_repr"]
