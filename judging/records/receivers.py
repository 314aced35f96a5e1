"""What records does when publication announces something (judging.publication.signals); connected in
judging.apps.JudgingConfig.ready() by importing this module."""

from django.dispatch import receiver

from judging.publication.signals import announcement_published
from kipp.queue import deferrer

BUILD_TASK = "judging.records.build_announcement_records"
QUEUE = "publication"


@receiver(announcement_published, dispatch_uid="records.build_on_announcement_published")
def build_records_on_publication(sender, *, announcement, now=None, **kwargs):
    """A public announcement defers the build of the innovation records it gives (judging.tasks
    .build_announcement_records: records.services.build_announcement_records), in the transaction of the signal.
    The hourly build_records job is the safety net."""
    deferrer(BUILD_TASK, queue=QUEUE).defer(announcement_id=announcement.pk, now=now.isoformat() if now else None)
