from django.contrib import admin

from entries.models import (
    Attachment,
    DeadlineExtension,
    Entry,
    ImpactIndicator,
    ProposalAnswer,
    StatusChange,
    TeamMember,
)
from kipp.admin import AuditedAdminMixin


class ReadOnlyInline(admin.TabularInline):
    """Business state changes go through entries.services (audited); the admin shows them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyInline):
    model = ProposalAnswer
    fields = ["section", "text"]
    readonly_fields = fields


class TeamInline(ReadOnlyInline):
    model = TeamMember
    fields = ["order", "name", "position", "contact"]
    readonly_fields = fields


class IndicatorInline(ReadOnlyInline):
    model = ImpactIndicator
    fields = ["name", "unit", "direction", "baseline_value", "baseline_on", "latest_value", "latest_on", "source"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["kind", "original_name", "content_type", "size", "sha256", "created_at"]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "reason", "note"]
    readonly_fields = fields


class ExtensionInline(ReadOnlyInline):
    model = DeadlineExtension
    fields = ["created_at", "deadline", "reason", "granted_by"]
    readonly_fields = fields


@admin.register(Entry)
class EntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "agency", "status", "category", "group", "submitted_at"]
    list_filter = ["competition", "status", "group", "agency__region", "is_digital"]
    search_fields = ["code", "title", "short_name", "agency__name"]
    list_select_related = ["agency", "category"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "competition",
        "agency",
        "created_by",
        "code",
        "status",
        "submitted_at",
        "forwarded_at",
        "decided_at",
        "decision_reason",
        "decision_note",
        "version",
        "created_at",
        "updated_at",
    ]
    inlines = [AnswerInline, TeamInline, IndicatorInline, AttachmentInline, StatusChangeInline, ExtensionInline]

    def has_add_permission(self, request):
        return False  # entries are created by innovators through entries.services.create_entry

    def has_change_permission(self, request, obj=None):
        return False  # every change of an entry goes through entries.services (audited, notified)
