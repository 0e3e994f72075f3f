"""Logging in safely: the lock-out page of login throttling (django-axes) and its admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def client_ip(request) -> str:
    """The address login failures are counted against.

    Behind the reverse proxy it is the last X-Forwarded-For entry, the one our proxy wrote;
    anything before it came from the client and could be made up to dodge the lock-out.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """Axes' lock-out answer: the login page again, saying why and for how long (429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username[:150]})
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes}
    return render(request, "registration/login.html", context, status=429)


def register_admin(site) -> None:
    """Failed logins in the project's admin: administrators see them and unlock by deleting."""
    from axes.admin import AccessAttemptAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessLog

    from frameworks.admin_permissions import SiteAdminPermissions

    class LoginFailureAdmin(SiteAdminPermissions, AccessAttemptAdmin):
        actions = ["unlock", *AccessAttemptAdmin.actions]

        def has_add_permission(self, request, *args):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        @admin.action(description=_("Unlock: forget these failed logins"))
        def unlock(self, request, queryset):
            count = queryset.count()
            queryset.delete()
            self.message_user(
                request, _("Unlocked: %(count)d record(s) removed.") % {"count": count}
            )

    class LoginLogAdmin(SiteAdminPermissions, AccessLogAdmin):
        def has_add_permission(self, request, *args):
            return False

        def has_change_permission(self, request, obj=None):
            return False

    site.register(AccessAttempt, LoginFailureAdmin)
    site.register(AccessLog, LoginLogAdmin)
