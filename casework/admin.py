"""Admin pages for units, memberships and cases; assessments are shown, not edited, here.

Assessments change through the wizard and the review workflow only, so that every change
goes through the services (revision bumps, history, optimistic locking).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.auth import register_admin
from casework.models import Answer, Assessment, Case, CaseSource, Membership, OrgUnit, Sector
from frameworks.admin_permissions import SiteAdminPermissions


@admin.register(OrgUnit)
class OrgUnitAdmin(SiteAdminPermissions, admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")
    fields = ("code", ("name_zh", "name_en"))


@admin.register(Membership)
class MembershipAdmin(SiteAdminPermissions, admin.ModelAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("unit", "role")
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    autocomplete_fields = ("user", "unit")


@admin.register(Sector)
class SectorAdmin(SiteAdminPermissions, admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("active",)
    search_fields = ("code", "name_zh", "name_en")
    fields = ("code", ("name_zh", "name_en"), ("order", "active"))


class CaseSourceInline(SiteAdminPermissions, admin.TabularInline):
    model = CaseSource
    fields = ("order", "title", "reference", "published_on")
    extra = 0


@admin.register(Case)
class CaseAdmin(SiteAdminPermissions, admin.ModelAdmin):
    list_display = ("title", "body", "level", "unit", "owner", "updated_at", "archived_at")
    list_filter = ("unit", "level", "sector_ref", ("archived_at", admin.EmptyFieldListFilter))
    list_select_related = ("unit", "owner")
    search_fields = ("title", "body", "region", "sector")
    autocomplete_fields = ("unit", "owner")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "body",
                    ("level", "region"),
                    ("sector_ref", "sector"),
                    "summary",
                    "tags",
                )
            },
        ),
        (
            _("Period and ownership"),
            {"fields": (("period_start", "period_end"), ("unit", "owner"), "archived_at")},
        ),
    )
    inlines = (CaseSourceInline,)


class AnswerInline(SiteAdminPermissions, admin.TabularInline):
    model = Answer
    fields = ("criterion", "level", "not_applicable", "observation", "confidence", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(SiteAdminPermissions, admin.ModelAdmin):
    list_display = ("case", "framework", "version", "round", "status", "created_by", "updated_at")
    list_filter = ("status", "framework")
    list_select_related = ("case", "framework", "version__framework", "created_by")
    search_fields = ("case__title", "case__body")
    inlines = (AnswerInline,)
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A draft started by mistake may go; submitted and approved work stays.
        return (
            super().has_delete_permission(request, obj)
            and obj is not None
            and obj.status == Assessment.Status.DRAFT
        )


# Failed logins (django-axes), where administrators see and unlock them.
register_admin(admin.site)
