from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from entries.models import Entry
from judging.scoring.enums import (
    DEFAULT_TIE_BREAK,
    AggregationMethod,
    AssignmentSource,
    ConflictSource,
    RoundEntrySource,
    RoundKind,
    RoundState,
    SelectionRuleKind,
    SheetState,
    SnapshotReason,
    TieBreak,
)
from kipp.enums import EntryGroup
from kipp.models import Category, Competition
from kipp.scopes import OrganisationScopedManager


def default_tie_break():
    return list(DEFAULT_TIE_BREAK)


class Round(models.Model):
    """One evaluation round of a competition (desk, presentation and interview, field verification)."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="rounds")
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("nama babak"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"))
    kind = models.CharField(_("jenis"), max_length=16, choices=RoundKind.choices)
    state = models.CharField(_("status"), max_length=12, choices=RoundState.choices, default=RoundState.SETUP)
    top_n = models.PositiveIntegerField(_("jumlah terpilih (Top N)"), default=50)
    reserve_n = models.PositiveIntegerField(_("jumlah cadangan"), default=0)
    judges_per_entry = models.PositiveSmallIntegerField(_("juri per proposal (k)"), default=3)
    aggregation = models.CharField(
        _("metode agregasi"), max_length=12, choices=AggregationMethod.choices, default=AggregationMethod.MEAN
    )
    tie_break = ArrayField(
        models.CharField(max_length=16, choices=TieBreak.choices),
        verbose_name=_("urutan penentu peringkat seri"),
        default=default_tie_break,
        blank=True,
    )
    weight = models.DecimalField(_("bobot di hasil akhir"), max_digits=7, decimal_places=3, default=1)
    opens_at = models.DateTimeField(_("dibuka"), null=True, blank=True)
    closes_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    reopened_at = models.DateTimeField(
        _("dibuka kembali"), null=True, blank=True, help_text=_("Diisi saat dibuka kembali; rubrik boleh diubah.")
    )
    # the discussion phase (judging/scoring/discussion/): which entries are listed when it starts
    discussion_spread = models.DecimalField(
        _("selisih nilai juri untuk diskusi (poin)"),
        max_digits=5,
        decimal_places=2,
        default=15,
        help_text=_("Proposal didiskusikan bila nilai juri tertinggi dan terendah berselisih lebih dari ini (0-100)."),
    )
    discussion_places = models.PositiveSmallIntegerField(
        _("jarak dari garis batas untuk diskusi (peringkat)"),
        default=5,
        help_text=_("Hanya proposal sejauh ini di atas atau di bawah garis batas Top N yang didiskusikan."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = OrganisationScopedManager("competition__organisation_id")

    class Meta:
        ordering = ["competition", "order"]
        verbose_name = _("babak penilaian")
        verbose_name_plural = _("babak penilaian")
        constraints = [
            models.UniqueConstraint(fields=["competition", "slug"], name="round_slug_unique_in_competition"),
            models.UniqueConstraint(fields=["competition", "order"], name="round_order_unique_in_competition"),
            models.CheckConstraint(condition=Q(kind__in=RoundKind.values), name="round_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=RoundState.values), name="round_state_valid"),
            models.CheckConstraint(condition=Q(aggregation__in=AggregationMethod.values), name="round_method_valid"),
            models.CheckConstraint(condition=Q(tie_break__contained_by=TieBreak.values), name="round_tie_break_valid"),
            models.CheckConstraint(condition=Q(top_n__gte=1), name="round_top_n_positive"),
            models.CheckConstraint(condition=Q(judges_per_entry__gte=1), name="round_k_positive"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="round_weight_not_negative"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="round_window_order",
            ),
            models.CheckConstraint(
                condition=Q(discussion_spread__gte=0) & Q(discussion_spread__lte=100), name="round_discussion_spread"
            ),
        ]

    def __str__(self):
        return f"{self.competition.slug} / {self.name}"

    @property
    def tie_break_labels(self):
        """The tie-break steps in words (TieBreak labels), in order."""
        return [TieBreak(step).label if step in TieBreak.values else step for step in self.tie_break]

    @property
    def is_open(self):
        return self.state == RoundState.OPEN


class RoundEntry(models.Model):
    """An entry taking part in a round, and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_entries")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="round_entries")
    source = models.CharField(_("asal"), max_length=16, choices=RoundEntrySource.choices)
    reason = models.TextField(_("alasan"), blank=True)
    position = models.PositiveIntegerField(_("urutan presentasi"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = OrganisationScopedManager("round__competition__organisation_id")

    class Meta:
        ordering = ["round", "position", "entry__code"]
        verbose_name = _("peserta babak")
        verbose_name_plural = _("peserta babak")
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="round_entry_unique"),
            models.CheckConstraint(condition=Q(source__in=RoundEntrySource.values), name="round_entry_source_valid"),
            models.CheckConstraint(
                condition=~Q(source=RoundEntrySource.ORGANISER) | ~Q(reason=""), name="round_entry_organiser_reason"
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.entry.code}"


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("kunci"), max_length=60)
    title = models.CharField(_("judul"), max_length=200)
    guidance = models.TextField(_("panduan"), blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=7, decimal_places=3)
    scale_min = models.SmallIntegerField(_("nilai minimum"), default=1)
    scale_max = models.SmallIntegerField(_("nilai maksimum"), default=10)
    required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["round", "order", "id"]
        verbose_name = _("kriteria")
        verbose_name_plural = _("kriteria")
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="criterion_key_unique_in_round"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="criterion_scale_order"),
        ]

    def __str__(self):
        return self.title


class ScoreBand(models.Model):
    """A descriptor for a range of values of a criterion (e.g. 9-10: 'Sangat baik: ...')."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="bands")
    min_value = models.SmallIntegerField(_("dari"))
    max_value = models.SmallIntegerField(_("sampai"))
    text = models.TextField(_("deskripsi"))

    class Meta:
        ordering = ["criterion", "-min_value"]
        verbose_name = _("deskriptor nilai")
        verbose_name_plural = _("deskriptor nilai")
        constraints = [
            models.CheckConstraint(condition=Q(min_value__lte=F("max_value")), name="band_range_order"),
            models.UniqueConstraint(fields=["criterion", "min_value"], name="band_unique_start"),
        ]

    def __str__(self):
        return f"{self.min_value}-{self.max_value}"


class RoundJudge(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_judges")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge_rounds")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "judge__full_name"]
        verbose_name = _("juri babak")
        verbose_name_plural = _("juri babak")
        constraints = [models.UniqueConstraint(fields=["round", "judge"], name="round_judge_unique")]

    def __str__(self):
        return f"{self.round} · {self.judge}"


class Assignment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    source = models.CharField(_("asal"), max_length=12, choices=AssignmentSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    objects = OrganisationScopedManager("round__competition__organisation_id")

    class Meta:
        ordering = ["round", "entry__code", "judge__full_name"]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "judge"], name="assignment_unique"),
            models.CheckConstraint(condition=Q(source__in=AssignmentSource.values), name="assignment_source_valid"),
        ]
        indexes = [models.Index(fields=["judge", "round"]), models.Index(fields=["entry", "judge"])]

    def __str__(self):
        return f"{self.round} · {self.entry.code} · {self.judge}"


class Conflict(models.Model):
    """A conflict of interest between a judge and an entry, for one round or (round empty) the whole competition.

    A declared conflict on an existing assignment is a recusal: that sheet no longer counts."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="conflicts")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="conflicts")
    source = models.CharField(_("asal"), max_length=12, choices=ConflictSource.choices)
    reason = models.TextField(_("alasan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = OrganisationScopedManager("competition__organisation_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("konflik kepentingan")
        verbose_name_plural = _("konflik kepentingan")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "round", "judge", "entry"], name="conflict_unique", nulls_distinct=False
            ),
            models.CheckConstraint(condition=Q(source__in=ConflictSource.values), name="conflict_source_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="conflict_has_reason"),
        ]
        indexes = [models.Index(fields=["judge", "entry"])]

    def __str__(self):
        return f"{self.judge} ≠ {self.entry.code}"


class ScoreSheet(models.Model):
    """A judge's scores for one assignment. One per assignment (DB-unique); `version` is an optimistic lock."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="sheet")
    state = models.CharField(_("status"), max_length=8, choices=SheetState.choices, default=SheetState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    overall_comment = models.TextField(_("catatan umum"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    objects = OrganisationScopedManager("assignment__round__competition__organisation_id")

    class Meta:
        verbose_name = _("lembar nilai")
        verbose_name_plural = _("lembar nilai")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SheetState.values), name="sheet_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=SheetState.FINAL) | Q(submitted_at__isnull=False), name="sheet_final_has_time"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="sheet_version_positive"),
        ]
        indexes = [models.Index(fields=["state", "assignment"])]

    def __str__(self):
        return f"{self.assignment} ({self.state})"


class Score(models.Model):
    """One integer per criterion. A trigger (migration 0002) keeps the value inside the criterion's scale and the
    criterion inside the sheet's round."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.SmallIntegerField(_("nilai"))
    comment = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("nilai")
        verbose_name_plural = _("nilai")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique_per_criterion")]

    def __str__(self):
        return f"{self.criterion.key}={self.value}"


class RankingSnapshot(models.Model):
    """The ranking of a round as computed at one moment (stored when the round closes): reproducible results."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="snapshots")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("metode agregasi"), max_length=12, choices=AggregationMethod.choices)
    reason = models.CharField(_("alasan"), max_length=40, default="close")
    criteria = models.JSONField(_("kriteria"), default=list)
    rows = models.JSONField(_("baris peringkat"), default=list)
    objects = OrganisationScopedManager("round__competition__organisation_id")

    class Meta:
        ordering = ["round", "-created_at", "-id"]
        verbose_name = _("potret peringkat")
        verbose_name_plural = _("potret peringkat")
        constraints = [models.CheckConstraint(condition=Q(method__in=AggregationMethod.values), name="snapshot_method")]

    def __str__(self):
        return f"{self.round} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def reason_label(self):
        """The reason in words (SnapshotReason); a reason outside it as it is."""
        return SnapshotReason(self.reason).label if self.reason in SnapshotReason.values else self.reason


class ScoringChange(models.Model):
    """One row per SQL statement that changed data a round's figures are computed from (scores, sheets,
    assignments, conflicts, criteria, rounds, round entries and judges, entries, agencies, regions, judges' names).
    Written only by database triggers (migration 0010), in the same transaction as the change: the number and the
    newest id of the rows a reader sees say which committed state it is reading (judging/scoring/dashboard_cache.py)."""

    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=63)

    class Meta:
        verbose_name = _("perubahan data penilaian")
        verbose_name_plural = _("perubahan data penilaian")

    def __str__(self):
        return f"{self.source} @ {self.at:%Y-%m-%d %H:%M:%S}"


class SheetTotal(models.Model):
    """The stored figures of one counting sheet (final, no conflict applies): its total T_p and, per criterion of
    the round in rubric order ("order", id), its normalised score n_pc (null where the sheet has no score for it).
    A sheet that does not count has no row. Kept by database triggers (migration 0016_sheet_totals) in the same
    transaction as every change of scores, sheets, assignments, conflicts and criteria; the ranking reads these
    rows instead of every score (judging/scoring/totals.py)."""

    sheet = models.OneToOneField(
        ScoreSheet, on_delete=models.CASCADE, primary_key=True, related_name="stored_total", db_constraint=False
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    total = models.FloatField(_("total lembar"))
    n = ArrayField(models.FloatField(null=True), verbose_name=_("nilai ternormalisasi per kriteria"))

    class Meta:
        verbose_name = _("total lembar nilai")
        verbose_name_plural = _("total lembar nilai")
        # the entry totals' trigger (migration 0021) reads an entry's sheet totals
        indexes = [models.Index(fields=["round", "entry"], name="judging_sheettotal_round_entry")]

    def __str__(self):
        return f"{self.sheet_id}: {self.total}"


class EntryTotal(models.Model):
    """The stored figures of one entry in one round, from its counting sheets' SheetTotal rows: the number of
    judges, the mean and the median of their T_p, the spread (population sd of T_p), the judges whose T_p is more
    than 20 points from the panel mean, and per criterion (rubric order, as SheetTotal.n) the mean n_pc. An entry
    without a counting sheet has no row. Kept by database triggers on judging_sheettotal (migration
    0021_entry_totals) in the transaction of every change of the sheet totals; the ranking of methods "mean" and
    "median" reads one of these rows per entry (judging/scoring/totals.py)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    judges = models.PositiveIntegerField(_("juri"))
    mean = models.FloatField(_("rata-rata total lembar"))
    median = models.FloatField(_("median total lembar"))
    spread = models.FloatField(_("sebaran"))
    outliers = ArrayField(models.BigIntegerField(), null=True, verbose_name=_("juri pencilan"))
    means = ArrayField(models.FloatField(null=True), verbose_name=_("rata-rata nilai ternormalisasi per kriteria"))

    class Meta:
        verbose_name = _("total proposal per babak")
        verbose_name_plural = _("total proposal per babak")
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="judging_entrytotal_round_entry")]

    def __str__(self):
        return f"{self.round_id}/{self.entry_id}: {self.mean}"


class SelectionRule(models.Model):
    """A rule of a round's selection at the Top N cut (judging/scoring/quotas.py applies them): at least `value`
    entries per category (one category, or every category when `category` is empty), at most `value` per region (the
    entry's agency's region), or at least `value` percent of the Top N from one group (Entry.group)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="selection_rules")
    kind = models.CharField(_("jenis aturan"), max_length=20, choices=SelectionRuleKind.choices)
    value = models.PositiveSmallIntegerField(_("nilai"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kategori")
    )
    group = models.CharField(_("kelompok"), max_length=12, choices=EntryGroup.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["round", "order", "id"]
        verbose_name = _("aturan seleksi")
        verbose_name_plural = _("aturan seleksi")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SelectionRuleKind.values), name="selection_rule_kind_valid"),
            models.CheckConstraint(condition=Q(value__gte=1), name="selection_rule_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind=SelectionRuleKind.SHARE_PER_GROUP) | Q(value__lte=100),
                name="selection_rule_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(kind=SelectionRuleKind.MIN_PER_CATEGORY) | Q(category__isnull=True),
                name="selection_rule_category_only_min",
            ),
            models.CheckConstraint(
                condition=(Q(kind=SelectionRuleKind.SHARE_PER_GROUP) & ~Q(group=""))
                | (~Q(kind=SelectionRuleKind.SHARE_PER_GROUP) & Q(group="")),
                name="selection_rule_group_only_share",
            ),
        ]

    def __str__(self):
        return f"{self.round}: {self.kind} {self.value}"
