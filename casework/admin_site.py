"""The admin site: for administrators only, and it says 403 to everyone else who is logged in.

Django's own admin sends a logged-in non-staff user back to its login form, which reads as a
bug to an analyst. Here anonymous users go to the app's login page and non-admins get a 403.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


def _to_login(request, next_url):
    # Imported here: auth views import models, and this module loads with the app configs.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(next_url)


def user_is_admin(user) -> bool:
    from casework.access import is_admin

    return user.is_active and is_admin(user)


class CaseworkAdminSite(admin.AdminSite):
    site_header = _("Casework administration")
    site_title = _("Casework administration")
    index_title = _("Frameworks, cases and users")

    def has_permission(self, request):
        return user_is_admin(request.user)

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _to_login(request, request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return wrapped(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            return _to_login(request, request.GET.get("next") or request.get_full_path())
        if not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)


class CaseworkAdminConfig(AdminConfig):
    """Put in INSTALLED_APPS in place of django.contrib.admin."""

    default_site = "casework.admin_site.CaseworkAdminSite"
