"""The outbox: one row per email the portal sends, written in the transaction of the change that causes it and sent
by the task queue's worker (kipp.outbox.tasks). Re-exported by name from kipp.models."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kipp.outbox.enums import NotificationKind, NotificationState


class Notification(models.Model):
    address = models.EmailField(_("alamat"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    language = models.CharField(_("bahasa"), max_length=10, blank=True)
    kind = models.CharField(_("jenis"), max_length=32, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    template = models.CharField(max_length=200)
    # JSON only (kipp.outbox.context): ids of model instances and plain values; the worker renders the mail from
    # them at send time, in the recipient's language. Emptied once sent (it may hold one-time links).
    context = models.JSONField(default=dict, blank=True)
    competition = models.ForeignKey(
        "kipp.Competition", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # What the mail is about (an announcement, an entry, ...): a generic reference, for the outbox's filters.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(
        _("status"), max_length=12, choices=NotificationState.choices, default=NotificationState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    subject_line = models.CharField(_("subjek"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notifikasi email")
        verbose_name_plural = _("notifikasi email")
        constraints = [
            models.CheckConstraint(
                name="notification_state_valid", condition=Q(state__in=[s.value for s in NotificationState])
            ),
            models.CheckConstraint(
                name="notification_sent_has_time",
                condition=Q(state=NotificationState.SENT, sent_at__isnull=False) | ~Q(state=NotificationState.SENT),
            ),
        ]
        indexes = [
            models.Index(fields=["competition", "state", "kind"], name="notification_outbox_idx"),
            models.Index(fields=["subject_type", "subject_id", "kind"], name="notification_subject_idx"),
            models.Index(fields=["state"], name="notification_queued_idx", condition=Q(state="queued")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address} ({self.get_state_display()})"
