"""Who may use an admin page: whoever the admin site lets in, narrowed by the page.

Casework uses roles, not Django's model permissions. The admin site decides who is an
administrator (`CaseworkAdminSite.has_permission`); every ModelAdmin and inline mixes this in
and asks the site, so the rule lives in one place and `frameworks` needs nothing from the apps
above it.
"""


class SiteAdminPermissions:
    """For ModelAdmins and inlines: everything, for whoever the admin site admits.

    Subclasses narrow it down (e.g. nothing in a published framework version can be changed).
    """

    def _admitted(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self._admitted(request)

    def has_view_permission(self, request, obj=None):
        return self._admitted(request)

    def has_add_permission(self, request, *args):
        return self._admitted(request)

    def has_change_permission(self, request, obj=None):
        return self._admitted(request)

    def has_delete_permission(self, request, obj=None):
        return self._admitted(request)
