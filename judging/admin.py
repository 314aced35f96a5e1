from django.contrib import admin

from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    RankingSnapshot,
    Round,
    RoundEntry,
    RoundJudge,
    ScoreBand,
    ScoreSheet,
)
from kipp.admin import OrganiserAdminMixin


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "key", "title", "weight", "scale_min", "scale_max", "required"]


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    extra = 0


@admin.register(Round)
class RoundAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    """Read mostly: state changes and rubric edits go through the round pages (services, audited)."""

    list_display = ["name", "competition", "order", "kind", "state", "top_n", "reserve_n", "aggregation", "weight"]
    list_filter = ["competition", "kind", "state"]
    readonly_fields = ["state", "reopened_at"]
    inlines = [CriterionInline]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Criterion)
class CriterionAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["key", "title", "round", "weight", "scale_min", "scale_max", "required"]
    list_filter = ["round"]
    inlines = [ScoreBandInline]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(RoundEntry)
class RoundEntryAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["round", "entry", "source", "position"]
    list_filter = ["round", "source"]
    raw_id_fields = ["entry", "added_by"]
    list_select_related = ["round", "entry"]


@admin.register(RoundJudge)
class RoundJudgeAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["round", "judge"]
    list_filter = ["round"]
    list_select_related = ["round", "judge"]


@admin.register(Assignment)
class AssignmentAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["round", "entry", "judge", "source"]
    list_filter = ["round", "source"]
    list_select_related = ["round", "entry", "judge"]
    raw_id_fields = ["entry", "judge"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Conflict)
class ConflictAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["judge", "entry", "round", "source", "reason", "created_at"]
    list_filter = ["source", "competition"]
    list_select_related = ["judge", "entry", "round"]
    raw_id_fields = ["entry", "judge", "created_by"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    """Sheets are read-only here: judges write them, organisers unlock them on the sheet page (audited)."""

    list_display = ["assignment", "state", "version", "submitted_at"]
    list_filter = ["state", "assignment__round"]
    list_select_related = ["assignment__round", "assignment__entry", "assignment__judge"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(OrganiserAdminMixin, admin.ModelAdmin):
    list_display = ["round", "created_at", "method", "reason"]
    list_filter = ["round"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
