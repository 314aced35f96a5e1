"""Forwarding upward (issue 13): a competition fed by lower ones (kabupaten -> province -> national), with a quota
of nominations per feeding organisation, and each nomination: which entry of which final list arrived as which
draft of the upper competition. Imported by name into judging/models.py, so these are models of the judging app."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from entries.models import Entry

__all__ = ["FeedingRule", "Feed", "Nomination"]


class FeedingRule(models.Model):
    """What an upper competition accepts from below: its organisers set the quota of nominations per feeding
    organisation (one row per upper competition; its row lock serialises the nominations into it)."""

    competition = models.OneToOneField(
        "kipp.Competition", on_delete=models.CASCADE, related_name="feeding_rule", verbose_name=_("kompetisi")
    )
    quota_per_organisation = models.PositiveSmallIntegerField(
        _("kuota usulan per penyelenggara"),
        default=3,
        help_text=_("Berapa inovasi yang boleh diusulkan oleh setiap penyelenggara kompetisi di bawahnya."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan penerusan")
        verbose_name_plural = _("aturan penerusan")
        constraints = [
            models.CheckConstraint(condition=Q(quota_per_organisation__gte=1), name="feeding_rule_quota_positive"),
        ]

    def __str__(self):
        return f"{self.competition_id}: {self.quota_per_organisation}"


class Feed(models.Model):
    """A lower competition whose final list may be nominated into the rule's upper competition."""

    rule = models.ForeignKey(FeedingRule, on_delete=models.CASCADE, related_name="feeds")
    lower = models.ForeignKey(
        "kipp.Competition", on_delete=models.PROTECT, related_name="feeds_into", verbose_name=_("kompetisi pengusul")
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rule", "lower__name"]
        verbose_name = _("kompetisi pengusul")
        verbose_name_plural = _("kompetisi pengusul")
        constraints = [models.UniqueConstraint(fields=["rule", "lower"], name="feed_unique_lower")]

    def __str__(self):
        return f"{self.lower_id} -> {self.rule_id}"


class Nomination(models.Model):
    """One entry of a lower competition's public final list, nominated into an upper competition, where it arrived
    as `entry` (a draft of the same agency). The provenance is frozen here: the announcement's number, the rank
    and total as published. Nothing of the lower entry changes."""

    competition = models.ForeignKey(
        "kipp.Competition", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("kompetisi tujuan")
    )
    lower_entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="nominations_made")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="nomination")
    lower_competition = models.ForeignKey(
        "kipp.Competition", on_delete=models.PROTECT, related_name="+", verbose_name=_("kompetisi asal")
    )
    organisation = models.ForeignKey(
        "kipp.Organisation",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("penyelenggara pengusul"),
    )
    announcement = models.ForeignKey(
        "judging.Announcement", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("pengumuman")
    )
    announcement_number = models.CharField(_("nomor pengumuman"), max_length=60)
    rank = models.PositiveIntegerField(_("peringkat"))
    total = models.FloatField(_("nilai akhir"), null=True, blank=True)
    # [{"key", "title", "text"}]: the lower entry's text of sections that the upper competition has not, for the
    # innovator to place (entries.services.copy_entry)
    unmapped = models.JSONField(_("teks tanpa bagian"), default=list, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("diusulkan"))

    class Meta:
        ordering = ["competition", "organisation", "rank", "id"]
        verbose_name = _("usulan penerusan")
        verbose_name_plural = _("usulan penerusan")
        constraints = [
            models.UniqueConstraint(fields=["competition", "lower_entry"], name="nomination_lower_entry_once"),
            models.CheckConstraint(
                condition=~Q(competition=F("lower_competition")), name="nomination_into_another_competition"
            ),
        ]
        indexes = [models.Index(fields=["competition", "organisation"], name="nomination_quota_idx")]

    def __str__(self):
        return f"{self.lower_entry_id} -> {self.entry_id}"
