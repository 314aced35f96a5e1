"""The kipp app's task-queue jobs, autodiscovered by procrastinate.contrib.django (its module name is the setting
PROCRASTINATE_AUTODISCOVER_MODULE_NAME, "tasks"): the outbox's."""

from kipp.outbox.tasks import send_notifications  # noqa: F401
