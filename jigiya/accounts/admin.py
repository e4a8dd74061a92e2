from django.contrib import admin

from jigiya.accounts.models import ApiToken, Assignment, User
from jigiya.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    search_fields = ["username", "first_name", "last_name"]
    exclude = ["password"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "place"]
    list_filter = ["role"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "hint", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
