"""The Django admin's site: for portal administrators (active superusers) only.

Organisers work in the portal's own pages; `is_staff` gives no admin access. INSTALLED_APPS names
KippAdminConfig in place of django.contrib.admin, which makes KippAdminSite the admin's default site."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from kipp.permissions import is_portal_administrator


class KippAdminSite(admin.AdminSite):
    site_header = _("Administrasi KIPP")
    site_title = _("Administrasi KIPP")

    def has_permission(self, request):
        return is_portal_administrator(request.user)


class KippAdminConfig(AdminConfig):
    default_site = "kipp.admin_site.KippAdminSite"
