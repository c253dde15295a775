from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.integers import BoundedIntegers


@admin.register(User)
class UserAdmin(BoundedIntegers, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("display_name", "time_zone", "weekly_hours_goal")}),
    )
