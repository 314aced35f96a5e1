"""The Django admin's site: for portal administrators (active superusers) only.

Organisers work in the portal's own pages; `is_staff` gives no admin access. A session that owes a second factor
(kipp.twofactor.policy: the person has a device, or STAFF_2FA=required) has no access until it gave a code.
INSTALLED_APPS names KippAdminConfig in place of django.contrib.admin, which makes KippAdminSite the admin's
default site."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from kipp.permissions import is_portal_administrator


class KippAdminSite(admin.AdminSite):
    site_header = _("Administrasi KIPP")
    site_title = _("Administrasi KIPP")

    def has_permission(self, request):
        from kipp.twofactor.policy import owed_step  # imports django-otp's models: not while apps load

        return is_portal_administrator(request.user) and owed_step(request.user) is None


class KippAdminConfig(AdminConfig):
    default_site = "kipp.admin_site.KippAdminSite"
