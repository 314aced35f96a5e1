"""Send every queued mail of the outbox now, in this process (when no worker runs, or after one died mid-batch)."""

from django.core.management.base import BaseCommand

from kipp.outbox.services import run_queued_mail


class Command(BaseCommand):
    help = "Send the outbox's queued mails now, through the same code as the worker (each mail once)."

    def handle(self, *args, **options):
        counts = run_queued_mail()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing queued")
