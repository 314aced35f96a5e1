"""The bookkeeping of draft reminders. Imported by name in entries/models.py, so it is a model of the entries app
(table entries_draftreminder)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["DraftReminder", "DraftReminderKind"]


class DraftReminderKind(models.TextChoices):
    BEFORE_3D = "3d", _("3 hari sebelum batas pengajuan")


class DraftReminder(models.Model):
    """One reminder mailed to an innovator whose agency holds drafts in a competition. Written in the transaction
    that queues the mail; the UNIQUE constraint keeps a job that runs twice, or two workers at once, from mailing
    a person twice."""

    competition = models.ForeignKey("kipp.Competition", on_delete=models.CASCADE, related_name="draft_reminders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=4, choices=DraftReminderKind.choices)
    deadline = models.DateTimeField(_("batas pengajuan"))
    drafts = models.PositiveIntegerField(_("jumlah draf"))
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        ordering = ["competition", "person", "kind"]
        verbose_name = _("pengingat draf")
        verbose_name_plural = _("pengingat draf")
        constraints = [
            models.UniqueConstraint(fields=["competition", "person", "kind"], name="draft_reminder_once"),
            models.CheckConstraint(condition=Q(kind__in=DraftReminderKind.values), name="draft_reminder_kind_valid"),
        ]

    def __str__(self):
        return f"{self.competition_id} · {self.person_id} · {self.kind}"
