"""Signals of publication, for the layers above it to listen to (publication never imports them).

announcement_published
    An approved announcement has become visible to the public: after its approval when its embargo time had already
    passed (the job the approval deferred, judging.tasks.go_public), or later from `publish_due`
    (services.send_due_notifications). Sent by services.went_public in the transaction that queued the innovators'
    outcome mails, in a worker or a command: a receiver defers its own work as a job in that transaction
    (kipp.queue.deferrer) rather than doing it there; an exception of a receiver rolls the mails back. It may be sent
    again for the same announcement (a retried job): receivers must be idempotent.

    sender: judging.models.Announcement
    announcement: the Announcement that went public
    now: the moment it was checked to be visible (a datetime, or None for now)

    judging/records/receivers.py defers the build of the innovation records that this announcement gives.
"""

from django.dispatch import Signal

announcement_published = Signal()
