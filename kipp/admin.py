from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kipp.enums import Role
from kipp.models import Agency, AuditEvent, Category, Competition, ProposalSection, Province, Region, User
from kipp.services import apply_default_sections, record_event

admin.site.site_header = _("Administrasi KIPP")
admin.site.site_title = _("Administrasi KIPP")


class OrganiserAdminMixin:
    """Organisers (role) manage the portal's data in the admin without being superusers."""

    def _is_organiser(self, request):
        return request.user.is_active and (request.user.is_superuser or request.user.role == "organiser")

    def has_module_permission(self, request):
        return self._is_organiser(request)

    def has_view_permission(self, request, obj=None):
        return self._is_organiser(request)

    def has_add_permission(self, request):
        return self._is_organiser(request)

    def has_change_permission(self, request, obj=None):
        return self._is_organiser(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Province)
class ProvinceAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["code", "kind", "name", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "parent"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(OrganiserAdminMixin, DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "role", "agency", "region", "is_active", "email_verified_at"]
    list_filter = ["role", "is_active", "region"]
    search_fields = ["email", "full_name", "agency__name"]
    list_select_related = ["agency", "region"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profil"), {"fields": ["full_name", "position", "phone", "expertise", "language"]}),
        (_("Peran"), {"fields": ["role", "agency", "region"]}),
        (_("Status"), {"fields": ["is_active", "email_verified_at", "is_staff", "is_superuser", "groups"]}),
        (_("Waktu"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "role", "agency", "region", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups"]
        return fields

    def save_model(self, request, obj, form, change):
        """Organisers work in the admin: the role decides staff access (superusers keep theirs)."""
        obj.is_staff = obj.is_superuser or obj.role == Role.ORGANISER
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
class CompetitionAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "year", "opens_at", "closes_at", "requires_regional_verification", "is_public"]
    list_filter = ["year", "is_public"]
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
class AuditEventAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_repr"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
