"""Mail in tests: every mail is queued in the outbox (kipp.outbox) and sent by the worker. `sent_mail()` first runs
the publication jobs that queue mail (tests/queue.py), then sends the queued ones in this process, through the
worker's own code (kipp.outbox.services.run_queued_mail), then gives
Django's test outbox (django.core.mail.outbox: the locmem backend's list). The real worker is tested in
tests/kipp/outbox/."""

from django.core import mail

from kipp.outbox.services import run_queued_mail
from tests.queue import run_deferred


def sent_mail():
    run_deferred()  # an approval's outcome mails are queued by a job (tests/queue.py)
    run_queued_mail()
    return mail.outbox
