"""The bookkeeping of judges' closing reminders. Registered by name in judging/models.py, so it is a model of the
judging app (table judging_judgereminder)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["JudgeReminder", "JudgeReminderKind"]


class JudgeReminderKind(models.TextChoices):
    BEFORE_48H = "48h", _("48 jam sebelum babak ditutup")
    BEFORE_24H = "24h", _("24 jam sebelum babak ditutup")


class JudgeReminder(models.Model):
    """One reminder mailed to a judge about a round closing. The row is written in the transaction that queues the
    mail; the UNIQUE constraint keeps a job that runs twice, or two workers at once, from mailing a judge twice."""

    round = models.ForeignKey("judging.Round", on_delete=models.CASCADE, related_name="judge_reminders")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=4, choices=JudgeReminderKind.choices)
    closes_at = models.DateTimeField(_("babak ditutup"))
    pending = models.PositiveIntegerField(_("lembar belum final"))
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        ordering = ["round", "judge", "kind"]
        verbose_name = _("pengingat juri")
        verbose_name_plural = _("pengingat juri")
        constraints = [
            models.UniqueConstraint(fields=["round", "judge", "kind"], name="judge_reminder_once"),
            models.CheckConstraint(condition=Q(kind__in=JudgeReminderKind.values), name="judge_reminder_kind_valid"),
        ]

    def __str__(self):
        return f"{self.round_id} · {self.judge_id} · {self.kind}"
