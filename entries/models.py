from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entries.enums import EntryStatus, InnovationStage
from kipp.enums import EntryGroup
from kipp.models import Agency, Category, Competition


class Entry(models.Model):
    """An innovation proposal entered by an agency into one competition."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="entries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="entries", verbose_name=_("instansi"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_entries")
    code = models.CharField(_("kode"), max_length=40)
    title = models.CharField(_("judul inovasi"), max_length=250)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="entries", verbose_name=_("kategori")
    )
    group = models.CharField(_("kelompok"), max_length=12, choices=EntryGroup.choices, default=EntryGroup.GENERAL)
    stage = models.CharField(_("tahap inovasi"), max_length=16, choices=InnovationStage.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    submitted_at = models.DateTimeField(_("waktu pengajuan pertama"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped on every write.")

    class Meta:
        ordering = ["competition", "code"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposal")
        constraints = [
            models.UniqueConstraint(fields=["competition", "code"], name="entry_code_unique_in_competition"),
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="entry_status_valid"),
            models.CheckConstraint(
                condition=Q(status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN]) | Q(submitted_at__isnull=False),
                name="entry_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["competition", "status"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def region(self):
        return self.agency.region
