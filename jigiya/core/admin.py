from django.contrib import admin

from jigiya.core.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written by services (validated, audited), never edited in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_id", "object_repr"]
