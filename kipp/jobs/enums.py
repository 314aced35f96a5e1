from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    EXPORT_SCORES = "export_scores", _("Ekspor nilai")
    EXPORT_RESULTS = "export_results", _("Ekspor hasil")
    CERTAINTY = "certainty", _("Kepastian garis batas")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Menunggu giliran")
    RUNNING = "running", _("Sedang berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)

# The procrastinate task of each kind, by its registered name (the feature's task module is in
# settings.PROCRASTINATE_IMPORT_PATHS, so the worker and the deferring process both know it by this name).
TASK_NAMES = {
    JobKind.EXPORT_SCORES: "judging.scoring.export_round_file",
    JobKind.EXPORT_RESULTS: "judging.scoring.export_round_file",
    JobKind.CERTAINTY: "judging.scoring.recompute_certainty",
}
