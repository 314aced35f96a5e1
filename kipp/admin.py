import json

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from kipp.forms import CompetitionAdminForm
from kipp.models import (
    Agency,
    AuditEvent,
    Category,
    Competition,
    Membership,
    Organisation,
    ProposalSection,
    Province,
    Region,
    User,
)
from kipp.permissions import is_portal_administrator
from kipp.services import apply_default_sections, record_event

if admin.site.is_registered(Group):
    admin.site.unregister(Group)  # permissions come from the role (kipp.permissions), never from groups


def _plain(value):
    """The admin's change message (lists of dicts with lazy labels) as plain JSON for the audit log."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class AuditedAdminMixin:
    """Every model admin: administrators only, and every add/change/delete also goes to the append-only audit log."""

    def has_module_permission(self, request):
        return is_portal_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_portal_administrator(request.user)

    def has_add_permission(self, request):
        return is_portal_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_portal_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_portal_administrator(request.user)

    def _audit(self, request, action, obj, message=""):
        record_event(
            actor=request.user,
            action=f"admin.{action}",
            obj=obj,
            details={"model": obj._meta.label, "message": _plain(message), "via": "admin"},
            request=request,
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, "added", obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, "changed", obj, message)
        return entry

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        entries = super().log_deletions(request, queryset)
        for obj in objects:
            self._audit(request, "deleted", obj)
        return entries


class ViewOnlyAdminMixin(AuditedAdminMixin):
    """Records written only through the portal's services (audited): the admin shows them, nobody edits them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "kind", "name", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Portal administrators create organisations; the logo is uploaded (and cleaned) on /o/<slug>/kop/ only."""

    list_display = ["name", "slug", "level", "province", "region"]
    list_filter = ["level"]
    search_fields = ["name", "slug"]
    list_select_related = ["province", "region"]
    prepopulated_fields = {"slug": ["name"]}
    exclude = ["logo", "logo_content_type", "logo_width", "logo_height"]
    autocomplete_fields = ["region"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "parent"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    """A person's memberships, to read: organisers give them by invitation (kipp:invite), audited there."""

    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["organisation", "kind", "region", "invited_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "agency", "region", "is_active", "email_verified_at"]
    list_filter = ["is_active", "memberships__kind", "memberships__organisation"]
    search_fields = ["email", "full_name", "agency__name"]
    list_select_related = ["agency", "region"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profil"), {"fields": ["full_name", "position", "phone", "expertise", "language"]}),
        (_("Instansi dan daerah asal"), {"fields": ["agency", "region"]}),
        (_("Status"), {"fields": ["is_active", "email_verified_at", "is_staff", "is_superuser", "groups"]}),
        (_("Waktu"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "agency", "region", "password1", "password2"]})]
    inlines = [MembershipInline]
    # Nobody sets another person's password, email, memberships or rights here: people set their own password through
    # the emailed links, verifiers and judges are invited by organisers (kipp:invite), organisers are created at the
    # server (README, "Accounts"). Administrators correct profiles and (de)activate accounts, audited.
    readonly_fields = [
        "email",
        "password",
        "is_staff",
        "is_superuser",
        "groups",
        "last_login",
        "date_joined",
    ]

    def has_add_permission(self, request):
        return False

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            action="account.changed" if change else "account.created",
            obj=obj,
            details={
                "fields": [f for f in form.changed_data if f not in ("password", "password1", "password2")],
                "via": "admin",
            },
            request=request,
        )


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class SectionInline(admin.TabularInline):
    model = ProposalSection
    extra = 0
    fields = ["order", "key", "title", "word_limit", "required", "guidance"]


@admin.register(Competition)
class CompetitionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CompetitionAdminForm
    list_display = ["name", "slug", "year", "organisation", "opens_at", "closes_at", "is_public"]
    list_select_related = ["organisation"]
    list_filter = ["year", "is_public", "organisation"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryInline, SectionInline]

    def save_related(self, request, form, formsets, change):
        """A competition added here without sections gets the default proposal template (kipp.defaults)."""
        super().save_related(request, form, formsets, change)
        competition = form.instance
        if not change:
            apply_default_sections(competition=competition)
        record_event(
            actor=request.user,
            action="competition.changed" if change else "competition.created",
            obj=competition,
            details={"fields": form.changed_data, "via": "admin"},
            request=request,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_repr"]
    date_hierarchy = "created_at"
