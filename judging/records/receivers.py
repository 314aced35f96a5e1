"""What records does when publication announces something (judging.publication.signals); connected in
judging.apps.JudgingConfig.ready() by importing this module."""

from django.dispatch import receiver

from judging.publication.signals import announcement_published
from judging.records.services import build_all_records


@receiver(announcement_published, dispatch_uid="records.build_on_announcement_published")
def build_records_on_publication(sender, *, announcement, now=None, **kwargs):
    """A public announcement builds or refreshes the innovation records of the catalogue (idempotent)."""
    build_all_records(now=now)
