from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from entries.models import Entry
from judging.scoring.models import Round, ScoreSheet
from kipp.scopes import OrganisationScopedManager


class Discussion(models.Model):
    """The discussion phase of one round: its window (WITA in the pages) and the settings it listed entries with
    (copied from the round when it started, so the list can be explained later)."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="discussion")
    starts_at = models.DateTimeField(_("diskusi dimulai"))
    ends_at = models.DateTimeField(_("diskusi berakhir"))
    spread = models.DecimalField(_("selisih minimal (poin)"), max_digits=5, decimal_places=2)
    places = models.PositiveSmallIntegerField(_("jarak dari garis batas (peringkat)"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("ditutup lebih awal"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = OrganisationScopedManager("round__competition__organisation_id")

    class Meta:
        verbose_name = _("diskusi juri")
        verbose_name_plural = _("diskusi juri")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="discussion_window_order"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="discussion_closed_by_someone",
            ),
            models.CheckConstraint(condition=Q(spread__gte=0) & Q(spread__lte=100), name="discussion_spread_range"),
        ]

    def __str__(self):
        return f"{self.round} · diskusi"

    @property
    def ends_effectively_at(self):
        """When revisions stop: the end of the window, or the early close when that came first."""
        if self.closed_at and self.closed_at < self.ends_at:
            return self.closed_at
        return self.ends_at


class DiscussionEntry(models.Model):
    """An entry listed for discussion, with the figures it was listed on (rank, total, judges' spread max-min)."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("peringkat saat dibuka"))
    total = models.FloatField(_("nilai total saat dibuka"))
    spread = models.FloatField(_("selisih nilai juri saat dibuka"))
    judges = models.PositiveSmallIntegerField(_("jumlah juri"))
    objects = OrganisationScopedManager("discussion__round__competition__organisation_id")

    class Meta:
        ordering = ["discussion", "rank"]
        verbose_name = _("proposal yang didiskusikan")
        verbose_name_plural = _("proposal yang didiskusikan")
        constraints = [
            models.UniqueConstraint(fields=["discussion", "entry"], name="discussion_entry_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="discussion_entry_rank_positive"),
        ]

    def __str__(self):
        return f"{self.discussion} · {self.entry.code}"


class DiscussionComment(models.Model):
    """One comment of the thread of a listed entry, by a judge of its panel."""

    item = models.ForeignKey(DiscussionEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("komentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "created_at", "id"]
        verbose_name = _("komentar diskusi")
        verbose_name_plural = _("komentar diskusi")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="discussion_comment_not_empty")]

    def __str__(self):
        return f"{self.item} · {self.author}"


class DiscussionRevision(models.Model):
    """A judge's revision of their final sheet during the discussion: the sheet's total T_p and values before and
    after (also in the audit event "judging.discussion_revision")."""

    item = models.ForeignKey(DiscussionEntry, on_delete=models.CASCADE, related_name="revisions")
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    before_total = models.FloatField(_("total sebelum"))
    after_total = models.FloatField(_("total sesudah"))
    before = models.JSONField(_("nilai sebelum"), default=dict)
    after = models.JSONField(_("nilai sesudah"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "created_at", "id"]
        verbose_name = _("revisi dalam diskusi")
        verbose_name_plural = _("revisi dalam diskusi")

    def __str__(self):
        return f"{self.item} · {self.judge}: {self.before_total:.2f} -> {self.after_total:.2f}"
