from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    EXPORT_SCORES = "export_scores", _("Export of the scores")
    EXPORT_RESULTS = "export_results", _("Export of the results")
    CERTAINTY = "certainty", _("Certainty of the cut")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting in the queue")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)

# The procrastinate task of each kind, by its registered name (the feature's task module is in
# settings.PROCRASTINATE_IMPORT_PATHS, so the worker and the deferring process both know it by this name).
TASK_NAMES = {
    JobKind.EXPORT_SCORES: "judging.scoring.export_round_file",
    JobKind.EXPORT_RESULTS: "judging.scoring.export_round_file",
    JobKind.CERTAINTY: "judging.scoring.recompute_certainty",
}
