"""BackgroundJob: one long organiser action run by the task queue (re-exported by kipp/models.py)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kipp.jobs.enums import ACTIVE_STATES, JobKind, JobState


class BackgroundJob(models.Model):
    kind = models.CharField(_("jenis"), max_length=40, choices=JobKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diminta oleh")
    )
    competition = models.ForeignKey(
        "kipp.Competition", on_delete=models.CASCADE, null=True, blank=True, related_name="background_jobs"
    )
    # The object the job concerns (a judging round): kipp imports no higher layer, so by content type and id.
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # sha256 of (kind, subject, params): at most one queued or running job per key (a second click finds it).
    dedup_key = models.CharField(max_length=64)
    state = models.CharField(_("status"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("alasan gagal"), blank=True)
    result_file = models.CharField(max_length=300, blank=True)  # a name in default_storage
    result_name = models.CharField(max_length=200, blank=True)  # the download's file name
    result_type = models.CharField(max_length=120, blank=True)  # the download's content type
    result = models.JSONField(null=True, blank=True)  # a summary (and a link) for jobs without a file
    queue_job_id = models.BigIntegerField(null=True, blank=True)  # the procrastinate job

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tugas latar")
        verbose_name_plural = _("tugas latar")
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind", "-finished_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in JobState]), name="backgroundjob_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=F("total")), name="backgroundjob_done_within_total"
            ),
            models.CheckConstraint(
                condition=~Q(state=JobState.FAILED) | ~Q(error=""), name="backgroundjob_failed_says_why"
            ),
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(state__in=[s.value for s in ACTIVE_STATES]),
                name="backgroundjob_one_active_per_key",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("kipp:job", args=[self.pk])

    @property
    def is_active(self):
        return self.state in ACTIVE_STATES

    @property
    def has_file(self):
        return self.state == JobState.DONE and bool(self.result_file)

    @property
    def percent(self):
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

    @property
    def seconds_left(self):
        """The time left from the rate so far (None until there is a rate)."""
        if self.state != JobState.RUNNING or not self.total or not self.done or not self.started_at:
            return None
        elapsed = ((self.progress_at or self.started_at) - self.started_at).total_seconds()
        if elapsed <= 0:
            return None
        return max(0.0, (self.total - self.done) * elapsed / self.done)
