"""`manage.py verify_audit`: walk the audit log's hash chain (kipp.audit), store the result for the organisers'
dashboard, print it, and exit non-zero when the chain is broken (naming the first event where it breaks)."""

from django.core.management.base import BaseCommand, CommandError

from kipp.audit import check_and_record


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit status 1 and the first broken event when it was tampered with."

    def handle(self, *args, **options):
        verdict, check = check_and_record()
        if not verdict.ok:
            raise CommandError(check.summary)
        self.stdout.write(f"{check.summary} ({verdict.head_hash})")
