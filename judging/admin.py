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
from kipp.admin import AuditedAdminMixin, ViewOnlyAdminMixin


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "key", "title", "weight", "scale_min", "scale_max", "required"]


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    extra = 0


@admin.register(Round)
class RoundAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Read mostly: state changes and rubric edits go through the round pages (services, audited)."""

    list_display = ["name", "competition", "order", "kind", "state", "top_n", "reserve_n", "aggregation", "weight"]
    list_filter = ["competition", "kind", "state"]
    readonly_fields = ["state", "reopened_at"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["key", "title", "round", "weight", "scale_min", "scale_max", "required"]
    list_filter = ["round"]
    inlines = [ScoreBandInline]


@admin.register(RoundEntry)
class RoundEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["round", "entry", "source", "position"]
    list_filter = ["round", "source"]
    raw_id_fields = ["entry", "added_by"]
    list_select_related = ["round", "entry"]


@admin.register(RoundJudge)
class RoundJudgeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["round", "judge"]
    list_filter = ["round"]
    list_select_related = ["round", "judge"]


@admin.register(Assignment)
class AssignmentAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["round", "entry", "judge", "source"]
    list_filter = ["round", "source"]
    list_select_related = ["round", "entry", "judge"]
    raw_id_fields = ["entry", "judge"]


@admin.register(Conflict)
class ConflictAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["judge", "entry", "round", "source", "reason", "created_at"]
    list_filter = ["source", "competition"]
    list_select_related = ["judge", "entry", "round"]
    raw_id_fields = ["entry", "judge", "created_by"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """View only: judges write sheets, organisers unlock them on the sheet page (audited)."""

    list_display = ["assignment", "state", "version", "submitted_at"]
    list_filter = ["state", "assignment__round"]
    list_select_related = ["assignment__round", "assignment__entry", "assignment__judge"]


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["round", "created_at", "method", "reason"]
    list_filter = ["round"]
