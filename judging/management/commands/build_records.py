"""`manage.py build_records`: create or refresh the innovation records of every visible announcement."""

from django.core.management.base import BaseCommand

from judging.records.services import build_all_records


class Command(BaseCommand):
    help = "Build the innovation records (catalogue) from the published announcements. Idempotent."

    def handle(self, *args, **options):
        records = build_all_records()
        self.stdout.write(f"{len(records)} innovation records built or refreshed.")
