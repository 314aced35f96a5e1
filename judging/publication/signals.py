"""Signals of publication, for the layers above it to listen to (publication never imports them).

announcement_published
    An approved announcement has become visible to the public: at its approval when its embargo time has already
    passed, or later from `manage.py publish_due` (services.send_due_notifications). Sent by
    services.went_public after the innovators were emailed their outcome, outside the approval's transaction (but
    inside any transaction the caller holds), synchronously, so that what a receiver writes is there when the
    approval returns; an exception of a receiver reaches the caller. It may be sent again for the same announcement
    (a retried `publish_due`): receivers must be idempotent.

    sender: judging.models.Announcement
    announcement: the Announcement that went public
    now: the moment it was checked to be visible (a datetime, or None for now)

    judging/records/receivers.py builds or refreshes the innovation records on it.
"""

from django.dispatch import Signal

announcement_published = Signal()
